"""``python -m alignment deal``: the optimised deal, its gains and the chance both sides gain."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from alignment.cli import main

LAUNCH = str(Path(__file__).resolve().parents[1] / "scenarios" / "launch_conflict.yaml")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(["deal", *argv], out, err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def report() -> dict:
    status, out, err = run(LAUNCH, "--format", "json", "--draws", "20", "--seed", "3")
    assert status == 0, err
    return json.loads(out)


def test_the_deal_leaves_both_sides_better_off_and_reports_its_product(report):
    assert report["found"] and report["converged"]
    assert report["leadership"]["gain"] > 0 and report["reps"]["gain"] > 0
    assert report["nash_product"] == pytest.approx(
        report["leadership"]["gain"] * report["reps"]["gain"]
    )
    assert report["leadership"]["unit"] == "USD per year"
    assert 0.0 <= report["probability_both_gain"] <= 1.0 and report["draws"] == 20
    assert report["elapsed_seconds"] > 0


def test_every_lever_stays_within_its_bounds(report):
    for lever in report["levers"]:
        assert lever["low"] - 1e-9 <= lever["deal"] <= lever["high"] + 1e-9, lever


def test_locks_hold_and_the_table_names_the_rule():
    status, out, err = run(
        LAUNCH, "--locks", "price.nova=640", "margin_rate=0.05:0.09", "--draws", "0",
        "--rule", "weighted", "--weight", "0.7",
    )  # fmt: skip
    assert status == 0, err
    assert "weighted Nash (leadership's weight 0.7)" in out
    nova = next(line for line in out.splitlines() if line.startswith("Nova (new) price"))
    assert nova.split()[-2] == "$640" and nova.split()[-1] == "fixed"
    margin = next(line for line in out.splitlines() if line.startswith("Margin rate"))
    assert margin.endswith("5.0 %–9.0 %")
    leadership = next(line for line in out.splitlines() if line.startswith("Leadership's value"))
    assert re.search(r"\$6\.\d\dM +\$6\.\d\dM +[+−]\$\d", leadership), leadership
    assert "Chance both sides gain" not in out  # --draws 0 skips it


def test_with_every_lever_held_there_is_no_deal_and_the_status_is_1():
    held = ["price.pro", "price.standard", "price.nova", "kicker.nova", "revenue_rate",
            "margin_rate"]  # fmt: skip
    status, out, _ = run(LAUNCH, "--locks", *held, "--draws", "0")
    assert status == 1
    assert "No deal:" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--locks", "price.nowhere=5"], "--locks price.nowhere=5: unknown lever"),
        (["--locks", "price.nova=cheap"], "'cheap' is not a number"),
        (["--rule", "weighted", "--weight", "1.5"], "strictly between 0 and 1"),
        (["--draws", "3"], "--draws: give 0 (skip) or 10–20,000 draws"),
    ],
)
def test_bad_input_is_refused_naming_it_with_status_2(argv, message):
    status, out, err = run(LAUNCH, *argv)
    assert status == 2 and out == ""
    assert message in err and "Traceback" not in err
