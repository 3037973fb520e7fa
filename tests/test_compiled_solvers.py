"""The compiled solvers land where the vectorised ones do, plan by plan.

:meth:`HoursSolver.solve` and :func:`allocate_hours` run one plan at a time in compiled loops,
split across cores for large batches; ``solve_vectorised`` and ``allocate_hours_vectorised``
are the numpy references. Both stop at the same tolerances, so they agree to well within them.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from test_properties import near_shipped, scenarios

from alignment import Plans, Scenario, plan_chunks
from alignment.demand import calibrate
from alignment.draws import drawn_demand
from alignment.effort import allocate_hours, allocate_hours_vectorised
from alignment.evaluate import _Market, calibrated
from alignment.solver import HoursSolver, Solution
from alignment.uncertainty_inputs import uncertain_parameters

# Deterministic examples: a property over many scenarios that cannot pass one run and fail the
# next.
COMPARE = settings(
    max_examples=25, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)  # fmt: skip


def random_plans(scenario: Scenario, count: int, seed: int) -> Plans:
    """``count`` plans around the scenario's own: prices ×0.5–1.5, rates and kickers moved."""
    rng = np.random.default_rng(seed)
    base = Plans.from_scenario(scenario)
    products = len(scenario.products)
    return Plans(
        price=base.price * rng.uniform(0.5, 1.5, (count, products)),
        kicker=base.kicker * rng.uniform(0.0, 2.0, (count, products)),
        lead_gen=base.lead_gen * rng.uniform(0.0, 2.0, (count, products)),
        revenue_rate=np.clip(base.revenue_rate * rng.uniform(0.0, 2.0, count), 0.0, 0.5),
        margin_rate=np.clip(base.margin_rate * rng.uniform(0.0, 2.0, count), 0.0, 0.5),
        push_content=base.push_content * rng.uniform(0.0, 2.0, count),
    )


def both_solutions(scenario: Scenario, plans: Plans, demand, respond: bool):
    market = _Market(scenario, plans, demand)
    solver = HoursSolver(scenario, demand, market.strategic, market.strategic_market)
    columns = market.columns(demand.reference_motivation if respond else None)
    return solver, solver.solve(columns, respond), solver.solve_vectorised(columns, respond)


def assert_same(solver: HoursSolver, compiled: Solution, reference: Solution) -> None:
    hours = solver.reference_team_hours
    np.testing.assert_array_equal(compiled.settled, reference.settled)
    both = compiled.settled & reference.settled
    assert both.mean() > 0.9, "most plans settle"
    assert_allclose(compiled.pay_hours[both], reference.pay_hours[both], atol=1e-5 * hours)
    assert_allclose(compiled.team_hours[both], reference.team_hours[both], rtol=1e-5)
    assert_allclose(compiled.conflict[both], reference.conflict[both], atol=1e-5)
    assert_allclose(compiled.pay_hours.sum(axis=1), compiled.team_hours, rtol=1e-12)


@COMPARE
@given(near_shipped(), st.booleans())
def test_the_compiled_fixed_point_is_the_vectorised_one_on_scenarios_a_room_could_reach(
    scenario, respond
):
    demand = calibrated(scenario)
    assert_same(*both_solutions(scenario, random_plans(scenario, 40, seed=3), demand, respond))


@COMPARE
@given(scenarios())
def test_the_compiled_fixed_point_is_the_vectorised_one_on_any_valid_scenario(scenario):
    demand = calibrated(scenario)
    assert_same(*both_solutions(scenario, random_plans(scenario, 20, seed=5), demand, True))


def test_the_compiled_fixed_point_takes_each_plans_own_parameter_draws(launch):
    # Uncertainty draws give every plan its own demand coefficients, habit and response.
    parameters = uncertain_parameters(launch)
    rng = np.random.default_rng(11)
    low = np.array([p.low for p in parameters])
    high = np.array([p.high for p in parameters])
    values = low + (high - low) * rng.uniform(size=(60, len(parameters)))
    base = calibrated(launch)
    demand = replace(
        drawn_demand(launch, parameters, values),
        reference_motivation=np.full(60, base.reference_motivation),
    )
    plans = Plans.from_scenario(launch).take(np.zeros(60, dtype=int))
    solver, compiled, reference = both_solutions(launch, plans, demand, True)
    assert np.ptp(compiled.team_hours) > 0, "the draws move the team's hours"
    assert_same(solver, compiled, reference)


