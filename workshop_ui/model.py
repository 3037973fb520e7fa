"""Cached calls into the model: the UI layer is the only place that caches.

Every cache is keyed by the scenario's JSON, so two sessions (or two pages) looking at the same
scenario share one evaluation, and any change to any field is a new key.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from alignment import Outcomes, Scenario, evaluate, pricing
from alignment.pricing import price_search_range
from alignment.tables import cross_elasticity_table, product_table, scorecard, totals

# Points per price curve on a chart; the price preferences use the model's finer grid.
CURVE_POINTS = 41


def outcomes(scenario: Scenario) -> Outcomes:
    """Every outcome of ``scenario``'s own plan (one plan: index 0)."""
    return _evaluate(scenario.model_dump_json())


@st.cache_data(max_entries=128, show_spinner=False)
def _evaluate(scenario_json: str) -> Outcomes:
    return evaluate(Scenario.model_validate_json(scenario_json))


def products(scenario: Scenario) -> pd.DataFrame:
    """Per-product outcomes (``alignment.tables.product_table``), index: product id."""
    return product_table(scenario, outcomes(scenario))


def total(scenario: Scenario) -> pd.Series:
    """Every total (``alignment.tables.totals``) as floats."""
    return totals(outcomes(scenario))


def goal_scorecard(scenario: Scenario) -> pd.DataFrame:
    """Each leadership goal: weight, target, value, and met / near / missed."""
    return scorecard(scenario, outcomes(scenario))


def cross_elasticities(scenario: Scenario) -> pd.DataFrame:
    """Elasticity of each row product's share to each column product's price."""
    return cross_elasticity_table(scenario, outcomes(scenario))


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


def price_curves(scenario: Scenario) -> pd.DataFrame:
    """Each product's share, rep pay and contribution as its own price moves (MODEL.md §8).

    Every other lever stays as in the scenario; reps re-allocate their hours at each price as
    the plan pays them to. Columns: ``product`` (id), ``price``, ``share``, ``rep_pay``,
    ``contribution`` (money per period).
    """
    return _price_curves(scenario.model_dump_json())


@st.cache_data(max_entries=64, show_spinner=False)
def _price_curves(scenario_json: str) -> pd.DataFrame:
    scenario = Scenario.model_validate_json(scenario_json)
    return pricing.price_curve_frame(pricing.price_curves(scenario, CURVE_POINTS))


def price_preferences(scenario: Scenario) -> dict[str, pricing.PricePreference]:
    """Per product id: the price reps' pay favours beside the contribution-maximising price."""
    return _price_preferences(scenario.model_dump_json())


@st.cache_data(max_entries=64, show_spinner=False)
def _price_preferences(scenario_json: str) -> dict[str, pricing.PricePreference]:
    scenario = Scenario.model_validate_json(scenario_json)
    return {p.product: p for p in pricing.price_preferences(scenario)}
