"""Moving one lever of a scenario (alignment.levers): the edits every app control makes."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.special import ndtri

from alignment import ScenarioError, evaluate
from alignment.commission import ATTAINMENT_QUANTILES
from alignment.levers import rep_pay_at_attainment, value_at, with_value, with_values


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
        with_values(
            launch,
            {f"goals.{goal}.weight": 0.0 for goal in ("contribution", "new_product_share")}
            | {"goals.gross_margin_pct.weight": 0.0},
        )

    assert "goal weight" in " ".join(refused.value.problems)


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
    quantiles = ndtri((np.arange(ATTAINMENT_QUANTILES) + 0.5) / ATTAINMENT_QUANTILES)
    relative = np.exp(sigma * quantiles)
    relative /= relative.mean()
    attainment = outcomes.expected_attainment[0] * relative

    pay = rep_pay_at_attainment(launch, outcomes, attainment)

    assert_allclose(pay.mean(), outcomes.commission_cost[0] / launch.sales_team.reps, rtol=1e-9)


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
