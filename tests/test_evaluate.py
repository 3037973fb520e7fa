"""The whole model in one call: outcomes of MODEL.md §7, monotone responses (§9.4), marketing."""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest
from numpy.testing import assert_allclose

from alignment import Outcomes, Plans, apply_plan, evaluate
from alignment.evaluate import PRODUCT_FIELDS, TOTAL_FIELDS
from alignment.marketing import content_reach, marketing_roi, selling_productivity


def sweep(scenario, lever, values, product=None):
    """Plans that differ from the scenario's own plan in one lever only."""
    base = Plans.from_scenario(scenario)
    k = len(values)
    arrays = {f.name: np.repeat(getattr(base, f.name), k, axis=0) for f in fields(Plans)}
    if product is None:
        arrays[lever] = np.asarray(values, dtype=float)
    else:
        arrays[lever][:, scenario.product_ids.index(product)] = values
    return Plans(**arrays)


def test_every_outcome_has_the_documented_shape(launch):
    plans = sweep(launch, "margin_rate", [0.05, 0.08, 0.1, 0.2])
    outcomes = evaluate(launch, plans)
    for name in PRODUCT_FIELDS:
        assert getattr(outcomes, name).shape == (4, 3), name
    for name in TOTAL_FIELDS:
        assert getattr(outcomes, name).shape == (4,), name
    assert set(PRODUCT_FIELDS) | set(TOTAL_FIELDS) == {f.name for f in fields(Outcomes)}


def test_totals_add_up(launch):
    o = evaluate(launch)
    team = launch.sales_team
    assert_allclose(o.total_revenue, o.revenue.sum(axis=1))
    assert_allclose(o.units, o.share * launch.segments[0].size)
    assert_allclose(o.gross_margin_pct, o.total_gross_margin / o.total_revenue)
    assert_allclose(o.commission_cost, o.commission.sum(axis=1))
    assert_allclose(o.sales_compensation, o.commission_cost + team.reps * team.base_salary)
    assert_allclose(o.contribution, o.total_gross_margin - o.sales_compensation - o.marketing_spend)
    assert_allclose(o.marketing_spend, 300_000 + 100_000)
    assert_allclose(o.expected_earnings, team.base_salary + o.commission_cost / team.reps)
    assert_allclose(o.time_share.sum(axis=1), 1.0)
    assert_allclose(o.new_product_share, o.share[:, 2])


def test_one_plan_evaluated_alone_or_in_a_batch_gives_the_same_outcome(launch):
    plans = sweep(launch, "kicker", [0.0, 40.0, 80.0, 120.0], product="nova")
    batch = evaluate(launch, plans)
    alone = evaluate(launch, plans.take(2))
    for name in ("share", "hours", "contribution", "motivation", "goal_conflict"):
        assert_allclose(getattr(alone, name)[0], getattr(batch, name)[2], rtol=1e-6)


def test_applying_the_scenarios_own_plan_changes_nothing(launch):
    assert apply_plan(launch, Plans.from_scenario(launch)) == launch


def test_applied_plan_evaluates_like_the_plan(launch):
    plans = sweep(launch, "price", [520.0], product="nova")
    changed = apply_plan(launch, plans)
    assert changed.product("nova").price == 520.0
    assert_allclose(evaluate(changed).contribution, evaluate(launch, plans).contribution)


@pytest.mark.parametrize("product", ["pro", "standard", "nova"])
def test_higher_price_means_lower_share_with_reps_responding(launch, product):
    reference = launch.product(product).reference_price
    prices = np.linspace(0.7, 1.3, 13) * reference
    outcomes = evaluate(launch, sweep(launch, "price", prices, product=product))
    i = launch.product_ids.index(product)
    assert np.all(np.diff(outcomes.share[:, i]) < 0)


def test_bigger_kicker_means_more_hours_and_more_share_for_the_new_product(launch):
    kickers = np.linspace(0, 150, 16)
    outcomes = evaluate(launch, sweep(launch, "kicker", kickers, product="nova"))
    nova = launch.product_ids.index("nova")
    assert np.all(np.diff(outcomes.hours[:, nova]) >= 0)
    assert np.all(np.diff(outcomes.share[:, nova]) >= 0)
    assert outcomes.hours[-1, nova] > 5 * outcomes.hours[0, nova]
    assert outcomes.share[-1, nova] > 2 * outcomes.share[0, nova]


