"""Plans under many draws of the uncertain inputs at once (MODEL.md §10): the batched
evaluation gives what evaluating each draw as a scenario of its own gives."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.optimize import brentq

from alignment import Outcomes, Plans, evaluate, load_scenario
from alignment.demand import MAX_UNASSISTED_HOURS, unassisted_ratios
from alignment.draws import evaluate_draws, with_values
from alignment.evaluate import calibrated, stacked
from alignment.uncertainty_inputs import uncertain_parameters

SCENARIO_DIR = Path(__file__).resolve().parents[1] / "scenarios"
DRAWS = 6


def load(name):
    return load_scenario(SCENARIO_DIR / name)


def one_draw_at_a_time(scenario, plans, parameters, values, status_quo=None):
    """The reference: each draw written into a scenario of its own, calibrated and evaluated."""
    results = []
    for row in values:
        drawn = with_values(scenario, parameters, row)
        base = None if status_quo is None else with_values(status_quo, parameters, row)
        results.append(evaluate(drawn, plans, calibrated(drawn, base), counterfactuals=False))
    return stacked(results)


def random_values(parameters, draws, seed=42):
    rng = np.random.default_rng(seed)
    return np.array([[rng.uniform(p.low, p.high) for p in parameters] for _ in range(draws)])


def three_plans(scenario):
    """The scenario's plan, a dearer first product and a richer commission."""
    base = Plans.from_scenario(scenario)
    plans = base.take(np.zeros(3, dtype=int))
    plans.price[1, 0] *= 1.1
    plans.margin_rate[2] *= 1.3
    plans.revenue_rate[2] *= 1.3
    return plans


def assert_same_outcomes(batched: Outcomes, reference: Outcomes, rtol=1e-6):
    for field in fields(Outcomes):
        got, expected = getattr(batched, field.name), getattr(reference, field.name)
        assert got.shape == expected.shape, field.name
        if expected.dtype == bool:
            assert (got == expected).all(), field.name
            continue
        scale = np.abs(expected).max() if expected.size else 0.0
        assert_allclose(got, expected, rtol=rtol, atol=1e-9 * scale, err_msg=field.name)


@pytest.mark.parametrize(
    ("name", "status_quo"),
    [
        ("launch_conflict.yaml", None),
        ("saas_tiers_smb_enterprise.yaml", None),  # two segments, a cap and habit
        ("launch_remedy_blended_plan.yaml", "launch_conflict.yaml"),
    ],
)
def test_draws_evaluated_together_equal_each_draw_evaluated_as_its_own_scenario(name, status_quo):
    scenario = load(name)
    base = load(status_quo) if status_quo else None
    parameters = uncertain_parameters(scenario)
    values = random_values(parameters, DRAWS)
    plans = three_plans(scenario)
    batched = evaluate_draws(scenario, plans, parameters, values, status_quo=base)
    reference = one_draw_at_a_time(scenario, plans, parameters, values, base)
    assert len(batched.contribution) == DRAWS * len(plans)  # draw d, plan k at d × K + k
    assert_same_outcomes(batched, reference)


def test_every_value_at_its_central_value_gives_the_scenarios_own_outcomes(launch):
    parameters = uncertain_parameters(launch)
    central = np.array([p.central for p in parameters])
    plans = three_plans(launch)
    drawn = evaluate_draws(launch, plans, parameters, np.tile(central, (3, 1)))
    alone = evaluate(launch, plans, counterfactuals=False)
    assert_same_outcomes(drawn, stacked([alone] * 3), rtol=1e-9)


def test_draws_that_differ_give_different_outcomes(launch):
    parameters = uncertain_parameters(launch)
    values = np.array([[p.low for p in parameters], [p.high for p in parameters]])
    drawn = evaluate_draws(launch, Plans.from_scenario(launch), parameters, values)
    assert drawn.contribution[0] != pytest.approx(drawn.contribution[1], rel=1e-3)


def test_a_values_table_with_the_wrong_number_of_columns_is_refused(launch):
    parameters = uncertain_parameters(launch)
    with pytest.raises(ValueError, match="one column per parameter"):
        evaluate_draws(launch, Plans.from_scenario(launch), parameters, np.ones((2, 1)))


def reference_ratio(u0, share, elasticity):
    """φ by Brent's method on ln φ, as docs/model.md §1 states it, one value at a time."""
    if u0 <= 0:
        return 0.0
    limit = max((1 - share) / elasticity - 1, 0.0)
    goal = np.log(u0 * (1 - share) / (1 - u0 * share)) * (1 - share) / elasticity

    def gap(x):
        return (1 + np.exp(x)) * (x - np.log1p(np.exp(x))) - goal

    low, high = -700.0, np.log(MAX_UNASSISTED_HOURS)
    if gap(high) <= 0:
        return min(MAX_UNASSISTED_HOURS, limit)
    if gap(low) >= 0:
        return float(np.exp(low))
    return min(float(np.exp(brentq(gap, low, high, xtol=1e-12))), limit)


def test_unassisted_ratios_for_many_values_at_once_match_brents_method_one_at_a_time():
    rng = np.random.default_rng(7)
    u0 = np.concatenate([[0.0, 0.99, 0.5], rng.uniform(0, 0.9, 200)])
    share = np.concatenate([[0.2, 0.2, 0.6], rng.uniform(0.01, 0.6, 200)])
    elasticity = np.concatenate([[0.3, 0.3, 0.001], rng.uniform(0.001, 0.4, 200)])
    together = unassisted_ratios(u0, share, elasticity)
    one_by_one = [reference_ratio(*args) for args in zip(u0, share, elasticity, strict=True)]
    assert_allclose(together, one_by_one, rtol=1e-9)


def test_draws_evaluated_in_parts_side_by_side_keep_each_draw_with_its_own_plans(monkeypatch):
    # Each draw's demand is per plan: a batch cut into parts must cut the draws with it.
    from alignment import plan_chunks

    scenario = load("saas_tiers_smb_enterprise.yaml")
    parameters = uncertain_parameters(scenario)
    values = random_values(parameters, DRAWS)
    plans = three_plans(scenario)
    monkeypatch.setattr(plan_chunks, "SMALLEST_BATCH_SPLIT", 10**9)
    whole = evaluate_draws(scenario, plans, parameters, values)
    monkeypatch.setattr(plan_chunks, "SMALLEST_BATCH_SPLIT", 2)
    assert len(plan_chunks.batch_slices(DRAWS * len(plans))) > 1
    parts = evaluate_draws(scenario, plans, parameters, values)
    assert_same_outcomes(parts, whole, rtol=0.0)
