"""The commission plan: pay per unit, and what a team with spread-out attainment earns (§2).

Money is per period. ``(plans, products)`` arrays for per-unit figures, ``(plans,)`` for totals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr, ndtri

# Mid-point quantiles of a standard normal: enough to integrate pay over the rep population.
ATTAINMENT_QUANTILES = 48
_STANDARD_NORMAL_QUANTILES = ndtri((np.arange(ATTAINMENT_QUANTILES) + 0.5) / ATTAINMENT_QUANTILES)


def commission_per_unit(
    price: np.ndarray,
    unit_cost: np.ndarray,
    revenue_rate: np.ndarray,
    margin_rate: np.ndarray,
    kicker: np.ndarray,
) -> np.ndarray:
    """``k = r_rev p + r_gm (p − c) + b`` in money per unit; rates are shaped ``(plans, 1)``."""
    return revenue_rate * price + margin_rate * (price - unit_cost) + kicker


@dataclass(frozen=True)
class Payout:
    """What the plan pays the team, integrated over the spread of rep attainment."""

    expected_attainment: np.ndarray  # team quota basis / team quota, (plans,)
    share_at_quota: np.ndarray  # share of reps at or above quota, (plans,)
    variable_pay_per_rep: np.ndarray  # expected commission per rep, (plans,)
    payout_factor: np.ndarray  # variable pay / plain commission (accelerator and cap), (plans,)


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

    A rep at attainment ``a`` sells ``a / A`` of the average rep's volume, earning its plain
    commission on volume up to quota and ``accelerator`` times it above, up to ``cap``.

    Parameters
    ----------
    plain_commission : team commission before accelerator and cap, ``(plans,)``, money.
    quota_basis : team revenue or gross margin, whichever the quota is on, ``(plans,)``, money.
    attainment_spread : σ of log attainment across reps, > 0.
    """
    sigma = attainment_spread
    attainment = np.maximum(quota_basis, 0.0) / (reps * quota_per_rep)
    # Each rep's attainment relative to the team mean, E[relative] = 1.
    relative = np.exp(sigma * _STANDARD_NORMAL_QUANTILES)
    # Normalise on the quantiles themselves so a plan without accelerator or cap pays exactly
    # its plain commission (the analytic exp(−σ²/2) leaves a small discretisation bias).
    relative /= relative.mean()
    plain_mean = plain_commission / reps
    if accelerator == 1.0 and cap is None:
        variable_pay = plain_mean.copy()  # exact: the quantiles average to 1
    else:
        # A rep selling r times the average earns p̄·(r + (accelerator − 1)·max(r − 1/A, 0)):
        # plain commission on everything, the accelerator's extra on volume above quota.
        quota_point = np.divide(
            1.0, attainment, out=np.full_like(attainment, np.inf), where=attainment > 0
        )
        pay = relative - quota_point[:, np.newaxis]
        np.maximum(pay, 0.0, out=pay)
        pay *= accelerator - 1.0
        pay += relative
        pay *= plain_mean[:, np.newaxis]
        if cap is not None:
            np.minimum(pay, cap, out=pay)
        variable_pay = pay.mean(axis=1)
    factor = np.divide(
        variable_pay, plain_mean, out=np.ones_like(variable_pay), where=np.abs(plain_mean) > 1e-12
    )
    # ln a ~ N(ln A − σ²/2, σ²) keeps mean attainment at A, so the median rep sits below A.
    z = (np.log(np.maximum(attainment, 1e-300)) - 0.5 * sigma**2) / sigma
    return Payout(
        expected_attainment=attainment,
        share_at_quota=ndtr(z),
        variable_pay_per_rep=variable_pay,
        payout_factor=factor,
    )
