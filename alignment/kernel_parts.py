"""One plan's building blocks of the compiled solvers: shares, gain weights, power steps,
the team's payout and motivation, for a single plan's ``(products,)`` vectors.

Each function is the per-plan form of a vectorised one, named beside it, with the same
arithmetic in the same order, so the compiled solvers (:mod:`alignment.solver_kernel`,
:mod:`alignment.allocator_kernel`) land where the vectorised ones do. numba compiles them once
per machine (:mod:`alignment.kernel_cache`).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from alignment.kernel_cache import INLINE
from alignment.tolerances import (
    MAX_STEADY_RATIO,
    MAX_STEP_EXPONENT,
    NEAR_RELATIVE_MOVE,
    NO_GAIN_WEIGHT,
    PLAIN_DAMPING,
    STEADY_RATIO_CHANGE,
)

SQRT_HALF = math.sqrt(0.5)
EXP_LIMIT = 700.0  # exp() overflows above ~709: utilities above 700 are a share of 1 anyway


@njit(**INLINE)
def segment_totals(values, segment, totals):
    """``Σ`` of ``values`` over each product's segment, into ``totals`` ``(segments,)``."""
    totals[:] = 0.0
    for i in range(values.shape[0]):
        totals[segment[i]] += values[i]


@njit(**INLINE)
def logit(attraction, segment, totals):
    """Attractions to shares in place: ``a / (1 + Σ_seg a)``."""
    segment_totals(attraction, segment, totals)
    for i in range(attraction.shape[0]):
        attraction[i] /= totals[segment[i]] + 1.0


@njit(**INLINE)
def solver_shares(hours, productivity, floor, unassisted, gamma, fixed, segment, totals,
                  share, assisted):  # fmt: skip
    """:meth:`alignment.solver.HoursSolver.shares`: hours scaled by productivity, then floored."""
    for i in range(hours.shape[0]):
        effective = max(hours[i] * productivity, floor[i])
        assisted_hours = effective + unassisted[i]
        assisted[i] = effective / assisted_hours
        share[i] = math.exp(min(math.log(assisted_hours) * gamma[i] + fixed[i], EXP_LIMIT))
    logit(share, segment, totals)


@njit(**INLINE)
def allocator_shares(hours, productivity, floor, unassisted, gamma, fixed, segment, totals,
                     share, assisted):  # fmt: skip
    """The allocator's shares (``alignment.effort._Batch.shares``): floored, then scaled."""
    for i in range(hours.shape[0]):
        effective = max(hours[i], floor[i]) * productivity
        assisted_hours = effective + unassisted[i]
        assisted[i] = effective / assisted_hours
        share[i] = math.exp(min(math.log(assisted_hours) * gamma[i] + fixed[i], EXP_LIMIT))
    logit(share, segment, totals)


@njit(**INLINE)
def gain_weights(value, share, assisted, weight_scale, segment, totals, weights):
    """:func:`alignment.effort.gain_weights`: ``γ f M s (v − v̄)`` floored at 0; their sum."""
    products = value.shape[0]
    for i in range(products):
        weights[i] = value[i] * share[i]
    segment_totals(weights, segment, totals)
    total = 0.0
    for i in range(products):
        weight = (value[i] - totals[segment[i]]) * share[i] * weight_scale[i] * assisted[i]
        weights[i] = max(weight, 0.0)
        total += weights[i]
    return total


@njit(**INLINE)
def power_step(gamma, budget, floor, hours, share, assisted, weights, total_weight, step):
    """:func:`alignment.effort.power_step` for one plan, into ``step``."""
    products = hours.shape[0]
    # Logs apart: a total weight near the smallest float (a capped plan that pays next to
    # nothing more per unit) would make budget / total_weight overflow to inf.
    scale = math.log(budget) - math.log(total_weight)
    largest = -np.inf
    for i in range(products):
        kappa = (1.0 - (gamma[i] - share[i] * (2.0 * gamma[i]))) * assisted[i]
        kappa = max(kappa, 1.0 / MAX_STEP_EXPONENT)
        step[i] = (log_ratio(weights[i], max(hours[i], floor[i])) + scale) / kappa
        largest = max(largest, step[i])
    total = 0.0
    for i in range(products):
        step[i] = max(hours[i], floor[i]) * math.exp(step[i] - largest)
        total += step[i]
    total /= budget
    for i in range(products):
        step[i] = step[i] / total - hours[i]


@njit(**INLINE)
def log_ratio(weight, hours):
    """``log(weight / hours)``, −inf where an hour gains nothing: one log where the quotient is
    a normal float, two where it would overflow or underflow."""
    if not weight > 0.0:
        return -np.inf
    ratio = weight / hours
    if 1e-300 < ratio < 1e300:
        return math.log(ratio)
    return math.log(weight) - math.log(hours)


@njit(**INLINE)
def plain_step(budget, hours, weights, total_weight, step):
    """The plain damped fixed-point step ``H w⁺ / Σ w⁺ − e``."""
    for i in range(hours.shape[0]):
        step[i] = (weights[i] / total_weight) * budget - hours[i]


