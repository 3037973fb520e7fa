"""What leadership wants, in money; the scorecard; the reps' role conflict (MODEL.md §4)."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from alignment import evaluate
from alignment.goals import goal_status, leadership_value, role_conflict, share_point_value
from alignment.tables import scorecard

STRATEGIC = np.array([0.0, 0.0, 1.0])


def time_on_strategic(hours):
    """A fake market where the new product's share is simply its share of selling time."""
    return hours[:, 2] / hours.sum(axis=1)


def conflict_for_target(launch_data, build, target):
    launch_data["sales_team"]["new_product_target"] = target
    return float(evaluate(build(launch_data)).goal_conflict[0])


def test_leadership_value_is_contribution_plus_strategic_units_at_their_stated_worth():
    contribution = np.array([1_000_000.0, 2_000_000.0])
    units = np.array([[100.0, 50.0, 10.0], [0.0, 0.0, 0.0]])
    value = leadership_value(contribution, units, np.array([0.0, 0.0, 300.0]))
    assert_allclose(value, [1_003_000.0, 2_000_000.0])


def test_one_point_of_share_is_worth_the_stated_value_of_its_units():
    # λ = 300 per unit in a segment of 50,000 units: one point is 500 units, worth 150,000.
    assert_allclose(share_point_value(np.array([0.0, 300.0]), np.array([50_000.0] * 2)),
                    [0.0, 150_000.0])  # fmt: skip


def test_leaderships_value_counts_strategic_units_at_exactly_the_stated_rate(launch_data, build):
    launch_data["goals"]["strategic_value"] = {}
    without = evaluate(build(launch_data))
    launch_data["goals"]["strategic_value"] = {"nova": 250.0}
    valued = evaluate(build(launch_data))
    assert_allclose(valued.contribution, without.contribution, rtol=1e-12)
    assert_allclose(valued.leadership_value - without.leadership_value, 250.0 * valued.units[:, 2])


def test_role_conflict_is_the_share_of_time_moved_against_pay_to_reach_the_target():
    pay_hours = np.array([[50.0, 50.0, 0.0], [20.0, 20.0, 60.0]])
    conflict = role_conflict(time_on_strategic, pay_hours, STRATEGIC, 0.5)
    assert_allclose(conflict, [0.5, 0.0], atol=1e-6)


def test_role_conflict_is_one_when_even_all_hours_cannot_reach_the_target():
    # A market where the new product's share never passes 30 %, however it is sold.
    conflict = role_conflict(
        lambda hours: 0.3 * time_on_strategic(hours), np.array([[50.0, 50.0, 0.0]]), STRATEGIC, 0.5
    )
    assert conflict[0] == 1.0


def test_role_conflict_is_zero_without_a_strategic_product():
    conflict = role_conflict(time_on_strategic, np.array([[50.0, 50.0, 0.0]]), np.zeros(3), 0.5)
    assert conflict[0] == 0.0


def test_role_conflict_is_zero_when_pay_already_reaches_the_reps_target(launch_data, build):
    assert conflict_for_target(launch_data, build, 0.001) == 0.0


def test_role_conflict_is_one_when_the_reps_target_is_out_of_reach(launch_data, build):
    assert conflict_for_target(launch_data, build, 0.95) == 1.0


def test_role_conflict_rises_with_the_reps_target_in_between(launch_data, build):
    targets = [0.03, 0.05, 0.08, 0.1, 0.12, 0.14]
    conflicts = [conflict_for_target(launch_data, build, t) for t in targets]
    assert np.all(np.diff(conflicts) > 0)
    assert conflicts[0] > 0.0 and conflicts[-1] < 1.0


def test_reps_are_held_to_leaderships_share_target_unless_they_have_their_own(launch_data, build):
    launch_data["goals"]["new_product_share"]["target"] = 0.2
    launch_data["sales_team"]["new_product_target"] = None
    leaderships = evaluate(build(launch_data)).goal_conflict[0]
    launch_data["sales_team"]["new_product_target"] = 0.2
    own = evaluate(build(launch_data)).goal_conflict[0]
    assert own == pytest.approx(leaderships, rel=1e-12)


def test_role_conflict_depends_on_the_targets_reps_are_held_to_not_on_leaderships_values(
    launch_data, build
):
    launch_data["goals"]["strategic_value"] = {}
    without = evaluate(build(launch_data)).goal_conflict[0]
    launch_data["goals"]["strategic_value"] = {"nova": 2000.0}
    assert evaluate(build(launch_data)).goal_conflict[0] == without


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


@pytest.mark.parametrize(
    ("value", "status"), [(0.12, "met"), (0.1, "met"), (0.095, "near"), (0.089, "missed")]
)
def test_goal_is_met_at_target_near_within_the_band_and_missed_below(value, status):
    assert goal_status(value, 0.1, near_band=0.1) == status


def test_scorecard_shows_each_goal_its_target_and_whether_deals_must_meet_it(launch_data, build):
    launch_data["goals"]["contribution"]["hard"] = True
    scenario = build(launch_data)
    card = scorecard(scenario, evaluate(scenario))
    assert list(card.index) == ["contribution", "new_product_share", "gross_margin_pct"]
    assert list(card["hard"]) == [True, False, False]
    assert "weight" not in card.columns
    assert card.loc["new_product_share", "status"] == "missed"
