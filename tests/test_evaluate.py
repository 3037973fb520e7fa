"""The whole model in one call: outcomes of MODEL.md §7, hours that respond to motivation (§3)
and the monotone responses of §12.4–§12.5."""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest
from numpy.testing import assert_allclose

from alignment import Outcomes, Plans, apply_plan, evaluate
from alignment.evaluate import PRODUCT_FIELDS, TOTAL_FIELDS, calibrated


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


def scaled_pay(scenario, factors):
    """Plans whose every commission rate and kicker is the scenario's times each factor."""
    base = Plans.from_scenario(scenario)
    factors = np.asarray(factors, dtype=float)
    k = len(factors)
    arrays = {f.name: np.repeat(getattr(base, f.name), k, axis=0) for f in fields(Plans)}
    arrays["revenue_rate"] = base.revenue_rate * factors
    arrays["margin_rate"] = base.margin_rate * factors
    arrays["kicker"] = base.kicker * factors[:, None]
    return Plans(**arrays)


def todays_team_hours(scenario):
    return scenario.sales_team.reps * scenario.sales_team.hours_per_rep


@pytest.fixture
def hours_held(launch_data, build):
    """The default scenario with total selling hours that do not respond to motivation."""
    launch_data["sales_team"]["effort_response"] = 0.0
    return build(launch_data)


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
    strategic_value = np.array(
        [launch.goals.strategic_value.get(i, 0.0) for i in launch.product_ids]
    )
    marketing = launch.marketing
    assert_allclose(o.total_revenue, o.revenue.sum(axis=1))
    assert_allclose(o.units, o.share * launch.segments[0].size)
    assert_allclose(o.gross_margin_pct, o.total_gross_margin / o.total_revenue)
    assert_allclose(o.commission_cost, o.commission.sum(axis=1))
    assert_allclose(o.sales_compensation, o.commission_cost + team.reps * team.base_salary)
    assert_allclose(o.contribution, o.total_gross_margin - o.sales_compensation - o.marketing_spend)
    assert_allclose(o.leadership_value, o.contribution + o.units @ strategic_value)
    assert_allclose(
        o.marketing_spend, sum(marketing.lead_generation.values()) + marketing.push_content
    )
    assert_allclose(o.expected_earnings, team.base_salary + o.commission_cost / team.reps)
    assert_allclose(o.rep_utility, o.expected_earnings - o.effort_cost)
    assert_allclose(o.motivation, 100 * o.expectancy * o.instrumentality * o.valence)
    assert_allclose(o.team_hours, o.hours.sum(axis=1))
    assert_allclose(o.time_share.sum(axis=1), 1.0)
    assert_allclose(o.new_product_share, o.share[:, 2])


def test_one_plan_evaluated_alone_or_in_a_batch_gives_the_same_outcome(launch):
    plans = sweep(launch, "kicker", [0.0, 40.0, 80.0, 120.0], product="nova")
    batch = evaluate(launch, plans)
    names = ("share", "hours", "team_hours", "contribution", "leadership_value", "motivation",
             "goal_conflict", "expected_marginal_pay", "deals_influenced")  # fmt: skip
    for index in range(len(plans)):
        alone = evaluate(launch, plans.take(index))
        for name in names:
            assert_allclose(getattr(alone, name)[0], getattr(batch, name)[index], rtol=1e-6,
                            atol=1e-6, err_msg=name)  # fmt: skip


MARKETING_COUNTERFACTUALS = {
    "asked_hours", "deals_sourced", "deals_influenced", "marketing_roi", "lead_gen_roi",
    "content_roi",
}  # fmt: skip


def test_without_counterfactuals_every_other_figure_is_the_same(launch):
    # Batches that only rank plans skip the mixes asked and re-planned: nothing else may move.
    plans = Plans.from_scenario(launch).take(np.zeros(4, dtype=int))
    plans.price[1, 0] *= 1.2
    plans.kicker[2, -1] += 50.0
    plans.push_content[3] *= 2.0
    full = evaluate(launch, plans)
    ranked = evaluate(launch, plans, counterfactuals=False)
    for field in fields(Outcomes):
        got, expected = getattr(ranked, field.name), getattr(full, field.name)
        if field.name in MARKETING_COUNTERFACTUALS:
            assert np.isnan(got).all() and got.shape == expected.shape, field.name
        else:
            assert_allclose(got, expected, rtol=1e-12, err_msg=field.name)
    assert np.isfinite(full.asked_hours).all() and (full.deals_influenced > 0).all()


def test_applying_the_scenarios_own_plan_changes_nothing(launch):
    assert apply_plan(launch, Plans.from_scenario(launch)) == launch


def test_applied_plan_evaluates_like_the_plan_against_the_same_status_quo(launch):
    plans = sweep(launch, "price", [520.0], product="nova")
    changed = apply_plan(launch, plans)
    assert changed.product("nova").price == 520.0
    assert_allclose(
        evaluate(changed, status_quo=launch).contribution,
        evaluate(launch, plans).contribution,
        rtol=1e-9,
    )


