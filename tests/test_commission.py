"""Commission per unit and the team's payout under quota, accelerator and cap (MODEL.md §2)."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.special import ndtr

from alignment.commission import commission_per_unit, team_payout

REPS = 40
QUOTA = 200_000.0
SPREAD = 0.3


def payout(attainment, *, accelerator=1.0, cap=None, rate=0.1, spread=SPREAD):
    """Payout for a team whose quota basis is ``attainment`` × team quota, paid ``rate`` of it."""
    basis = np.atleast_1d(np.asarray(attainment, dtype=float)) * REPS * QUOTA
    return team_payout(rate * basis, basis, REPS, QUOTA, accelerator, cap, spread)


def simulated_pay(attainment, accelerator, cap, rate=0.1, reps=400_000, seed=42):
    """Monte Carlo of the same plan: draw reps, pay each on their own volume."""
    rng = np.random.default_rng(seed)
    rep_attainment = attainment * np.exp(SPREAD * rng.standard_normal(reps) - SPREAD**2 / 2)
    volume = rep_attainment * QUOTA
    pay = rate * (np.minimum(volume, QUOTA) + accelerator * np.maximum(volume - QUOTA, 0.0))
    if cap is not None:
        pay = np.minimum(pay, cap)
    return pay.mean(), (rep_attainment >= 1).mean()


def test_pay_per_unit_adds_revenue_share_margin_share_and_kicker():
    price = np.array([[1000.0, 500.0]])
    cost = np.array([600.0, 450.0])
    k = commission_per_unit(price, cost, np.array([[0.02]]), np.array([[0.1]]), np.array([[0, 30]]))
    assert_allclose(k, [[0.02 * 1000 + 0.1 * 400, 0.02 * 500 + 0.1 * 50 + 30]])


def test_without_accelerator_or_cap_expected_pay_is_the_plain_commission():
    result = payout([0.5, 1.0, 1.6])
    plain_per_rep = 0.1 * np.array([0.5, 1.0, 1.6]) * QUOTA
    assert_allclose(result.variable_pay_per_rep, plain_per_rep, rtol=1e-12)
    assert_allclose(result.payout_factor, 1.0)


def test_accelerator_leaves_pay_alone_when_nobody_reaches_quota():
    # At 30 % of quota even the luckiest quantile of reps stays below it.
    plain, accelerated = payout(0.3), payout(0.3, accelerator=2.0)
    assert_allclose(accelerated.variable_pay_per_rep, plain.variable_pay_per_rep, rtol=1e-12)


def test_accelerator_raises_pay_once_reps_pass_quota():
    plain, accelerated = payout([0.9, 1.2]), payout([0.9, 1.2], accelerator=2.0)
    assert np.all(accelerated.variable_pay_per_rep > plain.variable_pay_per_rep)
    extra = accelerated.variable_pay_per_rep - plain.variable_pay_per_rep
    assert extra[1] > extra[0]


@pytest.mark.parametrize("attainment", [0.8, 1.0, 1.3])
@pytest.mark.parametrize(("accelerator", "cap"), [(1.0, None), (2.0, None), (1.5, 24_000.0)])
def test_expected_pay_matches_a_simulated_team(attainment, accelerator, cap):
    expected, _ = simulated_pay(attainment, accelerator, cap)
    result = payout(attainment, accelerator=accelerator, cap=cap)
    assert_allclose(result.variable_pay_per_rep[0], expected, rtol=0.01)


def test_cap_bounds_every_reps_pay():
    capped = payout([0.5, 1.0, 3.0], accelerator=2.0, cap=15_000.0)
    assert np.all(capped.variable_pay_per_rep <= 15_000.0)
    # A team far above quota earns almost exactly the cap.
    assert capped.variable_pay_per_rep[2] == pytest.approx(15_000.0, rel=0.02)


@pytest.mark.parametrize("attainment", [0.6, 0.9, 1.0, 1.1, 1.5])
@pytest.mark.parametrize("spread", [0.1, 0.3, 0.8])
def test_share_of_reps_at_quota_follows_the_log_normal_formula(attainment, spread):
    result = payout(attainment, spread=spread)
    expected = ndtr((np.log(attainment) - spread**2 / 2) / spread)
    assert_allclose(result.share_at_quota, expected, rtol=1e-12)


def test_share_of_reps_at_quota_agrees_with_a_simulated_team():
    _, simulated_share = simulated_pay(1.05, 1.0, None)
    assert payout(1.05).share_at_quota[0] == pytest.approx(simulated_share, abs=0.005)


def test_team_on_average_at_quota_has_fewer_than_half_its_reps_there():
    # Mean attainment 100 % with a right-skewed spread: the median rep is below quota.
    assert payout(1.0).share_at_quota[0] < 0.5
    assert payout(1.0).expected_attainment[0] == pytest.approx(1.0)


def test_no_sales_means_no_reps_at_quota_and_finite_figures():
    result = payout(0.0)
    assert result.share_at_quota[0] == 0.0
    assert result.variable_pay_per_rep[0] == 0.0
    assert np.isfinite(result.payout_factor[0])
