"""Writing the chosen elasticities into a scenario, and the ``calibrate`` command line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from alignment import load_scenario
from alignment.calibration import (
    calibrate,
    calibrated_scenario,
    chosen_value,
    read_deals,
    suggested_choice,
    suggested_mapping,
)
from alignment.calibration.synthetic import launch_example
from alignment.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "scenarios" / "data" / "deal_history_example.csv"
LAUNCH = ROOT / "scenarios" / "launch_conflict.yaml"


@pytest.fixture(scope="module")
def example(launch):
    deals = read_deals(EXAMPLE.read_bytes(), EXAMPLE.name)
    return calibrate(deals, launch, suggested_mapping(deals.product_names, launch))


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


def test_the_shipped_example_is_what_the_seeded_generator_writes():
    assert EXAMPLE.read_text(encoding="utf-8") == launch_example().csv()


def test_the_example_maps_to_the_launch_products_by_name(launch):
    deals = read_deals(EXAMPLE.read_bytes())
    assert suggested_mapping(deals.product_names, launch) == {
        "Analyser Pro": "pro", "Analyser Standard": "standard", "Nova": "nova",
    }  # fmt: skip
    assert 3000 <= len(deals.frame) <= 5000


def test_the_example_recovers_its_planted_elasticities(example):
    truth = launch_example().truth
    for pid, name in (("pro", "Analyser Pro"), ("standard", "Analyser Standard"), ("nova", "Nova")):
        fit = example.product(pid)
        assert fit.low <= truth[name] <= fit.high, pid


def test_applying_writes_elasticity_range_and_provenance(launch, example):
    result = calibrated_scenario(launch, example, {"nova": "fitted", "pro": "prior"})
    nova = result.product("nova")
    fit = example.product("nova")
    assert nova.price_elasticity == pytest.approx(round(fit.elasticity, 2))
    given = result.uncertainty.ranges["price_elasticity.nova"]
    assert given.distribution == "normal"
    assert given.low == pytest.approx(fit.low, abs=0.02)
    assert given.high == pytest.approx(fit.high, abs=0.02)
    assert "deal_history_example.csv" in given.source
    assert result.product("pro").price_elasticity == launch.product("pro").price_elasticity
    assert "price_elasticity.pro" not in result.uncertainty.ranges
    notes = result.metadata.notes
    assert notes.startswith(launch.metadata.notes)
    assert "of 4,000 deals used" in notes and "2023-01-01 to 2024-12-31" in notes
    assert "logistic regression" in notes and "delta method" in notes


def test_applying_twice_replaces_the_earlier_provenance(launch, example):
    once = calibrated_scenario(launch, example, {"nova": "fitted"})
    twice = calibrated_scenario(once, example, {"nova": "blend"})
    assert twice.metadata.notes.count("calibrated from deal history") == 1
    assert "blend with the prior" in twice.metadata.notes


def test_a_blend_lies_between_prior_and_fit_and_is_surer_than_either(example):
    fit = example.product("nova")
    blend = chosen_value(fit, "blend")
    assert min(fit.prior, fit.elasticity) < blend.value < max(fit.prior, fit.elasticity)
    assert blend.high - blend.low < fit.high - fit.low


def test_a_biased_fit_suggests_the_prior(example):
    from dataclasses import replace

    from alignment.calibration import Caveat

    fit = replace(example.product("nova"), caveats=(Caveat("endogeneity", "..."),))
    assert suggested_choice(fit) == "prior"
    assert suggested_choice(example.product("nova")) == "fitted"


def test_the_command_line_writes_a_calibrated_scenario(tmp_path):
    out_path = tmp_path / "calibrated.yaml"
    status, out, err = run(
        "calibrate", str(EXAMPLE), "--scenario", str(LAUNCH), "--out", str(out_path)
    )
    assert status == 0 and err == ""
    assert "Nova (new)" in out and "90 % interval" in out and "reps' pay favours" in out
    calibrated = load_scenario(out_path)
    assert calibrated.product("nova").price_elasticity != 3.0
    assert "price_elasticity.nova" in calibrated.uncertainty.ranges


def test_the_command_line_prints_json_with_a_product_map(tmp_path):
    product_map = tmp_path / "map.yaml"
    product_map.write_text("Nova: nova\nAnalyser Pro: null\n", encoding="utf-8")
    status, out, err = run(
        "calibrate", str(EXAMPLE), "--scenario", str(LAUNCH), "--out",
        str(tmp_path / "new.yaml"), "--product-map", str(product_map), "--format", "json",
    )  # fmt: skip
    assert status == 0, err
    report = json.loads(out)
    assert report["mapping"]["Analyser Pro"] is None
    by_id = {p["product"]: p for p in report["products"]}
    assert by_id["pro"]["fitted"] is None and by_id["nova"]["fitted"] > 0
    assert by_id["nova"]["low"] < by_id["nova"]["fitted"] < by_id["nova"]["high"]


def test_the_command_line_refuses_a_bad_file_with_row_and_column(tmp_path):
    bad = tmp_path / "deals.csv"
    bad.write_text("Product,ListPrice,UnitPrice,IsWon\nNova,650,abc,true\n", encoding="utf-8")
    status, out, err = run(
        "calibrate", str(bad), "--scenario", str(LAUNCH), "--out", str(tmp_path / "n.yaml")
    )
    assert status == 2 and out == ""
    assert err.startswith(f'{bad}: row 2, column "UnitPrice" (C): "abc" is not a number')
    assert not (tmp_path / "n.yaml").exists()


def test_the_command_line_refuses_an_unknown_product_in_the_map(tmp_path):
    product_map = tmp_path / "map.yaml"
    product_map.write_text("Nova: novva\n", encoding="utf-8")
    status, _, err = run(
        "calibrate", str(EXAMPLE), "--scenario", str(LAUNCH), "--out",
        str(tmp_path / "n.yaml"), "--product-map", str(product_map),
    )  # fmt: skip
    assert status == 2 and "'novva' is not a product of the scenario" in err
    assert err.startswith(str(product_map))


def test_the_command_line_names_a_missing_file(tmp_path):
    status, _, err = run(
        "calibrate", "nope.csv", "--scenario", str(LAUNCH), "--out", str(tmp_path / "n.yaml")
    )
    assert status == 2 and err == "nope.csv: no such file; check the path\n"
