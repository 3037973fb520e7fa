"""Scenario files read back exactly what was written (YAML in and out)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from alignment import ScenarioError, apply_plan, dump_scenario, evaluate, load_scenario
from alignment.evaluate import Plans

SHIPPED = sorted((Path(__file__).resolve().parents[1] / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_scenario_reads_back_exactly_after_writing(path):
    scenario = load_scenario(path)
    assert load_scenario(dump_scenario(scenario)) == scenario


def test_written_yaml_keeps_the_schema_key_order(launch):
    sections = list(yaml.safe_load(dump_scenario(launch)))
    assert sections == [
        "schema_version", "metadata", "segments", "products", "commission", "sales_team",
        "marketing", "goals", "negotiation", "uncertainty",
    ]  # fmt: skip


def test_text_and_bytes_load_the_same_scenario(launch):
    text = dump_scenario(launch)
    assert load_scenario(text) == load_scenario(text.encode("utf-8")) == launch


def test_non_ascii_names_survive_the_trip(launch_data, build):
    launch_data["metadata"]["name"] = "Lancement Nova — prix bas, marge élevée ✓"
    launch_data["products"][2]["name"] = "Nova (nouveau) 新"
    scenario = build(launch_data)
    assert load_scenario(dump_scenario(scenario)) == scenario


def test_no_cap_and_an_empty_kicker_map_survive_the_trip(launch_data, build):
    launch_data["commission"].update(cap=None, kickers={})
    scenario = build(launch_data)
    again = load_scenario(dump_scenario(scenario))
    assert again.commission.cap is None
    assert again.commission.kickers == {}


def test_a_changed_plan_survives_the_trip_and_evaluates_the_same(launch):
    plans = Plans.from_scenario(launch)
    plans.price[0, 2] = 555.5
    plans.kicker[0, 2] = 42.25
    changed = apply_plan(launch, plans)
    again = load_scenario(dump_scenario(changed))
    assert again == changed
    # Hours respond to motivation against the status quo: the same one on both sides.
    assert (
        evaluate(again, status_quo=launch).contribution[0]
        == evaluate(launch, plans).contribution[0]
    )


def test_yaml_that_tries_to_run_code_is_refused():
    with pytest.raises(ScenarioError):
        load_scenario("!!python/object/apply:os.system ['echo unsafe']")
