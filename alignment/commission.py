"""The commission plan: pay per unit, and what a team with spread-out attainment earns (§2).

Money is per period. ``(plans, products)`` arrays for per-unit figures, ``(plans,)`` for totals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr


def commission_per_unit(
    price: np.ndarray,
    unit_cost: np.ndarray,
    revenue_rate: np.ndarray,
    margin_rate: np.ndarray,
    kicker: np.ndarray,
) -> np.ndarray:
    """``k = max(0, r_rev p + r_gm (p − c) + b)`` in money per unit; rates shaped ``(plans, 1)``.

    Never negative: a price below cost pays no commission, it does not charge the rep.
    """
    return np.maximum(revenue_rate * price + margin_rate * (price - unit_cost) + kicker, 0.0)


@dataclass(frozen=True)
class Payout:
    """What the plan pays the team, integrated over the spread of rep attainment."""

    expected_attainment: np.ndarray  # team quota basis / team quota, (plans,)
    share_at_quota: np.ndarray  # share of reps at or above quota, (plans,)
    variable_pay_per_rep: np.ndarray  # expected commission per rep, (plans,)
    payout_factor: np.ndarray  # variable pay / plain commission (accelerator and cap), (plans,)
    commission_multiplier: np.ndarray  # E[∂pay/∂C]: pay per extra unit of plain commission
    attainment_slope: np.ndarray  # E[∂pay/∂a]: pay per extra unit of attainment, money

    def marginal_pay(self, pay_per_unit: np.ndarray, quota_per_unit: np.ndarray) -> np.ndarray:
        """Expected marginal pay of one more unit, ``π = k E[m] + (q / Q) E[∂pay/∂a]``.

        ``quota_per_unit`` is what one unit adds to the quota basis over one rep's quota
        (``q_i / Q``), ``(plans, products)``. Money per unit, ``(plans, products)``.
        """
        return (
            pay_per_unit * self.commission_multiplier[:, np.newaxis]
            + quota_per_unit * self.attainment_slope[:, np.newaxis]
        )


def team_payout(
    plain_commission: np.ndarray,
    quota_basis: np.ndarray,
    reps: int,
    quota_per_rep: float,
    accelerator: float,
    cap: float | None,
    attainment_spread: float,
) -> Payout:
    """Expected pay when rep attainment is log-normal around the team's expected attainment.

    A rep selling ``r`` times the average rep's volume (``ln r ~ N(−σ²/2, σ²)``, so
    ``E[r] = 1``) reaches attainment ``a = r A`` and earns ``p̄ (r + (acc − 1) max(r − q, 0))``,
    at most ``cap``, where ``p̄`` is the average plain commission and ``q = 1 / A`` the volume at
    quota. Every expectation is a partial moment of the log-normal over the stretches below
    quota, above quota and above the cap, in closed form: exact, and one pass over the plans.

    Parameters
    ----------
    plain_commission : team commission before accelerator and cap, ``(plans,)``, money.
    quota_basis : team revenue or gross margin, whichever the quota is on, ``(plans,)``, money.
    attainment_spread : σ of log attainment across reps, > 0.
    """
    sigma = attainment_spread
    attainment = np.maximum(quota_basis, 0.0) / (reps * quota_per_rep)
    plain_mean = np.maximum(plain_commission / reps, 0.0)
    moments = _LogNormal(sigma)
    with np.errstate(divide="ignore"):
        # Below 1e-100 attainment nobody reaches quota; 1/A would overflow what follows.
        quota_point = np.where(attainment > 1e-100, 1.0 / np.maximum(attainment, 1e-100), np.inf)
    extra = accelerator - 1.0
    if cap is None:
        cap_point = np.full_like(attainment, np.inf)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            below = cap / plain_mean  # the cap reached before quota
            above = (cap / plain_mean + extra * quota_point) / accelerator
            reached_before_quota = plain_mean * quota_point >= cap  # 0 × ∞ where nothing paid
        cap_point = np.where(plain_mean > 0, np.where(reached_before_quota, below, above), np.inf)
    low_end = np.minimum(quota_point, cap_point)  # end of the plain-rate stretch
    high_end = np.maximum(cap_point, quota_point)  # end of the accelerated stretch
    accelerated = moments.volume(high_end) - moments.volume(quota_point)
    reached = moments.share(high_end) - moments.share(quota_point)
    inverse = moments.inverse(high_end) - moments.inverse(quota_point)
    finite_q = np.where(np.isfinite(quota_point), quota_point, 0.0)
    variable_pay = plain_mean * (
        moments.volume(low_end) + accelerator * accelerated - extra * finite_q * reached
    )
    if cap is not None:
        variable_pay = variable_pay + cap * (1.0 - moments.share(cap_point))
    # Per rep below quota ∂pay/∂C = 1; above it 1 + (acc − 1)(1 − q/r), and
    # ∂pay/∂a = (acc − 1) p̄ q² / r; both 0 once the cap binds.
    multiplier = moments.share(low_end) + accelerator * reached - extra * finite_q * inverse
    slope = extra * plain_mean * finite_q**2 * inverse
    factor = np.divide(
        variable_pay, plain_mean, out=np.ones_like(variable_pay), where=plain_mean > 1e-12
    )
    return Payout(
        expected_attainment=attainment,
        share_at_quota=1.0 - moments.share(quota_point),
        variable_pay_per_rep=variable_pay,
        payout_factor=factor,
        commission_multiplier=multiplier,
        attainment_slope=slope,
    )


class _LogNormal:
    """Partial moments of ``r`` with ``ln r ~ N(−σ²/2, σ²)`` below a point ``x``."""

    def __init__(self, sigma: float) -> None:
        self.sigma = sigma
        self.mu = -0.5 * sigma**2

    def _z(self, x: np.ndarray, shift: float) -> np.ndarray:
        with np.errstate(divide="ignore"):
            log_x = np.log(np.maximum(x, 0.0))
        return (log_x - self.mu - shift) / self.sigma

    def share(self, x: np.ndarray) -> np.ndarray:
        """``P(r ≤ x)``."""
        return ndtr(self._z(x, 0.0))

    def volume(self, x: np.ndarray) -> np.ndarray:
        """``E[r 1{r ≤ x}]``."""
        return ndtr(self._z(x, self.sigma**2))

    def inverse(self, x: np.ndarray) -> np.ndarray:
        """``E[r⁻¹ 1{r ≤ x}]``."""
        return np.exp(-self.mu + 0.5 * self.sigma**2) * ndtr(self._z(x, -(self.sigma**2)))
