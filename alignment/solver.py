"""The reps' mix, their expected marginal pay, the team's hours and the role conflict, solved as
one fixed point (MODEL.md §3).

The mix ``e`` maximises ``Σ π_i u_i(e)`` at the team's hours ``H``; the expected marginal pay
``π`` depends on the mix through attainment; ``H = H̄ (M / M̄)^ζ`` depends on the motivation
``M`` the mix earns, and ``M`` on the role conflict. Each iteration takes *one* power step of
the allocator (:func:`alignment.effort.power_step`) on ``e`` and then updates ``π`` and ``H``
from the new mix, so an iteration costs one allocator step, not a whole allocation. The role
conflict, a root-find of its own, is found once when the hours start to respond, then tracked
by one Newton step per iteration from its last root, and found afresh (from the tracked
value, a step or two) whenever a plan looks settled. docs/model.md §3 gives the reasons.

Arrays are ``(products, plans)``, the allocator's layout: with a handful of products and many
plans, segment sums and per-plan reductions run along the long axis.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from alignment import solver_kernel
from alignment.commission import Payout, team_payout
from alignment.demand import EFFORT_FLOOR, Demand, segment_totals
from alignment.effort import POWER_STEPS, fading, gain_weights, power_step
from alignment.goals import role_conflict
from alignment.kernel_views import read_only
from alignment.motivation import Motivation, rep_motivation
from alignment.plan_chunks import map_slices
from alignment.scenario import Scenario
from alignment.tolerances import (
    HOURS_TOLERANCE,
    LONGEST_TRACKED_STEP,
    NO_GAIN_WEIGHT,
    PLAIN_DAMPING,
    SETTLE_STEPS,
)


@dataclass(frozen=True)
class Columns:
    """Per-plan constants of the solve: ``(products, plans)``, or ``(products, 1)`` where every
    plan shares them; team behaviour ``(plans,)``."""

    fixed: np.ndarray  # utility less its hours term: α − βp + δ(...) − γ ln((1 + φ) ē)
    gamma: np.ndarray
    unassisted: np.ndarray  # φ ē, hours
    weight_scale: np.ndarray  # γ M
    pay_per_unit: np.ndarray  # k
    quota_per_unit: np.ndarray  # q / Q
    basis_per_unit: np.ndarray  # what a unit adds to the quota basis
    productivity: np.ndarray  # (plans,) effective hours per selling hour
    habit: np.ndarray  # (plans,)
    effort_response: np.ndarray  # (plans,) ζ
    reference_motivation: np.ndarray  # (plans,) M̄; NaN where hours are held at H̄
    pay_scale: np.ndarray  # (plans,) largest |k| + 1

    def take(self, keep: np.ndarray) -> Columns:
        plans = self.productivity.shape[0]
        if keep.dtype != bool and keep.shape[0] == plans and keep[-1] == plans - 1:
            return self  # every plan, in order
        return Columns(
            **{
                f.name: value[..., keep] if value.shape[-1] == plans else value
                for f in fields(self)
                for value in (getattr(self, f.name),)
            }
        )


@dataclass(frozen=True)
class Solution:
    pay_hours: np.ndarray  # (plans, products) the mix the plan pays for, before habit
    team_hours: np.ndarray  # (plans,) H
    conflict: np.ndarray  # (plans,) role conflict at the mix
    settled: np.ndarray  # (plans,) bool
    iterations: int


class HoursSolver:
    """One scenario's constants for the fixed point, read once (no model attribute access in
    the loop)."""

    def __init__(self, scenario: Scenario, demand: Demand, strategic: np.ndarray,
                 strategic_market: float) -> None:  # fmt: skip
        team, plan = scenario.sales_team, scenario.commission
        self.demand = demand
        self.reps = team.reps
        self.quota_per_rep = plan.quota.per_rep
        self.accelerator, self.cap = plan.accelerator, plan.cap
        self.spread = team.attainment_spread
        self.base_salary, self.on_target = team.base_salary, team.on_target_earnings
        self.attainment_target = team.quota_attainment_target
        self.reference_team_hours = team.reps * team.hours_per_rep
        self.fewest_hours = team.reps * team.hours_floor
        self.most_hours = team.reps * team.hours_ceiling
        self.target = scenario.reps_new_product_target
        self.strategic = strategic
        self.strategic_column = strategic[:, np.newaxis]
        self.other_column = 1.0 - self.strategic_column
        self.even = self.strategic_column / max(strategic.sum(), 1.0)
        self.strategic_market = strategic_market
        self.size = demand.segment_size[:, np.newaxis]
        self.strategic_size = self.strategic_column * self.size
        self.floor = (EFFORT_FLOOR * demand.reference_hours)[:, np.newaxis]
        self.todays_mix = (demand.reference_hours / demand.reference_hours.sum())[:, np.newaxis]

    # -- what a mix sells and pays ---------------------------------------------------------

    def shares(self, hours: np.ndarray, c: Columns) -> tuple[np.ndarray, np.ndarray]:
        """Shares at ``hours`` selling hours, and each product's assisted fraction ``f``."""
        effective = hours * c.productivity
        np.maximum(effective, self.floor, out=effective)
        assisted_hours = effective + c.unassisted
        assisted = np.divide(effective, assisted_hours, out=effective)
        value = np.log(assisted_hours, out=assisted_hours)
        value *= c.gamma
        value += c.fixed
        np.minimum(value, 700.0, out=value)  # a share of 1 to machine precision
        attraction = np.exp(value, out=value)
        total = segment_totals(self.demand, attraction)
        total += 1.0
        return np.divide(attraction, total, out=attraction), assisted

    def mix(self, pay_hours: np.ndarray, team_hours: np.ndarray, c: Columns) -> np.ndarray:
        """Hours as reps put them: the paid-for mix, held back towards today's by habit."""
        return pay_hours + c.habit * (self.todays_mix * team_hours - pay_hours)

    def motivation(self, payout_share: np.ndarray, conflict: np.ndarray,
                   marginal_value: np.ndarray, variable: np.ndarray) -> Motivation:  # fmt: skip
        return rep_motivation(
            payout_share, self.attainment_target, conflict, marginal_value,
            variable * self.reps, self.base_salary + variable, self.on_target,
        )  # fmt: skip

    def effort_hours(self, score: np.ndarray, c: Columns) -> np.ndarray:
        """``H = H̄ (M / M̄)^ζ`` within the team's range; ``H̄`` where hours are held."""
        reference = c.reference_motivation
        ratio = np.where(reference > 0, score / np.where(reference > 0, reference, 1.0), 1.0)
        hours = self.reference_team_hours * np.maximum(ratio, 0.0) ** c.effort_response
        hours = np.minimum(np.maximum(hours, self.fewest_hours), self.most_hours)
        return np.where(np.isnan(reference), self.reference_team_hours, hours)

    def conflict(self, pay_hours: np.ndarray, c: Columns, start: np.ndarray | None = None,
                 steps: int | None = None) -> np.ndarray:  # fmt: skip
        """The role conflict at ``pay_hours`` (:func:`alignment.goals.role_conflict`)."""

        def share_and_slope(
            hours: np.ndarray, direction: np.ndarray, index: np.ndarray
        ) -> tuple[np.ndarray, np.ndarray]:
            return self._new_product_share(hours.T, direction.T, c.take(index))

        return role_conflict(
            lambda hours: self._new_product_share(hours.T, None, c)[0], pay_hours.T,
            self.strategic, self.target, share_and_slope=share_and_slope, start=start,
            steps=steps,
        )  # fmt: skip

    def track_conflict(self, hours: np.ndarray, c: Columns, conflict: np.ndarray) -> np.ndarray:
        """One Newton step of :func:`alignment.goals.role_conflict` from ``conflict``: the same
        move of hours, for a mix that has moved since the conflict was found."""
        if not self.strategic.any():
            return conflict
        others = hours * self.other_column
        moved = others.sum(axis=0)
        on_strategic = hours - others
        strategic_hours = on_strategic.sum(axis=0)
        has_hours = strategic_hours > 0
        split = np.where(
            has_hours, on_strategic / np.where(has_hours, strategic_hours, 1.0), self.even
        )
        direction = split * moved
        direction -= others
        per_hour = moved / hours.sum(axis=0)
        fraction = np.minimum(conflict / np.where(per_hour > 0, per_hour, 1.0), 1.0)
        share, slope = self._new_product_share(hours + direction * fraction, direction, c)
        gap = share - self.target
        with np.errstate(divide="ignore", invalid="ignore"):
            step = fraction - gap / slope
        step = np.where(np.isfinite(step), step, fraction)
        # A step past moving every hour overshot (a strategic product at its effort floor,
        # where the share barely moves), and a long one may have (where the share rises
        # ever faster with hours, Newton's step from below lands past the root): the
        # safeguarded root-find answers instead.
        overshot = ((step > 1.0) & (fraction < 1.0)) | (
            np.abs(step - fraction) > LONGEST_TRACKED_STEP
        )
        step = np.minimum(np.maximum(step, 0.0), 1.0)
        unreachable = (fraction >= 1.0) & (gap < 0)
        tracked = np.where(unreachable, 1.0, step * per_hour)
        if overshot.any():
            index = np.flatnonzero(overshot)
            tracked[index] = self.conflict(hours[:, index], c.take(index), start=conflict[index])
        return tracked

    def _new_product_share(
        self, hours: np.ndarray, direction: np.ndarray | None, c: Columns
    ) -> tuple[np.ndarray, np.ndarray]:
        """New-product share at ``hours`` (pay mix), and its derivative along ``direction``."""
        keep = 1.0 - c.habit
        mix = hours * keep + self.todays_mix * (c.habit * hours.sum(axis=0))
        effective = mix * c.productivity
        above_floor = effective > self.floor
        np.maximum(effective, self.floor, out=effective)
        assisted_hours = effective + c.unassisted
        value = np.log(assisted_hours) * c.gamma + c.fixed
        attraction = np.exp(np.minimum(value, 700.0))
        share = attraction / (segment_totals(self.demand, attraction) + 1.0)
        new_product = (self.strategic_size * share).sum(axis=0) / self.strategic_market
        if direction is None:
            return new_product, new_product
        # ∂U/∂v_j = M s_j (str_j − Σ_seg str s); ∂v_j/∂t = γ_j (1 − h) ρ d_j / (ê_j + φ ē_j).
        moves = c.gamma * (keep * c.productivity) * direction / assisted_hours * above_floor
        lift = self.strategic_column - segment_totals(self.demand, share * self.strategic_column)
        slope = (moves * self.size * share * lift).sum(axis=0) / self.strategic_market
        return new_product, slope

    def mix_step(
        self, hours: np.ndarray, share: np.ndarray, assisted: np.ndarray, pay: np.ndarray,
        team_hours: np.ndarray, c: Columns, iteration: int,
    ) -> tuple[np.ndarray, float]:  # fmt: skip
        """One allocator step (:func:`alignment.effort.allocate_hours`) and its damping."""
        weights = gain_weights(self.demand, pay, pay * share, share, assisted, c.weight_scale)
        total_weight = weights.sum(axis=0)
        if iteration <= POWER_STEPS:
            theta = 1.0
            step = power_step(
                c.gamma, team_hours, self.floor, hours, share, assisted, weights, total_weight
            )
        else:
            theta = PLAIN_DAMPING
            with np.errstate(divide="ignore", invalid="ignore"):
                step = (weights / total_weight) * team_hours - hours
        has_gain = total_weight > NO_GAIN_WEIGHT
        if not has_gain.all():
            step[:, ~has_gain] = 0.0  # no product gains from an hour: stay put
        return step, theta

    def settle_mix(
        self, hours: np.ndarray, pay: np.ndarray, team_hours: np.ndarray, c: Columns,
        iteration: int,
    ) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
        """Allocator steps at fixed pay and hours until the mix settles to
        ``HOURS_TOLERANCE × H``; the mix, and whether it settled."""
        hours = hours.copy()
        settled = np.zeros(hours.shape[1], dtype=bool)
        active = np.arange(hours.shape[1])
        part = c
        last = np.full(hours.shape[1], np.inf)  # the last step's size
        last_ratio = np.zeros(hours.shape[1])
        for step_number in range(SETTLE_STEPS):
            work = hours[:, active]
            share, assisted = self.shares(work, part)
            budget = team_hours[active]
            step, theta = self.mix_step(
                work, share, assisted, pay[:, active], budget, part, iteration + step_number
            )
            size = np.abs(step).max(axis=0)
            moving = size >= HOURS_TOLERANCE * budget / theta
            steady, ratio = fading(size, last[active], last_ratio[active])
            if steady.any():
                step *= np.where(steady, theta / (1.0 - np.where(steady, ratio, 0.0)), theta)
                work = np.maximum(work + step, 0.0)
                work *= budget / work.sum(axis=0)
            else:
                step *= theta
                work = work + step
            hours[:, active] = work
            last[active], last_ratio[active] = size, np.where(steady, 0.0, ratio)
            settled[active[~moving]] = True
            if not moving.any():
                break
            if not moving.all():
                active, part = active[moving], part.take(moving)
        return hours, settled

    # -- the fixed point -------------------------------------------------------------------

    def solve(self, c: Columns, respond: bool) -> Solution:
        """Solve every plan of ``c``; ``respond`` False holds every plan's hours at ``H̄``.

        Compiled, one plan at a time (:mod:`alignment.solver_kernel`): the same iteration as
        :meth:`solve_vectorised`, without numpy's cost per call on a handful of products.
        """
        plans = c.productivity.shape[0]

        def rows(column: np.ndarray) -> np.ndarray:
            return np.ascontiguousarray(np.broadcast_to(column, (column.shape[0], plans)).T)

        def flat(values: np.ndarray) -> np.ndarray:
            return np.ascontiguousarray(values, dtype=float).reshape(-1)

        team = solver_kernel.pack_team(
            reps=self.reps, quota_per_rep=self.quota_per_rep, accelerator=self.accelerator,
            cap=self.cap, spread=self.spread, base_salary=self.base_salary,
            on_target=self.on_target, attainment_target=self.attainment_target,
            reference_hours=self.reference_team_hours, fewest_hours=self.fewest_hours,
            most_hours=self.most_hours, target=self.target,
            strategic_market=self.strategic_market, power_steps=POWER_STEPS,
        )  # fmt: skip
        per_product = [rows(column) for column in (
            c.fixed, c.gamma, c.unassisted, c.weight_scale, c.pay_per_unit, c.quota_per_unit,
            c.basis_per_unit,
        )]  # fmt: skip
        per_plan = [flat(values) for values in (
            c.productivity, c.habit, c.effort_response, c.reference_motivation, c.pay_scale,
        )]  # fmt: skip
        shared = (
            flat(self.size), flat(self.floor), flat(self.todays_mix), flat(self.strategic),
            self.demand.segment_index.astype(np.int64), len(self.demand.segment_sizes), team,
            respond,
        )  # fmt: skip

        def run(part: slice) -> tuple[np.ndarray, ...]:
            arrays = [values[part] for values in (*per_product, *per_plan)]
            return solver_kernel.solve_plans(*read_only(*arrays, *shared))

        parts = map_slices(run, plans)
        hours, team_hours, conflict, settled = (
            np.concatenate([part[i] for part in parts]) for i in range(4)
        )
        return Solution(
            pay_hours=hours, team_hours=team_hours, conflict=conflict,
            settled=settled & finite_plans(hours, team_hours),
            iterations=int(max(part[4] for part in parts)),
        )  # fmt: skip

    def payout(
        self, share: np.ndarray, hours: np.ndarray, team_hours: np.ndarray, c: Columns
    ) -> tuple[Payout, np.ndarray, np.ndarray]:
        """The team's payout on the units sold at ``hours`` (whose shares are ``share``), the
        marginal pay per unit it gives, and the units."""
        has_habit = bool(np.any(c.habit))
        sold = self.shares(self.mix(hours, team_hours, c), c)[0] if has_habit else share
        units = self.size * sold
        payout = team_payout(
            (c.pay_per_unit * units).sum(axis=0), (c.basis_per_unit * units).sum(axis=0),
            self.reps, self.quota_per_rep, self.accelerator, self.cap, self.spread,
        )  # fmt: skip
        pay = c.pay_per_unit * payout.commission_multiplier
        pay += c.quota_per_unit * payout.attainment_slope
        return payout, pay, units

    def solve_vectorised(self, c: Columns, respond: bool) -> Solution:
        """:meth:`solve` for every plan at once in numpy: the reference the compiled solver
        is tested against (:mod:`alignment.solver_reference`)."""
        from alignment.solver_reference import solve_vectorised

        return solve_vectorised(self, c, respond)


def finite_plans(pay_hours: np.ndarray, team_hours: np.ndarray) -> np.ndarray:
    """Plans whose mix and hours are numbers: a plan that reached NaN never counts as settled,
    so it is flagged and never proposed."""
    return np.isfinite(pay_hours).all(axis=1) & np.isfinite(team_hours)