@pytest.mark.parametrize("product", ["pro", "standard"])
def test_kicker_on_a_legacy_product_pulls_hours_to_it(launch, product):
    outcomes = evaluate(launch, sweep(launch, "kicker", [0.0, 20.0, 40.0], product=product))
    i = launch.product_ids.index(product)
    assert np.all(np.diff(outcomes.hours[:, i]) > 0)
    assert np.all(np.diff(outcomes.share[:, i]) > 0)


def test_more_content_budget_means_more_deals_influenced(launch):
    budgets = [0.0, 50_000, 100_000, 200_000, 400_000, 800_000]
    outcomes = evaluate(launch, sweep(launch, "push_content", budgets))
    assert outcomes.deals_influenced[0] == 0.0
    assert np.all(np.diff(outcomes.deals_influenced) > 0)
    assert np.all(np.diff(outcomes.content_reach) > 0)


def test_hours_add_up_to_the_team_hours_for_any_plan(launch):
    team_hours = launch.sales_team.reps * launch.sales_team.hours_per_rep
    outcomes = evaluate(launch, sweep(launch, "margin_rate", np.linspace(0, 1, 11)))
    assert_allclose(outcomes.hours.sum(axis=1), team_hours, rtol=1e-12)


def test_deals_sourced_are_the_units_lead_generation_adds(launch):
    spend = [0.0, 100_000, 300_000]
    outcomes = evaluate(launch, sweep(launch, "lead_gen", spend, product="nova"))
    assert outcomes.deals_sourced[0] == 0.0
    assert 0 < outcomes.deals_sourced[1] < outcomes.deals_sourced[2]


def test_content_reach_saturates_and_makes_hours_go_further():
    reach = content_reach(np.array([0.0, 1e5, 1e9]), 1e5)
    assert_allclose(reach, [0.0, 1 - np.exp(-1), 1.0])
    assert_allclose(selling_productivity(reach, 0.2), [1.0, 1 + 0.2 * (1 - np.exp(-1)), 1.2])


def test_marketing_roi_is_extra_margin_net_of_spend_over_spend():
    roi = marketing_roi(
        np.array([1500.0, 900.0]), np.array([1000.0, 1000.0]), np.array([250.0, 50])
    )
    assert_allclose(roi, [1.0, -3.0])


def test_marketing_roi_is_zero_when_nothing_is_spent(launch_data, build):
    assert marketing_roi(np.array([10.0]), np.array([5.0]), np.array([0.0]))[0] == 0.0
    launch_data["marketing"] = {"lead_generation": {}, "push_content": 0.0}
    outcomes = evaluate(build(launch_data))
    assert outcomes.marketing_spend[0] == 0.0
    assert outcomes.marketing_roi[0] == 0.0
    assert outcomes.deals_sourced[0] == 0.0
    assert outcomes.deals_influenced[0] == 0.0


def test_content_that_lifts_productivity_enough_pays_for_itself(launch_data, build):
    launch_data["marketing"] = {
        "push_content": 100_000.0, "push_content_scale": 100_000.0,
        "push_content_productivity": 1.0,
    }  # fmt: skip
    outcomes = evaluate(build(launch_data))
    assert outcomes.marketing_roi[0] > 0


def test_motivation_factors_come_from_the_team_payout(launch):
    o = evaluate(launch)
    team = launch.sales_team
    target_variable = team.on_target_earnings - team.base_salary
    assert_allclose(o.expectancy, np.minimum(o.share_at_quota / team.quota_attainment_target, 1.0))
    assert_allclose(
        o.instrumentality,
        np.minimum((o.expected_earnings - team.base_salary) / target_variable, 1.0),
    )
    assert_allclose(o.coherence, 1 - o.goal_conflict)


def test_a_quota_nobody_can_reach_sinks_motivation(launch_data, build):
    launch_data["commission"]["quota"]["per_rep"] = 2_000_000
    outcomes = evaluate(build(launch_data))
    assert outcomes.share_at_quota[0] < 0.01
    assert outcomes.motivation[0] < 1
