"""The price reps would choose beside leadership's best price (MODEL.md §8, §12.3)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from alignment import evaluate
from alignment.levers import with_value
from alignment.pricing import (
    PricePreference,
    out_of_reach_spans,
    preference_search_range,
    price_curve_frame,
    price_curves,
    price_preference_table,
    price_preferences,
    price_search_range,
)


def set_plan(data, revenue_rate, margin_rate, basis="gross_margin"):
    """A plain plan: one rate on revenue, one on margin, no kicker, accelerator or cap; hours
    that do not respond to motivation; no strategic value."""
    data["commission"].update(
        revenue_rate=revenue_rate, margin_rate=margin_rate, kickers={}, accelerator=1.0, cap=None
    )
    data["commission"]["quota"]["basis"] = basis
    data["sales_team"]["effort_response"] = 0.0
    data["goals"]["strategic_value"] = {}
    return data


def by_product(preferences: list[PricePreference]) -> dict[str, PricePreference]:
    return {p.product: p for p in preferences}


@pytest.fixture
def lone_nova(launch_data):
    """Nova alone in its segment: one product, so the optimal prices have a textbook answer."""
    nova = launch_data["products"][2]
    nova["unassisted_share"] = 0.0
    launch_data["products"] = [nova]
    launch_data["negotiation"] = {"prices": {"nova": {"min": 200, "max": 1500}}}
    return launch_data


def textbook_optimal_price(scenario, keep_of_price, keep_of_cost):
    """argmax over p of (keep_of_price·p − keep_of_cost·c)·M·s(p) for a lone logit product.

    All team hours go to the only product whatever the price, so its share is a binary logit
    in price alone; solved here from MODEL.md §1 (no unassisted demand, lead generation at
    today's level) without the package's code.
    """
    (p,) = scenario.products
    team = scenario.sales_team.reps * scenario.sales_team.hours_per_rep
    marketing = scenario.marketing
    reach = 1 - np.exp(-marketing.push_content / marketing.push_content_scale)
    effort = team * (1 + marketing.push_content_productivity * reach)
    beta = p.price_elasticity / (p.reference_price * (1 - p.reference_share))
    gamma = p.effort_elasticity / (1 - p.reference_share)
    alpha = np.log(p.reference_share / (1 - p.reference_share)) + beta * p.reference_price
    base = alpha + gamma * np.log(effort / p.reference_hours)

    def minus_objective(price):
        share = 1 / (1 + np.exp(-(base - beta * price)))
        return -(keep_of_price * price - keep_of_cost * p.unit_cost) * share

    bounds = (0.05 * p.reference_price, 5 * p.reference_price)
    return minimize_scalar(minus_objective, bounds=bounds, method="bounded").x


def test_margin_plan_with_margin_quota_rep_price_is_leaderships_best_price(launch_data, build):
    scenario = build(set_plan(launch_data, 0.0, 0.1))
    for preference in price_preferences(scenario):
        assert preference.rep_preferred_price == pytest.approx(
            preference.best_price, abs=preference.step
        )
        assert preference.rep_price_at_edge is None and preference.best_price_at_edge is None


def test_margin_plan_with_accelerator_and_cap_still_lets_reps_pick_the_best_price(
    launch_data, build
):
    # The default plan pays on margin against a margin quota, with an accelerator and a cap,
    # and its hours respond to motivation; with no strategic value both want most margin.
    launch_data["goals"]["strategic_value"] = {}
    for preference in price_preferences(build(launch_data)):
        assert preference.rep_preferred_price == pytest.approx(
            preference.best_price, abs=preference.step
        )


def test_lone_product_margin_plan_prices_match_the_textbook_optimum(lone_nova, build):
    scenario = build(set_plan(lone_nova, 0.0, 0.1))
    (preference,) = price_preferences(scenario)
    optimum = textbook_optimal_price(scenario, 1.0, 1.0)
    assert preference.rep_preferred_price == pytest.approx(optimum, abs=preference.step)
    assert preference.best_price == pytest.approx(optimum, abs=preference.step)


@pytest.mark.parametrize("basis", ["revenue", "gross_margin"])
def test_revenue_plan_reps_prefer_a_strictly_lower_price_for_a_product_alone(
    lone_nova, build, basis
):
    rate = 0.04
    scenario = build(set_plan(lone_nova, rate, 0.0, basis))
    (preference,) = price_preferences(scenario)
    reps_optimum = textbook_optimal_price(scenario, 1.0, 0.0)  # reps maximise r·p·u
    company_optimum = textbook_optimal_price(scenario, 1.0 - rate, 1.0)  # GM − r·revenue
    assert preference.rep_preferred_price < preference.best_price - preference.step
    assert preference.rep_preferred_price == pytest.approx(reps_optimum, abs=preference.step)
    assert preference.best_price == pytest.approx(company_optimum, abs=preference.step)
    assert preference.value_at_rep_price < preference.best_value


def test_revenue_plan_reps_prefer_lower_prices_in_a_shared_segment_too(launch_data, build):
    scenario = build(set_plan(launch_data, 0.03, 0.0, "revenue"))
    for preference in price_preferences(scenario):
        assert preference.rep_preferred_price < preference.best_price - preference.step


@pytest.mark.parametrize("product", ["pro", "nova"])
def test_preferred_prices_beat_prices_a_step_either_side_evaluated_one_at_a_time(
    launch_data, build, product
):
    scenario = build(set_plan(launch_data, 0.03, 0.0))
    preference = by_product(price_preferences(scenario))[product]

    def at(price):
        outcomes = evaluate(with_value(scenario, f"products.{product}.price", float(price)),
                            status_quo=scenario)  # fmt: skip
        return float(outcomes.commission_cost[0]), float(outcomes.leadership_value[0])

    rep, best = preference.rep_preferred_price, preference.best_price
    step = preference.step
    assert at(rep)[0] >= max(at(rep - step)[0], at(rep + step)[0])
    assert at(best)[1] >= max(at(best - step)[1], at(best + step)[1])
    assert at(rep)[0] == pytest.approx(preference.rep_pay_at_rep_price, rel=1e-9)


def test_reps_paid_per_unit_want_the_lowest_price_searched_even_below_cost(launch_data, build):
    launch_data = set_plan(launch_data, 0.0, 0.0)
    launch_data["commission"]["kickers"] = {"nova": 50.0}
    nova = by_product(price_preferences(build(launch_data)))["nova"]
    assert nova.rep_preferred_price == pytest.approx(nova.low)
    assert nova.rep_price_at_edge == "low"  # "at most" this price
    assert nova.rep_price_below_cost
    assert not nova.best_price_below_cost and nova.best_price_at_edge is None


def test_price_that_keeps_rising_in_value_is_flagged_at_the_high_edge(launch_data, build):
    launch_data["products"][0]["price_elasticity"] = 0.3  # buyers barely notice Pro's price
    pro = by_product(price_preferences(build(set_plan(launch_data, 0.0, 0.1))))["pro"]
    assert pro.best_price == pytest.approx(pro.high)
    assert pro.best_price_at_edge == "high"  # "at least" this price
    assert pro.rep_price_at_edge == "high"


def test_a_large_strategic_value_puts_leaderships_best_price_below_cost(launch_data, build):
    launch_data["goals"]["strategic_value"] = {"nova": 1500.0}
    nova = by_product(price_preferences(build(launch_data)))["nova"]
    assert nova.best_price < nova.unit_cost
    assert nova.best_price_below_cost
    assert nova.contribution_max_price > nova.unit_cost
    assert nova.best_price < nova.contribution_max_price
    assert nova.best_value > nova.max_contribution


def test_a_plan_that_pays_nothing_has_no_rep_preferred_price(launch_data, build):
    scenario = build(set_plan(launch_data, 0.0, 0.0))
    for preference in price_preferences(scenario):
        assert preference.rep_preferred_price is None
        assert preference.rep_price_at_edge is None
        assert not preference.rep_price_below_cost
        assert preference.contribution_at_rep_price is None
        assert preference.low <= preference.best_price <= preference.high


def test_preferences_are_searched_far_beyond_the_negotiation_bounds(launch):
    assert preference_search_range(launch, "nova") == pytest.approx((120, 1800))
    low, high = price_search_range(launch, "nova")
    assert (low, high) == (450, 800)
    nova = by_product(price_preferences(launch))["nova"]
    assert (nova.low, nova.high) == pytest.approx((120, 1800))
    assert nova.step < 0.005 * launch.product("nova").reference_price


def test_wide_search_takes_in_negotiation_bounds_and_todays_price(launch_data, build):
    launch_data["negotiation"]["prices"]["nova"] = {"min": 100, "max": 2500}
    launch_data["products"][0]["price"] = 200
    scenario = build(launch_data)
    assert preference_search_range(scenario, "nova") == (100, 2500)
    assert preference_search_range(scenario, "pro")[0] == 200


def test_display_range_is_the_negotiation_bounds_or_forty_percent_either_side(launch_data, build):
    launch_data["negotiation"]["prices"] = {"nova": {"min": 450, "max": 800}}
    scenario = build(launch_data)
    assert price_search_range(scenario, "nova") == (450, 800)
    assert price_search_range(scenario, "pro") == pytest.approx((720, 1680))


def test_display_range_never_goes_to_zero_or_negative_prices(launch_data, build):
    launch_data["negotiation"]["prices"] = {"nova": {"min": -50, "max": 800}}
    assert price_search_range(build(launch_data), "nova") == (6.0, 800)


def test_curves_have_one_point_per_grid_price_and_the_stated_step(launch_data, build):
    launch_data["goals"]["strategic_value"] = {"nova": 300.0}
    scenario = build(launch_data)
    curves = price_curves(scenario, grid_points=21)
    assert [c.product for c in curves] == scenario.product_ids
    nova = curves[2]
    assert nova.price[0] == 450 and nova.price[-1] == 800
    assert nova.step == pytest.approx(350 / 20)
    assert np.all(np.diff(nova.share) < 0)  # dearer Nova, smaller Nova share
    nova_units = nova.share * scenario.segments[0].size
    np.testing.assert_allclose(nova.leadership_value, nova.contribution + 300.0 * nova_units)
    frame = price_curve_frame(curves)
    columns = ["product", "price", "rep_pay", "contribution", "leadership_value", "share"]
    assert list(frame.columns) == [*columns, "out_of_reach"]
    assert len(frame) == 3 * 21
    assert np.isfinite(frame[columns[1:]].to_numpy()).all()
    assert frame["out_of_reach"].dtype == bool


def test_curves_at_the_current_price_match_the_scenarios_own_outcome(launch_data, build):
    launch_data["negotiation"]["prices"]["nova"] = {"min": 500, "max": 700}
    scenario = build(launch_data)
    nova = price_curves(scenario, grid_points=3)[2]  # 500, 600 (today), 700
    outcomes = evaluate(scenario)
    assert nova.contribution[1] == pytest.approx(outcomes.contribution[0], rel=1e-6)
    assert nova.rep_pay[1] == pytest.approx(outcomes.commission_cost[0], rel=1e-6)
    assert nova.share[1] == pytest.approx(outcomes.share[0, 2], rel=1e-6)


def test_curves_measure_hours_against_the_status_quo_given(launch):
    working = with_value(launch, "commission.kickers.nova", 60.0)
    curve = price_curves(working, grid_points=3, status_quo=launch)[2]  # 450, 625, 800
    outcomes = evaluate(with_value(working, "products.nova.price", 625.0), status_quo=launch)
    assert curve.contribution[1] == pytest.approx(outcomes.contribution[0], rel=1e-6)


def test_curves_flag_the_prices_where_the_reps_target_is_out_of_reach(launch):
    # Nova's display range is 450-800; today (600) the reps' 12 % target is within reach.
    nova = price_curves(launch, grid_points=36)[2]  # every 10
    first = float(nova.price[nova.out_of_reach][0])
    outcomes = evaluate(with_value(launch, "products.nova.price", first), status_quo=launch)

    assert not nova.out_of_reach[nova.price <= 600].any()
    assert nova.out_of_reach[-1]  # at 800 no hours reach it
    assert outcomes.goal_conflict[0] == 1.0 and outcomes.motivation[0] == 0.0
    assert out_of_reach_spans(nova.price, nova.out_of_reach) == [(first, 800.0)]
    assert "out_of_reach" in price_curve_frame([nova])


@pytest.mark.parametrize(
    ("flags", "spans"),
    [
        ([0, 0, 0, 0], []),
        ([1, 1, 1, 1], [(1.0, 4.0)]),
        ([1, 0, 0, 1], [(1.0, 1.0), (4.0, 4.0)]),
        ([0, 1, 1, 0], [(2.0, 3.0)]),
    ],
)
def test_out_of_reach_spans_are_the_runs_of_flagged_prices(flags, spans):
    assert out_of_reach_spans(np.array([1.0, 2.0, 3.0, 4.0]), np.array(flags, bool)) == spans


def test_preference_table_has_a_row_per_product(launch):
    table = price_preference_table(launch)
    assert list(table.index) == launch.product_ids
    assert {
        "current_price", "rep_preferred_price", "best_price", "rep_price_at_edge",
        "best_price_at_edge", "rep_price_below_cost", "best_price_below_cost", "step",
    } <= set(table.columns)  # fmt: skip


def test_too_few_grid_points_is_refused(launch):
    with pytest.raises(ValueError, match="grid_points"):
        price_curves(launch, grid_points=1)