@njit(**INLINE)
def allocator_step(value, share, assisted, weight_scale, gamma, budget, floor, hours, segment,
                   totals, weights, step, iteration, power_steps, damping):  # fmt: skip
    """One step of the allocation at ``value`` per unit into ``step``, and its damping θ:
    power steps (θ = ``damping``) for the first ``power_steps``, plain damped ones after; no
    move where no product gains from an hour."""
    total_weight = gain_weights(value, share, assisted, weight_scale, segment, totals, weights)
    if iteration <= power_steps:
        theta = damping
        if total_weight > NO_GAIN_WEIGHT:
            power_step(gamma, budget, floor, hours, share, assisted, weights, total_weight, step)
    else:
        theta = PLAIN_DAMPING
        if total_weight > NO_GAIN_WEIGHT:
            plain_step(budget, hours, weights, total_weight, step)
    if not total_weight > NO_GAIN_WEIGHT:
        step[:] = 0.0
    return theta


@njit(**INLINE)
def largest_move(step):
    size = 0.0
    for i in range(step.shape[0]):
        size = max(size, abs(step[i]))
    return size


@njit(**INLINE)
def fading(size, last_size, last_ratio):
    """:func:`alignment.effort.fading` for one plan: (steady, ratio)."""
    ratio = size / last_size  # NaN where both are 0: not steady
    steady = abs(ratio - last_ratio) < STEADY_RATIO_CHANGE and ratio < MAX_STEADY_RATIO
    return steady, ratio


@njit(**INLINE)
def near_optimum(size, ratio, last_ratio, distance, step, hours, floor):
    """:func:`alignment.effort.near_optimum` for one plan: (near, ``r``)."""
    shrink = ratio if not ratio <= last_ratio else last_ratio  # the larger; NaN stays NaN
    if not (shrink < MAX_STEADY_RATIO and size * shrink / (1.0 - shrink) < distance):
        return False, shrink
    for i in range(hours.shape[0]):
        if not abs(step[i]) < NEAR_RELATIVE_MOVE * max(hours[i], floor[i]):
            return False, shrink
    return True, shrink


@njit(**INLINE)
def extrapolate(hours, step, factor, budget):
    """Jump ``factor`` steps at once, then back onto ``Σ e = H`` with no negative hours."""
    total = 0.0
    for i in range(hours.shape[0]):
        hours[i] = max(hours[i] + step[i] * factor, 0.0)
        total += hours[i]
    for i in range(hours.shape[0]):
        hours[i] *= budget / total


@njit(**INLINE)
def ndtr(z):
    """The standard normal distribution function (``scipy.special.ndtr``)."""
    return 0.5 * math.erfc(-z * SQRT_HALF)


@njit(**INLINE)
def _below(log_x, mu, sigma, inverse_total):
    z = (log_x - mu) / sigma
    return ndtr(z), ndtr(z - sigma), inverse_total * ndtr(z + sigma)


@njit(**INLINE)
def team_payout(plain_commission, quota_basis, reps, quota_per_rep, accelerator, cap, has_cap,
                sigma, inverse_total):  # fmt: skip
    """:func:`alignment.commission.team_payout` for one plan: (share at quota, variable pay per
    rep, commission multiplier, attainment slope). ``inverse_total`` is ``E[r⁻¹] = exp(σ²)``,
    worked out once by the caller."""
    attainment = max(quota_basis, 0.0) / (reps * quota_per_rep)
    plain_mean = max(plain_commission / reps, 0.0)
    mu = -0.5 * sigma**2
    extra = accelerator - 1.0
    reaches = attainment > 1e-100
    quota_point = 1.0 / max(attainment, 1e-100) if reaches else np.inf
    finite_q = quota_point if reaches else 0.0
    share_q, volume_q, inverse_q = _below(-np.log(attainment), mu, sigma, inverse_total)
    cap_share = 0.0
    if not has_cap:
        share_low, volume_low = share_q, volume_q
        reached = 1.0 - share_q
        accelerated = 1.0 - volume_q
        inverse = inverse_total - inverse_q
    else:
        below = cap / plain_mean
        above = (below + extra * quota_point) / accelerator
        if plain_mean > 0:
            cap_point = below if plain_mean * quota_point >= cap else above
        else:
            cap_point = np.inf
        cap_share, cap_volume, cap_inverse = _below(np.log(cap_point), mu, sigma, inverse_total)
        if cap_point < quota_point:
            share_low, volume_low = cap_share, cap_volume
            reached, accelerated, inverse = 0.0, 0.0, 0.0
        else:
            share_low, volume_low = share_q, volume_q
            reached = cap_share - share_q
            accelerated = cap_volume - volume_q
            inverse = cap_inverse - inverse_q
    variable_pay = plain_mean * (
        volume_low + accelerator * accelerated - extra * finite_q * reached
    )
    if has_cap:
        variable_pay = variable_pay + cap * (1.0 - cap_share)
    multiplier = share_low + accelerator * reached - extra * finite_q * inverse
    slope = extra * plain_mean * finite_q**2 * inverse
    return 1.0 - share_q, variable_pay, multiplier, slope


@njit(**INLINE)
def motivation_score(share_at_quota, attainment_target, conflict, marginal_pay, variable_pay,
                     expected_earnings, on_target_earnings):  # fmt: skip
    """:func:`alignment.motivation.rep_motivation`'s score, 0–100, for one plan."""
    expectancy = min(share_at_quota / attainment_target, 1.0)
    expectancy *= min(max(1.0 - conflict, 0.0), 1.0)
    instrumentality = 0.0
    if variable_pay > 0:
        instrumentality = min(max(marginal_pay / variable_pay, 0.0), 1.0)
    valence = min(max(expected_earnings / on_target_earnings, 0.0), 1.0)
    return 100.0 * expectancy * instrumentality * valence
