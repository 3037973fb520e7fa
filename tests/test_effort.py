"""Where reps put their hours (MODEL.md §3) and Farley's result (§12.2)."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from alignment import Plans, effort, evaluate
from alignment.demand import calibrate, shares, unassisted_ratio
from alignment.effort import allocate_hours, hour_weights, value_of_mix

GRID_STEPS = 400
OVERSHOOT = 1.6


def pure_margin_plan(data, margin_rate=0.1):
    """Farley's plan: a share of gross margin against a gross-margin quota, no kicker, no cap;
    reps free of habit and total hours fixed."""
    data["commission"].update(revenue_rate=0.0, margin_rate=margin_rate, kickers={}, cap=None)
    data["commission"]["quota"]["basis"] = "gross_margin"
    data["sales_team"].update(habit=0.0, effort_response=0.0)
    return data


def team_hours(scenario):
    return scenario.sales_team.reps * scenario.sales_team.hours_per_rep


def independent_gross_margin(scenario, hours):
    """Company gross margin for each row of ``hours``, from MODEL.md §1 written out afresh
    (only the unassisted ratio φ comes from the package, tested in test_demand)."""
    productivity = 1 + scenario.marketing.push_content_productivity * (
        1 - np.exp(-scenario.marketing.push_content / scenario.marketing.push_content_scale)
    )
    sizes = {s.id: s.size for s in scenario.segments}
    margin = np.zeros(hours.shape[0])
    for segment in sizes:
        members = [i for i, p in enumerate(scenario.products) if p.segment == segment]
        outside = 1 - sum(scenario.products[i].reference_share for i in members)
        attraction = []
        for i in members:
            p = scenario.products[i]
            phi = unassisted_ratio(p.unassisted_share, p.reference_share, p.effort_elasticity)
            beta = p.price_elasticity / (p.reference_price * (1 - p.reference_share))
            gamma = p.effort_elasticity * (1 + phi) / (1 - p.reference_share)
            delta = p.lead_gen_elasticity / (1 - p.reference_share)
            alpha = np.log(p.reference_share / outside) + beta * p.reference_price
            leads = scenario.marketing.lead_generation.get(p.id, 0.0)
            effort = np.maximum(hours[:, i] * productivity, 1e-9 * p.reference_hours)
            unassisted = phi * p.reference_hours
            attraction.append(
                np.exp(
                    alpha
                    - beta * p.price
                    + gamma * np.log((effort + unassisted) / (p.reference_hours + unassisted))
                    + delta
                    * (
                        np.log1p(leads / p.lead_gen_scale)
                        - np.log1p(p.reference_lead_generation / p.lead_gen_scale)
                    )
                )
            )
        total = 1 + sum(attraction)
        for i, a in zip(members, attraction, strict=True):
            p = scenario.products[i]
            margin += (p.price - p.unit_cost) * sizes[segment] * a / total
    return margin


def simplex_grid(total, products, steps):
    """Every split of ``total`` hours over ``products`` in multiples of ``total / steps``."""
    if products == 2:
        first = np.arange(steps + 1) / steps
        return total * np.column_stack([first, 1 - first])
    a, b = np.meshgrid(np.arange(steps + 1), np.arange(steps + 1), indexing="ij")
    keep = a + b <= steps
    a, b = a[keep], b[keep]
    return total * np.column_stack([a, b, steps - a - b]) / steps


def company_margin_mix(scenario):
    demand = calibrate(scenario)
    plans = Plans.from_scenario(scenario)
    unit_margin = plans.price - np.array([p.unit_cost for p in scenario.products])
    outcomes = evaluate(scenario)
    productivity = outcomes.content_reach * scenario.marketing.push_content_productivity + 1
    return allocate_hours(
        demand, unit_margin, plans.price, plans.lead_gen, team_hours(scenario), productivity
    ).hours[0]


def test_margin_plan_puts_reps_where_company_margin_is_highest(launch_data, build):
    scenario = build(pure_margin_plan(launch_data))
    assert_allclose(evaluate(scenario).pay_hours[0], company_margin_mix(scenario), rtol=1e-6)


def test_three_product_brute_force_agrees_with_the_reps_margin_plan_mix(launch_data, build):
    scenario = build(pure_margin_plan(launch_data))
    total = team_hours(scenario)
    grid = simplex_grid(total, 3, GRID_STEPS)
    margins = independent_gross_margin(scenario, grid)
    best = grid[np.argmax(margins)]
    reps = evaluate(scenario).hours[0]
    step = total / GRID_STEPS
    assert np.abs(reps - best).max() <= step
    # The allocator's mix earns at least as much as the best grid point.
    assert independent_gross_margin(scenario, reps[np.newaxis])[0] >= margins.max() - 1e-6


def test_two_segment_brute_force_agrees_with_the_reps_margin_plan_mix(launch_data, build):
    # One product in each of two segments: hours must equalise marginal margin across them.
    data = pure_margin_plan(launch_data)
    data["segments"].append({"id": "labs", "name": "Big labs", "size": 20000})
    data["products"] = [data["products"][0], data["products"][2]]
    data["products"][1]["segment"] = "labs"
    data["products"][1]["reference_hours"] = 24000
    data["negotiation"] = {}
    scenario = build(data)
    total = team_hours(scenario)
    grid = simplex_grid(total, 2, 4 * GRID_STEPS)
    best = grid[np.argmax(independent_gross_margin(scenario, grid))]
    reps = evaluate(scenario).hours[0]
    assert 0 < reps[1] < total
    assert np.abs(reps - best).max() <= total / (4 * GRID_STEPS)


def test_allocated_hours_equalise_expected_marginal_pay_on_every_worked_product(launch_data, build):
    launch_data["commission"]["kickers"] = {"nova": 60.0}
    scenario = build(launch_data)
    outcomes = evaluate(scenario)
    demand = calibrate(scenario)
    hours = outcomes.pay_hours[0]
    productivity = 1 + scenario.marketing.push_content_productivity * outcomes.content_reach[0]
    pay = outcomes.expected_marginal_pay[0]
    leads = Plans.from_scenario(scenario).lead_gen

    def plain_pay(h):
        share = shares(demand, outcomes.price, h[np.newaxis] * productivity, leads)
        return value_of_mix(demand, pay, share)[0]

    bump = 1.0
    marginal = np.array(
        [(plain_pay(hours + bump * np.eye(3)[i]) - plain_pay(hours)) / bump for i in range(3)]
    )
    worked = hours > 1.0
    assert worked.sum() >= 2
    assert_allclose(marginal[worked], marginal[worked].mean(), rtol=1e-3)
    assert np.all(marginal[~worked] <= marginal[worked].mean() * (1 + 1e-3))


def test_hours_always_add_up_to_the_team_hours(launch):
    rng = np.random.default_rng(42)
    base = Plans.from_scenario(launch)
    k = 200
    plans = Plans(
        price=base.price * rng.uniform(0.6, 1.4, (k, 3)),
        kicker=rng.uniform(-20, 200, (k, 3)),
        lead_gen=rng.uniform(0, 5e5, (k, 3)),
        revenue_rate=rng.uniform(0, 0.1, k),
        margin_rate=rng.uniform(0, 0.3, k),
        push_content=rng.uniform(0, 5e5, k),
    )
    outcomes = evaluate(launch, plans)
    for mix in (outcomes.hours, outcomes.pay_hours, outcomes.asked_hours):
        assert np.all(mix >= 0)
        assert_allclose(mix.sum(axis=1), outcomes.team_hours, rtol=1e-12)
    assert outcomes.converged.all()


def test_allocator_converges_in_tens_of_iterations_on_the_default_scenario(launch):
    demand = calibrate(launch)
    plans = Plans.from_scenario(launch)
    pay = plans.margin_rate[:, None] * (plans.price - [p.unit_cost for p in launch.products])
    allocation = allocate_hours(
        demand, pay, plans.price, plans.lead_gen, team_hours(launch), np.ones(1)
    )
    assert allocation.converged.all()
    assert allocation.iterations < 100


def test_allocator_that_stops_early_keeps_its_best_mix(launch):
    demand = calibrate(launch)
    plans = Plans.from_scenario(launch)
    pay = np.array([[10.0, 40.0, 5.0]])
    start = team_hours(launch) * demand.reference_hours / demand.reference_hours.sum()
    kwargs = dict(
        price=plans.price, lead_gen=plans.lead_gen, team_hours=team_hours(launch),
        productivity=np.ones(1),
    )  # fmt: skip
    stalled = allocate_hours(demand, pay, max_iterations=2, **kwargs)
    settled = allocate_hours(demand, pay, **kwargs)
    assert not stalled.converged.any()
    assert settled.converged.all()

    def value(hours):
        return value_of_mix(demand, pay, shares(demand, plans.price, hours, plans.lead_gen))[0]

    assert value(stalled.hours) >= value(start[np.newaxis])
    assert value(settled.hours) >= value(stalled.hours)
    assert_allclose(stalled.hours.sum(), team_hours(launch))


def documented_step(demand, pay, price, leads, total, hours, damping):
    """One allocator step as docs/model.md states it, written out afresh on (plans, products)."""
    floored = np.maximum(hours, 1e-9 * demand.reference_hours)
    share = shares(demand, price, floored, leads)
    weights = np.maximum(hour_weights(demand, pay, share, floored), 0)
    target = total * weights / weights.sum(axis=1, keepdims=True)
    assisted = floored / (floored + demand.unassisted_hours)
    kappa = 1 / np.maximum(assisted * (1 - demand.gamma * (1 - 2 * share)), 1 / 3)
    with np.errstate(divide="ignore"):
        proposal = np.exp(np.log(floored) + kappa * (np.log(target) - np.log(floored)))
    proposal *= total / proposal.sum(axis=1, keepdims=True)
    return hours + damping * (proposal - hours)


def test_allocator_steps_are_the_documented_power_steps(launch):
    demand = calibrate(launch)
    k = 50
    base = Plans.from_scenario(launch)
    price, leads = np.repeat(base.price, k, 0), np.repeat(base.lead_gen, k, 0)
    pay = np.random.default_rng(42).uniform(0, 60, (k, 3))
    total = team_hours(launch)
    hours = np.broadcast_to(total * demand.reference_hours / demand.reference_hours.sum(), (k, 3))
    for steps in (1, 2, 3):
        hours = documented_step(demand, pay, price, leads, total, hours, 1.0)
        result = allocate_hours(
            demand, pay, price, leads, total, np.ones(k), max_iterations=steps, tolerance=0.0
        )
        assert_allclose(result.hours, hours, rtol=1e-9)


def test_allocator_that_oscillates_returns_the_best_iterate_it_saw(launch):
    # The allocator's steps improve pay every time; over-relaxed ones (θ > 1) overshoot and
    # oscillate, and may leave a product with negative hours. Replay the iterates here and check
    # the allocator hands back the best of them (no hours below 0, rescaled to the team's
    # hours) rather than wherever it stopped.
    demand = calibrate(launch)
    k, steps = 300, 6
    base = Plans.from_scenario(launch)
    price, leads = np.repeat(base.price, k, 0), np.repeat(base.lead_gen, k, 0)
    pay = np.random.default_rng(42).uniform(0, 60, (k, 3))
    total = team_hours(launch)
    result = allocate_hours(
        demand, pay, price, leads, total, np.ones(k), damping=OVERSHOOT, max_iterations=steps
    )

    def value(hours):
        return value_of_mix(demand, pay, shares(demand, price, hours, leads))

    hours = np.broadcast_to(total * demand.reference_hours / demand.reference_hours.sum(), (k, 3))
    iterates, seen = [hours], [value(hours)]
    for _ in range(steps):
        hours = documented_step(demand, pay, price, leads, total, hours, OVERSHOOT)
        iterates.append(hours)
        seen.append(value(hours))
    seen = np.array(seen)
    stopped_worse = seen[-1] < seen.max(axis=0) * (1 - 1e-9)
    assert stopped_worse.sum() > 10
    best = np.maximum(np.array(iterates)[seen.argmax(axis=0), np.arange(k)], 0.0)
    best *= total / best.sum(axis=1, keepdims=True)
    assert_allclose(result.hours, best, atol=1e-9 * total)


@pytest.mark.parametrize("habit", [0.0, 0.4, 1.0])
def test_habit_blends_the_paid_for_mix_with_todays_mix(launch_data, build, habit):
    launch_data["sales_team"]["habit"] = habit
    scenario = build(launch_data)
    outcomes = evaluate(scenario)
    todays = np.array([p.reference_hours for p in scenario.products])
    todays = team_hours(scenario) * todays / todays.sum()
    assert_allclose(outcomes.hours[0], (1 - habit) * outcomes.pay_hours[0] + habit * todays)


def test_plain_damped_steps_for_stragglers_reach_the_same_mix(launch, monkeypatch):
    # Plans the power steps leave moving finish with plain damped steps; from the first step
    # they must land on the same fixed point, only more slowly.
    demand = calibrate(launch)
    k = 200
    base = Plans.from_scenario(launch)
    price, leads = np.repeat(base.price, k, 0), np.repeat(base.lead_gen, k, 0)
    pay = np.random.default_rng(42).uniform(0, 60, (k, 3))
    args = (demand, pay, price, leads, team_hours(launch), np.ones(k))
    fast = allocate_hours(*args)
    monkeypatch.setattr(effort, "POWER_STEPS", 0)
    plain = allocate_hours(*args)
    assert fast.converged.all() and plain.converged.all()
    assert plain.iterations > fast.iterations
    assert_allclose(plain.hours, fast.hours, atol=1e-5 * team_hours(launch))


@pytest.mark.parametrize(
    "weights",
    [
        [1e300, 2.0, 0.0],  # a weight over an hour below its floor overflows the quotient
        [1e-310, 3.0, 5.0],  # a subnormal weight over many hours: the quotient underflows
        [4.0, 1e-5, 7.0],
    ],
)
def test_both_power_steps_take_the_log_gap_apart_where_the_quotient_would_not_be_a_float(weights):
    # The power step takes log(w / e) with one log where the quotient is a normal float and
    # as log w − log e where it is not; either way it is the documented step.
    from alignment.kernel_parts import power_step as compiled_step

    gamma = np.array([0.4, 0.6, 0.5])
    floor = np.full(3, 1e-10)
    hours = np.array([1e-12, 60.0, 40.0])
    share, assisted = np.array([0.2, 0.3, 0.1]), np.array([0.01, 0.9, 0.8])
    weights = np.array(weights)
    budget, total = 100.0, weights.sum()
    floored = np.maximum(hours, floor)
    kappa = np.maximum((1 - gamma * (1 - 2 * share)) * assisted, 1 / 3)
    with np.errstate(divide="ignore"):
        exponent = (np.log(weights) - np.log(floored) + np.log(budget) - np.log(total)) / kappa
    proposal = floored * np.exp(exponent - exponent.max())
    expected = budget * proposal / proposal.sum() - hours

    step = np.empty(3)
    compiled_step(gamma, budget, floor, hours, share, assisted, weights, total, step)
    assert_allclose(step, expected, rtol=1e-12, atol=1e-12 * budget)
    column = (gamma[:, None], np.array([budget]), floor[:, None], hours[:, None])
    vectorised = effort.power_step(
        *column, share[:, None], assisted[:, None], weights[:, None], np.array([total])
    )
    assert_allclose(vectorised[:, 0], expected, rtol=1e-12, atol=1e-12 * budget)
    assert np.isfinite(step).all() and np.isfinite(vectorised).all()
