"""Every figure reads the same everywhere: money in its currency and scale, percentages, points."""

from __future__ import annotations

import math

import pytest

from alignment import units
from alignment.units import Units

MINUS = "\u2212"


@pytest.mark.parametrize(
    ("value", "currency", "text"),
    [
        (4_786_000, "USD", "$4.79M"),
        (812_345, "EUR", "€812k"),
        (1_200, "USD", "$1,200"),
        (950, "GBP", "£950"),
        (12.5, "USD", "$12.50"),
        (12.0, "USD", "$12"),
        (99_950, "USD", "$100k"),  # rounds up into the next figure, not "$99.95k"
        (999_999, "USD", "$1M"),  # and into the next scale, never "$1000k"
        (12_345_678_901, "USD", "$12.3B"),
        (85_000, "USD", "$85k"),
        (4_800_000, "USD", "$4.8M"),
        (1.2e12, "USD", "$1.2T"),
        (4_786_000, "JPY", "¥4.79M"),
        (4_786_000, "CHF", "CHF 4.79M"),
        (1_200, "SEK", "SEK 1,200"),
        (0.0, "USD", "$0"),
    ],
)
def test_money_is_rounded_to_three_figures_with_a_scale_in_its_currency(value, currency, text):
    assert units.money(value, currency) == text


def test_a_loss_takes_a_true_minus_before_the_symbol():
    assert units.money(-1_037_580, "USD") == f"{MINUS}$1.04M"
    assert units.money(-25, "EUR") == f"{MINUS}€25"


def test_a_change_is_always_signed_and_can_share_the_scale_of_the_figure_beside_it():
    assert units.money(250_000, "USD", signed=True) == "+$250k"
    assert units.money(250_000, "USD", signed=True, scale="M") == "+$0.25M"
    assert units.money(-250_000, "USD", signed=True, scale="M") == f"{MINUS}$0.25M"


def test_nothing_reads_as_minus_zero_or_plus_zero():
    assert units.money(-0.004, "USD", signed=True) == "$0"
    assert units.points(-0.0003) == "0.0 pp"
    assert units.percent(-0.0001) == "0.0 %"


def test_a_price_per_unit_is_never_scaled():
    assert units.money_exact(1_234_567, "USD") == "$1,234,567"
    assert units.money_exact(39.3, "EUR") == "€39.30"
    assert units.money_exact(-600, "USD", signed=True) == f"{MINUS}$600"


@pytest.mark.parametrize(
    ("code", "symbol"),
    [("USD", "$"), ("EUR", "€"), ("GBP", "£"), ("JPY", "¥"), ("INR", "₹"), ("CHF", "CHF"),
     ("NOK", "NOK"), ("eur", "€")],
)  # fmt: skip
def test_common_codes_have_their_symbol_and_others_are_their_code(code, symbol):
    assert units.currency_symbol(code) == symbol


@pytest.mark.parametrize("code", ["USD", "EUR", "CHF", "JPY", "SEK"])
def test_the_affixes_of_a_currency_are_what_money_writes_around_the_digits(code):
    before, after = units.currency_affixes(code)

    assert units.money(1_200, code) == f"{before}1,200{after}"
    assert units.money(4_786_000, code) == f"{before}4.79M{after}"


def test_the_percent_sign_is_what_percent_writes_after_the_digits():
    assert units.percent(0.472) == "47.2" + units.PERCENT_SIGN


def test_percentages_have_one_style_and_changes_of_a_share_are_points():
    assert units.percent(0.472) == "47.2 %"
    assert units.percent(0.472, 0) == "47 %"
    assert units.percent(-0.693) == f"{MINUS}69.3 %"
    assert units.points(0.069) == "+6.9 pp"
    assert units.points(-0.069) == f"{MINUS}6.9 pp"
    assert units.rate(0.0425) == "4.25 %" and units.rate(0.05) == "5.0 %"


def test_counts_hours_and_scores_carry_their_unit():
    assert units.count(12_345.4) == "12,345"
    assert units.count(12_345, "units") == "12,345 units"
    assert units.count(-3, "units", signed=True) == f"{MINUS}3 units"
    assert units.hours(60_000) == "60,000 h"
    assert units.score(24.1) == "24 / 100"
    assert units.score_change(3.44) == "+3.4 points"
    assert units.multiple(1.5) == "1.5×"


def test_the_period_reads_in_words():
    assert units.period_words("year") == "per year"
    assert Units("EUR", "quarter").per_period == "per quarter"
    assert Units("EUR", "month").per_period == "per month"


@pytest.mark.parametrize(
    ("unit", "value", "change", "text"),
    [
        ("money", 5_843_556, False, "€5.84M"),
        ("money", -555_000, True, f"{MINUS}€555k"),
        ("per_unit", 580, False, "€580"),
        ("fraction", 0.081, False, "8.1 %"),
        ("fraction", 0.053, True, "+5.3 pp"),
        ("rate", 0.101, False, "10.1 %"),
        ("score", 58.2, False, "58 / 100"),
        ("score", 31.9, True, "+31.9 points"),
        ("hours", 66_000, False, "66,000 h"),
        ("units", 1_396, False, "1,396"),
        ("multiple", 1.5, False, "1.5×"),
    ],
)
def test_a_figure_is_formatted_by_its_unit_in_the_scenarios_currency(unit, value, change, text):
    assert Units("EUR").figure(value, unit, change=change) == text


def test_a_missing_or_non_finite_figure_says_so():
    assert units.figure(None, "money") == "none"
    assert units.money(math.nan, "USD") == "—"
    assert units.percent(math.inf) == "—"


def test_the_scenario_states_its_units(launch):
    euro = launch.model_copy(
        update={
            "metadata": launch.metadata.model_copy(update={"currency": "EUR", "period": "quarter"})
        }
    )
    assert Units.of(launch) == Units("USD", "year")
    assert Units.of(euro).money(1_200_000) == "€1.2M"
    assert Units.of(euro).per_period == "per quarter"


def test_without_a_currency_figures_use_the_one_on_show(monkeypatch):
    monkeypatch.setattr(units, "_currency_source", lambda: "GBP")
    assert units.money(5_000_000) == "£5M"
    monkeypatch.setattr(units, "_currency_source", lambda: None)
    assert units.money(5_000_000) == "$5M"
