"""The fixed point of mix, pay and hours (:meth:`alignment.solver.HoursSolver.solve`), compiled
and solved one plan at a time.

The vectorised solver spends most of its time dispatching numpy calls on a handful of products;
this is the same iteration, step for step, on one plan's ``(products,)`` vectors in a compiled
loop, so a plan costs its own iterations and no more. ``HoursSolver.solve_vectorised`` is the
reference it is tested against.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from alignment.conflict_kernel import find_conflict, track_conflict
from alignment.kernel_cache import INLINE, JIT
from alignment.kernel_parts import (
    allocator_step,
    extrapolate,
    fading,
    largest_move,
    motivation_score,
    solver_shares,
    team_payout,
)
from alignment.kernel_views import borrowed
from alignment.tolerances import (
    CONFLICT_TOLERANCE,
    DAMPING,
    EXTRAPOLATE_MIX_TOLERANCE,
    FULL_STEPS,
    HOURS_ROUNDS,
    HOURS_TOLERANCE,
    LOOSE_HOURS_TOLERANCE,
    MAX_ITERATIONS,
    MAX_RATIO,
    MIN_HOURS_DAMPING,
    PAY_TOLERANCE,
    SETTLE_STEPS,
    STEADY_HOURS_RATIO,
)

# Scalars of the team and plan, in this order in ``team``:
REPS, QUOTA_PER_REP, ACCELERATOR, CAP, HAS_CAP, SPREAD = 0, 1, 2, 3, 4, 5
BASE_SALARY, ON_TARGET, ATTAINMENT_TARGET = 6, 7, 8
REFERENCE_HOURS, FEWEST_HOURS, MOST_HOURS = 9, 10, 11
TARGET, STRATEGIC_MARKET, POWER_STEPS, INVERSE_TOTAL = 12, 13, 14, 15
TEAM_FIELDS = 16


def pack_team(*, reps: float, quota_per_rep: float, accelerator: float, cap: float | None,
              spread: float, base_salary: float, on_target: float, attainment_target: float,
              reference_hours: float, fewest_hours: float, most_hours: float, target: float,
              strategic_market: float, power_steps: int) -> np.ndarray:  # fmt: skip
    """The team's and plan's scalars as :func:`solve_plans` reads them (``team``)."""
    team = np.zeros(TEAM_FIELDS)
    team[[REPS, QUOTA_PER_REP, ACCELERATOR, SPREAD, BASE_SALARY, ON_TARGET]] = (
        reps, quota_per_rep, accelerator, spread, base_salary, on_target,
    )  # fmt: skip
    team[[ATTAINMENT_TARGET, REFERENCE_HOURS, FEWEST_HOURS, MOST_HOURS]] = (
        attainment_target, reference_hours, fewest_hours, most_hours,
    )  # fmt: skip
    team[[TARGET, STRATEGIC_MARKET, POWER_STEPS]] = (target, strategic_market, power_steps)
    team[CAP], team[HAS_CAP] = (0.0, 0.0) if cap is None else (cap, 1.0)
    team[INVERSE_TOTAL] = math.exp(spread**2)  # E[r⁻¹] of reps' log-normal volume
    return team


@njit(**INLINE)
def _settle_mix(hours, pay, budget, productivity, floor, unassisted, gamma, fixed, weight_scale,
                segment, totals, share, assisted, weights, step, iteration,
                power_steps):  # fmt: skip
    """Allocator steps at fixed pay and hours until the mix settles; whether it did."""
    last, last_ratio = np.inf, 0.0
    for step_number in range(SETTLE_STEPS):
        solver_shares(hours, productivity, floor, unassisted, gamma, fixed, segment, totals,
                      share, assisted)  # fmt: skip
        theta = allocator_step(
            pay, share, assisted, weight_scale, gamma, budget, floor, hours, segment, totals,
            weights, step, iteration + step_number, power_steps, 1.0,
        )  # fmt: skip
        size = largest_move(step)
        moving = size >= HOURS_TOLERANCE * budget / theta
        steady, ratio = fading(size, last, last_ratio)
        if steady:
            extrapolate(hours, step, theta / (1.0 - ratio), budget)
        else:
            for i in range(hours.shape[0]):
                hours[i] += step[i] * theta
        last, last_ratio = size, 0.0 if steady else ratio
        if not moving:
            return True
    return False


@njit(**JIT)
def next_hours(hours, gap, last_hours, last_gap, low, high, fewest, most):
    """The next H of a root-find on ``gap`` = (hours motivation asks for) − H: where the secant
    through the last two points meets zero, or H + gap before there are two; bisecting the
    bracket ``(low, high)`` known so far when that falls outside it; within the team's range."""
    guess = hours + gap
    if np.isfinite(last_gap) and gap != last_gap:
        guess = hours - gap * (hours - last_hours) / (gap - last_gap)
    if not low < guess < high:
        guess = 0.5 * (low + high) if np.isfinite(low) and np.isfinite(high) else hours + gap
    return min(max(guess, fewest), most)


