"""Every scenario in scenarios/ loads, evaluates, and tells the story its description states."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

from alignment import Outcomes, evaluate, load_scenario
from alignment.pricing import price_preferences

SCENARIO_DIR = Path(__file__).resolve().parents[1] / "scenarios"
SHIPPED = sorted(SCENARIO_DIR.glob("*.yaml"))
EXPERIMENT = {
    (price, pay): SCENARIO_DIR / f"experiment_price_{price}_pay_{pay}.yaml"
    for price in ("share", "margin")
    for pay in ("share", "margin")
}


def outcome(name: str) -> Outcomes:
    return evaluate(load_scenario(SCENARIO_DIR / name))


def hours_on(name: str, product: str) -> float:
    scenario = load_scenario(SCENARIO_DIR / name)
    return float(evaluate(scenario).hours[0, scenario.product_ids.index(product)])


def test_the_default_and_the_promised_scenarios_are_shipped():
    names = {path.name for path in SHIPPED}
    assert {"launch_conflict.yaml", "launch_remedy_blended_plan.yaml"} <= names
    assert {path.name for path in EXPERIMENT.values()} <= names


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_scenario_loads_evaluates_and_tells_its_story(path):
    scenario = load_scenario(path)
    outcomes = evaluate(scenario)
    for field in fields(Outcomes):
        assert np.isfinite(np.asarray(getattr(outcomes, field.name), dtype=float)).all()
    assert outcomes.converged.all()
    assert len(scenario.metadata.description) > 200
    assert scenario.metadata.name


def test_default_scenario_shows_the_articles_conflict():
    o = outcome("launch_conflict.yaml")
    nova = 2
    assert o.pay_hours[0, nova] < 0.05 * o.asked_hours[0, nova]
    assert o.hours[0, nova] < 0.1 * o.asked_hours[0, nova]
    assert o.goal_conflict[0] > 0.5
    assert o.coherence[0] < min(o.expectancy[0], o.instrumentality[0])
    assert o.motivation[0] < 30


def test_remedy_narrows_the_conflict_and_lifts_motivation_at_the_cost_it_states():
    before, after = outcome("launch_conflict.yaml"), outcome("launch_remedy_blended_plan.yaml")
    assert after.goal_conflict[0] < before.goal_conflict[0] / 5
    assert after.motivation[0] > 2 * before.motivation[0]
    assert after.new_product_share[0] >= 0.12 > before.new_product_share[0]
    assert after.contribution[0] < before.contribution[0]
    assert after.leadership_score[0] > before.leadership_score[0]
    # The figures quoted in the description.
    assert round(float(before.goal_conflict[0]), 2) == 0.64
    assert round(float(after.goal_conflict[0]), 2) == 0.03
    assert round(float(before.motivation[0])) == 24
    assert round(float(after.motivation[0])) == 71
    assert round(float(after.new_product_share[0]), 3) == 0.127
    assert round(float(before.contribution[0]) / 1e6, 2) == 5.83
    assert round(float(after.contribution[0]) / 1e6, 2) == 4.41
    assert round(float(after.commission_cost[0]), -3) == 885_000


@pytest.mark.parametrize("price_goal", ["share", "margin"])
def test_in_the_experiment_reps_new_product_hours_follow_the_pay_goal(price_goal):
    paid_for_share = hours_on(EXPERIMENT[price_goal, "share"].name, "nova")
    paid_for_margin = hours_on(EXPERIMENT[price_goal, "margin"].name, "nova")
    assert paid_for_share > 5 * paid_for_margin


@pytest.mark.parametrize("pay_goal", ["share", "margin"])
def test_in_the_experiment_the_pricing_goal_moves_new_product_hours_far_less_than_pay(pay_goal):
    low = hours_on(EXPERIMENT["share", pay_goal].name, "nova")
    high = hours_on(EXPERIMENT["margin", pay_goal].name, "nova")
    pay_effect = min(
        hours_on(EXPERIMENT[price, "share"].name, "nova")
        - hours_on(EXPERIMENT[price, "margin"].name, "nova")
        for price in ("share", "margin")
    )
    assert abs(low - high) < pay_effect


@pytest.mark.parametrize("price_goal", ["share", "margin"])
def test_in_the_experiment_conflict_is_low_only_when_pay_matches_the_pricing_goal(price_goal):
    other = "margin" if price_goal == "share" else "share"
    matched = outcome(EXPERIMENT[price_goal, price_goal].name)
    mismatched = outcome(EXPERIMENT[price_goal, other].name)
    assert matched.goal_conflict[0] < 0.05
    assert mismatched.goal_conflict[0] > 0.25
    assert matched.motivation[0] > mismatched.motivation[0]


def test_software_scenario_has_many_products_in_several_segments():
    scenario = load_scenario(SCENARIO_DIR / "saas_tiers_smb_enterprise.yaml")
    assert len(scenario.products) >= 5
    assert len({p.segment for p in scenario.products}) >= 2


def test_software_reps_paid_on_bookings_chase_enterprise_and_prefer_lower_prices():
    name = "saas_tiers_smb_enterprise.yaml"
    scenario = load_scenario(SCENARIO_DIR / name)
    o = evaluate(scenario)
    ids = scenario.product_ids
    assert o.time_share[0, ids.index("enterprise")] > 0.6
    copilot = ids.index("copilot")
    assert o.hours[0, copilot] < 0.05 * o.asked_hours[0, copilot]
    assert round(float(o.goal_conflict[0]), 2) == 0.58
    assert round(float(o.motivation[0])) == 30
    preferences = {p.product: p for p in price_preferences(scenario)}
    for product in ("team", "enterprise"):
        assert (
            preferences[product].rep_preferred_price < preferences[product].contribution_max_price
        )
