"""Cached calls into the model: the UI layer is the only place that caches.

A plan's hours respond to motivation relative to the status quo's, so a scenario is evaluated
against a status quo: pages pass ``state.status_quo()``. Every cache is keyed by the JSON of both
scenarios, so two sessions (or two pages) looking at the same pair share one evaluation, and any
change to any field is a new key. A status quo about other products cannot anchor a scenario's
hours; such a scenario is evaluated against itself (its hours stay at today's).
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from alignment import Outcomes, Scenario, evaluate, pricing
from alignment.demand import Demand
from alignment.evaluate import calibrated
from alignment.pricing import price_search_range
from alignment.tables import cross_elasticity_table, product_table, scorecard, totals

# Points per price curve on a chart; the price preferences use the model's finer grid.
CURVE_POINTS = 41


def outcomes(scenario: Scenario, status_quo: Scenario | None = None) -> Outcomes:
    """Every outcome of ``scenario``'s own plan (one plan: index 0), hours anchored on
    ``status_quo`` (default: the scenario itself)."""
    return _evaluate(scenario.model_dump_json(), _anchor(scenario, status_quo))


@st.cache_data(max_entries=128, show_spinner=False)
def _evaluate(scenario_json: str, status_quo_json: str | None) -> Outcomes:
    scenario, status_quo = _scenarios(scenario_json, status_quo_json)
    demand = _calibrated(scenario_json, status_quo_json)
    return evaluate(scenario, demand=demand, status_quo=status_quo)


@st.cache_resource(max_entries=64, show_spinner=False)
def _calibrated(scenario_json: str, status_quo_json: str | None) -> Demand:
    """The scenario's demand and reference motivation: one calibration for the page's
    evaluation, price curves and preferred prices (read only, so shared, not copied)."""
    return calibrated(*_scenarios(scenario_json, status_quo_json))


def _anchor(scenario: Scenario, status_quo: Scenario | None) -> str | None:
    """The status quo's JSON, or None where the scenario is its own status quo."""
    if status_quo is None or status_quo.product_ids != scenario.product_ids:
        return None
    return None if status_quo == scenario else status_quo.model_dump_json()


def converged(scenario: Scenario, status_quo: Scenario | None = None) -> bool:
    """Whether the reps' hours settled for the scenario's plan (if not, figures are approximate)."""
    return bool(outcomes(scenario, status_quo).converged[0])


def products(scenario: Scenario, status_quo: Scenario | None = None) -> pd.DataFrame:
    """Per-product outcomes (``alignment.tables.product_table``), index: product id."""
    return product_table(scenario, outcomes(scenario, status_quo))


def total(scenario: Scenario, status_quo: Scenario | None = None) -> pd.Series:
    """Every total (``alignment.tables.totals``) as floats."""
    return totals(outcomes(scenario, status_quo))


def goal_scorecard(scenario: Scenario, status_quo: Scenario | None = None) -> pd.DataFrame:
    """Each leadership goal: target, value, whether deals must meet it, met / near / missed."""
    return scorecard(scenario, outcomes(scenario, status_quo))


def cross_elasticities(scenario: Scenario, status_quo: Scenario | None = None) -> pd.DataFrame:
    """Elasticity of each row product's share to each column product's price."""
    return cross_elasticity_table(scenario, outcomes(scenario, status_quo))


def price_range(scenario: Scenario, product_id: str) -> tuple[float, float]:
    """The prices a control offers for a product: its negotiation range (or ±40 % of today's),
    widened to hold the current and reference prices so a control never refuses its own value.
    """
    product = scenario.product(product_id)
    low, high = price_search_range(scenario, product_id)
    return (
        float(min(low, product.price, product.reference_price)),
        float(max(high, product.price, product.reference_price)),
    )


def price_step(reference_price: float) -> float:
    """A round price step of about 0.5 % of the reference price (1, 2, 5, 10, 20, ...)."""
    rough = reference_price * 0.005
    magnitude = 10 ** math.floor(math.log10(rough)) if rough > 0 else 1.0
    return float(next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough))


def price_curves(scenario: Scenario, status_quo: Scenario | None = None) -> pd.DataFrame:
    """Each product's share, rep pay and contribution as its own price moves (MODEL.md §8).

    Every other lever stays as in the scenario; at each price reps re-plan their hours and the
    team's hours respond to motivation against ``status_quo``'s. Columns: ``product`` (id),
    ``price``, ``share``, ``rep_pay``, ``contribution`` (money per period), ...
    """
    return _price_curves(scenario.model_dump_json(), _anchor(scenario, status_quo))


@st.cache_data(max_entries=64, show_spinner=False)
def _price_curves(scenario_json: str, status_quo_json: str | None) -> pd.DataFrame:
    scenario, status_quo = _scenarios(scenario_json, status_quo_json)
    demand = _calibrated(scenario_json, status_quo_json)
    curves = pricing.price_curves(scenario, CURVE_POINTS, demand, status_quo=status_quo)
    return pricing.price_curve_frame(curves)


def price_preferences(
    scenario: Scenario, status_quo: Scenario | None = None
) -> dict[str, pricing.PricePreference]:
    """Per product id: the price reps' pay favours beside leadership's best price."""
    return _price_preferences(scenario.model_dump_json(), _anchor(scenario, status_quo))


@st.cache_data(max_entries=64, show_spinner=False)
def _price_preferences(
    scenario_json: str, status_quo_json: str | None
) -> dict[str, pricing.PricePreference]:
    scenario, status_quo = _scenarios(scenario_json, status_quo_json)
    demand = _calibrated(scenario_json, status_quo_json)
    preferences = pricing.price_preferences(scenario, demand, status_quo=status_quo)
    return {p.product: p for p in preferences}


def _scenarios(scenario_json: str, status_quo_json: str | None) -> tuple[Scenario, Scenario | None]:
    scenario = Scenario.model_validate_json(scenario_json)
    status_quo = None if status_quo_json is None else Scenario.model_validate_json(status_quo_json)
    return scenario, status_quo
