"""The search and the bargain: sample plans, keep the frontier, and propose deals (MODEL.md §8).

The status quo's plan, valued in the working scenario, is the disagreement point ``d``: what each
side gets if the room agrees on nothing. Among the candidate plans that meet the hard
constraints and whose selling hours settled, the bargain proposes the Nash bargaining solution
beside Kalai–Smorodinsky, an asymmetric Nash product and each party's ideal.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from alignment.compromise.bounds import LeverBound, LockSpec, lever_bounds
from alignment.compromise.constraints import Constraints, hard_goal_constraints
from alignment.compromise.formatting import format_value
from alignment.compromise.frontier import pareto_frontier
from alignment.compromise.optimise import (
    OPTIMISED_RULES,
    Bargaining,
    frontier_search,
    optimise_deals,
    scored,
)
from alignment.compromise.sampling import (
    DEFAULT_CANDIDATES,
    clipped_levers,
    lever_matrix,
    plans_from_levers,
    sample_plans,
)
from alignment.compromise.utilities import (
    REP_UTILITY_NOUNS,
    REP_UTILITY_UNITS,
    RepUtility,
    Utilities,
    check_rep_utility,
    check_same_products,
    party_utilities,
    value_in_working,
)
from alignment.demand import Demand
from alignment.evaluate import Outcomes, Plans, calibrated, evaluate, stacked
from alignment.scenario import Scenario

DealRule = Literal[
    "nash", "kalai_smorodinsky", "weighted_nash", "leadership_ideal", "reps_ideal",
    "closest_trade_off",
]  # fmt: skip

RULE_LABELS: dict[str, str] = {
    "nash": "Nash bargaining deal",
    "kalai_smorodinsky": "Kalai–Smorodinsky deal",
    "weighted_nash": "Weighted Nash deal",
    "leadership_ideal": "Leadership's ideal",
    "reps_ideal": "Reps' ideal",
    "closest_trade_off": "Closest trade-off",
}
_CLOSEST_TRADE_OFFS = 3
NO_CONSTRAINTS = Constraints()


@dataclass(frozen=True)
class Deal:
    """One candidate plan proposed by a bargaining ``rule``, with both parties' utilities."""

    rule: DealRule
    index: int
    leadership: float
    reps: float
    leadership_gain: float  # over the status quo
    reps_gain: float

    @property
    def label(self) -> str:
        return RULE_LABELS[self.rule]


@dataclass(frozen=True, eq=False)
class SearchResult:
    """Every candidate the search evaluated, the frontier, and the deals it proposes.

    ``leadership``, ``reps``, ``feasible`` and ``eligible`` are ``(K,)`` arrays over ``plans``;
    ``frontier`` holds indices into them, by leadership utility descending. A candidate is
    *feasible* when it meets every hard constraint, and *eligible* (may be on the frontier or
    be proposed) when it is feasible and its selling hours settled.
    """

    working: Scenario
    plans: Plans
    outcomes: Outcomes
    demand: Demand  # the working scenario's, with the status quo's motivation
    levers: tuple[LeverBound, ...]
    rep_utility: RepUtility
    leadership: np.ndarray
    reps: np.ndarray
    feasible: np.ndarray
    eligible: np.ndarray
    frontier: np.ndarray
    status_quo: Utilities  # the disagreement point d
    status_quo_outcomes: Outcomes  # the status quo's plan in the working scenario, one plan
    status_quo_index: int  # the status quo's levers among the candidates (clipped to the locks)
    working_index: int  # the working scenario's plan among the candidates
    constraints: Constraints  # the room's own limits
    goal_constraints: Constraints  # the working scenario's goals marked hard
    bargaining_weight: float
    nash: Deal | None
    kalai_smorodinsky: Deal | None
    weighted_nash: Deal | None
    leadership_ideal: Deal | None
    reps_ideal: Deal | None
    closest_trade_offs: tuple[Deal, ...]
    no_deal_reason: str | None
    feasible_count: int
    improving_count: int
    unconverged_count: int  # candidates whose selling hours did not settle: never proposed
    sampled_count: int  # the first candidates: the anchors and the uniform sample
    seed: int
    elapsed_seconds: float

    @property
    def has_deal(self) -> bool:
        return self.nash is not None

    @property
    def deals(self) -> tuple[Deal, ...]:
        """The proposed deals that exist, compromises first, then each party's ideal."""
        found = (
            self.nash, self.kalai_smorodinsky, self.weighted_nash, self.leadership_ideal,
            self.reps_ideal,
        )  # fmt: skip
        return tuple(d for d in found if d is not None)

    @property
    def all_constraints(self) -> Constraints:
        """The room's limits and the hard goals together, each at the stricter of the two."""
        return self.constraints.tightened(self.goal_constraints)

    @property
    def status_quo_converged(self) -> bool:
        return bool(self.status_quo_outcomes.converged[0])

    def utilities(self, index: int) -> Utilities:
        return Utilities(float(self.leadership[index]), float(self.reps[index]))


