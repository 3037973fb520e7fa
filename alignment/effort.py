"""Where selling hours go: the allocation that maximises a per-unit value (MODEL.md §3, §4).

With ``value = commission per unit`` it is the reps' pay-maximising mix; with leadership's value
per unit it is the mix leadership asks for. Hours are team hours per period.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from alignment import allocator_kernel
from alignment.demand import EFFORT_FLOOR, Demand, segment_sums, segment_totals, utility
from alignment.kernel_views import read_only
from alignment.plan_chunks import map_slices
from alignment.tolerances import (
    EXTRAPOLATE_AFTER,
    MAX_STEADY_RATIO,
    MAX_STEP_EXPONENT,
    NEAR_RELATIVE_MOVE,
    NO_GAIN_WEIGHT,
    PLAIN_DAMPING,
    POWER_STEPS,
    STEADY_RATIO_CHANGE,
)


@dataclass(frozen=True)
class Allocation:
    hours: np.ndarray  # (plans, products), each row sums to the team's hours
    converged: np.ndarray  # (plans,) bool
    iterations: int


def hour_weights(
    demand: Demand, value_per_unit: np.ndarray, share: np.ndarray, hours: np.ndarray
) -> np.ndarray:
    """``e_i ∂V/∂e_i = γ_i f_i M s_i (v_i − v̄)``, ``f = e / (e + φē)`` the assisted fraction and
    ``v̄`` the share-weighted value in the segment; ``hours`` are effective hours."""
    segment_mean_value = segment_sums(value_per_unit * share, demand.same_segment)
    assisted = hours / (hours + demand.unassisted_hours)
    return (
        demand.gamma
        * assisted
        * demand.segment_size
        * share
        * (value_per_unit - segment_mean_value)
    )


def value_of_mix(demand: Demand, value_per_unit: np.ndarray, share: np.ndarray) -> np.ndarray:
    """Total value of the units sold, ``Σ v_i M s_i``, per plan."""
    return (value_per_unit * demand.segment_size * share).sum(axis=-1)


def allocate_hours(
    demand: Demand,
    value_per_unit: np.ndarray,
    price: np.ndarray,
    lead_gen: np.ndarray,
    team_hours: float | np.ndarray,
    productivity: np.ndarray,
    *,
    start: np.ndarray | None = None,
    damping: float = 1.0,
    tolerance: float = 1e-7,
    max_iterations: int = 300,
    fixed: np.ndarray | None = None,
    distance: float = 0.0,
) -> Allocation:
    """:func:`allocate_hours_vectorised`, compiled and one plan at a time
    (:mod:`alignment.allocator_kernel`): the same steps, without numpy's cost per call on a
    handful of products. ``fixed`` is the part of the utility that does not depend on hours,
    ``α − βp + δ(...) − γ ln((1 + φ) ē)`` ``(plans, products)``, where the caller has it."""
    plans, products = value_per_unit.shape
    shape = (plans, products)
    budget = np.broadcast_to(np.asarray(team_hours, dtype=float), (plans,)).copy()
    gamma = np.ascontiguousarray(np.broadcast_to(demand.gamma, shape))
    unassisted = np.ascontiguousarray(np.broadcast_to(demand.unassisted_hours, shape))
    if fixed is None:
        hours_today = np.broadcast_to(demand.reference_hours, shape)
        at_reference = utility(demand, price, hours_today, lead_gen)
        fixed = np.broadcast_to(at_reference, shape) - gamma * np.log(
            demand.reference_hours + unassisted
        )
    if start is None:
        mix = demand.reference_hours / demand.reference_hours.sum()
        start = budget[:, np.newaxis] * mix
    hours = np.empty(shape)
    per_plan = (
        np.ascontiguousarray(value_per_unit, dtype=float), np.ascontiguousarray(fixed), gamma,
        unassisted, gamma * demand.segment_size,
        np.ascontiguousarray(np.broadcast_to(np.asarray(productivity, dtype=float), (plans,))),
        budget, np.ascontiguousarray(np.broadcast_to(start, shape), dtype=float),
    )  # fmt: skip
    shared = (
        EFFORT_FLOOR * demand.reference_hours, np.asarray(demand.segment_size, dtype=float),
        demand.segment_index.astype(np.int64), len(demand.segment_sizes), float(damping),
        float(tolerance), float(distance), int(max_iterations), int(POWER_STEPS),
    )  # fmt: skip

    def run(part: slice) -> tuple[np.ndarray, int]:
        arrays = [values[part] for values in per_plan]
        return allocator_kernel.allocate_plans(*read_only(*arrays, *shared), hours[part])

    parts = map_slices(run, plans)
    converged = np.concatenate([part[0] for part in parts])
    iterations = max(int(part[1]) for part in parts)
    converged &= np.isfinite(hours).all(axis=1)  # a mix that reached NaN never counts
    return Allocation(hours=hours, converged=converged, iterations=iterations)


def allocate_hours_vectorised(
    demand: Demand,
    value_per_unit: np.ndarray,
    price: np.ndarray,
    lead_gen: np.ndarray,
    team_hours: float | np.ndarray,
    productivity: np.ndarray,
    *,
    start: np.ndarray | None = None,
    damping: float = 1.0,
    tolerance: float = 1e-7,
    max_iterations: int = 300,
    distance: float = 0.0,
) -> Allocation:
    """Maximise ``Σ v_i u_i(e)`` subject to ``Σ e_i = H``, ``e ≥ 0``, for every plan at once.

    The fixed point ``e = H w⁺ / Σ w⁺`` of :func:`hour_weights`, reached from ``start`` (default
    today's mix) by power steps ``e ← e + θ (e' − e)`` (see :func:`power_step`); plans not
    settled after ``POWER_STEPS`` continue with plain steps ``e ← e + 0.85 (H w⁺ / Σ w⁺ − e)``.
    A plan stops once no product's hours move by more than ``tolerance × H`` in one step, so its
    answer does not depend on the other plans in the batch; with ``distance`` also once its
    steps shrink fast enough that the rest of their geometric series is under ``distance × H``
    (:func:`near_optimum`). Where a plan has not settled after ``max_iterations`` its best
    iterate is kept.

    Parameters
    ----------
    value_per_unit : money per unit sold, ``(plans, products)``.
    price : money per unit, ``(plans, products)``.
    lead_gen : lead-generation spend, money per period, ``(plans, products)``.
    team_hours : selling hours per period, ``H``: one number, or one per plan ``(plans,)``.
    productivity : effective hours per selling hour (push content), ``(plans,)``.
    start : hours to start from, ``(plans, products)``, each row summing to its ``H`` (a warm
        start from a nearby allocation settles in a few steps).
    damping : step size θ in (0, 1].
    """
    plans, products = value_per_unit.shape
    budget = np.broadcast_to(np.asarray(team_hours, dtype=float), (plans,)).copy()
    # Work on (products, plans) arrays: with a handful of products and many plans, segment sums
    # and per-plan reductions run an order of magnitude faster along the long plan axis.
    batch = _Batch.start(demand, value_per_unit, price, lead_gen, productivity, budget)
    # exp() overflows above ~709; clip utilities only when some plan could get there.
    most_hours = float(budget.max()) * max(1.0, 2.0 * damping) * float(np.max(productivity))
    most = np.log(most_hours + batch.unassisted)
    clip = bool((batch.fixed + batch.gamma * most).max() > 700.0)
    if start is None:
        mix = demand.reference_hours / demand.reference_hours.sum()
        hours = mix[:, np.newaxis] * budget[np.newaxis, :]
    else:
        hours = np.ascontiguousarray(start.T, dtype=float)
    best_hours = hours
    best_value = np.full(plans, -np.inf)
    result = np.empty((products, plans))
    converged = np.zeros(plans, dtype=bool)
    done = np.zeros(plans, dtype=bool)  # settled plans still in the working arrays
    last_size, last_ratio = np.full(plans, np.inf), np.zeros(plans)
    shrink, jumped = np.full(plans, np.inf), np.ones(plans, dtype=bool)
    iteration = 0
    while iteration < max_iterations and batch.active.size:
        iteration += 1
        share, assisted = batch.shares(demand, hours, clip)
        value_share = batch.value * share
        current_value = demand.segment_size @ value_share
        improved = current_value > best_value
        np.copyto(best_value, current_value, where=improved)
        best_hours = hours if improved.all() else np.where(improved, hours, best_hours)

        weights = gain_weights(
            demand, batch.value, value_share, share, assisted, batch.weight_scale
        )
        total_weight = weights.sum(axis=0)
        has_gain = total_weight > NO_GAIN_WEIGHT
        if iteration <= POWER_STEPS:
            theta = damping
            step = power_step(
                batch.gamma, batch.budget, batch.floor_hours, hours, share, assisted, weights,
                total_weight,
            )  # fmt: skip
        else:
            # The few plans power steps have not settled finish with plain damped steps.
            theta = PLAIN_DAMPING
            with np.errstate(divide="ignore", invalid="ignore"):
                # Divide first: each share of the weight is at most 1, so nothing overflows.
                step = (weights / total_weight) * batch.budget - hours
        if not has_gain.all():
            step[:, ~has_gain] = 0.0  # no product gains from an hour: stay put
        size = np.abs(step).max(axis=0)
        settled = size < tolerance * batch.budget / theta
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = size / last_size if iteration > 1 else np.full(size.shape, np.inf)
        near = np.zeros(size.shape, dtype=bool)
        if distance > 0.0:
            near, near_ratio = near_optimum(
                size, ratio, shrink, distance * batch.budget / theta, step, hours,
                batch.floor_hours,
            )  # fmt: skip
            near &= ~jumped & ~settled
            settled |= near
        shrink = ratio
        steady = np.zeros(size.shape, dtype=bool)
        if iteration > EXTRAPOLATE_AFTER:
            steady, last_ratio = fading(size, last_size, last_ratio)
        last_size = size
        jumped = steady
        if steady.any() or near.any():
            # The rest of the geometric series at once (Aitken's extrapolation): where steps
            # fade steadily, and where a plan stops near its optimum.
            factor = np.where(steady, theta / (1.0 - np.where(steady, last_ratio, 0.0)), theta)
            if near.any():
                factor = np.where(near, theta / (1.0 - np.where(near, near_ratio, 0.0)), factor)
            step *= factor
            hours = np.maximum(hours + step, 0.0)
            hours *= batch.budget / hours.sum(axis=0)
            last_ratio = np.where(steady, 0.0, last_ratio)
        else:
            step *= theta
            hours = hours + step  # a new array: best_hours may still hold the old one
        newly = settled & ~done
        if newly.any():
            result[:, batch.active[newly]] = hours[:, newly]
            converged[batch.active[newly]] = True
            done |= newly
            # Dropping settled plans copies every working array, so wait until it pays.
            if done.mean() >= 0.25:
                keep = ~done
                batch = batch.take(keep)
                hours, best_hours = hours[:, keep], best_hours[:, keep]
                best_value, done = best_value[keep], done[keep]
                last_size, last_ratio = last_size[keep], last_ratio[keep]
                shrink, jumped = shrink[keep], jumped[keep]
    pending = ~done
    if batch.active.size and pending.any():
        share, _ = batch.shares(demand, hours, clip=True)
        final_value = demand.segment_size @ (batch.value * share)
        keep_final = final_value >= best_value
        result[:, batch.active[pending]] = np.where(keep_final, hours, best_hours)[:, pending]
    # Exact budget: the damped update keeps Σe = H up to rounding; remove the rounding.
    np.maximum(result, 0.0, out=result)
    result *= budget / result.sum(axis=0)
    hours = np.ascontiguousarray(result.T)
    converged &= np.isfinite(hours).all(axis=1)  # as the compiled allocation
    return Allocation(hours=hours, converged=converged, iterations=iteration)


def near_optimum(
    size: np.ndarray, ratio: np.ndarray, last_ratio: np.ndarray, distance: np.ndarray,
    step: np.ndarray, hours: np.ndarray, floor_hours: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Plans whose steps shrink fast enough to be within ``distance`` of their optimum, and
    the ratio ``r`` their steps shrink by.

    Steps that shrink by a ratio ``r`` each leave ``size·r/(1 − r)`` still to go, the rest of
    the geometric series; ``r`` is the larger of the last two ratios, so one lucky short step
    cannot stop a plan. That holds only while every product's step is small beside its own
    hours (under ``NEAR_RELATIVE_MOVE``): a product coming in from next to no hours grows by a
    large factor each step while its steps are still tiny, and a product fading out shrinks by
    one, so neither series is the one the step sizes show. Where steps shrink slowly (``r`` at
    or above ``MAX_STEADY_RATIO``), or a product moves far for its hours, only the plain rule,
    a step under the tolerance, stops a plan.
    """
    shrink = np.maximum(ratio, last_ratio)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        near = (shrink < MAX_STEADY_RATIO) & (size * shrink / (1.0 - shrink) < distance)
        relative = np.abs(step) / np.maximum(hours, floor_hours)
    return near & (relative < NEAR_RELATIVE_MOVE).all(axis=0), shrink


