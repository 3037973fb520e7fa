"""The deals as optima, not the best of a sample (MODEL.md §8).

Every deal — Nash, weighted Nash, Kalai–Smorodinsky, each party's ideal — maximises a score
that rises with both parties' utilities, so each lies on the Pareto frontier. The search:

1. **Frontier**: NSGA-II (pymoo) over the free levers, seeded with the sampled plans that no
   other sample beats, with the hard limits and unsettled hours as a constraint; its final
   population joins the candidates.
2. **Nash deal**, the headline: SciPy's differential evolution (vectorised: one model call per
   generation), its first population the best candidates for the Nash product and a Latin
   hypercube around them; then the local polish.
3. **Every other deal**: the local polish (:mod:`.polish`) from the best candidate for its
   own score, the frontier already being a global search for it.

Plans that break a hard limit, leave a party worse off (for the compromises) or whose hours
did not settle score below every plan that does not, by how far they miss, so the searches
walk towards the allowed plans rather than stopping at the first wall. Fixed levers (locks)
are never touched: the searches run over the free levers only, scaled to [0, 1].
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from pymoo.algorithms.moo.nsga2 import NSGA2
from pymoo.core.problem import Problem
from pymoo.optimize import minimize
from scipy.optimize import differential_evolution
from scipy.stats import qmc

from alignment.compromise.bounds import LeverBound, grid_step, snap
from alignment.compromise.constraints import CONSTRAINT_OUTCOMES, Constraints
from alignment.compromise.polish import polish
from alignment.compromise.sampling import plans_from_levers
from alignment.compromise.utilities import RepUtility, Utilities, party_utilities
from alignment.demand import Demand
from alignment.evaluate import Outcomes, evaluate
from alignment.scenario import Scenario

ScoreFn = Callable[[np.ndarray], np.ndarray]
# Below every allowed plan's score; a disallowed plan scores this less how far it misses.
_OUTSIDE = 1e6
FRONTIER_POPULATION = 60
FRONTIER_GENERATIONS = 40
NASH_GENERATIONS = 60
# The deals are read by people: a lever is rounded to a thousandth of its range when that
# costs its score less than this share.
_ROUNDING_COST = 1e-5
# Internal goals on the way to Kalai–Smorodinsky: each side's largest gain with the other
# side no worse off.
OPTIMISED_RULES = (
    "leadership_ideal", "reps_ideal", "leadership_best", "reps_best", "nash", "weighted_nash",
    "kalai_smorodinsky",
)  # fmt: skip


@dataclass(frozen=True)
class Bargaining:
    """The problem every search solves: plans in the working scenario, valued against ``d``."""

    working: Scenario
    demand: Demand
    levers: tuple[LeverBound, ...]
    status_quo: Utilities
    rep_utility: RepUtility
    limits: Constraints
    scale: tuple[float, float]  # typical spread of each party's utility, to compare gains

    @property
    def free(self) -> np.ndarray:
        return np.array([i for i, b in enumerate(self.levers) if not b.is_fixed], dtype=int)

    def levers_at(self, unit: np.ndarray) -> np.ndarray:
        """Lever matrix ``(B, L)`` for points ``(B, F)`` in the unit box of the free levers."""
        low = np.array([b.low for b in self.levers])
        high = np.array([b.high for b in self.levers])
        levers = np.repeat(low[None, :], unit.shape[0], axis=0)
        free = self.free
        levers[:, free] = low[free] + unit * (high[free] - low[free])
        return levers

    def unit_of(self, levers: np.ndarray) -> np.ndarray:
        """The free levers of ``levers`` ``(B, L)`` in the unit box."""
        low = np.array([b.low for b in self.levers])[self.free]
        high = np.array([b.high for b in self.levers])[self.free]
        return np.clip((levers[:, self.free] - low) / (high - low), 0.0, 1.0)

    def outcomes(self, unit: np.ndarray) -> Outcomes:
        plans = plans_from_levers(self.working, self.levers_at(unit))
        return evaluate(self.working, plans, self.demand, counterfactuals=False)


@dataclass(frozen=True)
class Scored:
    """Candidates as the searches see them: both utilities and how far each misses the rules."""

    unit: np.ndarray  # (K, F)
    leadership: np.ndarray
    reps: np.ndarray
    violation: np.ndarray  # 0 where the plan meets every limit and its hours settled

    def __len__(self) -> int:
        return self.unit.shape[0]

    def joined(self, other: Scored) -> Scored:
        return Scored(
            np.vstack([self.unit, other.unit]),
            np.concatenate([self.leadership, other.leadership]),
            np.concatenate([self.reps, other.reps]),
            np.concatenate([self.violation, other.violation]),
        )


def scored(problem: Bargaining, unit: np.ndarray, outcomes: Outcomes | None = None) -> Scored:
    outcomes = problem.outcomes(unit) if outcomes is None else outcomes
    leadership, reps = party_utilities(outcomes, problem.rep_utility)
    return Scored(unit, leadership, reps, violation(outcomes, problem.limits))


def violation(outcomes: Outcomes, limits: Constraints) -> np.ndarray:
    """How far each plan misses the hard limits (relative shortfall), plus 1 if its hours did
    not settle; 0 for an allowed plan."""
    missed = np.where(outcomes.converged.astype(bool), 0.0, 1.0)
    for name, minimum in limits.limits().items():
        value = getattr(outcomes, CONSTRAINT_OUTCOMES[name])
        missed = missed + np.maximum(minimum - value, 0.0) / max(abs(minimum), 1e-9)
    return missed


def rule_score(
    problem: Bargaining,
    rule: str,
    points: Scored,
    *,
    weight: float = 0.5,
    best_gains: tuple[float, float] = (1.0, 1.0),
) -> np.ndarray:
    """Each candidate's score under ``rule``, larger is better; disallowed plans below all
    allowed ones. ``best_gains`` are each side's largest gain that leaves the other no worse
    off (Kalai–Smorodinsky's ideal point)."""
    scale_l, scale_s = problem.scale
    gain_l = (points.leadership - problem.status_quo.leadership) / scale_l
    gain_s = (points.reps - problem.status_quo.reps) / scale_s
    missed = points.violation
    if rule == "leadership_ideal":
        value = gain_l + 1e-9 * gain_s
    elif rule == "reps_ideal":
        value = gain_s + 1e-9 * gain_l
    else:
        # The compromises must leave both sides better off than the status quo.
        missed = missed + np.maximum(-gain_l, 0.0) + np.maximum(-gain_s, 0.0)
        safe_l, safe_s = np.maximum(gain_l, 0.0), np.maximum(gain_s, 0.0)
        if rule == "nash":
            value = safe_l * safe_s
        elif rule == "weighted_nash":
            value = safe_l**weight * safe_s ** (1.0 - weight)
        elif rule == "kalai_smorodinsky":
            ideal_l, ideal_s = best_gains
            value = np.minimum(safe_l / (ideal_l / scale_l), safe_s / (ideal_s / scale_s))
        elif rule == "leadership_best":
            value = safe_l + 1e-9 * safe_s
        elif rule == "reps_best":
            value = safe_s + 1e-9 * safe_l
        else:
            raise ValueError(f"rule: unknown {rule!r}; use one of {OPTIMISED_RULES}")
    return np.where(missed > 0, -_OUTSIDE - missed, value)


def frontier_search(problem: Bargaining, pool: Scored, seed: int) -> Scored:
    """NSGA-II's final population: plans spread along the frontier, seeded from ``pool``."""
    dims = problem.free.size
    population = FRONTIER_POPULATION
    allowed = pool.violation == 0
    order = np.lexsort((-pool.reps, -pool.leadership))
    kept = [i for i in order if allowed[i]]
    best_reps = -np.inf
    front = []
    for i in kept:  # the sampled frontier, leadership's best first
        if pool.reps[i] > best_reps:
            front.append(i)
            best_reps = pool.reps[i]
    rng = np.random.default_rng(seed)
    chosen = np.array(front, dtype=int)
    if chosen.size > population // 2:
        chosen = chosen[np.linspace(0, chosen.size - 1, population // 2).round().astype(int)]
    start = np.vstack([pool.unit[chosen], rng.random((population - chosen.size, dims))])

    class _Plans(Problem):
        def __init__(self) -> None:
            super().__init__(n_var=dims, n_obj=2, n_ieq_constr=1, xl=0.0, xu=1.0)

        def _evaluate(self, x, out, *args, **kwargs):
            found = scored(problem, np.asarray(x, dtype=float))
            out["F"] = np.column_stack([-found.leadership, -found.reps])
            out["G"] = found.violation[:, None]

    result = minimize(
        _Plans(),
        NSGA2(pop_size=population, sampling=start),
        ("n_gen", FRONTIER_GENERATIONS),
        seed=seed,
        verbose=False,
    )
    final = result.pop
    objectives = np.asarray(final.get("F"), dtype=float)
    return Scored(
        np.asarray(final.get("X"), dtype=float), -objectives[:, 0], -objectives[:, 1],
        np.maximum(np.asarray(final.get("G"), dtype=float)[:, 0], 0.0),
    )  # fmt: skip


def optimise_deals(
    problem: Bargaining,
    pool: Scored,
    *,
    rules: tuple[str, ...] = OPTIMISED_RULES,
    weight: float = 0.5,
    seed: int = 42,
    first_step: float = 0.05,
) -> Scored:
    """The optimum of each rule in ``rules``, in order, each started from the best of ``pool``
    and of the optima before it; returned as new candidates (one per rule). ``first_step`` is
    the local search's first step (a share of each lever's range): smaller when the pool
    already holds a near neighbour, as after a small change of the bargaining weight."""
    found: Scored | None = None
    best_gains = (1.0, 1.0)
    for rule in rules:
        everything = pool if found is None else pool.joined(found)
        if rule == "kalai_smorodinsky":
            best_gains = _best_gains(problem, everything)

        def score(
            unit: np.ndarray, rule: str = rule, gains: tuple[float, float] = best_gains
        ) -> np.ndarray:
            return rule_score(problem, rule, scored(problem, unit), weight=weight, best_gains=gains)

        ranked = rule_score(problem, rule, everything, weight=weight, best_gains=best_gains)
        start = everything.unit[int(np.argmax(ranked))]
        if rule == "nash":
            start = _global(score, everything.unit, ranked, seed)
        point, _ = polish(score, start, step=first_step)
        point = _readable(problem, score, point)
        new = scored(problem, point[None, :])
        found = new if found is None else found.joined(new)
    assert found is not None
    return found


def _best_gains(problem: Bargaining, points: Scored) -> tuple[float, float]:
    """Each side's largest gain among plans that leave both no worse off (money, not scaled)."""
    gain_l = points.leadership - problem.status_quo.leadership
    gain_s = points.reps - problem.status_quo.reps
    both = (points.violation == 0) & (gain_l > 0) & (gain_s > 0)
    if not both.any():
        return (1.0, 1.0)
    return float(gain_l[both].max()), float(gain_s[both].max())


def _global(score: ScoreFn, units: np.ndarray, ranked: np.ndarray, seed: int) -> np.ndarray:
    """Differential evolution over the unit box, first population the best of ``units`` and
    a Latin hypercube; returns its best point."""
    dims = units.shape[1]
    size = max(8 * dims, 24)
    best = units[np.argsort(-ranked, kind="stable")[: size // 2]]
    spread = qmc.LatinHypercube(d=dims, seed=seed).random(size - best.shape[0])
    result = differential_evolution(
        lambda x: -score(np.asarray(x, dtype=float).T),
        bounds=[(0.0, 1.0)] * dims,
        init=np.vstack([best, spread]),
        vectorized=True,
        updating="deferred",
        polish=False,
        maxiter=NASH_GENERATIONS,
        tol=1e-7,
        mutation=(0.5, 1.0),
        recombination=0.9,
        rng=seed,
    )
    return np.asarray(result.x, dtype=float)


def _readable(problem: Bargaining, score: ScoreFn, point: np.ndarray) -> np.ndarray:
    """``point`` with each lever rounded to a thousandth of its range, if that costs next to
    nothing ("Nova price 645.5", not "645.4731")."""
    levers = problem.levers_at(point[None, :])
    for j in problem.free:
        bound = problem.levers[j]
        levers[:, j] = snap(levers[:, j], grid_step(bound.high - bound.low) / 20.0)
    rounded = problem.unit_of(levers)[0]
    values = score(np.vstack([point, rounded]))
    cost = abs(values[0]) * _ROUNDING_COST
    return rounded if values[1] >= values[0] - cost else point
