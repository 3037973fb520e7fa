"""``python -m alignment uncertainty``: bands, the chance both gain, and the ranking."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from alignment import dump_scenario, load_scenario
from alignment.cli import main
from alignment.levers import with_value

ROOT = Path(__file__).resolve().parents[1]
LAUNCH = str(ROOT / "scenarios" / "launch_conflict.yaml")
QUICK = ["--draws", "12", "--trajectories", "2"]


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out, err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def cheaper_nova_file(tmp_path_factory):
    today = load_scenario(Path(LAUNCH))
    cheaper = with_value(today, "products.nova.price", today.product("nova").price * 0.85)
    path = tmp_path_factory.mktemp("plans") / "cheaper_nova.yaml"
    path.write_text(dump_scenario(cheaper), encoding="utf-8")
    return str(path)


def test_the_table_shows_bands_the_chance_and_the_ranking():
    status, out, err = run("uncertainty", LAUNCH, *QUICK)
    assert status == 0 and err == ""
    assert "12 Latin-hypercube draws" in out
    assert "Leadership's value" in out and "Team selling hours" in out
    assert "Chance both sides are better off than the status quo: 0 % (0 of 12 draws)" in out
    assert "The plan is its own status quo" in out
    assert "Which input decides each side's gain (Morris, 2 trajectories, 30 draws" in out


def test_json_against_a_status_quo_file_has_ordered_bands_and_every_input(cheaper_nova_file):
    status, out, _ = run(
        "uncertainty", cheaper_nova_file, "--status-quo", LAUNCH, *QUICK, "--format", "json"
    )
    assert status == 0
    report = json.loads(out)
    assert report["draws"] == 12 and report["own_status_quo"] is False
    for name, band in report["bands"].items():
        assert band["low"] <= band["median"] <= band["high"], name
    assert 0.0 <= report["probability_both_gain"] <= 1.0
    inputs = report["sensitivity"]["inputs"]
    assert len(inputs) == 14 and report["sensitivity"]["method"] == "morris"
    assert sum(i["leadership_share"] for i in inputs) == pytest.approx(1.0)
    assert report["sensitivity"]["sentence"].startswith("The plan's value to")


def test_the_same_seed_prints_the_same_report(cheaper_nova_file):
    args = ("uncertainty", cheaper_nova_file, "--status-quo", LAUNCH, *QUICK, "--seed", "9",
            "--format", "json")  # fmt: skip
    assert run(*args)[1] == run(*args)[1]


def test_a_missing_file_is_reported_in_one_line():
    status, out, err = run("uncertainty", "no_such.yaml")
    assert status == 2 and out == ""
    assert err == "no_such.yaml: no such file; check the path\n"


def test_a_draw_count_out_of_range_names_the_field():
    status, _, err = run("uncertainty", LAUNCH, "--draws", "0")
    assert status == 2
    assert err.startswith(f"{LAUNCH}: draws: 0 is outside")


def test_a_status_quo_about_other_products_is_refused():
    other = str(ROOT / "scenarios" / "saas_tiers_smb_enterprise.yaml")
    status, _, err = run("uncertainty", LAUNCH, "--status-quo", other, *QUICK)
    assert status == 2
    assert "status_quo: its products" in err
