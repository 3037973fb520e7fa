"""Moving one lever of a scenario (alignment.levers): the edits every app control makes."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.special import ndtri

from alignment import ScenarioError, evaluate
from alignment.levers import rep_pay_at_attainment, value_at, with_value, with_values

QUANTILES = 200_000


def test_value_at_reads_products_by_id_and_a_missing_kicker_as_zero(launch):
    assert value_at(launch, "products.nova.price") == 600
    assert value_at(launch, "commission.margin_rate") == 0.08
    assert value_at(launch, "commission.kickers.nova") == 0.0
    assert value_at(launch, "commission.cap") == 60000


def test_with_value_changes_one_field_and_leaves_the_original_alone(launch):
    cheaper = with_value(launch, "products.nova.price", 500.0)

    assert cheaper.product("nova").price == 500.0
    assert launch.product("nova").price == 600
    assert cheaper.product("pro") == launch.product("pro")


def test_a_zero_kicker_is_removed_so_no_kicker_has_one_spelling(launch):
    with_kicker = with_value(launch, "commission.kickers.nova", 40.0)
    back = with_value(with_kicker, "commission.kickers.nova", 0.0)

    assert with_kicker.commission.kickers == {"nova": 40.0}
    assert back == launch


def test_an_invalid_value_is_refused_naming_the_field(launch):
    with pytest.raises(ScenarioError) as refused:
        with_value(launch, "products.nova.price", -5.0)

    assert any(problem.startswith("products[2].price") for problem in refused.value.problems)


def test_a_value_that_breaks_a_rule_across_fields_is_refused(launch):
    with pytest.raises(ScenarioError) as refused:
        with_value(launch, "sales_team.base_salary", 90_000.0)  # above on-target earnings

    assert "on_target_earnings" in " ".join(refused.value.problems)


def test_fields_that_must_move_together_can_be_set_at_once(launch):
    richer = with_values(
        launch, {"sales_team.base_salary": 90_000.0, "sales_team.on_target_earnings": 120_000.0}
    )

    assert richer.sales_team.base_salary == 90_000.0
    assert richer.sales_team.on_target_earnings == 120_000.0


def test_a_missing_strategic_value_reads_as_zero_and_zero_removes_it(launch_data, build):
    launch_data["goals"]["strategic_value"] = {}
    scenario = build(launch_data)
    assert value_at(scenario, "goals.strategic_value.nova") == 0.0
    assert value_at(scenario, "goals.strategic_value.pro") == 0.0

    valued = with_value(scenario, "goals.strategic_value.nova", 150.0)
    back = with_value(valued, "goals.strategic_value.nova", 0.0)

    assert valued.goals.strategic_value == {"nova": 150.0}
    assert value_at(valued, "goals.strategic_value.nova") == 150.0
    assert back == scenario


def test_a_strategic_value_for_a_product_that_is_not_strategic_is_refused(launch):
    with pytest.raises(ScenarioError) as refused:
        with_value(launch, "goals.strategic_value.pro", 100.0)

    assert "not a strategic product" in " ".join(refused.value.problems)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("goals.new_product_share.hard", True),
        ("goals.contribution.hard", True),
        ("goals.strategic_value_reason", "Each Nova seat brings three years of consumables."),
        ("sales_team.effort_response", 0.5),
        ("products.nova.unassisted_share", 0.25),
    ],
)
def test_version_two_fields_can_be_read_and_set(launch, path, value):
    changed = with_value(launch, path, value)

    assert value_at(changed, path) == value
    assert with_value(changed, path, value_at(launch, path)) == launch


def test_an_unknown_field_is_a_programming_error_not_a_user_error(launch):
    with pytest.raises(KeyError):
        with_value(launch, "products.nova.colour", "red")
    with pytest.raises(KeyError):
        with_value(launch, "products.unknown.price", 10.0)


def test_removing_the_cap_sets_it_to_none(launch):
    assert with_value(launch, "commission.cap", None).commission.cap is None


def test_rep_pay_averaged_over_the_team_is_the_teams_variable_pay(launch):
    outcomes = evaluate(launch)
    sigma = launch.sales_team.attainment_spread
    # Reps' volumes relative to the average rep, ln r ~ N(−σ²/2, σ²), at 200,000 quantiles.
    relative = np.exp(sigma * ndtri((np.arange(QUANTILES) + 0.5) / QUANTILES) - sigma**2 / 2)
    attainment = outcomes.expected_attainment[0] * relative

    pay = rep_pay_at_attainment(launch, outcomes, attainment)

    assert_allclose(pay.mean(), outcomes.commission_cost[0] / launch.sales_team.reps, rtol=1e-4)


def test_rep_pay_follows_the_closed_form_payout(launch):
    uncapped = with_value(launch, "commission.cap", None)
    outcomes = evaluate(uncapped)
    team = float(outcomes.expected_attainment[0])
    plain = float((outcomes.commission_per_unit[0] * outcomes.units[0]).sum()) / 40
    attainment = np.array([0.5, 1.0, 1.2, 2.0])

    pay = rep_pay_at_attainment(uncapped, outcomes, attainment)

    volume = attainment / team
    expected = plain * (volume + 0.5 * np.maximum(volume - 1 / team, 0.0))  # accelerator 1.5
    assert_allclose(pay, expected, rtol=1e-12)


def test_rep_pay_is_capped_and_steeper_above_quota(launch):
    outcomes = evaluate(launch)
    attainment = np.array([0.5, 0.9, 1.0, 1.1, 3.0, 10.0])

    pay = rep_pay_at_attainment(launch, outcomes, attainment)

    slope_below = (pay[2] - pay[1]) / 0.1
    slope_above = (pay[3] - pay[2]) / 0.1
    assert_allclose(slope_above / slope_below, launch.commission.accelerator, rtol=1e-9)
    assert pay[-1] == launch.commission.cap
    assert np.all(np.diff(pay) >= 0)


def test_rep_pay_without_a_cap_keeps_rising(launch):
    uncapped = with_value(launch, "commission.cap", None)

    pay = rep_pay_at_attainment(uncapped, evaluate(uncapped), np.array([2.0, 4.0, 8.0]))

    assert pay[2] > pay[1] > pay[0]
    assert pay[2] > launch.commission.cap