def search(
    working: Scenario,
    status_quo: Scenario,
    *,
    locks: Mapping[str, LockSpec] | None = None,
    constraints: Constraints = NO_CONSTRAINTS,
    rep_utility: RepUtility = "rep_utility",
    bargaining_weight: float = 0.5,
    count: int = DEFAULT_CANDIDATES,
    seed: int = 42,
    demand: Demand | None = None,
    optimise: bool = True,
) -> SearchResult:
    """Sample, evaluate and bargain: the compromise search of MODEL.md §8.

    Parameters
    ----------
    working : the scenario whose market, team, goals, ``λ`` and negotiation bounds the search
        uses; its goals marked ``hard`` are limits every deal meets.
    status_quo : the disagreement point's plan; same products, possibly another plan. Its plan
        is valued in the working scenario, never under its own goals.
    locks : the parties' extra locks by lever name (see :func:`lever_bounds`).
    constraints : the room's limits, on top of the hard goals.
    rep_utility : the reps' utility: earnings less the cost of effort (money per rep, the
        default), motivation (0–100) or expected earnings (money per rep).
    bargaining_weight : leadership's weight ``w`` in the weighted Nash product, in (0, 1).
    count : plans sampled besides the status quo's and the working plan: context for the
        chart and starting points for the optimisers.
    seed : the seed of the sample and the optimisers; the same inputs and seed give the same
        result, and another seed the same deals to within the optimisers' tolerance.
    demand : ``calibrated(working, status_quo)``, precomputed to save a calibration.
    optimise : search the frontier and each deal with the optimisers (:mod:`.optimise`);
        False proposes the best sampled plans only (quicker, further from the optimum).
    """
    started = time.perf_counter()
    check_same_products(working, status_quo)
    check_rep_utility(rep_utility)
    _check_weight(bargaining_weight)
    if demand is None or demand.reference_motivation is None:
        demand = calibrated(working, status_quo)
    bounds = lever_bounds(working, locks)
    plans = sample_plans(working, bounds, count, anchors=(status_quo, working), seed=seed)
    outcomes = evaluate(working, plans, demand, counterfactuals=False)
    disagreement = value_in_working(working, status_quo, demand=demand)
    # Dropping duplicates keeps the first of equal plans: the status quo's.
    same_anchor = np.array_equal(
        clipped_levers(status_quo, bounds), clipped_levers(working, bounds)
    )
    return _bargain(
        working=working,
        plans=plans,
        outcomes=outcomes,
        demand=demand,
        levers=bounds,
        rep_utility=rep_utility,
        status_quo_outcomes=disagreement,
        status_quo_index=0,
        working_index=0 if same_anchor else 1,
        constraints=constraints,
        goal_constraints=hard_goal_constraints(working),
        weight=bargaining_weight,
        sampled_count=len(plans),
        seed=seed,
        optimise=OPTIMISED_RULES if optimise else (),
        started=started,
    )


def bargain(
    result: SearchResult,
    *,
    constraints: Constraints | None = None,
    bargaining_weight: float | None = None,
    rep_utility: RepUtility | None = None,
) -> SearchResult:
    """The same candidates bargained again under new limits, weight or reps' utility.

    The candidates are kept; the deals a change moves are optimised again from them (a new
    weight: the weighted deal only, a local polish; new limits or another reps' measure:
    every deal and the frontier). The hard goals stay those of the search's working scenario.
    """
    weight = result.bargaining_weight if bargaining_weight is None else bargaining_weight
    _check_weight(weight)
    measure = result.rep_utility if rep_utility is None else rep_utility
    check_rep_utility(measure)
    limits = result.constraints if constraints is None else constraints
    rules: tuple[str, ...] = ()
    if result.sampled_count < len(result.plans):  # the search optimised: so does the bargain
        if measure != result.rep_utility or limits != result.constraints:
            rules = OPTIMISED_RULES
        elif weight != result.bargaining_weight:
            rules = ("weighted_nash",)
    return _bargain(
        working=result.working,
        plans=result.plans,
        outcomes=result.outcomes,
        demand=result.demand,
        levers=result.levers,
        rep_utility=measure,
        status_quo_outcomes=result.status_quo_outcomes,
        status_quo_index=result.status_quo_index,
        working_index=result.working_index,
        constraints=limits,
        goal_constraints=result.goal_constraints,
        weight=weight,
        sampled_count=result.sampled_count,
        seed=result.seed,
        optimise=rules,
        started=time.perf_counter() - result.elapsed_seconds,
    )


