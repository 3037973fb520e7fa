"""The robust deal: the plan most likely to leave both sides better off (MODEL.md §10).

The central deals are optimal at the stated elasticities, effort response and habit. The
robust deal maximises, over draws of those uncertain inputs (the same draws for every plan, so
plans are compared on the same possible worlds), the share of draws in which both sides gain
over the status quo in that draw; ties, common since a share of draws moves in steps, go to
the larger expected Nash product. It starts from the best of the search's optimised plans and
deals and is polished like the deals (:mod:`.polish`). It must meet the room's hard limits at
the stated values, as every deal does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from alignment.compromise.bargaining import SearchResult
from alignment.compromise.optimise import Bargaining, violation
from alignment.compromise.polish import polish
from alignment.compromise.sampling import lever_matrix, plans_from_levers
from alignment.compromise.utilities import party_utilities
from alignment.draws import evaluate_draws
from alignment.evaluate import Plans, evaluate, stacked
from alignment.scenario import Scenario
from alignment.uncertainty import draw_outcomes, latin_hypercube, plan_gains

# Draws used to compare plans while searching; the pages report figures over more.
SEARCH_DRAWS = 200
# A tie-break only: an expected Nash product never outweighs one draw in a hundred thousand.
_TIE_BREAK = 1e-6
_START_POINTS = 8
MAX_STEPS = 20


@dataclass(frozen=True)
class RobustDeal:
    """The robust plan beside the central Nash deal, both over the same draws."""

    plans: Plans  # one plan
    levers: np.ndarray  # (L,) in the order of the search's levers
    both_gain: float  # share of draws in which both sides gain, 0–1
    nash_both_gain: float  # the same for the central Nash deal
    expected_leadership_gain: float  # mean over the draws, money per period
    expected_reps_gain: float  # mean over the draws, the reps' measure
    draws: int


def robust_deal(
    result: SearchResult,
    status_quo: Scenario,
    *,
    draws: int = SEARCH_DRAWS,
    seed: int | None = None,
) -> RobustDeal | None:
    """The plan with the largest chance that both sides gain; None without a central deal.

    Parameters
    ----------
    result : a search whose Nash deal exists (:func:`~alignment.compromise.search`).
    status_quo : the scenario the search bargained against.
    draws, seed : the draws plans are compared over (seed default: the working scenario's).
    """
    if result.nash is None:
        return None
    working = result.working
    sample = latin_hypercube(working, draws, seed)
    problem = _problem(result)
    levers = lever_matrix(result.plans)
    starts = _starting_points(result)

    # The status quo in each draw, once: every plan is compared with it.
    today = draw_outcomes(working, [status_quo], sample.parameters, sample.values, status_quo)[0]
    d_l, d_s = party_utilities(today, result.rep_utility)
    scale_l, scale_s = problem.scale

    def chances(unit: np.ndarray) -> np.ndarray:
        plans = plans_from_levers(working, problem.levers_at(unit))
        drawn = evaluate_draws(working, plans, sample.parameters, sample.values,
                               status_quo=status_quo)  # fmt: skip
        leadership, reps = party_utilities(drawn, result.rep_utility)
        gain_l = leadership.reshape(len(sample), -1) - d_l[:, None]
        gain_s = reps.reshape(len(sample), -1) - d_s[:, None]
        both = ((gain_l > 0) & (gain_s > 0)).mean(axis=0)
        product = np.maximum(gain_l, 0.0) * np.maximum(gain_s, 0.0)
        expected = product.mean(axis=0) / (scale_l * scale_s)
        central = evaluate(working, plans, result.demand, counterfactuals=False)
        missed = violation(central, problem.limits)
        return np.where(missed > 0, -1.0 - missed, both + _TIE_BREAK * expected)

    unit = problem.unit_of(levers[starts])
    scores = chances(unit)
    best = int(np.argmax(scores))
    point, _ = polish(chances, unit[best], step=0.02, max_steps=MAX_STEPS)
    chosen = problem.levers_at(point[None, :])
    plans = plans_from_levers(working, chosen)
    both_plans = stacked([plans, result.plans.take(result.nash.index)])
    gains = plan_gains(working, both_plans, sample, status_quo, result.rep_utility)
    chance = gains.both_gain()
    return RobustDeal(
        plans=plans,
        levers=chosen[0],
        both_gain=float(chance[0]),
        nash_both_gain=float(chance[1]),
        expected_leadership_gain=float(gains.leadership[:, 0].mean()),
        expected_reps_gain=float(gains.reps[:, 0].mean()),
        draws=len(sample),
    )


def _problem(result: SearchResult) -> Bargaining:
    leadership, reps = result.leadership, result.reps
    scale = tuple(float(np.ptp(values[result.eligible])) or 1.0 for values in (leadership, reps))
    return Bargaining(
        result.working, result.demand, result.levers, result.status_quo, result.rep_utility,
        result.all_constraints, scale,
    )  # fmt: skip


def _starting_points(result: SearchResult) -> np.ndarray:
    """The deals, then the improving frontier plans nearest the Nash deal."""
    deals = [d.index for d in result.deals]
    improving = (
        result.eligible
        & (result.leadership > result.status_quo.leadership)
        & (result.reps > result.status_quo.reps)
    )
    frontier = np.array([i for i in result.frontier if improving[i] and i not in deals], dtype=int)
    if frontier.size and result.nash is not None:
        spread_l = float(np.ptp(result.leadership[frontier])) or 1.0
        spread_s = float(np.ptp(result.reps[frontier])) or 1.0
        distance = np.hypot(
            (result.leadership[frontier] - result.nash.leadership) / spread_l,
            (result.reps[frontier] - result.nash.reps) / spread_s,
        )
        frontier = frontier[np.argsort(distance, kind="stable")]
    chosen = list(dict.fromkeys(deals + frontier.tolist()))[:_START_POINTS]
    return np.array(chosen, dtype=int)