def test_a_precomputed_demand_gives_the_same_outcome(launch):
    plans = sweep(launch, "margin_rate", [0.05, 0.12])
    assert_allclose(
        evaluate(launch, plans, calibrated(launch)).motivation,
        evaluate(launch, plans).motivation,
    )


def test_the_status_quo_reproduces_todays_shares_and_hours(launch_data, build):
    # Reps keep today's mix; marketing as today: today's shares, and today's team hours even
    # though hours respond to motivation (the status quo is its own reference).
    launch_data["sales_team"]["habit"] = 1.0
    launch_data["marketing"]["push_content"] = 0.0
    launch_data["marketing"]["lead_generation"] = {"nova": 300_000.0}
    launch_data["products"][2]["reference_lead_generation"] = 300_000.0
    scenario = build(launch_data)
    assert scenario.sales_team.effort_response > 0
    outcomes = evaluate(scenario)
    assert_allclose(outcomes.share[0], [p.reference_share for p in scenario.products], rtol=1e-9)
    assert_allclose(outcomes.team_hours, todays_team_hours(scenario), rtol=1e-9)


def test_without_effort_response_team_hours_stay_at_todays_for_any_plan(hours_held):
    plans = sweep(hours_held, "margin_rate", np.linspace(0, 0.5, 11))
    outcomes = evaluate(hours_held, plans)
    assert_allclose(outcomes.team_hours, todays_team_hours(hours_held), rtol=1e-12)
    assert_allclose(outcomes.hours.sum(axis=1), todays_team_hours(hours_held), rtol=1e-12)


def test_team_hours_respond_to_pay_within_the_teams_range(launch):
    team = launch.sales_team
    outcomes = evaluate(launch, sweep(launch, "margin_rate", np.linspace(0, 0.5, 11)))
    assert outcomes.team_hours.min() >= team.reps * team.hours_floor * (1 - 1e-12)
    assert outcomes.team_hours.max() <= team.reps * team.hours_ceiling * (1 + 1e-12)
    assert np.ptp(outcomes.team_hours) > 0.05 * todays_team_hours(launch)
    assert_allclose(outcomes.hours.sum(axis=1), outcomes.team_hours, rtol=1e-12)


@pytest.mark.parametrize("product", ["pro", "standard", "nova"])
def test_higher_price_means_lower_share_with_hours_held(hours_held, product):
    reference = hours_held.product(product).reference_price
    prices = np.linspace(0.7, 1.3, 13) * reference
    outcomes = evaluate(hours_held, sweep(hours_held, "price", prices, product=product))
    i = hours_held.product_ids.index(product)
    assert np.all(np.diff(outcomes.share[:, i]) < 0)


def test_bigger_kicker_means_no_fewer_hours_and_more_share_for_the_new_product(hours_held):
    kickers = np.linspace(0, 150, 16)
    outcomes = evaluate(hours_held, sweep(hours_held, "kicker", kickers, product="nova"))
    nova = hours_held.product_ids.index("nova")
    assert np.all(np.diff(outcomes.hours[:, nova]) >= 0)
    assert np.all(np.diff(outcomes.share[:, nova]) >= 0)
    assert outcomes.hours[-1, nova] > 5 * outcomes.hours[0, nova]
    assert outcomes.share[-1, nova] > 2 * outcomes.share[0, nova]


@pytest.mark.parametrize("product", ["pro", "standard"])
def test_kicker_on_a_legacy_product_pulls_hours_to_it(hours_held, product):
    plans = sweep(hours_held, "kicker", [0.0, 20.0, 40.0], product=product)
    outcomes = evaluate(hours_held, plans)
    i = hours_held.product_ids.index(product)
    assert np.all(np.diff(outcomes.hours[:, i]) > 0)
    assert np.all(np.diff(outcomes.share[:, i]) > 0)


def test_more_content_budget_means_more_deals_influenced(launch):
    budgets = [0.0, 50_000, 100_000, 200_000, 400_000, 800_000]
    outcomes = evaluate(launch, sweep(launch, "push_content", budgets))
    assert outcomes.deals_influenced[0] == pytest.approx(0.0, abs=1e-3)
    assert np.all(np.diff(outcomes.deals_influenced) > 0)
    assert np.all(np.diff(outcomes.content_reach) > 0)


def test_deals_sourced_are_the_units_lead_generation_adds(launch):
    spend = [0.0, 100_000, 300_000]
    outcomes = evaluate(launch, sweep(launch, "lead_gen", spend, product="nova"))
    assert outcomes.deals_sourced[0] == pytest.approx(0.0, abs=1e-3)
    assert 0 < outcomes.deals_sourced[1] < outcomes.deals_sourced[2]


