"""The outcomes of one plan as tables for people: per product, totals and the scorecard (§7)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from alignment.demand import calibrate, price_elasticities
from alignment.evaluate import Outcomes
from alignment.goals import GOAL_NAMES, goal_status
from alignment.scenario import Scenario

# Column name → (label for people, unit). Units: "money", "fraction", "units", "hours", "score".
PRODUCT_COLUMNS: dict[str, tuple[str, str]] = {
    "price": ("Price", "money"),
    "share": ("Market share", "fraction"),
    "units": ("Units", "units"),
    "revenue": ("Revenue", "money"),
    "gross_margin": ("Gross margin", "money"),
    "commission_per_unit": ("Commission per unit", "money"),
    "commission": ("Commission paid", "money"),
    "hours": ("Selling hours", "hours"),
    "time_share": ("Share of selling time", "fraction"),
    "pay_hours": ("Hours the plan pays for", "hours"),
    "asked_hours": ("Hours leadership asks for", "hours"),
}

TOTAL_COLUMNS: dict[str, tuple[str, str]] = {
    "total_revenue": ("Revenue", "money"),
    "total_gross_margin": ("Gross margin", "money"),
    "gross_margin_pct": ("Gross margin %", "fraction"),
    "commission_cost": ("Commission cost", "money"),
    "sales_compensation": ("Sales compensation (base + commission)", "money"),
    "cost_of_sales_pct": ("Cost of sales %", "fraction"),
    "marketing_spend": ("Marketing spend", "money"),
    "contribution": ("Contribution", "money"),
    "new_product_share": ("New-product share", "fraction"),
    "expected_attainment": ("Expected quota attainment", "fraction"),
    "share_at_quota": ("Reps at or above quota", "fraction"),
    "expected_earnings": ("Expected earnings per rep", "money"),
    "expectancy": ("Expectancy (can I make quota?)", "fraction"),
    "instrumentality": ("Instrumentality (does effort pay?)", "fraction"),
    "coherence": ("Coherence (do my goals agree?)", "fraction"),
    "motivation": ("Rep motivation", "score"),
    "goal_conflict": ("Goal conflict", "fraction"),
    "content_reach": ("Push-content reach", "fraction"),
    "deals_sourced": ("Deals sourced by lead generation", "units"),
    "deals_influenced": ("Deals influenced by push content", "units"),
    "marketing_roi": ("Marketing ROI", "fraction"),
    "leadership_score": ("Leadership goal score", "score"),
}

GOAL_LABELS = {
    "contribution": "Contribution",
    "new_product_share": "New-product share",
    "gross_margin_pct": "Gross margin %",
}


def product_table(scenario: Scenario, outcomes: Outcomes, plan: int = 0) -> pd.DataFrame:
    """One row per product (index: product id), one column per field of ``PRODUCT_COLUMNS``."""
    table = pd.DataFrame(
        {name: getattr(outcomes, name)[plan] for name in PRODUCT_COLUMNS},
        index=pd.Index(scenario.product_ids, name="product"),
    )
    table.insert(0, "name", [p.name for p in scenario.products])
    table.insert(1, "segment", [p.segment for p in scenario.products])
    return table


def totals(outcomes: Outcomes, plan: int = 0) -> pd.Series:
    """Every total of ``TOTAL_COLUMNS`` for one plan, as floats."""
    return pd.Series({name: float(getattr(outcomes, name)[plan]) for name in TOTAL_COLUMNS})


@dataclass(frozen=True)
class ScorecardRow:
    goal: str
    label: str
    weight: float
    target: float
    value: float
    status: str


def scorecard(scenario: Scenario, outcomes: Outcomes, plan: int = 0) -> pd.DataFrame:
    """Each leadership goal with its target, achieved value and status: met, near or missed."""
    goals = scenario.goals
    rows = []
    for name in GOAL_NAMES:
        goal = getattr(goals, name)
        value = float(getattr(outcomes, name)[plan])
        rows.append(
            ScorecardRow(
                goal=name,
                label=GOAL_LABELS[name],
                weight=goal.weight,
                target=goal.target,
                value=value,
                status=goal_status(value, goal.target, goals.near_band),
            ).__dict__
        )
    return pd.DataFrame(rows).set_index("goal")


def cross_elasticity_table(scenario: Scenario, outcomes: Outcomes, plan: int = 0) -> pd.DataFrame:
    """Elasticity of each row product's share to each column product's price at the plan.

    The diagonal is the own-price elasticity (negative); off-diagonal entries in one segment are
    the cannibalisation the logit assumes; across segments they are 0.
    """
    demand = calibrate(scenario)
    matrix = price_elasticities(demand, outcomes.price[plan], outcomes.share[plan])
    names = [p.name for p in scenario.products]
    return pd.DataFrame(np.asarray(matrix), index=names, columns=names)