def test_a_plans_answer_does_not_depend_on_its_batch_or_how_it_is_split(launch, monkeypatch):
    demand = calibrated(launch)
    plans = random_plans(launch, 2 * plan_chunks.SMALLEST_SPLIT + 7, seed=9)
    market = _Market(launch, plans, demand)
    solver = HoursSolver(launch, demand, market.strategic, market.strategic_market)
    columns = market.columns(demand.reference_motivation)
    assert len(plan_chunks.slices(len(plans))) == min(2, plan_chunks._WORKERS)
    split = solver.solve(columns, True)
    monkeypatch.setattr(plan_chunks, "SMALLEST_SPLIT", 10**9)
    whole = solver.solve(columns, True)
    np.testing.assert_array_equal(split.pay_hours, whole.pay_hours)
    for k in (0, 300, len(plans) - 1):
        alone = solver.solve(columns.take(np.array([k])), True)
        np.testing.assert_array_equal(alone.pay_hours[0], whole.pay_hours[k])
        assert alone.team_hours[0] == whole.team_hours[k]


@pytest.mark.parametrize(("seed", "distance"), [(1, 0.0), (2, 0.0), (3, 1e-6)])
def test_the_compiled_allocation_is_the_vectorised_one(launch, seed, distance):
    demand = calibrate(launch)
    rng = np.random.default_rng(seed)
    count = 500
    plans = random_plans(launch, count, seed)
    products = len(launch.products)
    value = rng.uniform(-20.0, 200.0, (count, products))
    budget = rng.uniform(0.5, 1.5, count) * 2000.0
    productivity = rng.uniform(0.8, 1.5, count)
    args = (demand, value, plans.price, plans.lead_gen, budget, productivity)
    compiled = allocate_hours(*args, distance=distance)
    reference = allocate_hours_vectorised(*args, distance=distance)
    np.testing.assert_array_equal(compiled.converged, reference.converged)
    assert compiled.converged.mean() > 0.9
    assert_allclose(compiled.hours, reference.hours, atol=1e-6 * budget.max())
    assert_allclose(compiled.hours.sum(axis=1), budget, rtol=1e-12)
    assert (compiled.hours >= 0).all()


def test_a_large_batch_evaluated_in_parts_side_by_side_is_the_batch_evaluated_whole(
    launch, monkeypatch
):
    from dataclasses import fields

    from alignment import evaluate

    plans = random_plans(launch, 1000, seed=4)
    demand = calibrated(launch)
    monkeypatch.setattr(plan_chunks, "SMALLEST_BATCH_SPLIT", 10**9)
    whole = evaluate(launch, plans, demand)
    monkeypatch.setattr(plan_chunks, "SMALLEST_BATCH_SPLIT", 100)
    assert len(plan_chunks.batch_slices(len(plans))) == min(10, 2 * plan_chunks._WORKERS)
    parts = evaluate(launch, plans, demand)
    for field in fields(whole):
        np.testing.assert_array_equal(getattr(parts, field.name), getattr(whole, field.name),
                                      err_msg=field.name)  # fmt: skip


def test_an_allocation_stopped_near_its_optimum_lands_within_a_few_millionths_of_it(launch):
    # The allocations of MODEL.md §6 stop once their steps shrink fast enough to leave them
    # within a millionth of H of their optimum. A product coming in from next to no hours must
    # not fool that rule: its steps are tiny while it still grows by a factor each step (without
    # the guard on each product's move this lands up to half of H away).
    demand = calibrate(launch)
    rng = np.random.default_rng(8)
    count = 400
    plans = random_plans(launch, count, seed=8)
    value = rng.uniform(-20.0, 200.0, (count, 3))
    budget = rng.uniform(0.5, 1.5, count) * 2000.0
    productivity = rng.uniform(0.8, 1.5, count)
    start = rng.dirichlet(np.ones(3), count)
    start[::2, 0] = 1e-8  # half the plans start with a product at next to no hours
    start *= (budget / start.sum(axis=1))[:, np.newaxis]
    args = (demand, value, plans.price, plans.lead_gen, budget, productivity)
    exact = allocate_hours(*args, start=start, tolerance=1e-13, max_iterations=20_000)
    plain = allocate_hours(*args, start=start)
    near = allocate_hours(*args, start=start, distance=1e-6)
    off = {
        name: np.abs(result.hours - exact.hours).max(axis=1) / budget
        for name, result in (("plain", plain), ("near", near))
    }
    # where the plain rule (a step under 10⁻⁷·H) lands on the optimum, so does this one
    judged = plain.converged & exact.converged & near.converged & (off["plain"] < 1e-6)
    assert judged.mean() > 0.9
    assert off["near"][judged].max() < 1e-5
    came_in = np.abs(exact.hours[::2, 0] - start[::2, 0]) / budget[::2] > 0.01
    assert came_in.sum() > 100, "products come in from next to no hours"
