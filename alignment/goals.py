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

from alignment.product_sums import product_sums
from alignment.tolerances import CONFLICT_STEPS, NEWTON_STEPS, ROOT_TOLERANCE

GOAL_NAMES = ("contribution", "new_product_share", "gross_margin_pct")
# A goal conflict this close to 1 means the target is out of reach of every hour (exactly 1).
OUT_OF_REACH = 1.0 - 1e-9
GoalStatus = Literal["met", "near", "missed"]


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
    *,
    share_and_slope: Callable[[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]
    | None = None,
    start: np.ndarray | None = None,
    steps: int | None = None,
) -> np.ndarray:
    """Share of selling time reps must move against their pay to reach the new-product target.

    The smallest move from the pay-maximising mix ``pay_hours`` ``(plans, products)`` that
    reaches ``target``: a fraction ``t`` of the hours on other products moves to the strategic
    ones (in proportion to their hours, or equally if they have none); the share rises with
    ``t``. Returns the hours moved over all hours: 0 when pay already gets there, 1 when even
    all hours on strategic products cannot.
    ``new_product_share`` maps ``(plans, products)`` hours to the new-product share, ``(plans,)``;
    the root is found by the Illinois method. Given ``share_and_slope``, mapping hours, the
    direction hours move in as ``t`` rises and the plans' positions in ``pay_hours`` to the
    share and its derivative in ``t``, it is found
    by Newton's method instead, from ``start`` (an earlier conflict, e.g. of a nearby mix) or
    from no conflict: a few steps from a nearby root. ``steps`` caps the Newton steps (an
    estimate that tracks a moving mix; by default it runs until the root is found).
    """
    if not strategic.any():
        return np.zeros(pay_hours.shape[0])
    total = product_sums(pay_hours)
    others = pay_hours * (1.0 - strategic)
    moved_total = product_sums(others)
    on_strategic = pay_hours * strategic
    strategic_hours = product_sums(on_strategic)[:, None]
    even = strategic / strategic.sum()
    split = np.where(
        strategic_hours > 0, on_strategic / np.where(strategic_hours > 0, strategic_hours, 1.0),
        even,
    )  # fmt: skip
    direction = split * moved_total[:, None] - others  # d hours / d t; sums to 0
    per_hour = moved_total / np.where(total > 0, total, 1.0)

    def hours_at(fraction: np.ndarray) -> np.ndarray:
        return pay_hours + direction * fraction[:, None]

    if share_and_slope is not None:
        guess = np.zeros(len(total))
        if start is not None:
            # A vanishing share of hours on other products overflows the guess: it is clipped.
            with np.errstate(over="ignore"):
                guess = start / np.where(per_hour > 0, per_hour, 1.0)

        def gap(t: np.ndarray, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            hours = pay_hours[index] + direction[index] * t[:, None]
            share, slope = share_and_slope(hours, direction[index], index)
            return share - target, slope

        fraction, below_at_one = _newton_root(
            gap, np.clip(guess, 0.0, 1.0), NEWTON_STEPS if steps is None else steps
        )
        return np.where(below_at_one, 1.0, np.clip(fraction * per_hour, 0.0, 1.0))
    now = new_product_share(pay_hours) - target
    at_most = new_product_share(hours_at(np.ones(len(total)))) - target
    fraction = _first_root(lambda t: new_product_share(hours_at(t)) - target, now, at_most)
    conflict = fraction * per_hour
    return np.where(now >= 0, 0.0, np.where(at_most >= 0, np.clip(conflict, 0.0, 1.0), 1.0))


def _newton_root(
    gap: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]],
    start: np.ndarray,
    steps: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Where a rising ``gap(t)`` crosses 0 on [0, 1], per plan, by safeguarded Newton steps.

    ``gap(t, index)`` gives the gap and its slope for the plans at ``index``. Newton steps from
    ``start`` inside a bracket that shrinks with every evaluation; a step leaving it goes to the
    bracket's end when that end has not been evaluated (the root may be the end itself), and
    halves the bracket otherwise. Returns ``t`` (0 where the gap is already ≥ 0 at 0) and
    whether the gap is still below 0 at 1 (no crossing: the caller's conflict is 1). Plans
    still moving after ``steps`` get their next Newton iterate.
    """
    count = start.shape[0]
    t = start.copy()
    low, high = np.zeros(count), np.ones(count)
    low_known = np.zeros(count, dtype=bool)  # gap(low) < 0 seen
    high_known = np.zeros(count, dtype=bool)  # gap(high) ≥ 0 seen
    result = t.copy()
    below_at_one = np.zeros(count, dtype=bool)
    active = np.arange(count)
    for _ in range(steps):
        here = t[active]
        value, slope = gap(here, active)
        below = value < 0
        low[active] = np.where(below, here, low[active])
        high[active] = np.where(below, high[active], here)
        low_known[active] |= below
        high_known[active] |= ~below
        lo, hi = low[active], high[active]
        # A flat or vanishing slope gives an infinite step: the bracket takes over.
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            step = here - value / slope
        # A step out of the bracket tries the end itself first, then halves the bracket.
        step = np.where(
            step <= lo, np.where(low_known[active], 0.5 * (lo + hi), lo),
            np.where(step >= hi, np.where(high_known[active], 0.5 * (lo + hi), hi), step),
        )  # fmt: skip
        step = np.where(np.isfinite(step), step, 0.5 * (lo + hi))
        at_zero = ~below & (here <= 0.0)  # the target is met with no move at all
        at_one = below & (here >= 1.0)  # not even every hour reaches it
        done = (
            at_zero | at_one | (np.abs(value) <= ROOT_TOLERANCE**2)
            | (np.abs(step - here) <= ROOT_TOLERANCE)
            | ((hi - lo) <= ROOT_TOLERANCE)
        )  # fmt: skip
        result[active] = np.where(at_zero, 0.0, np.where(done & ~at_one, step, here))
        result[active] = np.where(np.abs(value) <= ROOT_TOLERANCE**2, here, result[active])
        below_at_one[active] = at_one
        t[active] = step
        active = active[~done]
        if not active.size:
            break
    result[active] = t[active]
    return result, below_at_one


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
        inside &= ((high - low) > ROOT_TOLERANCE) & (np.abs(value) > ROOT_TOLERANCE**2)
    return np.where((at_zero < 0) & (at_one >= 0), t, np.where(at_zero >= 0, 0.0, 1.0))


def goal_status(value: float, target: float, near_band: float) -> GoalStatus:
    """Met at or above target, near within ``near_band`` of it, missed below that."""
    if value >= target:
        return "met"
    if value >= (1.0 - near_band) * target:
        return "near"
    return "missed"
