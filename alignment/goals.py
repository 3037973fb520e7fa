"""What leadership wants, in money; the targets as a scorecard; the reps' role conflict (§4).

Leadership's utility is money: contribution plus what it says one more unit of a strategic
product is worth beyond this period's margin (``λ``). The goals with targets (contribution,
new-product share, gross margin %) are a scorecard (met / near / missed) and optional hard
constraints on deals, never a weighted score.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np

GOAL_NAMES = ("contribution", "new_product_share", "gross_margin_pct")
GoalStatus = Literal["met", "near", "missed"]
# Root-finding steps for the role conflict, and the bracket width (a fraction of the hours on
# other products) below which it stops.
CONFLICT_STEPS = 30
CONFLICT_TOLERANCE = 1e-7


def leadership_value_per_unit(
    price: np.ndarray,
    unit_cost: np.ndarray,
    marginal_commission: np.ndarray,
    strategic_value: np.ndarray,
) -> np.ndarray:
    """What one more unit of each product is worth to leadership: ``p − c − π + λ``, money."""
    return price - unit_cost - marginal_commission + strategic_value


def leadership_value(
    contribution: np.ndarray, units: np.ndarray, strategic_value: np.ndarray
) -> np.ndarray:
    """``U_L = contribution + Σ λ_i u_i``, money per period, ``(plans,)``."""
    return contribution + units @ strategic_value


def share_point_value(strategic_value: np.ndarray, segment_size: np.ndarray) -> np.ndarray:
    """What leadership says one point (0.01) of each product's share is worth beyond its
    margin: ``λ_i × M_i / 100``, money per period."""
    return strategic_value * segment_size / 100.0


def role_conflict(
    new_product_share: Callable[[np.ndarray], np.ndarray],
    pay_hours: np.ndarray,
    strategic: np.ndarray,
    target: float,
) -> np.ndarray:
    """Share of selling time reps must move against their pay to reach the new-product target.

    The smallest move from the pay-maximising mix ``pay_hours`` ``(plans, products)`` that
    reaches ``target``: a fraction ``t`` of the hours on other products moves to the strategic
    ones (in proportion to their hours, or equally if they have none), found by the Illinois
    method, since the share rises with ``t``. Returns the hours moved over all hours: 0 when pay
    already gets there, 1 when even all hours on strategic products cannot.
    ``new_product_share`` maps ``(plans, products)`` hours to the new-product share, ``(plans,)``.
    """
    if not strategic.any():
        return np.zeros(pay_hours.shape[0])
    total = pay_hours.sum(axis=-1)
    others = pay_hours * (1.0 - strategic)
    moved_total = others.sum(axis=-1)
    on_strategic = pay_hours * strategic
    strategic_hours = on_strategic.sum(axis=-1, keepdims=True)
    even = strategic / strategic.sum()
    split = np.where(
        strategic_hours > 0, on_strategic / np.where(strategic_hours > 0, strategic_hours, 1.0),
        even,
    )  # fmt: skip

    def hours_at(fraction: np.ndarray) -> np.ndarray:
        return pay_hours - others * fraction[:, None] + split * (moved_total * fraction)[:, None]

    now = new_product_share(pay_hours) - target
    at_most = new_product_share(hours_at(np.ones(len(total)))) - target
    fraction = _first_root(lambda t: new_product_share(hours_at(t)) - target, now, at_most)
    conflict = fraction * moved_total / np.where(total > 0, total, 1.0)
    return np.where(now >= 0, 0.0, np.where(at_most >= 0, np.clip(conflict, 0.0, 1.0), 1.0))


def _first_root(
    gap: Callable[[np.ndarray], np.ndarray], at_zero: np.ndarray, at_one: np.ndarray
) -> np.ndarray:
    """Where a rising ``gap(t)`` crosses 0 on [0, 1], per plan, by the Illinois method.

    Plans with no crossing get whichever end is nearer; the caller handles them.
    """
    low, high = np.zeros_like(at_zero), np.ones_like(at_zero)
    gap_low, gap_high = at_zero.copy(), at_one.copy()
    inside = (gap_low < 0) & (gap_high >= 0)
    t = np.where(gap_high < 0, 1.0, 0.0)
    side = np.zeros_like(at_zero)
    for _ in range(CONFLICT_STEPS):
        if not inside.any():
            break
        width = gap_high - gap_low
        t = np.where(inside, low - gap_low * (high - low) / np.where(width > 0, width, 1.0), t)
        value = gap(t)
        below = value < 0
        # Illinois: halve the stale end's value so the bracket shrinks from both sides.
        gap_high = np.where(inside & below & (side < 0), 0.5 * gap_high, gap_high)
        gap_low = np.where(inside & ~below & (side > 0), 0.5 * gap_low, gap_low)
        low = np.where(inside & below, t, low)
        gap_low = np.where(inside & below, value, gap_low)
        high = np.where(inside & ~below, t, high)
        gap_high = np.where(inside & ~below, value, gap_high)
        side = np.where(below, -1.0, 1.0)
        inside &= ((high - low) > CONFLICT_TOLERANCE) & (np.abs(value) > CONFLICT_TOLERANCE**2)
    return np.where((at_zero < 0) & (at_one >= 0), t, np.where(at_zero >= 0, 0.0, 1.0))


def goal_status(value: float, target: float, near_band: float) -> GoalStatus:
    """Met at or above target, near within ``near_band`` of it, missed below that."""
    if value >= target:
        return "met"
    if value >= (1.0 - near_band) * target:
        return "near"
    return "missed"
