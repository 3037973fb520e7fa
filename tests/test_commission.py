"""Commission per unit, the team's payout and the expected marginal pay (MODEL.md §2)."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.special import ndtr, ndtri

from alignment.commission import commission_per_unit, team_payout

REPS = 40
QUOTA = 200_000.0
SPREAD = 0.3
QUANTILES = 200_000


def payout(attainment, *, accelerator=1.0, cap=None, rate=0.1, spread=SPREAD):
    """Payout for a team whose quota basis is ``attainment`` × team quota, paid ``rate`` of it."""
    basis = np.atleast_1d(np.asarray(attainment, dtype=float)) * REPS * QUOTA
    return team_payout(rate * basis, basis, REPS, QUOTA, accelerator, cap, spread)


def brute_force(attainment, plain_per_rep, accelerator, cap, spread=SPREAD):
    """The same team at 200,000 quantiles of rep volume, each rep paid on their own book.

    A rep selling ``r`` times the average volume has plain commission ``p̄ r`` and attainment
    ``A r``; the accelerator pays extra on the part of their book above quota, and the cap
    bounds the lot. Multiplier and slope are the per-rep derivatives of pay with respect to
    plain commission and to attainment, by central differences, averaged over reps.
    """
    relative = np.exp(spread * ndtri((np.arange(QUANTILES) + 0.5) / QUANTILES) - spread**2 / 2)
    plain, attained = plain_per_rep * relative, attainment * relative

    def pay(plain, attained):
        above_quota = np.maximum(1.0 - 1.0 / attained, 0.0)  # share of the book above quota
        earned = plain * (1.0 + (accelerator - 1.0) * above_quota)
        return earned if cap is None else np.minimum(earned, cap)

    h = 1e-7
    return {
        "variable_pay_per_rep": pay(plain, attained).mean(),
        "commission_multiplier": (
            (pay(plain * (1 + h), attained) - pay(plain * (1 - h), attained)) / (2 * h * plain)
        ).mean(),
        "attainment_slope": (
            (pay(plain, attained + h) - pay(plain, attained - h)) / (2 * h)
        ).mean(),
        "share_at_quota": (attained >= 1.0).mean(),
    }


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


def test_commission_per_unit_is_never_negative():
    # Below cost on a margin plan, and a negative kicker: the rep is paid nothing, not charged.
    price = np.array([[300.0, 800.0]])
    cost = np.array([600.0, 400.0])
    k = commission_per_unit(price, cost, np.array([[0.0]]), np.array([[0.1]]), np.array([[0, -50]]))
    assert_allclose(k, [[0.0, 0.0]])


def test_without_accelerator_or_cap_expected_pay_is_the_plain_commission():
    result = payout([0.5, 1.0, 1.6])
    plain_per_rep = 0.1 * np.array([0.5, 1.0, 1.6]) * QUOTA
    assert_allclose(result.variable_pay_per_rep, plain_per_rep, rtol=1e-12)
    assert_allclose(result.payout_factor, 1.0)
    assert_allclose(result.commission_multiplier, 1.0)
    assert_allclose(result.attainment_slope, 0.0, atol=1e-9)


@pytest.mark.parametrize("attainment", [0.6, 0.95, 1.0, 1.3, 2.5])
@pytest.mark.parametrize(
    ("accelerator", "cap"), [(1.0, None), (2.0, None), (1.5, 24_000.0), (1.0, 18_000.0)]
)
def test_closed_form_payout_matches_a_200000_quantile_integration(attainment, accelerator, cap):
    plain_per_rep = 0.1 * attainment * QUOTA
    result = payout(attainment, accelerator=accelerator, cap=cap)
    expected = brute_force(attainment, plain_per_rep, accelerator, cap)
    # The quantile rule's error at the jumps of each integrand (quota, cap) is about
    # jump / 400,000: a few parts in 10,000 at most.
    for name, value in expected.items():
        assert_allclose(getattr(result, name)[0], value, rtol=5e-4, atol=1e-4, err_msg=name)


def test_almost_nobody_at_quota_means_the_accelerator_adds_almost_nothing():
    # At 30 % of quota one rep in 60,000 reaches it.
    plain, accelerated = payout(0.3), payout(0.3, accelerator=2.0)
    assert_allclose(accelerated.variable_pay_per_rep, plain.variable_pay_per_rep, rtol=1e-4)
    assert accelerated.variable_pay_per_rep[0] >= plain.variable_pay_per_rep[0]


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
    assert_allclose(result.share_at_quota, expected, rtol=1e-9, atol=1e-12)


def test_share_of_reps_at_quota_agrees_with_a_simulated_team():
    _, simulated_share = simulated_pay(1.05, 1.0, None)
    assert payout(1.05).share_at_quota[0] == pytest.approx(simulated_share, abs=0.005)


def test_team_on_average_at_quota_has_fewer_than_half_its_reps_there():
    # Mean attainment 100 % with a right-skewed spread: the median rep is below quota.
    assert payout(1.0).share_at_quota[0] < 0.5
    assert payout(1.0).expected_attainment[0] == pytest.approx(1.0)


def uniform_mix_marginal_pay(attainment, accelerator, cap=None, spread=0.05):
    """π for three products paid 10 % of margin against a margin quota: every rep's book has
    the team's mix, so pay per unit is proportional to what a unit adds to quota."""
    margin = np.array([[400.0, 200.0, 50.0]])
    basis = np.array([attainment * REPS * QUOTA])
    result = team_payout(0.1 * basis, basis, REPS, QUOTA, accelerator, cap, spread)
    return result.marginal_pay(0.1 * margin, margin / QUOTA), 0.1 * margin


