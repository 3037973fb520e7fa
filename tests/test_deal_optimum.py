"""The deal is the optimum (MODEL.md §8, §12.7): checked against an independent optimiser.

The independent check runs SciPy's differential evolution with another strategy, a larger
budget and its own seed, then Nelder–Mead, on the Nash product computed here from
``evaluate`` alone, over the same lever bounds. The search's Nash deal must reach 99 % of the
best either finds, for three seeds; every deal must leave both sides better off; locks and hard
limits hold exactly.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import differential_evolution, minimize

from alignment import load_scenario
from alignment.compromise import (
    Constraints,
    Lock,
    bargain,
    lever_matrix,
    plans_from_levers,
    search,
)
from alignment.evaluate import calibrated, evaluate
from alignment.scenario import Range, Scenario
from alignment.scenario_io import scenario_from_data

SCENARIOS = sorted((Path(__file__).resolve().parents[1] / "scenarios").glob("*.yaml"))
SEEDS = (1, 2, 3)
COUNT = 1_000


def independent_best(scenario: Scenario, result) -> float:
    """The largest Nash product an independent global-then-local optimiser finds."""
    bounds = [(b.low, b.high) for b in result.levers]
    free = [j for j, (low, high) in enumerate(bounds) if high > low]
    low = np.array([b[0] for b in bounds])
    high = np.array([b[1] for b in bounds])
    demand = result.demand
    d_l, d_s = result.status_quo.leadership, result.status_quo.reps
    limits = result.all_constraints

    def product(x: np.ndarray) -> np.ndarray:
        levers = np.repeat(low[None, :], x.shape[0], axis=0)
        levers[:, free] = np.clip(x, low[free], high[free])
        outcomes = evaluate(scenario, plans_from_levers(scenario, levers), demand)
        gain_l = (outcomes.leadership_value - d_l) / 1e5
        gain_s = (outcomes.rep_utility - d_s) / 1e3
        allowed = limits.satisfied(outcomes) & outcomes.converged.astype(bool)
        good = allowed & (gain_l > 0) & (gain_s > 0)
        shortfall = np.maximum(-gain_l, 0) + np.maximum(-gain_s, 0) + (~allowed)
        return np.where(good, gain_l * gain_s, -shortfall)

    found = differential_evolution(
        lambda x: -product(np.atleast_2d(x.T)),
        bounds=[bounds[j] for j in free],
        vectorized=True,
        strategy="rand1bin",
        updating="deferred",
        popsize=20,
        maxiter=150,
        tol=1e-10,
        polish=False,
        rng=20261206,
    )
    local = minimize(
        lambda x: -product(x[None, :])[0],
        found.x,
        method="Nelder-Mead",
        bounds=[bounds[j] for j in free],
        options={"xatol": 1e-6, "fatol": 1e-9, "maxfev": 1500},
    )
    return max(-found.fun, -local.fun) * 1e5 * 1e3


def nash_product(result) -> float:
    assert result.nash is not None, result.no_deal_reason
    return result.nash.leadership_gain * result.nash.reps_gain


def random_scenario(seed: int) -> Scenario:
    """A valid variation of the launch scenario: other elasticities, shares and bounds."""
    rng = np.random.default_rng(seed)
    data = load_scenario(SCENARIOS[4]).model_dump(mode="json")
    for product in data["products"]:
        product["price_elasticity"] = float(rng.uniform(1.2, 4.0))
        product["effort_elasticity"] = float(rng.uniform(0.1, 0.6))
        product["unassisted_share"] = float(rng.uniform(0.0, 0.3))
    for bound in data["negotiation"]["prices"].values():
        bound["min"] = round(bound["min"] * rng.uniform(0.8, 1.0))
        bound["max"] = round(bound["max"] * rng.uniform(1.0, 1.2))
    data["sales_team"]["effort_response"] = float(rng.uniform(0.0, 0.5))
    data["sales_team"]["habit"] = float(rng.uniform(0.0, 0.6))
    return scenario_from_data(data)


CASES = [pytest.param(load_scenario(p), id=p.stem) for p in SCENARIOS] + [
    pytest.param(random_scenario(seed), id=f"random-{seed}") for seed in (11, 12)
]


@pytest.mark.parametrize("scenario", CASES)
def test_the_nash_deal_is_within_one_percent_of_an_independent_optimum_for_any_seed(scenario):
    demand = calibrated(scenario, scenario)
    results = [search(scenario, scenario, count=COUNT, seed=s, demand=demand) for s in SEEDS]
    best = max(independent_best(scenario, results[0]), *(nash_product(r) for r in results))
    for seed, result in zip(SEEDS, results, strict=True):
        assert nash_product(result) >= 0.99 * best, f"seed {seed}"
        for deal in result.deals:
            if deal.rule in ("nash", "kalai_smorodinsky", "weighted_nash"):
                assert deal.leadership_gain > 0 and deal.reps_gain > 0, deal


def test_the_optimised_deal_beats_the_best_sampled_plan(launch):
    optimised = search(launch, launch, count=COUNT, seed=5)
    sampled = search(launch, launch, count=COUNT, seed=5, optimise=False)
    assert nash_product(optimised) > 1.05 * nash_product(sampled)


def test_locks_and_hard_limits_hold_exactly_on_every_deal(launch):
    locks = {"price.nova": Lock.at(640.0), "margin_rate": Range(min=0.05, max=0.09)}
    limits = Constraints(min_gross_margin_pct=0.5)
    result = search(launch, launch, count=COUNT, seed=4, locks=locks, constraints=limits)
    levers = lever_matrix(result.plans)
    names = [b.lever for b in result.levers]
    nova, margin = names.index("price.nova"), names.index("margin_rate")
    assert result.deals
    for deal in result.deals:
        assert levers[deal.index, nova] == 640.0
        assert 0.05 <= levers[deal.index, margin] <= 0.09
        assert result.outcomes.gross_margin_pct[deal.index] >= 0.5
    frontier = result.frontier
    assert (levers[frontier, nova] == 640.0).all()
    assert (result.outcomes.gross_margin_pct[frontier] >= 0.5).all()


def test_each_partys_ideal_is_at_least_as_good_for_it_as_every_candidate(launch):
    result = search(launch, launch, count=COUNT, seed=6)
    allowed = result.eligible
    assert result.leadership_ideal.leadership >= result.leadership[allowed].max()
    assert result.reps_ideal.reps >= result.reps[allowed].max()


def test_a_new_bargaining_weight_moves_the_weighted_deal_towards_that_side(launch):
    result = search(launch, launch, count=COUNT, seed=8)
    leadership_heavy = bargain(result, bargaining_weight=0.8).weighted_nash
    reps_heavy = bargain(result, bargaining_weight=0.2).weighted_nash
    assert (
        leadership_heavy.leadership_gain > result.nash.leadership_gain > reps_heavy.leadership_gain
    )
    assert reps_heavy.reps_gain > result.nash.reps_gain > leadership_heavy.reps_gain