def fading(
    size: np.ndarray, last_size: np.ndarray, last_ratio: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Plans whose steps shrink by a steady ratio ``r`` from one step to the next, and ``r``.

    Where a product's hours fade towards a corner at 0 the power step (its exponent capped)
    closes a fixed share of the gap each step; a step ``Δ/(1 − r)`` jumps to the limit of the
    geometric series instead (Aitken's extrapolation, on the step size).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = size / last_size  # NaN where both are 0: not steady
    steady = (np.abs(ratio - last_ratio) < STEADY_RATIO_CHANGE) & (ratio < MAX_STEADY_RATIO)
    return steady, ratio


def gain_weights(
    demand: Demand,
    value: np.ndarray,
    value_share: np.ndarray,
    share: np.ndarray,
    assisted: np.ndarray,
    weight_scale: np.ndarray,
) -> np.ndarray:
    """:func:`hour_weights` floored at 0, ``(products, plans)``; ``value_share`` is ``v s`` and
    ``weight_scale`` is ``γ M``."""
    weights = value - segment_totals(demand, value_share)
    weights *= share
    weights *= weight_scale
    weights *= assisted
    return np.maximum(weights, 0.0, out=weights)


def power_step(
    gamma: np.ndarray,
    team_hours: np.ndarray,
    floor_hours: np.ndarray,
    hours: np.ndarray,
    share: np.ndarray,
    assisted: np.ndarray,
    weights: np.ndarray,
    total_weight: np.ndarray,
) -> np.ndarray:
    """Move from ``hours`` towards ``e·(t / e)^κ`` (renormalised to H), ``(products, plans)``.

    ``t = H w⁺ / Σ w⁺`` is the plain fixed-point target. A product's weight
    ``γ f M s (v − v̄)`` varies like ``e^ρ`` in its own hours, ``ρ = (1 − f) + γ f (1 − 2s)``
    (the assisted fraction ``f`` rises as ``1 − f``, its share as ``γ f (1 − s)``, its margin
    over the segment's mean value falls as ``γ f s``), so the plain iteration closes only
    ``1 − ρ`` of the gap in logs each step, overshooting when ``ρ < 0``. Raising the step to
    ``κ = 1 / (1 − ρ)`` closes the own-hours part of the gap at once; both iterations have the
    same fixed points. ``gamma`` is ``(products, 1)`` or ``(products, plans)``, ``team_hours``
    ``(plans,)``.
    """
    floored = np.maximum(hours, floor_hours)
    # Plans where no hour gains anything give NaN here; the caller keeps their hours.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        # log(t / e): one log where w / e is a normal float, two where it is not, as in the
        # compiled step; −inf where an hour gains nothing: those go to 0
        log_gap = weights / floored
        apart = ~((log_gap > 1e-300) & (log_gap < 1e300))
        np.log(log_gap, out=log_gap)
        if apart.any():
            log_gap[apart] = np.log(weights[apart]) - np.log(floored[apart])
        log_gap += np.log(team_hours) - np.log(total_weight)
    # 1 − ρ = f (1 − γ (1 − 2s))
    kappa = share * (2.0 * gamma)
    np.subtract(gamma, kappa, out=kappa)
    np.subtract(1.0, kappa, out=kappa)
    kappa *= assisted
    np.maximum(kappa, 1.0 / MAX_STEP_EXPONENT, out=kappa)
    log_gap /= kappa
    # The factor e^(log_gap / κ) over the largest, so large exponents cannot overflow.
    with np.errstate(invalid="ignore"):
        log_gap -= log_gap.max(axis=0)
        proposal = np.exp(log_gap, out=log_gap)
        proposal *= floored
        total = proposal.sum(axis=0)
        total /= team_hours
        proposal /= total
    return np.subtract(proposal, hours, out=proposal)


def plan_columns(values: np.ndarray) -> np.ndarray:
    """A per-product constant as a column ``(products, 1)``, or per-plan values ``(plans,
    products)`` as ``(products, plans)``: the allocator's layout."""
    return values[:, np.newaxis] if values.ndim == 1 else np.ascontiguousarray(values.T)


def take_columns(values: np.ndarray, keep: np.ndarray, plans: int) -> np.ndarray:
    """The plans ``keep`` of a ``(products, plans)`` array; a shared ``(products, 1)`` column
    stays as it is."""
    return values[..., keep] if values.shape[-1] == plans else values


@dataclass(frozen=True)
class _Batch:
    """Per-plan constants of the allocation, ``(products, plans)``, for the plans still working.

    Demand's per-product arrays are ``(products, 1)`` columns shared by every plan, or
    ``(products, plans)`` where the demand gives each plan its own (parameter draws).
    """

    active: np.ndarray  # (plans,) index of each column in the caller's batch
    value: np.ndarray  # value per unit
    fixed: np.ndarray  # utility less its hours term: α − βp + δ(...) − γ ln((1 + φ) ē)
    productivity: np.ndarray  # (1, plans) effective hours per selling hour
    floor_hours: np.ndarray  # (products, 1) fewest selling hours counted, so logs stay finite
    budget: np.ndarray  # (plans,) team selling hours H
    gamma: np.ndarray  # hours coefficient γ
    unassisted: np.ndarray  # unassisted demand φ ē, hours
    weight_scale: np.ndarray  # γ M

    @classmethod
    def start(
        cls,
        demand: Demand,
        value_per_unit: np.ndarray,
        price: np.ndarray,
        lead_gen: np.ndarray,
        productivity: np.ndarray,
        budget: np.ndarray,
    ) -> _Batch:
        shape = value_per_unit.shape
        at_reference = utility(
            demand, price, np.broadcast_to(demand.reference_hours, shape), lead_gen
        )
        productivity = np.broadcast_to(np.asarray(productivity, dtype=float), shape[:1])
        gamma = plan_columns(demand.gamma)
        unassisted = plan_columns(demand.unassisted_hours)
        today = demand.reference_hours[:, np.newaxis] + unassisted
        fixed = np.broadcast_to(at_reference, shape).T - gamma * np.log(today)
        return cls(
            active=np.arange(shape[0]),
            value=np.ascontiguousarray(value_per_unit.T, dtype=float),
            fixed=np.ascontiguousarray(fixed),
            productivity=np.ascontiguousarray(productivity[np.newaxis, :]),
            floor_hours=(EFFORT_FLOOR * demand.reference_hours)[:, np.newaxis],
            budget=budget,
            gamma=gamma,
            unassisted=unassisted,
            weight_scale=gamma * demand.segment_size[:, np.newaxis],
        )

    def shares(
        self, demand: Demand, hours: np.ndarray, clip: bool
    ) -> tuple[np.ndarray, np.ndarray]:
        """Shares at ``hours`` selling hours, and each product's assisted fraction ``f``."""
        effective = np.maximum(hours, self.floor_hours)
        effective *= self.productivity
        assisted_hours = effective + self.unassisted
        assisted = np.divide(effective, assisted_hours)
        utility = np.log(assisted_hours, out=assisted_hours)
        utility *= self.gamma
        utility += self.fixed
        if clip:
            np.minimum(utility, 700.0, out=utility)
        attraction = np.exp(utility, out=utility)
        denominator = segment_totals(demand, attraction)
        denominator += 1.0
        return np.divide(attraction, denominator, out=attraction), assisted

    def take(self, keep: np.ndarray) -> _Batch:
        plans = self.active.shape[0]
        return _Batch(
            active=self.active[keep],
            value=self.value[:, keep],
            fixed=self.fixed[:, keep],
            productivity=self.productivity[:, keep],
            floor_hours=self.floor_hours,
            budget=self.budget[keep],
            gamma=take_columns(self.gamma, keep, plans),
            unassisted=take_columns(self.unassisted, keep, plans),
            weight_scale=take_columns(self.weight_scale, keep, plans),
        )
