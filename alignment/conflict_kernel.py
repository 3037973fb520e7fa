"""The role conflict's root (MODEL.md §4, :func:`alignment.goals.role_conflict`), compiled for one
plan's ``(products,)`` vectors: found with a safeguarded Newton root-find, and tracked by one
Newton step from its last root while the fixed point of :mod:`alignment.solver_kernel` moves the
mix. The vectorised forms in :class:`alignment.solver.HoursSolver` are the reference.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from alignment.kernel_cache import INLINE, JIT
from alignment.kernel_parts import EXP_LIMIT, segment_totals
from alignment.tolerances import LONGEST_TRACKED_STEP, NEWTON_STEPS, ROOT_TOLERANCE


@njit(**INLINE)
def _new_product_share(hours, direction, slope_wanted, habit, todays_mix, productivity, floor,
                       unassisted, gamma, fixed, size, strategic, strategic_market, segment,
                       totals, share, moves):  # fmt: skip
    """New-product share at ``hours`` (pay mix), and its derivative along ``direction``."""
    products = hours.shape[0]
    keep = 1.0 - habit
    total_hours = 0.0
    for i in range(products):
        total_hours += hours[i]
    for i in range(products):
        mix = hours[i] * keep + todays_mix[i] * (habit * total_hours)
        effective = mix * productivity
        moves[i] = 1.0 if effective > floor[i] else 0.0  # above the floor
        effective = max(effective, floor[i])
        assisted_hours = effective + unassisted[i]
        share[i] = math.exp(min(math.log(assisted_hours) * gamma[i] + fixed[i], EXP_LIMIT))
        # ∂v_j/∂t = γ_j (1 − h) ρ d_j / (ê_j + φ ē_j), where above the floor
        moves[i] *= gamma[i] * (keep * productivity) * direction[i] / assisted_hours
    segment_totals(share, segment, totals)
    for i in range(products):
        share[i] /= totals[segment[i]] + 1.0
    new_product = 0.0
    for i in range(products):
        new_product += strategic[i] * size[i] * share[i]
    new_product /= strategic_market
    if not slope_wanted:
        return new_product, new_product
    # ∂U/∂v_j = M s_j (str_j − Σ_seg str s), the sums taken in place (no array to allocate)
    totals[:] = 0.0
    for i in range(products):
        totals[segment[i]] += share[i] * strategic[i]
    slope = 0.0
    for i in range(products):
        slope += moves[i] * size[i] * share[i] * (strategic[i] - totals[segment[i]])
    return new_product, slope / strategic_market


@njit(**INLINE)
def _direction(hours, strategic, direction):
    """The move of hours onto strategic products as the conflict rises (sums to 0); the hours
    moved per hour of the plan."""
    products = hours.shape[0]
    moved, strategic_hours, total, strategic_count = 0.0, 0.0, 0.0, 0.0
    for i in range(products):
        moved += hours[i] * (1.0 - strategic[i])
        strategic_hours += hours[i] * strategic[i]
        total += hours[i]
        strategic_count += strategic[i]
    for i in range(products):
        if strategic_hours > 0:
            split = hours[i] * strategic[i] / strategic_hours
        else:
            split = strategic[i] / max(strategic_count, 1.0)
        direction[i] = split * moved - hours[i] * (1.0 - strategic[i])
    return moved / total if total > 0 else moved


@njit(**INLINE)
def _gap_along(hours, direction, t, habit, todays_mix, productivity, floor, unassisted, gamma,
               fixed, size, strategic, strategic_market, target, segment, totals,
               scratch):  # fmt: skip
    """New-product share less the target with ``t`` of the hours moved along ``direction``,
    and its slope in ``t``; ``scratch`` rows 1–3 are working space."""
    moved_hours, share, moves = scratch[1], scratch[2], scratch[3]
    for i in range(hours.shape[0]):
        moved_hours[i] = hours[i] + direction[i] * t
    value, slope = _new_product_share(
        moved_hours, direction, True, habit, todays_mix, productivity, floor, unassisted,
        gamma, fixed, size, strategic, strategic_market, segment, totals, share, moves,
    )  # fmt: skip
    return value - target, slope


@njit(**JIT)
def find_conflict(hours, start, habit, todays_mix, productivity, floor, unassisted, gamma, fixed,
                  size, strategic, strategic_market, target, segment, totals, scratch,
                  start_gap=np.nan, start_slope=np.nan):  # fmt: skip
    """:func:`alignment.goals.role_conflict` by safeguarded Newton steps from ``start``;
    ``scratch`` is four rows of working space ``(4, products)``. ``start_gap`` and
    ``start_slope``, where the caller has them, are :func:`_gap_along` at the starting point,
    which is then not worked out again."""
    direction = scratch[0]
    per_hour = _direction(hours, strategic, direction)
    t = start / (per_hour if per_hour > 0 else 1.0)
    t = min(max(t, 0.0), 1.0)
    low, high, low_known, high_known = 0.0, 1.0, False, False
    result, below_at_one = t, False
    finished = False
    for newton_step in range(NEWTON_STEPS):
        here = t
        if newton_step == 0 and not np.isnan(start_gap):
            value, slope = start_gap, start_slope
        else:
            value, slope = _gap_along(
                hours, direction, here, habit, todays_mix, productivity, floor, unassisted,
                gamma, fixed, size, strategic, strategic_market, target, segment, totals,
                scratch,
            )  # fmt: skip
        below = value < 0
        if below:
            low, low_known = here, True
        else:
            high, high_known = here, True
        step = here - value / slope
        if step <= low:
            step = 0.5 * (low + high) if low_known else low
        elif step >= high:
            step = 0.5 * (low + high) if high_known else high
        if not np.isfinite(step):
            step = 0.5 * (low + high)
        at_zero = not below and here <= 0.0
        at_one = below and here >= 1.0
        tiny = abs(value) <= ROOT_TOLERANCE**2
        done = at_zero or at_one or tiny or abs(step - here) <= ROOT_TOLERANCE
        done = done or (high - low) <= ROOT_TOLERANCE
        result = 0.0 if at_zero else (step if done and not at_one else here)
        if tiny:
            result = here
        below_at_one = at_one
        t = step
        if done:
            finished = True
            break
    if not finished:
        result = t
    if below_at_one:
        return 1.0
    return min(max(result * per_hour, 0.0), 1.0)


@njit(**INLINE)
def track_conflict(hours, conflict, habit, todays_mix, productivity, floor, unassisted, gamma,
                    fixed, size, strategic, strategic_market, target, segment, totals,
                    scratch):  # fmt: skip
    """One Newton step of the role conflict from ``conflict`` for a mix that has moved."""
    direction = scratch[0]
    per_hour = _direction(hours, strategic, direction)
    fraction = min(conflict / (per_hour if per_hour > 0 else 1.0), 1.0)
    gap, slope = _gap_along(
        hours, direction, fraction, habit, todays_mix, productivity, floor, unassisted, gamma,
        fixed, size, strategic, strategic_market, target, segment, totals, scratch,
    )  # fmt: skip
    # Short of the target with every hour moved, or past it with none (and not falling as
    # hours move): the conflict is 1 or 0, as the root-find below would answer from here.
    if fraction >= 1.0 and gap < 0:
        return 1.0
    if fraction <= 0.0 and gap >= 0.0 and slope >= 0.0:
        return 0.0
    step = fraction - gap / slope
    if not np.isfinite(step):
        step = fraction
    # A step past moving every hour, or a long one, may have overshot: the safeguarded
    # root-find answers instead, as vectorised, from this point (already worked out).
    if (step > 1.0 and fraction < 1.0) or abs(step - fraction) > LONGEST_TRACKED_STEP:
        same_start = min(max(fraction, 0.0), 1.0) == fraction
        return find_conflict(hours, conflict, habit, todays_mix, productivity, floor,
                             unassisted, gamma, fixed, size, strategic, strategic_market,
                             target, segment, totals, scratch,
                             gap if same_start else np.nan,
                             slope if same_start else np.nan)  # fmt: skip
    step = min(max(step, 0.0), 1.0)
    return step * per_hour