def test_scaling_every_rate_up_never_lowers_earnings_motivation_or_hours(launch_data, build):
    launch_data["commission"]["cap"] = None
    launch_data["commission"]["kickers"] = {"nova": 20.0}
    scenario = build(launch_data)
    outcomes = evaluate(scenario, scaled_pay(scenario, np.linspace(0.5, 2.5, 9)))
    for name in ("expected_earnings", "motivation", "team_hours"):
        assert np.all(np.diff(getattr(outcomes, name)) >= -1e-9 * getattr(outcomes, name)[1:]), name
    assert outcomes.team_hours[-1] > outcomes.team_hours[0]


def test_changing_leaderships_value_of_strategic_units_never_changes_motivation(launch_data, build):
    found = []
    for value in (0.0, 300.0, 3000.0):
        launch_data["goals"]["strategic_value"] = {"nova": value} if value else {}
        found.append(evaluate(build(launch_data)))
    for outcomes in found[1:]:
        for name in ("motivation", "team_hours", "hours", "expected_earnings"):
            assert_allclose(getattr(outcomes, name), getattr(found[0], name), rtol=1e-12)
    assert (
        found[2].leadership_value[0] > found[1].leadership_value[0] > found[0].leadership_value[0]
    )


def test_a_pay_cut_with_the_mix_unchanged_never_raises_motivation(hours_held):
    outcomes = evaluate(hours_held, scaled_pay(hours_held, [1.0, 0.8, 0.5, 0.2]))
    assert_allclose(outcomes.time_share, np.repeat(outcomes.time_share[:1], 4, axis=0), atol=1e-6)
    assert np.all(np.diff(outcomes.motivation) <= 1e-9)
    assert outcomes.motivation[-1] < outcomes.motivation[0]


def test_a_base_salary_cut_never_raises_motivation(launch_data, build):
    before = evaluate(build(launch_data))
    launch_data["sales_team"]["base_salary"] = 40_000
    after = evaluate(build(launch_data))
    assert after.valence[0] < before.valence[0]
    assert after.motivation[0] <= before.motivation[0]


def test_a_binding_cap_lowers_instrumentality(launch_data, build):
    launch_data["commission"]["cap"] = None
    uncapped = evaluate(build(launch_data))
    launch_data["commission"]["cap"] = 15_000.0
    capped = evaluate(build(launch_data))
    assert capped.expected_earnings[0] < uncapped.expected_earnings[0]  # the cap binds
    assert capped.instrumentality[0] < uncapped.instrumentality[0]


def test_with_quota_and_pay_on_different_bases_the_accelerator_changes_the_mix(launch_data, build):
    launch_data["commission"].update(cap=None, kickers={}, accelerator=1.0)
    launch_data["commission"]["quota"]["basis"] = "revenue"
    launch_data["sales_team"].update(effort_response=0.0, habit=0.0)
    plain = evaluate(build(launch_data))
    launch_data["commission"]["accelerator"] = 2.0
    accelerated = evaluate(build(launch_data))
    moved = np.abs(accelerated.pay_hours - plain.pay_hours).sum() / 2
    assert moved > 0.01 * todays_team_hours(build(launch_data))


def test_with_quota_and_pay_on_the_same_basis_the_accelerator_leaves_the_mix(launch_data, build):
    launch_data["commission"].update(cap=None, kickers={}, accelerator=1.0)
    launch_data["commission"]["quota"]["basis"] = "gross_margin"
    launch_data["sales_team"].update(effort_response=0.0, habit=0.0)
    plain = evaluate(build(launch_data))
    launch_data["commission"]["accelerator"] = 2.0
    accelerated = evaluate(build(launch_data))
    assert_allclose(accelerated.pay_hours, plain.pay_hours, rtol=1e-5)
    assert accelerated.expected_earnings[0] > plain.expected_earnings[0]


def test_a_quota_nobody_can_reach_sinks_motivation(launch_data, build):
    launch_data["commission"]["quota"]["per_rep"] = 2_000_000
    outcomes = evaluate(build(launch_data))
    assert outcomes.share_at_quota[0] < 0.01
    assert outcomes.motivation[0] < 1


def test_every_outcome_is_finite_for_extreme_plans(launch):
    rng = np.random.default_rng(42)
    base = Plans.from_scenario(launch)
    k = 200
    plans = Plans(
        price=base.price * rng.uniform(0.2, 3.0, (k, 3)),
        kicker=rng.uniform(-50, 300, (k, 3)),
        lead_gen=rng.uniform(0, 2e6, (k, 3)),
        revenue_rate=rng.uniform(0, 0.2, k),
        margin_rate=rng.uniform(0, 0.5, k),
        push_content=rng.uniform(0, 2e6, k),
    )
    outcomes = evaluate(launch, plans)
    for f in fields(Outcomes):
        assert np.all(np.isfinite(getattr(outcomes, f.name))), f.name
