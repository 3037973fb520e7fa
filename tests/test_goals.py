"""Leadership's asked-for mix, goal conflict, its score (MODEL.md §4) and rep motivation (§5)."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from alignment import evaluate
from alignment.goals import goal_conflict, goal_status, leadership_score
from alignment.motivation import rep_motivation
from alignment.scenario import Goals


def contribution_only(data):
    """Leadership wants profit only, and reps are paid a plain share of gross margin."""
    data["goals"]["new_product_share"]["weight"] = 0.0
    data["goals"]["gross_margin_pct"]["weight"] = 0.0
    data["commission"].update(revenue_rate=0.0, margin_rate=0.1, kickers={})
    return data


def test_goal_conflict_is_zero_when_pay_and_leadership_ask_for_the_same_mix(launch_data, build):
    outcomes = evaluate(build(contribution_only(launch_data)))
    assert_allclose(outcomes.pay_hours, outcomes.asked_hours, rtol=1e-6)
    assert outcomes.goal_conflict[0] == pytest.approx(0.0, abs=1e-6)
    assert outcomes.coherence[0] == pytest.approx(1.0, abs=1e-6)


def test_goal_conflict_is_half_the_hours_moved_over_team_hours():
    pay = np.array([[60.0, 40.0, 0.0], [50.0, 50.0, 0.0]])
    asked = np.array([[20.0, 40.0, 40.0], [50.0, 50.0, 0.0]])
    assert_allclose(goal_conflict(pay, asked), [0.4, 0.0])


def test_goal_conflict_is_one_for_opposite_mixes():
    assert goal_conflict(np.array([[100.0, 0.0]]), np.array([[0.0, 100.0]]))[0] == 1.0


def test_margin_pay_against_a_share_goal_is_the_articles_conflict(launch):
    outcomes = evaluate(launch)
    nova = launch.product_ids.index("nova")
    assert outcomes.pay_hours[0, nova] < 0.1 * outcomes.asked_hours[0, nova]
    assert outcomes.goal_conflict[0] > 0.5


def test_a_kicker_on_the_new_product_narrows_the_conflict(launch_data, build):
    before = evaluate(build(launch_data)).goal_conflict[0]
    launch_data["commission"]["kickers"] = {"nova": 80.0}
    after = evaluate(build(launch_data)).goal_conflict[0]
    assert after < before


@pytest.fixture
def goals():
    return Goals.model_validate(
        {
            "contribution": {"weight": 2, "target": 1000.0},
            "new_product_share": {"weight": 1, "target": 0.1},
            "gross_margin_pct": {"weight": 1, "target": 0.4},
        }
    )


def test_leadership_score_is_100_when_every_goal_is_exactly_met(goals):
    metrics = {"contribution": 1000.0, "new_product_share": 0.1, "gross_margin_pct": 0.4}
    assert leadership_score(goals, metrics) == pytest.approx(100.0)


def test_leadership_score_weights_goals_and_caps_each_at_150_percent(goals):
    metrics = {"contribution": 5000.0, "new_product_share": 0.05, "gross_margin_pct": 0.0}
    # contribution counts 1.5 at weight 1/2, share 0.5 at 1/4, margin 0 at 1/4.
    assert leadership_score(goals, metrics) == pytest.approx(100 * (0.75 + 0.125))


def test_negative_contribution_scores_zero_not_below(goals):
    metrics = {"contribution": -1e6, "new_product_share": 0.0, "gross_margin_pct": 0.0}
    assert leadership_score(goals, metrics) == 0.0


@pytest.mark.parametrize(
    ("value", "status"), [(0.12, "met"), (0.1, "met"), (0.095, "near"), (0.089, "missed")]
)
def test_goal_is_met_at_target_near_within_the_band_and_missed_below(value, status):
    assert goal_status(value, 0.1, near_band=0.1) == status


def motivation(share_at_quota=0.65, pay=25_000.0, conflict=0.0):
    return rep_motivation(
        np.array([share_at_quota]), 0.65, np.array([pay]), 25_000.0, np.array([conflict])
    )


def test_motivation_is_100_when_quota_is_reachable_pay_is_on_target_and_goals_agree():
    assert motivation().score[0] == pytest.approx(100.0)


def test_expectancy_scales_share_at_quota_against_the_practice_target():
    assert motivation(share_at_quota=0.325).expectancy[0] == pytest.approx(0.5)
    assert motivation(share_at_quota=0.9).expectancy[0] == 1.0


def test_instrumentality_is_expected_variable_pay_over_target_variable_pay():
    assert motivation(pay=10_000.0).instrumentality[0] == pytest.approx(0.4)
    assert motivation(pay=40_000.0).instrumentality[0] == 1.0
    assert motivation(pay=-5_000.0).instrumentality[0] == 0.0


def test_coherence_is_one_minus_goal_conflict():
    assert motivation(conflict=0.3).coherence[0] == pytest.approx(0.7)


def test_any_factor_near_zero_sinks_motivation():
    factors = motivation(share_at_quota=0.325, pay=10_000.0, conflict=0.95)
    assert factors.score[0] == pytest.approx(100 * 0.5 * 0.4 * 0.05)
    assert motivation(conflict=1.0).score[0] == 0.0


def test_conflict_drags_motivation_down_in_the_default_scenario(launch):
    outcomes = evaluate(launch)
    assert outcomes.coherence[0] < 0.5
    assert outcomes.motivation[0] < 50
    assert_allclose(
        outcomes.motivation,
        100 * outcomes.expectancy * outcomes.instrumentality * outcomes.coherence,
    )
