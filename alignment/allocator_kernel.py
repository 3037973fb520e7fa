"""The allocation of hours (:func:`alignment.effort.allocate_hours`), compiled and solved one
plan at a time: the same power and plain steps, extrapolation and stopping rule, on one plan's
``(products,)`` vectors. ``allocate_hours_vectorised`` is the reference it is tested against.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from alignment.kernel_cache import INLINE, JIT
from alignment.kernel_parts import (
    allocator_shares,
    allocator_step,
    extrapolate,
    fading,
    largest_move,
    near_optimum,
)
from alignment.kernel_views import borrowed
from alignment.tolerances import EXTRAPOLATE_AFTER


@njit(**INLINE)
def _value(value, share, size):
    total = 0.0
    for i in range(value.shape[0]):
        total += size[i] * (value[i] * share[i])
    return total


@njit(**JIT)
def allocate_plans(value, fixed, gamma, unassisted, weight_scale, productivity, budget, start,
                   floor, size, segment, segments, damping, tolerance, distance, max_iterations,
                   power_steps, out):  # fmt: skip
    """Every plan's allocation into ``out`` ``(plans, products)``; per-plan arrays are
    ``(plans, products)`` or ``(plans,)``. Returns whether each plan settled and the most
    iterations any plan took. ``distance`` (0: none) also settles a plan whose steps shrink
    fast enough to leave it within ``distance × H`` of its optimum (:func:`near_optimum`)."""
    plans, products = value.shape
    converged = np.zeros(plans, dtype=np.bool_)
    most_iterations = 0
    # Everything the loop touches is borrowed (alignment.kernel_views): the caller holds the
    # arguments, and ``work`` and ``work_totals`` are used again after the loop.
    value, fixed, gamma = borrowed(value), borrowed(fixed), borrowed(gamma)
    unassisted, weight_scale = borrowed(unassisted), borrowed(weight_scale)
    productivity, budget, start = borrowed(productivity), borrowed(budget), borrowed(start)
    floor, size, segment, out = borrowed(floor), borrowed(size), borrowed(segment), borrowed(out)
    work, work_totals = np.empty((5, products)), np.empty(segments)
    totals, borrowed_work = borrowed(work_totals), borrowed(work)
    share, assisted = borrowed_work[0], borrowed_work[1]
    weights, step, best_hours = borrowed_work[2], borrowed_work[3], borrowed_work[4]
    for k in range(plans):
        hours = out[k]
        hours[:] = start[k]
        k_value, k_fixed, k_gamma = value[k], fixed[k], gamma[k]
        k_unassisted, k_weight_scale = unassisted[k], weight_scale[k]
        rho, k_budget = productivity[k], budget[k]
        best_value = -np.inf
        last_size, last_ratio = np.inf, 0.0
        shrink, jumped = np.inf, True
        iteration = 0
        while iteration < max_iterations:
            iteration += 1
            allocator_shares(hours, rho, floor, k_unassisted, k_gamma, k_fixed, segment,
                             totals, share, assisted)  # fmt: skip
            current = _value(k_value, share, size)
            if current > best_value:
                best_value = current
                best_hours[:] = hours
            theta = allocator_step(
                k_value, share, assisted, k_weight_scale, k_gamma, k_budget, floor, hours,
                segment, totals, weights, step, iteration, power_steps, damping,
            )  # fmt: skip
            size_now = largest_move(step)
            settled = size_now < tolerance * k_budget / theta
            ratio = size_now / last_size if iteration > 1 else np.inf
            near, near_ratio = False, 0.0
            if distance > 0.0 and not settled and not jumped:
                near, near_ratio = near_optimum(
                    size_now, ratio, shrink, distance * k_budget / theta, step, hours, floor
                )
            shrink = ratio
            steady = False
            if iteration > EXTRAPOLATE_AFTER:
                steady, last_ratio = fading(size_now, last_size, last_ratio)
            last_size, jumped = size_now, steady
            if near:
                # the rest of the geometric series at once (Aitken's extrapolation), and stop
                extrapolate(hours, step, theta / (1.0 - near_ratio), k_budget)
                settled = True
            elif steady:
                extrapolate(hours, step, theta / (1.0 - last_ratio), k_budget)
                last_ratio = 0.0
            else:
                for i in range(products):
                    hours[i] += step[i] * theta
            if settled:
                converged[k] = True
                break
        most_iterations = max(most_iterations, iteration)
        if not converged[k]:
            allocator_shares(hours, rho, floor, k_unassisted, k_gamma, k_fixed, segment,
                             totals, share, assisted)  # fmt: skip
            if _value(k_value, share, size) < best_value:
                hours[:] = best_hours
        total = 0.0
        for i in range(products):
            hours[i] = max(hours[i], 0.0)
            total += hours[i]
        for i in range(products):
            hours[i] *= k_budget / total
    work_totals[:0] = work[0, :0]  # uses both owners of the borrowed views: they live to here
    return converged, most_iterations
