"""Files from older releases load under schema version 2, wherever they come from.

``tests/fixtures/v1/`` holds every shipped scenario as the previous release wrote it (schema
version 1, goals with weights); they must keep loading however the shipped stories change.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from alignment.scenario import SCHEMA_VERSION, Scenario
from alignment.scenario_io import (
    ScenarioError,
    dump_data,
    dump_scenario,
    load_scenario,
    parse_yaml,
    scenario_from_data,
)
from alignment.storage import LocalFolderStore, new_draft_id

VERSION_1_DIR = Path(__file__).resolve().parent / "fixtures" / "v1"
VERSION_1_FILES = sorted(VERSION_1_DIR.glob("*.yaml"))
LAUNCH_V1 = (VERSION_1_DIR / "launch_conflict.yaml").read_text(encoding="utf-8")
GOALS = ("contribution", "new_product_share", "gross_margin_pct")
# Every field version 2 added, with its default.
NEW_PRODUCT_FIELDS = {"unassisted_share": 0.1, "reference_lead_generation": 0.0}
NEW_TEAM_FIELDS = {
    "min_hours_per_rep": None,
    "max_hours_per_rep": None,
    "effort_response": 0.2,
    "new_product_target": None,
}
NEW_GOALS_FIELDS = {"strategic_value": {}, "strategic_value_reason": ""}
NEW_GOAL_FIELDS = {"hard": False}


def file_data(path: Path) -> dict[str, Any]:
    return parse_yaml(path.read_bytes(), path.name)


def without_weights(data: dict[str, Any]) -> dict[str, Any]:
    goals = {
        name: {k: v for k, v in goal.items() if k != "weight"} if name in GOALS else goal
        for name, goal in data["goals"].items()
    }
    return {**{k: v for k, v in data.items() if k != "schema_version"}, "goals": goals}


def assert_holds(read: Any, written: Any, path: str = "") -> None:
    """Every value ``written`` states is in ``read`` at the same place, unchanged."""
    if isinstance(written, dict):
        assert isinstance(read, dict), path
        for key, value in written.items():
            assert key in read, f"{path}.{key} is missing"
            assert_holds(read[key], value, f"{path}.{key}")
    elif isinstance(written, list):
        assert isinstance(read, list) and len(read) == len(written), path
        for index, (got, value) in enumerate(zip(read, written, strict=True)):
            assert_holds(got, value, f"{path}[{index}]")
    else:
        assert read == written and isinstance(read, bool) == isinstance(written, bool), path


def previous_release_dump(path: Path) -> dict[str, Any]:
    """The scenario as the previous release dumped it: every field written out, version 1."""
    data = load_scenario(path).model_dump(mode="json")
    data["schema_version"] = 1
    for product in data["products"]:
        for name in NEW_PRODUCT_FIELDS:
            del product[name]
    for name in NEW_TEAM_FIELDS:
        del data["sales_team"][name]
    for name in NEW_GOALS_FIELDS:
        del data["goals"][name]
    weights = file_data(path)["goals"]
    for goal in GOALS:
        del data["goals"][goal]["hard"]
        data["goals"][goal] = {"weight": weights[goal]["weight"], **data["goals"][goal]}
    return data


# -- every shipped scenario of the previous release ---------------------------------------------


def test_the_fixtures_hold_every_shipped_scenario_as_version_1():
    shipped = {p.name for p in (VERSION_1_DIR.parents[1].parent / "scenarios").glob("*.yaml")}
    assert {p.name for p in VERSION_1_FILES} == shipped
    assert all(file_data(p)["schema_version"] == 1 for p in VERSION_1_FILES)


@pytest.mark.parametrize("path", VERSION_1_FILES, ids=lambda p: p.name)
def test_a_version_1_file_keeps_every_value_it_states_under_version_2(path):
    scenario = load_scenario(path)
    assert scenario.schema_version == SCHEMA_VERSION == 2
    assert_holds(scenario.model_dump(mode="json"), without_weights(file_data(path)))


@pytest.mark.parametrize("path", VERSION_1_FILES, ids=lambda p: p.name)
def test_a_version_1_file_gets_the_defaults_of_every_field_version_2_added(path):
    scenario = load_scenario(path)
    data = scenario.model_dump(mode="json")
    spend = file_data(path)["marketing"].get("lead_generation", {})
    for product in data["products"]:
        # Today's lead generation is the spend the version-1 file states: its shares were
        # observed with that spend in place.
        expected = {
            **NEW_PRODUCT_FIELDS,
            "reference_lead_generation": spend.get(product["id"], 0.0),
        }
        assert {k: product[k] for k in NEW_PRODUCT_FIELDS} == expected
    assert {k: data["sales_team"][k] for k in NEW_TEAM_FIELDS} == NEW_TEAM_FIELDS
    assert {k: data["goals"][k] for k in NEW_GOALS_FIELDS} == NEW_GOALS_FIELDS
    for goal in GOALS:
        assert data["goals"][goal] == {"target": data["goals"][goal]["target"], "hard": False}
    team = scenario.sales_team
    assert (team.hours_floor, team.hours_ceiling) == (
        0.5 * team.hours_per_rep,
        1.25 * team.hours_per_rep,
    )
    assert scenario.reps_new_product_target == scenario.goals.new_product_share.target


@pytest.mark.parametrize("path", VERSION_1_FILES, ids=lambda p: p.name)
def test_a_migrated_file_is_written_as_version_2_and_reads_back_equal(path):
    scenario = load_scenario(path)
    text = dump_scenario(scenario)
    assert text.startswith("schema_version: 2\n")
    assert "weight:" not in text
    assert load_scenario(text) == scenario


@pytest.mark.parametrize("path", VERSION_1_FILES, ids=lambda p: p.name)
def test_a_complete_version_1_dump_as_plain_data_is_migrated_too(path):
    assert scenario_from_data(previous_release_dump(path)) == load_scenario(path)


# -- version 0 ------------------------------------------------------------------------------------

VERSION_0 = (
    LAUNCH_V1.replace("schema_version: 1", "schema_version: 0")
    .replace("  margin_rate: 0.08", "  gm_rate: 0.08")
    .split("negotiation:")[0]
)


def test_a_version_0_file_migrates_through_version_1_to_version_2():
    scenario = load_scenario(VERSION_0)
    version_1_without_negotiation = load_scenario(LAUNCH_V1.split("negotiation:")[0])
    assert scenario == version_1_without_negotiation
    assert scenario.schema_version == 2
    assert scenario.commission.margin_rate == 0.08
    assert scenario.sales_team.effort_response == 0.2


# -- what is refused ----------------------------------------------------------------------------


def test_a_file_claiming_version_3_is_refused_naming_the_versions_this_build_reads():
    with pytest.raises(ScenarioError) as refused:
        load_scenario(LAUNCH_V1.replace("schema_version: 1", "schema_version: 3"))
    (problem,) = refused.value.problems
    assert problem.startswith("schema_version: the file is version 3, written by a newer release")
    assert "reads versions 0 to 2" in problem


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        ("    target: 0.12\n", "    target: 0.12\n    hard: true\n",
         "goals.new_product_share.hard"),
        ("  near_band: 0.1\n", "  near_band: 0.1\n  strategic_value: {nova: 200}\n",
         "goals.strategic_value"),
        ("  habit: 0.3\n", "  habit: 0.3\n  effort_response: 0.5\n", "sales_team.effort_response"),
        ("  habit: 0.3\n", "  habit: 0.3\n  max_hours_per_rep: 1800\n",
         "sales_team.max_hours_per_rep"),
        ("    reference_hours: 6000\n", "    reference_hours: 6000\n    unassisted_share: 0.2\n",
         "products[2].unassisted_share"),
    ],
)  # fmt: skip
def test_a_version_1_file_with_a_version_2_field_is_refused_naming_the_field(old, new, path):
    assert LAUNCH_V1.count(old) == 1
    with pytest.raises(ScenarioError) as refused:
        load_scenario(LAUNCH_V1.replace(old, new))
    (problem,) = refused.value.problems
    field = path.rsplit(".", 1)[-1]
    assert problem.startswith(f"{path}: {field} is new in version 2 and this file is version 1")
    assert "set schema_version: 2" in problem


def test_a_version_0_file_with_a_version_2_field_says_which_version_it_is():
    with pytest.raises(ScenarioError) as refused:
        load_scenario(VERSION_0.replace("    target: 0.42\n", "    target: 0.42\n    hard: true\n"))
    assert refused.value.problems[0].startswith(
        "goals.gross_margin_pct.hard: hard is new in version 2 and this file is version 0"
    )


def test_a_version_2_file_with_goal_weights_is_told_to_delete_them_or_declare_version_1():
    version_2_with_weight = dump_scenario(load_scenario(LAUNCH_V1)).replace(
        "    target: 5500000.0\n", "    weight: 0.5\n    target: 5500000.0\n"
    )
    with pytest.raises(ScenarioError) as refused:
        load_scenario(version_2_with_weight)
    (problem,) = refused.value.problems
    assert problem.startswith("goals.contribution.weight: goals have no weight since version 2")
    assert "delete the line, or write schema_version: 1" in problem


def test_a_problem_in_a_version_1_file_is_named_where_it_is_written():
    with pytest.raises(ScenarioError) as refused:
        load_scenario(LAUNCH_V1.replace("    target: 0.42", "    target: 1.42"))
    assert refused.value.problems == [
        "goals: share and margin targets are fractions: must be below 1"
    ]


# -- saved work of the previous release ---------------------------------------------------------


def test_a_version_1_proposal_saved_by_the_previous_release_loads_from_the_store(tmp_path):
    store = LocalFolderStore(tmp_path / "data")
    key = "20260301-101500-a1b2c3"
    saved = {
        "revision": 3,
        "saved_at": "2026-03-01T10:15:00+00:00",
        "scenario": previous_release_dump(VERSION_1_DIR / "launch_remedy_blended_plan.yaml"),
    }
    folder = store.root / "proposals"
    folder.mkdir(parents=True)
    (folder / f"{key}.yaml").write_text(dump_data(saved), encoding="utf-8")

    stored = store.get("proposals", key)

    assert stored.revision == 3
    assert stored.scenario == load_scenario(VERSION_1_DIR / "launch_remedy_blended_plan.yaml")
    assert store.listing("proposals").unreadable == ()


def test_a_version_1_proposal_saved_again_is_written_as_version_2(tmp_path):
    store = LocalFolderStore(tmp_path / "data")
    key = "20260301-101500-a1b2c3"
    saved = {"revision": 1, "saved_at": "2026-03-01T10:15:00+00:00",
             "scenario": file_data(VERSION_1_DIR / "launch_conflict.yaml")}  # fmt: skip
    (store.root / "proposals").mkdir(parents=True)
    (store.root / "proposals" / f"{key}.yaml").write_text(dump_data(saved), encoding="utf-8")

    updated = store.update("proposals", key, store.get("proposals", key).scenario, 1)

    written = (store.root / "proposals" / f"{key}.yaml").read_text(encoding="utf-8")
    assert "schema_version: 2" in written and "weight:" not in written
    assert store.get("proposals", key).scenario == updated.scenario


def test_a_version_1_draft_autosaved_by_the_previous_release_loads(tmp_path):
    store = LocalFolderStore(tmp_path / "data")
    draft_id = new_draft_id()
    working = previous_release_dump(VERSION_1_DIR / "launch_remedy_blended_plan.yaml")
    baseline = previous_release_dump(VERSION_1_DIR / "launch_conflict.yaml")
    draft = {"saved_at": "2026-03-01T10:15:00+00:00", "scenario": working, "baseline": baseline}
    (store.root / "drafts").mkdir(parents=True)
    (store.root / "drafts" / f"{draft_id}.json").write_text(json.dumps(draft), encoding="utf-8")

    loaded = store.load_draft(draft_id)

    assert loaded == (
        load_scenario(VERSION_1_DIR / "launch_remedy_blended_plan.yaml"),
        load_scenario(VERSION_1_DIR / "launch_conflict.yaml"),
    )
    assert all(isinstance(s, Scenario) and s.schema_version == 2 for s in loaded)
