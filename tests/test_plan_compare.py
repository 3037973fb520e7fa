"""Two plans before and after, in figures and in words (alignment.plan_compare)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from alignment import Scenario, evaluate, load_scenario
from alignment.levers import with_values
from alignment.plan_compare import (
    MAX_NAMED_INPUTS,
    NOT_IN_PLAN,
    SAME_PLAN,
    compare_plans,
    describe,
    money_change,
)
from alignment.units import Units

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


@pytest.fixture(scope="module")
def today() -> Scenario:
    return load_scenario(SCENARIOS / "launch_conflict.yaml")


def side(scenario: Scenario, status_quo: Scenario):
    """A plan evaluated as the pages do: hours anchored on the status quo where they can be."""
    anchor = status_quo if scenario.product_ids == status_quo.product_ids else None
    return scenario, evaluate(scenario, status_quo=anchor)


def compared(before: Scenario, after: Scenario, status_quo: Scenario | None = None):
    status_quo = status_quo or before
    return compare_plans(side(before, status_quo), side(after, status_quo))


def headline(comparison, key: str):
    return next(row for row in comparison.headlines if row.key == key)


def test_a_lower_price_is_named_with_both_prices_and_what_it_does_to_share(today):
    cheaper = with_values(today, {"products.nova.price": 550.0})

    comparison = compared(today, cheaper)

    first, second = comparison.sentences[:2]
    assert first == "The after plan lowers Nova's price from $600 to $550."
    share = headline(comparison, "new_product_share")
    assert second.startswith(
        f"Nova's share rises from {share.before_text} to {share.after_text} ({share.change_text})"
    )
    assert share.cue.startswith("▲ +") and share.cue.endswith(" pp")
    assert share.leadership == "better" and share.reps is None


def test_a_kicker_is_named_per_unit_sold_and_judged_for_each_side(today):
    kicker = with_values(today, {"commission.kickers.nova": 40.0})

    comparison = compared(today, kicker)

    assert (
        comparison.sentences[0]
        == "The after plan raises Nova's kicker per unit sold from $0 to $40."
    )
    assert "rep motivation rises from 26 to " in comparison.paragraph
    conflict = headline(comparison, "goal_conflict")
    assert conflict.direction == "down"
    assert (conflict.leadership, conflict.reps) == ("better", "better")
    assert "For the reps: better on motivation" in comparison.paragraph
    assert [row.label for row in comparison.changed_inputs] == ["Nova (new): kicker per unit sold"]


def test_money_falls_are_told_by_how_much_in_the_scale_of_the_figure(today):
    kicker = with_values(today, {"commission.kickers.nova": 40.0})

    contribution = headline(compared(today, kicker), "contribution")

    assert contribution.direction == "down"
    assert contribution.change_text.startswith("−$0.") and contribution.change_text.endswith("M")
    assert f"contribution falls by {contribution.change_text[1:]} to {contribution.after_text}" in (
        compared(today, kicker).paragraph
    )


def test_identical_plans_are_the_same_whatever_they_are_called(today):
    renamed = with_values(today, {"metadata.name": "Sales' proposal", "metadata.author": "Sam"})

    comparison = compared(today, renamed)

    assert comparison.paragraph == SAME_PLAN == "The two plans are the same."
    assert comparison.same_plan and not comparison.changed_inputs
    assert all(row.direction == "same" and row.cue == "= no change" for row in comparison.headlines)


def test_plans_about_different_products_compare_totals_and_mark_the_rest(today):
    other = load_scenario(SCENARIOS / "saas_tiers_smb_enterprise.yaml")

    comparison = compared(today, other, today)

    assert not comparison.same_products
    assert comparison.sentences[0].startswith("The two plans are about different products (")
    assert "so only the totals can be compared" in comparison.sentences[0]
    nova_price = next(row for row in comparison.products if row.key == "nova.price")
    assert (nova_price.before_text, nova_price.after_text) == ("$600", NOT_IN_PLAN)
    assert nova_price.change is None and nova_price.direction is None
    kicker = next(row for row in comparison.inputs if row.path == "commission.kickers.nova")
    assert kicker.after_text == NOT_IN_PLAN == "not in this plan"
    assert all(row.change is not None for row in comparison.headlines)


def test_a_product_in_one_plan_only_is_named_and_the_others_still_compare(today):
    data = today.model_dump()
    data["products"] = [p for p in data["products"] if p["id"] != "standard"]
    del data["negotiation"]["prices"]["standard"]
    smaller = Scenario.model_validate(data)

    comparison = compared(today, smaller)

    assert comparison.sentences[0] == (
        "Only Analyser Pro and Nova (new) are in both plans (Analyser Standard only in the before "
        "plan): the rest reads “not in this plan”."
    )
    pro = next(row for row in comparison.products if row.key == "pro.share")
    assert pro.change is not None and pro.direction == "up"


def test_money_in_another_currency_is_shown_but_not_subtracted(today):
    in_euros = with_values(today, {"metadata.currency": "EUR"})

    comparison = compared(today, in_euros)

    contribution = headline(comparison, "contribution")
    assert contribution.after_text.startswith("€") and contribution.change is None
    assert "not compared" in comparison.sentences[0] and "USD" in comparison.sentences[0]


@pytest.mark.parametrize(
    ("settled", "says"),
    [
        ((True, False), "did not settle in the after plan, so its figures are approximate"),
        ((False, True), "did not settle in the before plan"),
        ((False, False), "did not settle in either plan"),
    ],
)
def test_plans_whose_hours_did_not_settle_are_flagged(today, settled, says):
    kicker = with_values(today, {"commission.kickers.nova": 40.0})
    (a, a_out), (b, b_out) = side(today, today), side(kicker, today)
    a_out = replace(a_out, converged=np.array([settled[0]]))
    b_out = replace(b_out, converged=np.array([settled[1]]))

    comparison = compare_plans((a, a_out), (b, b_out))

    assert comparison.converged == settled
    assert says in comparison.sentences[-1]


def test_an_unsettled_plan_is_flagged_even_when_the_plans_are_the_same(today):
    plan, outcomes = side(today, today)
    unsettled = replace(outcomes, converged=np.array([False]))

    comparison = compare_plans((plan, unsettled), (plan, unsettled))

    assert comparison.sentences[0] == SAME_PLAN
    assert "either plan" in comparison.sentences[1]


def test_more_changes_than_can_be_named_are_counted(today):
    many = with_values(
        today,
        {
            "products.nova.price": 560.0, "products.pro.price": 1150.0,
            "products.standard.price": 780.0, "commission.kickers.nova": 30.0,
            "commission.margin_rate": 0.07, "commission.quota.per_rep": 200000.0,
            "commission.accelerator": 1.8, "sales_team.reps": 42,
        },
    )  # fmt: skip

    first = compared(today, many).sentences[0]

    assert first.count(" from ") == MAX_NAMED_INPUTS - 1
    assert first.endswith(f"and changes {8 - MAX_NAMED_INPUTS + 1} other inputs.")
    assert first.startswith("The after plan lowers Analyser Pro's price from $1,200 to $1,150")


def test_inputs_are_labelled_in_words_with_their_units(today):
    assert describe("commission.quota.per_rep", today, today).label == "Quota per rep, per year"
    assert describe("commission.kickers.nova", today, today).label == (
        "Nova (new): kicker per unit sold"
    )
    assert describe("commission.margin_rate", today, today).phrase == (
        "the commission rate on gross margin"
    )
    rate = next(
        row
        for row in compared(today, with_values(today, {"commission.margin_rate": 0.1})).inputs
        if row.path == "commission.margin_rate"
    )
    assert (rate.before_text, rate.after_text) == ("8.0 %", "10.0 %")


def test_a_change_of_money_keeps_the_scale_of_the_figure_beside_it():
    dollars = Units()
    assert money_change(-630_000, 5_840_000, dollars) == "−$0.63M"
    assert money_change(1_335, 81_700, dollars) == "+$1.33k"
    assert money_change(40, 600, dollars) == "+$40"
    assert money_change(2_000, 5_840_000, dollars) == "+$2,000"  # rounds to nothing in millions


def test_an_emptied_field_is_removed_and_a_set_one_says_what_it_was(today):
    uncapped = with_values(today, {"commission.cap": None, "sales_team.new_product_target": 0.05})

    there, back = compared(today, uncapped).sentences[0], compared(uncapped, today).sentences[0]

    assert there == (
        "The after plan removes the pay cap per rep (was $60k) and sets the reps' own new-product "
        "target to 5.0 % (was leadership's target)."
    )
    assert back.startswith("The after plan sets the pay cap per rep to $60k (was none)")