def test_marginal_pay_is_the_commission_times_the_accelerator_for_reps_above_quota():
    # At three times quota with a narrow spread every rep is above quota.
    marginal, pay_per_unit = uniform_mix_marginal_pay(3.0, accelerator=1.8)
    assert_allclose(marginal, 1.8 * pay_per_unit, rtol=1e-9)


def test_marginal_pay_is_the_commission_on_a_linear_plan():
    marginal, pay_per_unit = uniform_mix_marginal_pay(1.0, accelerator=1.0, spread=SPREAD)
    assert_allclose(marginal, pay_per_unit, rtol=1e-12)


def test_marginal_pay_falls_to_nothing_once_every_rep_is_at_the_cap():
    marginal, _ = uniform_mix_marginal_pay(3.0, accelerator=1.5, cap=20_000.0)
    assert_allclose(marginal, 0.0, atol=1e-9)


def test_with_quota_and_pay_on_different_bases_the_accelerator_changes_relative_pay():
    # Paid on margin, measured on revenue: above quota, a unit's price earns pay too.
    price = np.array([[1000.0, 500.0]])
    margin = np.array([[500.0, 50.0]])
    basis = np.array([1.2 * REPS * QUOTA])

    def relative_marginal_pay(accelerator):
        result = team_payout(0.1 * basis / 4, basis, REPS, QUOTA, accelerator, None, SPREAD)
        marginal = result.marginal_pay(0.1 * margin, price / QUOTA)
        return marginal[0, 1] / marginal[0, 0]

    assert relative_marginal_pay(1.0) == pytest.approx(0.1)
    assert relative_marginal_pay(2.0) > relative_marginal_pay(1.0) * 1.05


def test_no_sales_means_no_reps_at_quota_and_finite_figures():
    result = payout(0.0)
    assert result.share_at_quota[0] == 0.0
    assert result.variable_pay_per_rep[0] == 0.0
    assert np.isfinite(result.payout_factor[0])


def test_a_plan_that_pays_nothing_on_a_book_sold_at_a_loss_is_quiet_and_finite():
    # A capped plan paying nothing on a book with negative margin: every figure is 0, and no
    # floating-point warning escapes (warnings are errors in this suite).
    result = team_payout(np.array([0.0]), np.array([-1e6]), REPS, QUOTA, 1.5, 24_000.0, SPREAD)
    assert result.variable_pay_per_rep[0] == 0.0
    assert result.share_at_quota[0] == 0.0
    assert np.isfinite(result.commission_multiplier[0])
    assert result.attainment_slope[0] == 0.0


def test_a_plain_commission_next_to_nothing_puts_the_cap_out_of_reach_without_overflow():
    # Found by the property tests: a plain commission of 1e-311 per rep made cap / p̄ overflow
    # (a warning, an error in the tests); the cap is simply never reached.
    payout = team_payout(
        np.array([1e-311]), np.array([1e-311]), reps=1, quota_per_rep=1.0, accelerator=1.5,
        cap=1.0, attainment_spread=0.3,
    )  # fmt: skip
    for name in ("share_at_quota", "variable_pay_per_rep", "commission_multiplier",
                 "attainment_slope", "payout_factor"):  # fmt: skip
        assert np.isfinite(getattr(payout, name)).all(), name
    assert payout.variable_pay_per_rep[0] < 1e-300