@njit(**INLINE)
def _effort_hours(score, reference, response, team):
    """``H = H̄ (M / M̄)^ζ`` within the team's range; ``H̄`` where hours are held."""
    if np.isnan(reference):
        return team[REFERENCE_HOURS]
    ratio = score / reference if reference > 0 else 1.0
    hours = team[REFERENCE_HOURS] * max(ratio, 0.0) ** response
    return min(max(hours, team[FEWEST_HOURS]), team[MOST_HOURS])


@njit(**INLINE)
def _payout(share, hours, team_hours, habit, todays_mix, productivity, floor, unassisted, gamma,
            fixed, segment, totals, size, pay_unit, basis_unit, quota_unit, team, mixed, sold,
            spare, units, marginal_pay):  # fmt: skip
    """The team's payout on the units sold at ``hours`` (whose shares are ``share``): the
    share of reps at quota, variable pay per rep and the marginal pay on the units sold.
    Fills ``units`` and ``marginal_pay`` (per unit)."""
    products = hours.shape[0]
    if habit != 0.0:
        for i in range(products):
            mixed[i] = hours[i] + habit * (todays_mix[i] * team_hours - hours[i])
        solver_shares(mixed, productivity, floor, unassisted, gamma, fixed, segment, totals,
                      sold, spare)  # fmt: skip
    else:
        sold[:] = share
    plain, basis = 0.0, 0.0
    for i in range(products):
        units[i] = size[i] * sold[i]
        plain += pay_unit[i] * units[i]
        basis += basis_unit[i] * units[i]
    share_at_quota, variable, multiplier, slope = team_payout(
        plain, basis, team[REPS], team[QUOTA_PER_REP], team[ACCELERATOR], team[CAP],
        team[HAS_CAP] > 0, team[SPREAD], team[INVERSE_TOTAL],
    )  # fmt: skip
    value = 0.0
    for i in range(products):
        marginal_pay[i] = pay_unit[i] * multiplier + quota_unit[i] * slope
        value += marginal_pay[i] * units[i]
    return share_at_quota, variable, value


