"""Calibrated logit demand with unassisted demand, anchored at today (MODEL.md §1, §12.1)."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from alignment import Plans, evaluate
from alignment.demand import (
    calibrate,
    price_elasticities,
    shares,
    unassisted_ratio,
)

BUMP = 1e-5


@pytest.fixture
def two_segments(launch_data, build):
    """The launch market plus a second segment holding two more products, each with its own
    unassisted demand and today's lead-generation spend."""
    launch_data["segments"].append({"id": "clinics", "name": "Clinics", "size": 8000})
    for pid, price, share, unassisted, leads in (
        ("lite", 300.0, 0.3, 0.2, 40_000.0), ("kit", 90.0, 0.1, 0.0, 0.0)
    ):  # fmt: skip
        launch_data["products"].append(
            {
                "id": pid, "name": pid.title(), "segment": "clinics", "unit_cost": price / 2,
                "reference_price": price, "price": price, "reference_share": share,
                "price_elasticity": 1.5, "effort_elasticity": 0.2, "reference_hours": 5000,
                "unassisted_share": unassisted, "lead_gen_elasticity": 0.1,
                "lead_gen_scale": 50000, "reference_lead_generation": leads,
            }
        )  # fmt: skip
    return build(launch_data)


def today(scenario):
    """Today's prices, hours and lead-generation spend, each shaped (1, products)."""
    price = np.array([[p.reference_price for p in scenario.products]])
    hours = np.array([[p.reference_hours for p in scenario.products]])
    leads = np.array([[p.reference_lead_generation for p in scenario.products]])
    return price, hours, leads


def numeric_elasticity(share_at, n):
    """d ln s_i / d ln x_i for each product i, moving x_i alone up and down by BUMP."""
    up = share_at(1 + BUMP * np.eye(n))
    down = share_at(1 - BUMP * np.eye(n))
    return np.diag(np.log(up) - np.log(down)) / (np.log1p(BUMP) - np.log1p(-BUMP))


def test_todays_prices_hours_and_marketing_reproduce_todays_shares_exactly(two_segments):
    assert any(p.reference_lead_generation > 0 for p in two_segments.products)
    demand = calibrate(two_segments)
    price, hours, leads = today(two_segments)
    reference = [p.reference_share for p in two_segments.products]
    assert_allclose(shares(demand, price, hours, leads)[0], reference, rtol=1e-12)


def test_evaluate_reproduces_todays_shares_when_reps_keep_todays_mix(launch_data, build):
    launch_data["sales_team"]["habit"] = 1.0
    launch_data["marketing"]["push_content"] = 0.0
    launch_data["marketing"]["lead_generation"] = {"nova": 300_000.0}
    launch_data["products"][2]["reference_lead_generation"] = 300_000.0
    scenario = build(launch_data)
    outcomes = evaluate(scenario)
    assert_allclose(outcomes.share[0], [p.reference_share for p in scenario.products], rtol=1e-9)


def test_numeric_own_price_elasticity_at_today_is_eta(two_segments):
    demand = calibrate(two_segments)
    price, hours, leads = today(two_segments)
    elasticity = -numeric_elasticity(
        lambda factor: shares(demand, price * factor, hours, leads), price.shape[1]
    )
    assert_allclose(elasticity, [p.price_elasticity for p in two_segments.products], rtol=0.01)


def test_numeric_hours_elasticity_at_today_is_epsilon_with_unassisted_demand(two_segments):
    assert any(p.unassisted_share > 0 for p in two_segments.products)
    demand = calibrate(two_segments)
    price, hours, leads = today(two_segments)
    elasticity = numeric_elasticity(
        lambda factor: shares(demand, price, hours * factor, leads), price.shape[1]
    )
    assert_allclose(elasticity, [p.effort_elasticity for p in two_segments.products], rtol=0.01)


def test_numeric_lead_generation_elasticity_at_today_is_as_stated(two_segments):
    # Elasticity of share to (1 + m / m̄), at today's spend.
    demand = calibrate(two_segments)
    price, hours, leads = today(two_segments)
    scale = demand.lead_gen_scale

    def share_at(factor):
        return shares(demand, price, hours, ((1 + leads / scale) * factor - 1) * scale)

    elasticity = numeric_elasticity(share_at, price.shape[1])
    stated = [p.lead_gen_elasticity for p in two_segments.products]
    assert_allclose(elasticity, stated, rtol=0.01)


@pytest.mark.parametrize("product", ["pro", "nova", "lite"])
def test_with_no_selling_hours_a_product_keeps_its_unassisted_share_of_todays_units(
    two_segments, product
):
    demand = calibrate(two_segments)
    price, hours, leads = today(two_segments)
    i = two_segments.product_ids.index(product)
    none_on_it = hours.copy()
    none_on_it[0, i] = 0.0
    kept = shares(demand, price, none_on_it, leads)[0, i] / two_segments.products[i].reference_share
    assert kept == pytest.approx(two_segments.products[i].unassisted_share, rel=0.01)