def _bargain(
    *,
    working: Scenario,
    plans: Plans,
    outcomes: Outcomes,
    demand: Demand,
    levers: tuple[LeverBound, ...],
    rep_utility: RepUtility,
    status_quo_outcomes: Outcomes,
    status_quo_index: int,
    working_index: int,
    constraints: Constraints,
    goal_constraints: Constraints,
    weight: float,
    sampled_count: int,
    seed: int,
    optimise: tuple[str, ...],
    started: float,
) -> SearchResult:
    d_l, d_s = party_utilities(status_quo_outcomes, rep_utility)
    status_quo = Utilities(float(d_l[0]), float(d_s[0]))
    limits = constraints.tightened(goal_constraints)
    if optimise:
        problem = _problem(working, demand, levers, status_quo, rep_utility, limits, outcomes)
        if problem.free.size:
            plans, outcomes = _optimised(problem, plans, outcomes, optimise, weight, seed)
    leadership, reps = party_utilities(outcomes, rep_utility)
    feasible = limits.satisfied(outcomes)
    settled = outcomes.converged.astype(bool)
    eligible = feasible & settled
    frontier = pareto_frontier(leadership, reps, eligible)
    gain_l = leadership - status_quo.leadership
    gain_s = reps - status_quo.reps
    improving = eligible & (gain_l > 0) & (gain_s > 0)

    def deal(rule: DealRule, index: int) -> Deal:
        return Deal(
            rule, int(index), float(leadership[index]), float(reps[index]),
            float(gain_l[index]), float(gain_s[index]),
        )  # fmt: skip

    nash = kalai = weighted = None
    closest: tuple[Deal, ...] = ()
    reason = None
    if improving.any():
        pool = np.flatnonzero(improving)
        nash = deal("nash", pool[np.argmax(gain_l[pool] * gain_s[pool])])
        weighted_log = weight * np.log(gain_l[pool]) + (1.0 - weight) * np.log(gain_s[pool])
        weighted = deal("weighted_nash", pool[np.argmax(weighted_log)])
        on_frontier = frontier[improving[frontier]]
        share_of_ideal = np.minimum(
            gain_l[on_frontier] / gain_l[pool].max(), gain_s[on_frontier] / gain_s[pool].max()
        )
        kalai = deal("kalai_smorodinsky", on_frontier[np.argmax(share_of_ideal)])
    else:
        reason = _no_deal_reason(feasible, eligible, status_quo, rep_utility, limits)
        closest = tuple(
            deal("closest_trade_off", i)
            for i in _nearest(frontier, leadership, reps, eligible, status_quo)
        )
    return SearchResult(
        working=working,
        plans=plans,
        outcomes=outcomes,
        demand=demand,
        levers=levers,
        rep_utility=rep_utility,
        leadership=leadership,
        reps=reps,
        feasible=feasible,
        eligible=eligible,
        frontier=frontier,
        status_quo=status_quo,
        status_quo_outcomes=status_quo_outcomes,
        status_quo_index=status_quo_index,
        working_index=working_index,
        constraints=constraints,
        goal_constraints=goal_constraints,
        bargaining_weight=weight,
        nash=nash,
        kalai_smorodinsky=kalai,
        weighted_nash=weighted,
        leadership_ideal=deal("leadership_ideal", frontier[0]) if frontier.size else None,
        reps_ideal=deal("reps_ideal", frontier[-1]) if frontier.size else None,
        closest_trade_offs=closest,
        no_deal_reason=reason,
        feasible_count=int(feasible.sum()),
        improving_count=int(improving.sum()),
        unconverged_count=int((~settled).sum()),
        sampled_count=sampled_count,
        seed=seed,
        elapsed_seconds=time.perf_counter() - started,
    )


