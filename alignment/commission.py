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
    attainment = np.maximum(quota_basis, 0.0) / (reps * quota_per_rep)
    plain_mean = np.maximum(plain_commission / reps, 0.0)
    moments = _LogNormal(attainment_spread)
    extra = accelerator - 1.0
    # A plain commission next to nothing puts the cap at infinity: never reached.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # Below 1e-100 attainment nobody reaches quota; 1/A would overflow what follows.
        reaches = attainment > 1e-100
        quota_point = np.where(reaches, 1.0 / np.maximum(attainment, 1e-100), np.inf)
        finite_q = np.where(reaches, quota_point, 0.0)
        share_q, volume_q, inverse_q = moments.below(-np.log(attainment))
        if cap is None:
            # No cap: the plain stretch ends at quota, the accelerated one never ends.
            share_low, volume_low = share_q, volume_q
            reached = 1.0 - share_q
            accelerated = 1.0 - volume_q
            inverse = moments.inverse_total - inverse_q
            cap_share = None
        else:
            below = cap / plain_mean  # the cap reached before quota
            above = (below + extra * quota_point) / accelerator
            reached_before_quota = plain_mean * quota_point >= cap  # 0 × ∞ where nothing paid
            cap_point = np.where(
                plain_mean > 0, np.where(reached_before_quota, below, above), np.inf
            )
            cap_share, cap_volume, cap_inverse = moments.below(np.log(cap_point))
            cap_first = cap_point < quota_point
            # The plain stretch ends at the first of quota and cap, the accelerated at the last.
            share_low = np.where(cap_first, cap_share, share_q)
            volume_low = np.where(cap_first, cap_volume, volume_q)
            reached = np.where(cap_first, 0.0, cap_share - share_q)
            accelerated = np.where(cap_first, 0.0, cap_volume - volume_q)
            inverse = np.where(cap_first, 0.0, cap_inverse - inverse_q)
    variable_pay = plain_mean * (
        volume_low + accelerator * accelerated - extra * finite_q * reached
    )
    if cap_share is not None:
        variable_pay = variable_pay + cap * (1.0 - cap_share)
    # Per rep below quota ∂pay/∂C = 1; above it 1 + (acc − 1)(1 − q/r), and
    # ∂pay/∂a = (acc − 1) p̄ q² / r; both 0 once the cap binds.
    multiplier = share_low + accelerator * reached - extra * finite_q * inverse
    slope = extra * plain_mean * finite_q**2 * inverse
    factor = np.divide(
        variable_pay, plain_mean, out=np.ones_like(variable_pay), where=plain_mean > 1e-12
    )
    return Payout(
        expected_attainment=attainment,
        share_at_quota=1.0 - share_q,
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
        self.inverse_total = float(np.exp(sigma**2))  # E[r⁻¹]

    def below(self, log_x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``P(r ≤ x)``, ``E[r 1{r ≤ x}]`` and ``E[r⁻¹ 1{r ≤ x}]`` from ``ln x``."""
        z = (log_x - self.mu) / self.sigma
        return ndtr(z), ndtr(z - self.sigma), self.inverse_total * ndtr(z + self.sigma)