@njit(**JIT)
def solve_plans(fixed, gamma, unassisted, weight_scale, pay_per_unit, quota_per_unit,
                basis_per_unit, productivity, habit, effort_response, reference_motivation,
                pay_scale, size, floor, todays_mix, strategic, segment, segments, team,
                respond):  # fmt: skip
    """Every plan's fixed point; per-plan arrays are ``(plans, products)`` or ``(plans,)``.

    Returns the pay mix ``(plans, products)``, team hours, role conflict, whether each plan
    settled, and the most iterations any plan took.
    """
    plans, products = fixed.shape
    out_hours = np.empty((plans, products))
    out_team_hours, out_conflict = np.empty(plans), np.empty(plans)
    settled = np.zeros(plans, dtype=np.bool_)
    most_iterations = 0
    # Everything the loop touches is borrowed (alignment.kernel_views): the caller holds the
    # arguments, and ``work`` and ``work_totals`` are used again after the loop.
    fixed, gamma, unassisted = borrowed(fixed), borrowed(gamma), borrowed(unassisted)
    weight_scale, pay_per_unit = borrowed(weight_scale), borrowed(pay_per_unit)
    quota_per_unit, basis_per_unit = borrowed(quota_per_unit), borrowed(basis_per_unit)
    productivity, habit = borrowed(productivity), borrowed(habit)
    effort_response = borrowed(effort_response)
    reference_motivation, pay_scale = borrowed(reference_motivation), borrowed(pay_scale)
    size, floor, todays_mix = borrowed(size), borrowed(floor), borrowed(todays_mix)
    strategic, segment, team = borrowed(strategic), borrowed(segment), borrowed(team)
    work, work_totals = np.empty((15, products)), np.empty(segments)
    totals, borrowed_work = borrowed(work_totals), borrowed(work)
    share, assisted, sold = borrowed_work[0], borrowed_work[1], borrowed_work[2]
    mixed, units, new_pay = borrowed_work[3], borrowed_work[4], borrowed_work[5]
    weights, step, spare = borrowed_work[6], borrowed_work[7], borrowed_work[8]
    hours, pay, scratch = borrowed_work[9], borrowed_work[10], borrowed_work[11:15]
    reference_hours = team[REFERENCE_HOURS]
    power_steps = int(team[POWER_STEPS])
    has_strategic = strategic.sum() > 0
    for k in range(plans):
        rho, plan_habit, response = productivity[k], habit[k], effort_response[k]
        reference, scale = reference_motivation[k], pay_scale[k]
        k_fixed, k_gamma, k_unassisted = fixed[k], gamma[k], unassisted[k]
        k_weight_scale, k_pay_unit = weight_scale[k], pay_per_unit[k]
        k_quota_unit, k_basis_unit = quota_per_unit[k], basis_per_unit[k]
        team_hours = reference_hours
        for i in range(products):
            hours[i] = todays_mix[i] * team_hours
            pay[i] = k_pay_unit[i]
        conflict, last_change, last_ratio = 0.0, 0.0, 0.0
        hours_damping, last_step = 1.0, np.inf
        known, primed, done = False, False, False
        iteration = 0
        while iteration < MAX_ITERATIONS:
            iteration += 1
            solver_shares(hours, rho, floor, k_unassisted, k_gamma, k_fixed, segment, totals,
                          share, assisted)  # fmt: skip
            share_at_quota, variable, marginal_value = _payout(
                share, hours, team_hours, plan_habit, todays_mix, rho, floor, k_unassisted,
                k_gamma, k_fixed, segment, totals, size, k_pay_unit, k_basis_unit,
                k_quota_unit, team, mixed, sold, spare, units, new_pay,
            )  # fmt: skip
            pay_move = 0.0
            for i in range(products):
                pay_move = max(pay_move, abs(new_pay[i] - pay[i]))
            pay_settled = pay_move <= PAY_TOLERANCE * scale
            if respond:
                release = not known and primed and pay_settled
                if known and has_strategic:
                    conflict = track_conflict(
                        hours, conflict, plan_habit, todays_mix, rho, floor, k_unassisted,
                        k_gamma, k_fixed, size, strategic, team[STRATEGIC_MARKET],
                        team[TARGET], segment, totals, scratch,
                    )  # fmt: skip
                elif not known:
                    conflict = 0.0
                if release:
                    if has_strategic:
                        conflict = find_conflict(
                            hours, 0.0, plan_habit, todays_mix, rho, floor, k_unassisted,
                            k_gamma, k_fixed, size, strategic, team[STRATEGIC_MARKET],
                            team[TARGET], segment, totals, scratch,
                        )  # fmt: skip
                    else:
                        conflict = 0.0
                    known = True
                score = motivation_score(
                    share_at_quota, team[ATTAINMENT_TARGET], conflict, marginal_value,
                    variable * team[REPS], team[BASE_SALARY] + variable, team[ON_TARGET],
                )  # fmt: skip
                if known:
                    new_team_hours = _effort_hours(score, reference, response, team)
                else:
                    new_team_hours = team_hours
                hours_settled = known and (
                    abs(new_team_hours - team_hours) <= PAY_TOLERANCE * reference_hours
                )
            else:
                new_team_hours, hours_settled = team_hours, True
            damping = 1.0 if iteration <= FULL_STEPS else DAMPING
            for i in range(products):
                pay[i] += damping * (new_pay[i] - pay[i])
            change = new_team_hours - team_hours
            # Aitken's extrapolation on H, as the vectorised solver explains.
            ratio = change / last_change
            steady = (
                abs(ratio - last_ratio) < STEADY_HOURS_RATIO * max(abs(ratio), 1.0)
                and ratio < MAX_RATIO
                and np.isfinite(ratio)
                and last_step < EXTRAPOLATE_MIX_TOLERANCE * team_hours
            )
            swung = hours_damping < 1.0
            move = not swung or last_step < LOOSE_HOURS_TOLERANCE * team_hours
            steady = steady and not swung
            if move and change * last_change < 0.0:
                hours_damping = max(0.5 * hours_damping, MIN_HOURS_DAMPING)
            next_team_hours = team_hours
            if move:
                if steady:
                    next_team_hours = team_hours + change / (1.0 - ratio)
                else:
                    next_team_hours = team_hours + min(damping, hours_damping) * change
            next_team_hours = min(max(next_team_hours, team[FEWEST_HOURS]), team[MOST_HOURS])
            if move:
                last_change = change
                last_ratio = 0.0 if steady else ratio
            for i in range(products):
                hours[i] *= next_team_hours / team_hours
            team_hours = next_team_hours

            theta = allocator_step(
                pay, share, assisted, k_weight_scale, k_gamma, team_hours, floor, hours,
                segment, totals, weights, step, iteration, power_steps, 1.0,
            )  # fmt: skip
            last_step = largest_move(step)
            mix_settled = last_step < LOOSE_HOURS_TOLERANCE * team_hours / theta
            for i in range(products):
                hours[i] += step[i] * theta
            if respond and not known and not primed and pay_settled and mix_settled:
                # Finish the hours-held mix first, so the hours start from its solution.
                _settle_mix(
                    hours, pay, team_hours, rho, floor, k_unassisted, k_gamma, k_fixed,
                    k_weight_scale, segment, totals, share, assisted, weights, step,
                    iteration, power_steps,
                )  # fmt: skip
                primed = True
            if pay_settled and hours_settled and mix_settled:
                exact = _settle_mix(
                    hours, pay, team_hours, rho, floor, k_unassisted, k_gamma, k_fixed,
                    k_weight_scale, segment, totals, share, assisted, weights, step,
                    iteration, power_steps,
                )  # fmt: skip
                if respond:
                    # Hours settle on the motivation as it will be reported (at the settled mix,
                    # its pay included), by a bracketed secant on H over whole allocations:
                    # the joint steps' mix lags theirs by a step, which can leave H off where
                    # motivation is very sensitive to the mix.
                    low, high, last_hours, last_gap = -np.inf, np.inf, np.nan, np.nan
                    for hours_round in range(HOURS_ROUNDS + 1):
                        if has_strategic:
                            conflict = find_conflict(
                                hours, conflict, plan_habit, todays_mix, rho, floor,
                                k_unassisted, k_gamma, k_fixed, size, strategic,
                                team[STRATEGIC_MARKET], team[TARGET], segment, totals, scratch,
                            )  # fmt: skip
                        solver_shares(hours, rho, floor, k_unassisted, k_gamma, k_fixed,
                                      segment, totals, share, assisted)  # fmt: skip
                        now_share, now_variable, now_value = _payout(
                            share, hours, team_hours, plan_habit, todays_mix, rho, floor,
                            k_unassisted, k_gamma, k_fixed, segment, totals, size, k_pay_unit,
                            k_basis_unit, k_quota_unit, team, mixed, sold, spare, units, new_pay,
                        )  # fmt: skip
                        again = motivation_score(
                            now_share, team[ATTAINMENT_TARGET], conflict, now_value,
                            now_variable * team[REPS], team[BASE_SALARY] + now_variable,
                            team[ON_TARGET],
                        )  # fmt: skip
                        gap = _effort_hours(again, reference, response, team) - team_hours
                        if not exact or abs(gap) <= CONFLICT_TOLERANCE * reference_hours:
                            break
                        if hours_round == HOURS_ROUNDS:
                            break
                        if gap > 0.0:
                            low = max(low, team_hours)
                        else:
                            high = min(high, team_hours)
                        guess = next_hours(team_hours, gap, last_hours, last_gap, low, high,
                                           team[FEWEST_HOURS], team[MOST_HOURS])  # fmt: skip
                        if not low < high or guess == team_hours:
                            break
                        last_hours, last_gap = team_hours, gap
                        for i in range(products):
                            pay[i] = new_pay[i]
                            hours[i] *= guess / team_hours
                        team_hours = guess
                        exact = _settle_mix(
                            hours, pay, team_hours, rho, floor, k_unassisted, k_gamma, k_fixed,
                            k_weight_scale, segment, totals, share, assisted, weights, step,
                            iteration, power_steps,
                        )  # fmt: skip
                    exact = exact and abs(gap) <= CONFLICT_TOLERANCE * reference_hours
                if exact:
                    done = True
                    break
        most_iterations = max(most_iterations, iteration)
        settled[k] = done
        total = 0.0
        for i in range(products):
            hours[i] = max(hours[i], 0.0)
            total += hours[i]
        for i in range(products):
            out_hours[k, i] = hours[i] * (team_hours / total)
        out_team_hours[k] = team_hours
        out_conflict[k] = conflict
    work_totals[:0] = work[0, :0]  # uses both owners of the borrowed views: they live to here
    return out_hours, out_team_hours, out_conflict, settled, most_iterations
