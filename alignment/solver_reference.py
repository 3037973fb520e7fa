"""The fixed point of :mod:`alignment.solver` for every plan at once, in numpy: the reference the
compiled per-plan loop (:mod:`alignment.solver_kernel`) is tested against, step for step.

Arrays are ``(products, plans)``; plans that settle leave the working arrays in batches.
"""

from __future__ import annotations

import numpy as np

from alignment.solver import Columns, HoursSolver, Solution, finite_plans
from alignment.tolerances import (
    CONFLICT_TOLERANCE,
    DAMPING,
    DROP_SHARE,
    EXTRAPOLATE_MIX_TOLERANCE,
    FULL_STEPS,
    HOURS_ROUNDS,
    LOOSE_HOURS_TOLERANCE,
    MAX_ITERATIONS,
    MAX_RATIO,
    MIN_HOURS_DAMPING,
    PAY_TOLERANCE,
    STEADY_HOURS_RATIO,
)


def _settle_hours(
    solver: HoursSolver, hours: np.ndarray, team_hours: np.ndarray, pay: np.ndarray,
    conflict: np.ndarray, c: Columns, exact: np.ndarray, iteration: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """Hours settled on the motivation as it will be reported (at the settled mix, its pay
    included), by a bracketed secant on H over whole allocations: the joint steps' mix lags
    theirs by a step, which can leave H off where motivation is very sensitive to the mix.
    Returns the mix, H, pay and conflict, and which plans settled."""
    hours, team_hours, pay = hours.copy(), team_hours.copy(), pay.copy()
    conflict, exact = conflict.copy(), exact.copy()
    plans = team_hours.size
    low, high = np.full(plans, -np.inf), np.full(plans, np.inf)
    last_hours, last_gap = np.full(plans, np.nan), np.full(plans, np.nan)
    gap = np.zeros(plans)
    rounding = np.arange(plans)  # plans still in the root-find
    for hours_round in range(HOURS_ROUNDS + 1):
        part, here = c.take(rounding), hours[:, rounding]
        conflict[rounding] = solver.conflict(here, part, start=conflict[rounding])
        payout, new_pay, units = solver.payout(
            solver.shares(here, part)[0], here, team_hours[rounding], part
        )
        again = solver.motivation(
            payout.share_at_quota, conflict[rounding], (new_pay * units).sum(axis=0),
            payout.variable_pay_per_rep,
        )  # fmt: skip
        at = team_hours[rounding]
        gap[rounding] = solver.effort_hours(again.score, part) - at
        off = exact[rounding] & (
            np.abs(gap[rounding]) > CONFLICT_TOLERANCE * solver.reference_team_hours
        )
        if hours_round == HOURS_ROUNDS or not off.any():
            break
        g = gap[rounding]
        low[rounding] = np.where(g > 0.0, np.maximum(low[rounding], at), low[rounding])
        high[rounding] = np.where(g > 0.0, high[rounding], np.minimum(high[rounding], at))
        guess = _next_hours(at, g, last_hours[rounding], last_gap[rounding],
                            low[rounding], high[rounding], solver.fewest_hours,
                            solver.most_hours)  # fmt: skip
        off &= (low[rounding] < high[rounding]) & (guess != at)
        last_hours[rounding], last_gap[rounding] = at, g
        move = rounding[off]
        pay[:, move] = new_pay[:, off]
        hours[:, move] *= guess[off] / at[off]
        team_hours[move] = guess[off]
        hours[:, move], exact[move] = solver.settle_mix(
            hours[:, move], pay[:, move], team_hours[move], c.take(move), iteration
        )
        rounding = move
    exact &= np.abs(gap) <= CONFLICT_TOLERANCE * solver.reference_team_hours
    return hours, team_hours, pay, conflict, exact


def solve_vectorised(solver: HoursSolver, c: Columns, respond: bool) -> Solution:
    """:meth:`solve` for every plan at once in numpy: the reference the compiled solver
    is tested against."""
    plans = c.productivity.shape[0]
    team_hours = np.full(plans, solver.reference_team_hours)
    hours = solver.todays_mix * team_hours
    pay = c.pay_per_unit.copy()
    conflict = np.zeros(plans)
    last_change, last_ratio = np.zeros(plans), np.zeros(plans)
    hours_damping = np.ones(plans)
    last_step = np.full(plans, np.inf)
    known = np.zeros(plans, dtype=bool)  # plans whose conflict has been worked out
    primed = np.zeros(plans, dtype=bool)  # plans whose hours-held mix has settled
    out_hours = np.empty_like(hours)
    out_team_hours = np.empty(plans)
    out_conflict = np.zeros(plans)
    settled = np.zeros(plans, dtype=bool)
    active = np.arange(plans)
    done = np.zeros(plans, dtype=bool)  # settled plans still in the working arrays
    iteration = 0
    while iteration < MAX_ITERATIONS and active.size:
        iteration += 1
        share, assisted = solver.shares(hours, c)
        payout, new_pay, units = solver.payout(share, hours, team_hours, c)
        pay_settled = np.abs(new_pay - pay).max(axis=0) <= PAY_TOLERANCE * c.pay_scale
        if respond:
            # Hours stay at H̄ until the mix (finished below) and pay have settled there
            # (the status quo's own solution, where M̄ was found: the loop starts at its
            # fixed point H̄, which a strong effort response can make repelling);
            # then the conflict is found afresh, and tracked by one Newton step from the
            # last root each step as the mix moves.
            release = ~known & primed & pay_settled
            if known.any():
                conflict = np.where(known, solver.track_conflict(hours, c, conflict), 0.0)
            if release.any():
                index = np.flatnonzero(release)
                conflict[index] = solver.conflict(hours[:, index], c.take(index))
                known |= release
            motivation = solver.motivation(
                payout.share_at_quota, conflict, (new_pay * units).sum(axis=0),
                payout.variable_pay_per_rep,
            )  # fmt: skip
            new_team_hours = np.where(known, solver.effort_hours(motivation.score, c), team_hours)
            hours_settled = known & (
                np.abs(new_team_hours - team_hours) <= PAY_TOLERANCE * solver.reference_team_hours
            )
        else:
            new_team_hours, hours_settled = team_hours, True
        damping = 1.0 if iteration <= FULL_STEPS else DAMPING
        pay += damping * (new_pay - pay)
        change = new_team_hours - team_hours
        # H moves linearly near its fixed point (hours → mix → conflict and pay →
        # motivation → hours): where two successive changes keep a steady ratio r, step
        # to where the line through them meets the fixed point, ΔH/(1 − r) (Aitken's
        # extrapolation): for r < 1 the limit of the geometric series. Not for r > 1: steps
        # that grow run away from a fixed point that repels (a strong effort response on a
        # motivation that moves a lot with hours), and reps do not stay at such a point, so H
        # carries on the way it moves, to the next fixed point that holds (or its bound).
        # Stepping back onto the repelling point would put more pay at fewer hours.
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = change / last_change
            steady = (
                (np.abs(ratio - last_ratio) < STEADY_HOURS_RATIO * np.maximum(np.abs(ratio), 1.0))
                & (ratio < MAX_RATIO)
                & np.isfinite(ratio)
                # Only once the mix keeps up: a lagging mix makes r noise.
                & (last_step < EXTRAPOLATE_MIX_TOLERANCE * team_hours)
            )
        # Where H swings back and forth (a strong effort response on a motivation that
        # moves a lot with hours), each swing halves the plan's steps on H, and H waits for
        # the mix to settle at its current value before it moves again: for such a plan
        # the loop steps on H as over whole allocations, which is what settles it.
        swung = hours_damping < 1.0
        move = ~swung | (last_step < LOOSE_HOURS_TOLERANCE * team_hours)
        steady &= ~swung
        hours_damping = np.where(
            move & (change * last_change < 0.0),
            np.maximum(0.5 * hours_damping, MIN_HOURS_DAMPING),
            hours_damping,
        )
        next_team_hours = team_hours + move * np.where(
            steady,
            change / (1.0 - np.where(steady, ratio, 0.0)),
            np.minimum(damping, hours_damping) * change,
        )
        next_team_hours = np.minimum(
            np.maximum(next_team_hours, solver.fewest_hours), solver.most_hours
        )
        last_change = np.where(move, change, last_change)
        last_ratio = np.where(move, np.where(steady, 0.0, ratio), last_ratio)
        hours *= next_team_hours / team_hours
        team_hours = next_team_hours

        # One allocator step at the new pay rates and hours.
        step, theta = solver.mix_step(hours, share, assisted, pay, team_hours, c, iteration)
        last_step = np.abs(step).max(axis=0)
        mix_settled = last_step < LOOSE_HOURS_TOLERANCE * team_hours / theta
        step *= theta
        hours += step
        if respond:
            prime = ~known & ~primed & pay_settled & mix_settled
            if prime.any():
                # Finish the hours-held mix first, so the hours start from its solution.
                index = np.flatnonzero(prime)
                hours[:, index] = solver.settle_mix(
                    hours[:, index], pay[:, index], team_hours[index], c.take(index),
                    iteration,
                )[0]  # fmt: skip
                primed |= prime
        ready = pay_settled & hours_settled & mix_settled & ~done
        if ready.any():
            # Pay and hours have settled: finish the mix with allocator steps alone, work
            # the conflict out afresh, and let plans whose hours that moves carry on.
            index = np.flatnonzero(ready)
            part = c.take(index)
            hours[:, index], exact = solver.settle_mix(
                hours[:, index], pay[:, index], team_hours[index], part, iteration
            )
            if respond:
                hours[:, index], team_hours[index], pay[:, index], conflict[index], exact = (
                    _settle_hours(solver, hours[:, index], team_hours[index], pay[:, index],
                                       conflict[index], part, exact, iteration)
                )  # fmt: skip
            ready[index] = exact  # the rest carry on, their mix nearer
        if ready.any():
            index = active[ready]
            out_hours[:, index] = hours[:, ready]
            out_team_hours[index] = team_hours[ready]
            out_conflict[index] = conflict[ready]
            settled[index] = True
            done |= ready
            if done.all():
                active = active[:0]
                break
            if done.mean() >= DROP_SHARE:
                keep = ~done
                active, c = active[keep], c.take(keep)
                hours, team_hours = hours[:, keep], team_hours[keep]
                pay, conflict = pay[:, keep], conflict[keep]
                last_change, last_step = last_change[keep], last_step[keep]
                last_ratio, hours_damping = last_ratio[keep], hours_damping[keep]
                known, primed = known[keep], primed[keep]
                done = done[keep]
    if active.size:
        pending = ~done
        index = active[pending]
        out_hours[:, index] = hours[:, pending]
        out_team_hours[index] = team_hours[pending]
        out_conflict[index] = conflict[pending]
    # Exact budget: the steps keep Σe = H up to rounding; remove the rounding.
    np.maximum(out_hours, 0.0, out=out_hours)
    out_hours *= out_team_hours / out_hours.sum(axis=0)
    pay_hours = np.ascontiguousarray(out_hours.T)
    return Solution(
        pay_hours=pay_hours, team_hours=out_team_hours, conflict=out_conflict,
        settled=settled & finite_plans(pay_hours, out_team_hours), iterations=iteration,
    )  # fmt: skip


def _next_hours(
    hours: np.ndarray, gap: np.ndarray, last_hours: np.ndarray, last_gap: np.ndarray,
    low: np.ndarray, high: np.ndarray, fewest: float, most: float,
) -> np.ndarray:  # fmt: skip
    """:func:`alignment.solver_kernel.next_hours` for many plans at once."""
    with np.errstate(divide="ignore", invalid="ignore"):
        secant = hours - gap * (hours - last_hours) / (gap - last_gap)
    guess = np.where(np.isfinite(last_gap) & (gap != last_gap), secant, hours + gap)
    bracketed = np.isfinite(low) & np.isfinite(high)
    outside = ~((low < guess) & (guess < high))
    guess = np.where(outside, np.where(bracketed, 0.5 * (low + high), hours + gap), guess)
    return np.minimum(np.maximum(guess, fewest), most)
