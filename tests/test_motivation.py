"""Rep motivation: expectancy × instrumentality × valence (Vroom 1964; MODEL.md §5, §12.5)."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from alignment import evaluate
from alignment.motivation import rep_motivation

TARGET_SHARE_AT_QUOTA = 0.65
OTE = 85_000.0


def motivation(share_at_quota=0.65, conflict=0.0, marginal=25_000.0, paid=25_000.0,
               earnings=85_000.0):  # fmt: skip
    return rep_motivation(
        np.array([share_at_quota]), TARGET_SHARE_AT_QUOTA, np.array([conflict]),
        np.array([marginal]), np.array([paid]), np.array([earnings]), OTE,
    )  # fmt: skip


def test_motivation_is_100_when_quota_is_reachable_effort_pays_and_pay_is_on_target():
    assert motivation().score[0] == pytest.approx(100.0)


def test_expectancy_scales_share_at_quota_against_the_practice_target():
    assert motivation(share_at_quota=0.325).expectancy[0] == pytest.approx(0.5)
    assert motivation(share_at_quota=0.9).expectancy[0] == 1.0


def test_incompatible_goals_lower_expectancy():
    assert motivation(conflict=0.3).expectancy[0] == pytest.approx(0.7)
    assert motivation(share_at_quota=0.325, conflict=0.5).expectancy[0] == pytest.approx(0.25)
    assert motivation(conflict=1.0).score[0] == 0.0


def test_instrumentality_is_the_marginal_rate_over_the_average_rate():
    assert motivation(marginal=25_000.0, paid=25_000.0).instrumentality[0] == 1.0  # linear plan
    assert motivation(marginal=10_000.0).instrumentality[0] == pytest.approx(0.4)  # capped
    assert motivation(marginal=40_000.0).instrumentality[0] == 1.0  # accelerator, clipped
    assert motivation(marginal=0.0, paid=0.0).instrumentality[0] == 0.0  # nothing paid


def test_valence_is_expected_earnings_against_on_target_earnings():
    assert motivation(earnings=68_000.0).valence[0] == pytest.approx(0.8)
    assert motivation(earnings=120_000.0).valence[0] == 1.0


def test_any_factor_near_zero_sinks_motivation():
    factors = motivation(share_at_quota=0.325, marginal=10_000.0, earnings=8_500.0)
    assert factors.score[0] == pytest.approx(100 * 0.5 * 0.4 * 0.1)


def test_motivation_is_the_product_of_its_factors_in_the_default_scenario(launch):
    o = evaluate(launch)
    team = launch.sales_team
    assert_allclose(o.motivation, 100 * o.expectancy * o.instrumentality * o.valence)
    assert_allclose(
        o.expectancy,
        np.minimum(o.share_at_quota / team.quota_attainment_target, 1.0) * (1 - o.goal_conflict),
    )
    assert_allclose(o.valence, np.minimum(o.expected_earnings / team.on_target_earnings, 1.0))


def test_conflict_drags_motivation_down_in_the_default_scenario(launch):
    outcomes = evaluate(launch)
    assert outcomes.goal_conflict[0] > 0.5
    assert outcomes.expectancy[0] < 0.5
    assert outcomes.motivation[0] < 50


def test_a_plan_without_accelerator_or_cap_has_full_instrumentality(launch_data, build):
    launch_data["commission"].update(accelerator=1.0, cap=None)
    assert evaluate(build(launch_data)).instrumentality[0] == pytest.approx(1.0, abs=1e-9)


def test_most_reps_at_the_cap_leaves_little_reason_for_more_effort(launch_data, build):
    launch_data["commission"]["cap"] = 2_000.0
    assert evaluate(build(launch_data)).instrumentality[0] < 0.1


def test_more_hours_cost_reps_more_effort(launch_data, build):
    launch_data["sales_team"]["effort_response"] = 1.0
    today = build(launch_data)
    launch_data["commission"]["margin_rate"] = 0.16  # better pay: more motivation, more hours
    more = evaluate(build(launch_data), status_quo=today)
    before = evaluate(today)
    assert more.team_hours[0] > before.team_hours[0]
    assert more.effort_cost[0] > before.effort_cost[0]
    assert_allclose(more.rep_utility, more.expected_earnings - more.effort_cost)
