"""The scenario's uncertainty section: default spreads, explicit ranges, and their checks."""

from __future__ import annotations

import numpy as np
import pytest

from alignment import ScenarioError
from alignment.draws import evaluate_draws, with_values
from alignment.evaluate import Plans, evaluate
from alignment.scenario_io import scenario_from_data
from alignment.uncertainty_inputs import DEFAULT_SPREAD, uncertain_parameters


def by_name(scenario):
    return {p.name: p for p in uncertain_parameters(scenario)}


def test_default_spreads_are_a_share_of_the_value_and_points_for_habit(launch):
    found = by_name(launch)
    nova = launch.product("nova")
    price = found["price_elasticity.nova"]
    spread = DEFAULT_SPREAD["price_elasticity"]
    assert price.central == nova.price_elasticity
    assert price.low == pytest.approx(nova.price_elasticity * (1 - spread))
    assert price.high == pytest.approx(nova.price_elasticity * (1 + spread))
    habit = found["habit"]
    assert habit.high - habit.central == pytest.approx(DEFAULT_SPREAD["habit"])


def test_a_lead_generation_elasticity_counts_only_where_it_is_stated(launch_data, build):
    launch_data["products"][0]["lead_gen_elasticity"] = 0.0
    names = by_name(build(launch_data))
    first = launch_data["products"][0]["id"]
    assert f"lead_gen_elasticity.{first}" not in names
    assert f"price_elasticity.{first}" in names


def test_ranges_never_leave_what_the_model_accepts(launch_data, build):
    launch_data["uncertainty"] = {"spread": {"effort_elasticity": 0.95, "habit": 1.0}}
    scenario = build(launch_data)
    for parameter in uncertain_parameters(scenario):
        if parameter.kind == "effort_elasticity":
            share = scenario.product(parameter.product).reference_share
            assert 0 < parameter.low <= parameter.central <= parameter.high <= 1 - share
    habit = by_name(scenario)["habit"]
    assert (habit.low, habit.high) == (0.0, 1.0)


def test_an_explicit_range_replaces_the_spread_and_keeps_its_source(launch_data, build):
    launch_data["uncertainty"] = {
        "ranges": {
            "price_elasticity.nova": {
                "low": 2.0, "high": 4.5, "distribution": "normal", "source": "deals.csv",
            }
        }
    }  # fmt: skip
    nova = by_name(build(launch_data))["price_elasticity.nova"]
    assert (nova.low, nova.high, nova.distribution, nova.source) == (
        2.0,
        4.5,
        "normal",
        "deals.csv",
    )


@pytest.mark.parametrize(
    ("ranges", "message"),
    [
        ({"price_elasticity.nope": {"low": 1, "high": 2}}, "unknown parameter"),
        ({"price_elasticity.nova": {"low": 0.5, "high": 1.0}}, "must contain the stated value 3"),
        ({"habit": {"low": 0.5, "high": 0.1}}, "must not exceed high"),
    ],
)
def test_a_wrong_range_is_refused_naming_it_and_the_fix(launch_data, ranges, message):
    launch_data["uncertainty"] = {"ranges": ranges}
    with pytest.raises(ScenarioError) as refused:
        scenario_from_data(launch_data)
    assert any("uncertainty.ranges" in p and message in p for p in refused.value.problems), (
        refused.value.problems
    )


def test_an_unknown_spread_kind_is_refused(launch_data):
    launch_data["uncertainty"] = {"spread": {"elasticity": 0.3}}
    with pytest.raises(ScenarioError, match="use one of"):
        scenario_from_data(launch_data)


def test_a_draw_at_the_central_values_is_the_scenario_itself(launch):
    parameters = uncertain_parameters(launch)
    central = np.array([p.central for p in parameters])
    assert with_values(launch, parameters, central) == launch
    drawn = evaluate_draws(launch, Plans.from_scenario(launch), parameters, central[None, :])
    assert drawn.contribution[0] == pytest.approx(evaluate(launch).contribution[0], rel=1e-9)


def test_a_draw_changes_the_parameters_it_names(launch):
    parameters = uncertain_parameters(launch)
    values = np.array([p.high for p in parameters])
    drawn = with_values(launch, parameters, values)
    assert drawn.product("nova").price_elasticity == by_name(launch)["price_elasticity.nova"].high
    assert drawn.sales_team.habit == by_name(launch)["habit"].high
