"""Rep-preferred price beside the contribution-maximising price (MODEL.md §8, §9.3)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from alignment import evaluate
from alignment.pricing import (
    PricePreference,
    price_curve_frame,
    price_curves,
    price_preference_table,
    price_preferences,
    price_search_range,
)

BRUTE_FORCE_POINTS = 41


def set_plan(data, revenue_rate, margin_rate):
    data["commission"].update(
        revenue_rate=revenue_rate, margin_rate=margin_rate, kickers={}, accelerator=1.0, cap=None
    )
    return data


def by_product(preferences: list[PricePreference]) -> dict[str, PricePreference]:
    return {p.product: p for p in preferences}


def brute_force_prices(data, build, product_index):
    """Evaluate one scenario per grid price, one at a time; argmax pay and contribution."""
    scenario = build(data)
    low, high = price_search_range(scenario, scenario.product_ids[product_index])
    grid = np.linspace(low, high, BRUTE_FORCE_POINTS)
    pay, contribution = [], []
    for price in grid:
        data["products"][product_index]["price"] = float(price)
        outcomes = evaluate(build(data))
        pay.append(float((outcomes.commission_per_unit * outcomes.units).sum()))
        contribution.append(float(outcomes.contribution[0]))
    return grid[np.argmax(pay)], grid[np.argmax(contribution)], grid[1] - grid[0]


@pytest.fixture
def lone_nova(launch_data, build):
    """Nova alone in its segment: one product, so the optimal prices have a textbook answer."""
    launch_data["products"] = [launch_data["products"][2]]
    launch_data["marketing"]["lead_generation"] = {"nova": 300000}
    launch_data["negotiation"] = {"prices": {"nova": {"min": 200, "max": 1500}}}
    return launch_data


def textbook_optimal_price(scenario, keep_of_price, keep_of_cost):
    """argmax over p of (keep_of_price·p − keep_of_cost·c)·M·s(p) for a lone logit product.

    All team hours go to the only product whatever the price, so its share is a binary logit
    in price alone; solved here from MODEL.md §1 without the package's code.
    """
    (p,) = scenario.products
    team = scenario.sales_team.reps * scenario.sales_team.hours_per_rep
    marketing = scenario.marketing
    reach = 1 - np.exp(-marketing.push_content / marketing.push_content_scale)
    effort = team * (1 + marketing.push_content_productivity * reach)
    beta = p.price_elasticity / (p.reference_price * (1 - p.reference_share))
    gamma = p.effort_elasticity / (1 - p.reference_share)
    delta = p.lead_gen_elasticity / (1 - p.reference_share)
    alpha = np.log(p.reference_share / (1 - p.reference_share)) + beta * p.reference_price
    leads = marketing.lead_generation.get(p.id, 0.0)
    base = (
        alpha
        + gamma * np.log(effort / p.reference_hours)
        + delta * np.log1p(leads / p.lead_gen_scale)
    )

    def minus_objective(price):
        share = 1 / (1 + np.exp(-(base - beta * price)))
        return -(keep_of_price * price - keep_of_cost * p.unit_cost) * share

    return minimize_scalar(minus_objective, bounds=(1.0, 5 * p.reference_price), method="bounded").x


def test_margin_plan_rep_price_is_the_contribution_maximising_price(launch_data, build):
    scenario = build(set_plan(launch_data, 0.0, 0.1))
    for preference in price_preferences(scenario):
        assert preference.rep_preferred_price == pytest.approx(
            preference.contribution_max_price, abs=preference.step
        )


def test_margin_plan_with_accelerator_and_cap_still_lets_reps_pick_the_profitable_price(launch):
    # The default plan pays on margin with an accelerator and a cap.
    for preference in price_preferences(launch):
        assert preference.rep_preferred_price == pytest.approx(
            preference.contribution_max_price, abs=preference.step
        )


def test_revenue_plan_reps_prefer_a_strictly_lower_price(launch_data, build):
    launch_data["negotiation"] = {}
    scenario = build(set_plan(launch_data, 0.03, 0.0))
    for preference in price_preferences(scenario):
        assert preference.rep_preferred_price < preference.contribution_max_price - preference.step
        assert preference.contribution_at_rep_price < preference.max_contribution


@pytest.mark.parametrize("product_index", [0, 1, 2])
@pytest.mark.parametrize(("revenue_rate", "margin_rate"), [(0.0, 0.1), (0.03, 0.0)])
def test_one_scenario_at_a_time_brute_force_finds_the_same_prices(
    launch_data, build, product_index, revenue_rate, margin_rate
):
    launch_data["negotiation"] = {}
    data = set_plan(launch_data, revenue_rate, margin_rate)
    preference = price_preferences(build(data))[product_index]
    rep_price, company_price, step = brute_force_prices(data, build, product_index)
    assert preference.rep_preferred_price == pytest.approx(rep_price, abs=step)
    assert preference.contribution_max_price == pytest.approx(company_price, abs=step)
    if revenue_rate > 0:
        assert rep_price < company_price
    else:
        assert rep_price == company_price


def test_lone_product_margin_plan_prices_match_the_textbook_optimum(lone_nova, build):
    scenario = build(set_plan(lone_nova, 0.0, 0.1))
    (preference,) = price_preferences(scenario)
    optimum = textbook_optimal_price(scenario, 1.0, 1.0)
    assert preference.rep_preferred_price == pytest.approx(optimum, abs=preference.step)
    assert preference.contribution_max_price == pytest.approx(optimum, abs=preference.step)


def test_lone_product_revenue_plan_prices_match_the_textbook_optima(lone_nova, build):
    rate = 0.04
    scenario = build(set_plan(lone_nova, rate, 0.0))
    (preference,) = price_preferences(scenario)
    reps_optimum = textbook_optimal_price(scenario, 1.0, 0.0)  # reps maximise r·p·u
    company_optimum = textbook_optimal_price(scenario, 1.0 - rate, 1.0)  # GM − r·revenue
    assert reps_optimum < company_optimum
    assert preference.rep_preferred_price == pytest.approx(reps_optimum, abs=preference.step)
    assert preference.contribution_max_price == pytest.approx(company_optimum, abs=preference.step)


def test_search_uses_negotiation_bounds_or_forty_percent_either_side(launch_data, build):
    launch_data["negotiation"]["prices"] = {"nova": {"min": 450, "max": 800}}
    scenario = build(launch_data)
    assert price_search_range(scenario, "nova") == (450, 800)
    assert price_search_range(scenario, "pro") == pytest.approx((720, 1680))


def test_search_never_goes_to_zero_or_negative_prices(launch_data, build):
    launch_data["negotiation"]["prices"] = {"nova": {"min": -50, "max": 800}}
    assert price_search_range(build(launch_data), "nova") == (6.0, 800)


def test_a_plan_that_pays_nothing_has_no_rep_preferred_price(launch_data, build):
    scenario = build(set_plan(launch_data, 0.0, 0.0))
    preferences = price_preferences(scenario)
    assert all(p.rep_preferred_price is None for p in preferences)
    assert all(p.contribution_at_rep_price is None for p in preferences)
    assert all(p.low <= p.contribution_max_price <= p.high for p in preferences)


def test_curves_have_one_point_per_grid_price_and_the_stated_step(launch):
    curves = price_curves(launch, grid_points=21)
    assert [c.product for c in curves] == launch.product_ids
    nova = curves[2]
    assert nova.price[0] == 450 and nova.price[-1] == 800
    assert nova.step == pytest.approx(350 / 20)
    assert np.all(np.diff(nova.share) < 0)  # dearer Nova, smaller Nova share
    frame = price_curve_frame(curves)
    assert list(frame.columns) == ["product", "price", "rep_pay", "contribution", "share"]
    assert len(frame) == 3 * 21
    assert np.isfinite(frame[["price", "rep_pay", "contribution", "share"]].to_numpy()).all()


def test_curves_at_the_current_price_match_the_scenarios_own_outcome(launch_data, build):
    launch_data["negotiation"]["prices"]["nova"] = {"min": 500, "max": 700}
    scenario = build(launch_data)
    nova = price_curves(scenario, grid_points=3)[2]  # 500, 600 (today), 700
    outcomes = evaluate(scenario)
    assert nova.contribution[1] == pytest.approx(outcomes.contribution[0], rel=1e-6)
    assert nova.share[1] == pytest.approx(outcomes.share[0, 2], rel=1e-6)


def test_preference_table_has_a_row_per_product(launch):
    table = price_preference_table(launch)
    assert list(table.index) == launch.product_ids
    assert {"current_price", "rep_preferred_price", "contribution_max_price", "step"} <= set(
        table.columns
    )


def test_too_few_grid_points_is_refused(launch):
    with pytest.raises(ValueError, match="grid_points"):
        price_curves(launch, grid_points=1)