def _problem(
    working: Scenario,
    demand: Demand,
    levers: tuple[LeverBound, ...],
    status_quo: Utilities,
    rep_utility: RepUtility,
    limits: Constraints,
    outcomes: Outcomes,
) -> Bargaining:
    """The optimisers' problem; gains are compared in units of each utility's spread over the
    candidates (its status-quo value's size where the candidates do not spread)."""
    leadership, reps = party_utilities(outcomes, rep_utility)
    scale = tuple(
        float(np.ptp(values)) or abs(origin) or 1.0
        for values, origin in ((leadership, status_quo.leadership), (reps, status_quo.reps))
    )
    return Bargaining(working, demand, levers, status_quo, rep_utility, limits, scale)


def _optimised(
    problem: Bargaining,
    plans: Plans,
    outcomes: Outcomes,
    rules: tuple[str, ...],
    weight: float,
    seed: int,
) -> tuple[Plans, Outcomes]:
    """The candidates with the optimisers' plans added after them."""
    pool = scored(problem, problem.unit_of(lever_matrix(plans)), outcomes)
    found = None
    if "nash" in rules:  # a full search: the frontier first, then every deal
        found = frontier_search(problem, pool, seed)
        pool = pool.joined(found)
    # A new weight only moves the weighted deal along the frontier the pool already holds.
    step = 0.05 if "nash" in rules else 0.02
    deals = optimise_deals(problem, pool, rules=rules, weight=weight, seed=seed, first_step=step)
    found = deals if found is None else found.joined(deals)
    # Keep each new plan once, and only if no candidate already has its levers.
    known = lever_matrix(plans)
    levers = problem.levers_at(found.unit)
    _, first = np.unique(np.vstack([known, levers]), axis=0, return_index=True)
    new = np.sort(first[first >= len(known)]) - len(known)
    extra = plans_from_levers(problem.working, levers[new])
    found_outcomes = evaluate(problem.working, extra, problem.demand, counterfactuals=False)
    return stacked([plans, extra]), stacked([outcomes, found_outcomes])


def _nearest(
    frontier: np.ndarray,
    leadership: np.ndarray,
    reps: np.ndarray,
    eligible: np.ndarray,
    status_quo: Utilities,
) -> np.ndarray:
    """Frontier plans nearest the status quo, each utility scaled by its spread."""
    if frontier.size == 0:
        return frontier
    scale_l = np.ptp(leadership[eligible]) or 1.0
    scale_s = np.ptp(reps[eligible]) or 1.0
    distance = np.hypot(
        (leadership[frontier] - status_quo.leadership) / scale_l,
        (reps[frontier] - status_quo.reps) / scale_s,
    )
    return frontier[np.argsort(distance, kind="stable")[:_CLOSEST_TRADE_OFFS]]


def utilities_text(utilities: Utilities, rep_utility: RepUtility) -> str:
    """Both utilities in words: ``"leadership's value 5,840,159 per period, reps' earnings
    less the cost of effort 67,848 per rep"``."""
    unit = REP_UTILITY_UNITS[rep_utility]
    per_rep = " per rep" if unit == "money" else ""
    return (
        f"leadership's value {format_value(utilities.leadership, 'money')} per period, "
        f"reps' {REP_UTILITY_NOUNS[rep_utility]} {format_value(utilities.reps, unit)}{per_rep}"
    )


def _no_deal_reason(
    feasible: np.ndarray,
    eligible: np.ndarray,
    status_quo: Utilities,
    rep_utility: RepUtility,
    limits: Constraints,
) -> str:
    if not feasible.any():
        return (
            "No candidate plan meets the constraints ("
            + "; ".join(limits.describe())
            + "). Relax a constraint or widen the negotiation bounds."
        )
    if not eligible.any():
        return (
            "The selling hours of no candidate plan that meets the constraints settled, so "
            "none can be proposed. Widen the negotiation bounds or relax a constraint."
        )
    return (
        "No candidate plan within the negotiation bounds leaves both parties better off than "
        f"the status quo ({utilities_text(status_quo, rep_utility)}). The closest trade-offs "
        "are shown: widen the negotiation bounds, unlock a lever or relax a constraint."
    )


def _check_weight(weight: float) -> None:
    if not 0.0 < weight < 1.0:
        raise ValueError(
            f"bargaining_weight: leadership's weight must be strictly between 0 and 1, "
            f"got {weight:g}"
        )
