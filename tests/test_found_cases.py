"""Scenarios the property tests once found breaking the model, kept so every run checks them.

Each file in ``tests/fixtures/found`` says in its description what it broke.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from test_compiled_solvers import assert_same, both_solutions, random_plans
from test_properties import batch, with_pay_scaled

from alignment import Plans, evaluate, load_scenario
from alignment.evaluate import calibrated

FOUND = Path(__file__).resolve().parent / "fixtures" / "found"


def found(name: str):
    return load_scenario(FOUND / f"{name}.yaml")


def test_a_cap_far_below_the_plain_commission_leaves_every_figure_finite():
    # The pay multiplier is about 1e-307, so the allocator's weights are the smallest floats:
    # their total once overflowed a quotient to inf and every share and hour became NaN.
    scenario = found("capped_pay_next_to_nothing")
    outcomes = evaluate(scenario, random_plans(scenario, 20, seed=11))
    for figure in ("share", "units", "hours", "team_hours", "expected_earnings", "motivation",
                   "contribution", "leadership_value"):  # fmt: skip
        assert np.isfinite(getattr(outcomes, figure)).all(), figure
    assert outcomes.converged.all()
    assert np.allclose(outcomes.hours.sum(axis=1), outcomes.team_hours)


@pytest.mark.parametrize("factor", [1.01, 1.05, 1.125, 1.5])
@pytest.mark.parametrize(
    "name",
    ["effort_tipping_point", "conflict_step_overshoots", "conflict_step_lands_past_the_root"],
)
def test_more_pay_never_tips_the_reps_to_fewer_hours(name, factor):
    # effort_tipping_point: today's hours are a fixed point that repels, and a raise sent the
    # solver back across it to the least hours the reps may work (motivation 0, earnings down
    # 3 %). conflict_step_overshoots: the tracked role conflict's Newton step jumped from 0 to 1
    # at a strategic product's effort floor, and the hours followed to their floor.
    # conflict_step_lands_past_the_root: the Newton step from 0 landed at 0.5 where the share
    # rises ever faster with hours; motivation fell from 60.2 to 16.8 on a 1 % raise.
    scenario = found(name)
    plans = Plans.from_scenario(scenario)
    outcomes = evaluate(scenario, batch(plans, with_pay_scaled(plans, factor)))
    assert outcomes.converged.all()
    for figure in ("team_hours", "motivation", "expected_earnings"):
        before, after = getattr(outcomes, figure)
        assert after >= before * (1 - 1e-9), figure


def test_at_zero_motivation_the_hours_fall_to_the_teams_fewest():
    # H = H̄ (M / M̄)^ζ: with M at 0 that is 0 for any ζ > 0, so the team's fewest hours. A floor
    # of 1e-12 on M / M̄ stopped H at H̄ · 1e-12^0.016 (64 % of today's) for this small ζ.
    scenario = found("motivation_next_to_zero")
    demand = calibrated(scenario)
    plans = Plans.from_scenario(scenario)
    outcomes = evaluate(scenario, batch(plans, with_pay_scaled(plans, 1.5)), demand)
    team = scenario.sales_team
    assert outcomes.converged.all()
    assert outcomes.motivation[1] == 0.0
    assert outcomes.team_hours[1] == pytest.approx(team.reps * team.hours_floor)
    ratio = outcomes.motivation / demand.reference_motivation
    expected = np.clip(team.reps * team.hours_per_rep * ratio**team.effort_response,
                       team.reps * team.hours_floor, team.reps * team.hours_ceiling)  # fmt: skip
    np.testing.assert_allclose(outcomes.team_hours, expected, rtol=1e-6)


@pytest.mark.parametrize("factor", [1.1, 1.5, 2.0])
def test_hours_settle_on_the_motivation_reported_where_it_hangs_on_the_mix(factor):
    # Today's motivation is 0.0064 / 100: a few hours of mix move it by a part in ten thousand.
    # The finishing check read motivation at the mix before the loop's last steps, so a plan
    # counted as settled reported hours 1e-4 off H̄ (M / M̄)^ζ for the motivation it reported.
    scenario = found("motivation_hangs_on_the_mix")
    demand = calibrated(scenario)
    plans = Plans.from_scenario(scenario)
    outcomes = evaluate(scenario, batch(plans, with_pay_scaled(plans, factor)), demand)
    team = scenario.sales_team
    assert outcomes.converged.all()
    ratio = outcomes.motivation / demand.reference_motivation
    expected = np.clip(team.reps * team.hours_per_rep * ratio**team.effort_response,
                       team.reps * team.hours_floor, team.reps * team.hours_ceiling)  # fmt: skip
    np.testing.assert_allclose(outcomes.team_hours, expected, rtol=2e-5)
    assert outcomes.team_hours[1] > outcomes.team_hours[0]  # a raise: more hours


def test_revenue_next_to_nothing_gives_finite_ratios():
    # Revenue of 1.8e-311 (below the smallest normal number): compensation over revenue
    # overflowed to infinity (a warning, an error in the tests). Nothing sold: 0 %.
    outcomes = evaluate(found("revenue_next_to_nothing"))
    for figure in ("cost_of_sales_pct", "gross_margin_pct", "expected_earnings", "motivation"):
        assert np.isfinite(getattr(outcomes, figure)).all(), figure
    assert outcomes.cost_of_sales_pct[0] == 0.0


@pytest.mark.parametrize("name", sorted(path.stem for path in FOUND.glob("*.yaml")))
def test_the_compiled_solver_lands_where_the_vectorised_one_does_on_the_found_cases(name):
    scenario = found(name)
    demand = calibrated(scenario)
    assert_same(*both_solutions(scenario, random_plans(scenario, 30, seed=5), demand, True))