def test_without_unassisted_demand_hours_enter_as_in_the_plain_logit(two_segments):
    kit = two_segments.product_ids.index("kit")
    product = two_segments.products[kit]
    assert product.unassisted_share == 0.0
    demand = calibrate(two_segments)
    assert demand.unassisted_hours[kit] == 0.0
    assert demand.gamma[kit] == pytest.approx(
        product.effort_elasticity / (1 - product.reference_share), rel=1e-12
    )
    price, hours, leads = today(two_segments)
    half = hours.copy()
    half[0, kit] *= 0.5
    base = shares(demand, price, hours, leads)[0]
    halved = shares(demand, price, half, leads)[0]
    # Kit's odds against the outside option move by exactly 2^−γ: the plain logit's ln(e / ē).
    clinics = [two_segments.product_ids.index(p) for p in ("lite", "kit")]
    outside_base = 1 - base[clinics].sum()
    outside_half = 1 - halved[clinics].sum()
    ratio = (halved[kit] / outside_half) / (base[kit] / outside_base)
    assert ratio == pytest.approx(0.5 ** demand.gamma[kit], rel=1e-12)
    none_on_it = hours.copy()
    none_on_it[0, kit] = 0.0
    assert shares(demand, price, none_on_it, leads)[0, kit] < 0.02 * product.reference_share


def test_more_unassisted_demand_needs_more_unassisted_hours():
    ratios = [unassisted_ratio(u0, 0.2, 0.3) for u0 in (0.0, 0.05, 0.1, 0.3, 0.6)]
    assert ratios[0] == 0.0
    assert np.all(np.diff(ratios) > 0)


def test_unassisted_demand_too_large_for_the_hours_elasticity_is_held_at_the_largest_ratio():
    # With ε = 0.3, losing every hour costs at most a utility fall of ~0.3 / (1 − s̄), so
    # 99 % of units cannot be lost to a hours term that small: hours act almost linearly.
    # Held where share stays concave in hours: (1 − s̄)/ε − 1.
    assert unassisted_ratio(0.99, 0.2, 0.3) == pytest.approx(0.8 / 0.3 - 1.0)


def test_cross_elasticities_show_cannibalisation_inside_a_segment_only(two_segments):
    demand = calibrate(two_segments)
    price, hours, leads = today(two_segments)
    share = shares(demand, price, hours, leads)[0]
    matrix = price_elasticities(demand, price[0], share)
    segment = [p.segment for p in two_segments.products]
    n = len(segment)
    bump = 1e-6
    for k in range(n):
        up = price.copy()
        up[0, k] *= 1 + bump
        numeric = (np.log(shares(demand, up, hours, leads)[0]) - np.log(share)) / np.log1p(bump)
        assert_allclose(matrix[:, k], numeric, rtol=1e-3, atol=1e-9)
        for i in range(n):
            if i != k and segment[i] == segment[k]:
                assert matrix[i, k] > 0
            elif segment[i] != segment[k]:
                assert matrix[i, k] == 0


def test_cheaper_new_product_draws_share_from_legacy_products_and_competitors(launch):
    demand = calibrate(launch)
    base = Plans.from_scenario(launch)
    _, hours, _ = today(launch)
    cheaper = base.price.copy()
    nova = launch.product_ids.index("nova")
    cheaper[0, nova] *= 0.8
    before = shares(demand, base.price, hours, base.lead_gen)[0]
    after = shares(demand, cheaper, hours, base.lead_gen)[0]
    assert after[nova] > before[nova]
    assert np.all(np.delete(after < before, nova))
    assert after.sum() > before.sum()  # some of Nova's gain comes from competitors


@pytest.mark.parametrize("product", ["pro", "standard", "nova"])
def test_higher_price_means_lower_own_share(launch, product):
    demand = calibrate(launch)
    base = Plans.from_scenario(launch)
    i = launch.product_ids.index(product)
    grid = np.linspace(0.5, 2.0, 31) * launch.product(product).reference_price
    price = np.repeat(base.price, len(grid), axis=0)
    price[:, i] = grid
    _, hours, _ = today(launch)
    own = shares(demand, price, hours, base.lead_gen)[:, i]
    assert np.all(np.diff(own) < 0)


def test_lead_generation_raises_share_with_diminishing_returns(launch):
    demand = calibrate(launch)
    nova = launch.product_ids.index("nova")
    spend = np.zeros((5, 3))
    spend[:, nova] = [0, 1e5, 2e5, 3e5, 4e5]
    price, hours, _ = today(launch)
    gains = np.diff(shares(demand, price, hours, spend)[:, nova])
    assert np.all(gains > 0)
    assert np.all(np.diff(gains) < 0)


def test_lead_generation_below_todays_spend_lowers_share_below_todays(launch):
    demand = calibrate(launch)
    price, hours, leads = today(launch)
    nova = launch.product_ids.index("nova")
    assert leads[0, nova] > 0
    assert shares(demand, price, hours, np.zeros_like(leads))[0, nova] < (
        launch.product("nova").reference_share
    )


def test_no_hours_on_a_product_leaves_shares_finite_and_its_unassisted_demand(launch):
    demand = calibrate(launch)
    price, _, leads = today(launch)
    hours = np.array([[60000.0, 0.0, 0.0]])
    share = shares(demand, price, hours, leads)
    assert np.all(np.isfinite(share))
    assert np.all(share[0, 1:] > 0)
