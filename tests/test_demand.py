"""Calibrated logit demand (MODEL.md §1 and §9.1)."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from alignment import Plans, evaluate
from alignment.demand import calibrate, price_elasticities, shares


@pytest.fixture
def two_segments(launch_data, build):
    """The launch market plus a second segment holding two more products."""
    launch_data["segments"].append({"id": "clinics", "name": "Clinics", "size": 8000})
    for pid, price, share in (("lite", 300.0, 0.3), ("kit", 90.0, 0.1)):
        launch_data["products"].append(
            {
                "id": pid, "name": pid.title(), "segment": "clinics", "unit_cost": price / 2,
                "reference_price": price, "price": price, "reference_share": share,
                "price_elasticity": 1.5, "effort_elasticity": 0.2, "reference_hours": 5000,
                "lead_gen_elasticity": 0.1, "lead_gen_scale": 50000,
            }
        )  # fmt: skip
    return build(launch_data)


def reference_inputs(scenario):
    price = np.array([[p.reference_price for p in scenario.products]])
    hours = np.array([[p.reference_hours for p in scenario.products]])
    return price, hours, np.zeros_like(price)


def test_reference_point_reproduces_reference_shares_exactly(two_segments):
    demand = calibrate(two_segments)
    price, hours, no_leads = reference_inputs(two_segments)
    reference = [p.reference_share for p in two_segments.products]
    assert_allclose(shares(demand, price, hours, no_leads)[0], reference, rtol=1e-12)


def test_evaluate_reproduces_reference_shares_when_reps_keep_todays_mix(launch_data, build):
    launch_data["sales_team"]["habit"] = 1.0
    launch_data["marketing"] = {"lead_generation": {}, "push_content": 0.0}
    scenario = build(launch_data)
    outcomes = evaluate(scenario)
    assert_allclose(outcomes.share[0], [p.reference_share for p in scenario.products], rtol=1e-12)


def test_numeric_own_price_elasticity_at_reference_equals_eta(two_segments):
    demand = calibrate(two_segments)
    price, hours, no_leads = reference_inputs(two_segments)
    n = price.shape[1]
    bump = 1e-5
    up = price * (1 + bump * np.eye(n))
    down = price * (1 - bump * np.eye(n))
    # Row j of up/down moves product j's price only.
    d_log_share = np.log(shares(demand, up, hours, no_leads)) - np.log(
        shares(demand, down, hours, no_leads)
    )
    own_elasticity = -np.diag(d_log_share) / (np.log1p(bump) - np.log1p(-bump))
    eta = [p.price_elasticity for p in two_segments.products]
    assert_allclose(own_elasticity, eta, rtol=0.01)


def test_numeric_effort_elasticity_at_reference_equals_epsilon(two_segments):
    demand = calibrate(two_segments)
    price, hours, no_leads = reference_inputs(two_segments)
    n = price.shape[1]
    bump = 1e-5
    d_log_share = np.log(shares(demand, price, hours * (1 + bump * np.eye(n)), no_leads)) - np.log(
        shares(demand, price, hours * (1 - bump * np.eye(n)), no_leads)
    )
    effort_elasticity = np.diag(d_log_share) / (np.log1p(bump) - np.log1p(-bump))
    assert_allclose(
        effort_elasticity, [p.effort_elasticity for p in two_segments.products], rtol=0.01
    )


def test_cross_elasticities_show_cannibalisation_inside_a_segment_only(two_segments):
    demand = calibrate(two_segments)
    price, hours, no_leads = reference_inputs(two_segments)
    share = shares(demand, price, hours, no_leads)[0]
    matrix = price_elasticities(demand, price[0], share)
    segment = [p.segment for p in two_segments.products]
    n = len(segment)
    bump = 1e-6
    for k in range(n):
        up = price.copy()
        up[0, k] *= 1 + bump
        numeric = (np.log(shares(demand, up, hours, no_leads)[0]) - np.log(share)) / np.log1p(bump)
        assert_allclose(matrix[:, k], numeric, rtol=1e-3, atol=1e-9)
        for i in range(n):
            if i != k and segment[i] == segment[k]:
                assert matrix[i, k] > 0
            elif segment[i] != segment[k]:
                assert matrix[i, k] == 0


def test_cheaper_new_product_draws_share_from_legacy_products_and_competitors(launch):
    demand = calibrate(launch)
    base = Plans.from_scenario(launch)
    hours = np.array([[p.reference_hours for p in launch.products]])
    cheaper = base.price.copy()
    cheaper[0, launch.product_ids.index("nova")] *= 0.8
    before = shares(demand, base.price, hours, base.lead_gen)[0]
    after = shares(demand, cheaper, hours, base.lead_gen)[0]
    nova = launch.product_ids.index("nova")
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
    hours = np.array([[p.reference_hours for p in launch.products]])
    own = shares(demand, price, hours, base.lead_gen)[:, i]
    assert np.all(np.diff(own) < 0)


def test_lead_generation_raises_share_with_diminishing_returns(launch):
    demand = calibrate(launch)
    nova = launch.product_ids.index("nova")
    spend = np.zeros((5, 3))
    spend[:, nova] = [0, 1e5, 2e5, 3e5, 4e5]
    price = np.array([[p.price for p in launch.products]])
    hours = np.array([[p.reference_hours for p in launch.products]])
    gains = np.diff(shares(demand, price, hours, spend)[:, nova])
    assert np.all(gains > 0)
    assert np.all(np.diff(gains) < 0)


def test_no_hours_on_a_product_leaves_shares_finite(launch):
    demand = calibrate(launch)
    price = np.array([[p.price for p in launch.products]])
    hours = np.array([[60000.0, 0.0, 0.0]])
    share = shares(demand, price, hours, np.zeros_like(price))
    assert np.all(np.isfinite(share))
    assert np.all(share[0, 1:] < 1e-3)
