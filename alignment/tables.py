"""The outcomes of one plan as tables for people: per product, totals and the scorecard (§7)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from alignment.demand import calibrate, price_elasticities
from alignment.evaluate import Outcomes
from alignment.goals import GOAL_NAMES, goal_status
from alignment.pricing import PricePreference
from alignment.scenario import Scenario

# Column name → (label for people, unit). Units: "money", "fraction", "units", "hours", "score".
# Money is per period for the team unless the field is in PER_UNIT_FIELDS or PER_REP_FIELDS.
PRODUCT_COLUMNS: dict[str, tuple[str, str]] = {
    "price": ("Price", "money"),
    "share": ("Market share", "fraction"),
    "units": ("Units", "units"),
    "revenue": ("Revenue", "money"),
    "gross_margin": ("Gross margin", "money"),
    "commission_per_unit": ("Commission per unit", "money"),
    "expected_marginal_pay": ("Expected pay for one more unit", "money"),
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
    "leadership_value": ("Leadership's value (contribution + strategic value)", "money"),
    "new_product_share": ("New-product share", "fraction"),
    "team_hours": ("Total selling hours", "hours"),
    "expected_attainment": ("Expected quota attainment", "fraction"),
    "share_at_quota": ("Reps at or above quota", "fraction"),
    "expected_earnings": ("Expected earnings per rep", "money"),
    "effort_cost": ("Cost of effort per rep", "money"),
    "rep_utility": ("Rep utility (earnings less cost of effort)", "money"),
    "expectancy": ("Expectancy (can I reach my goals?)", "fraction"),
    "instrumentality": ("Instrumentality (does more effort pay?)", "fraction"),
    "valence": ("Valence (is the reward worth having?)", "fraction"),
    "motivation": ("Rep motivation", "score"),
    "goal_conflict": ("Goal conflict", "fraction"),
    "content_reach": ("Push-content reach", "fraction"),
    "deals_sourced": ("Deals sourced by lead generation", "units"),
    "deals_influenced": ("Deals influenced by push content", "units"),
    "marketing_roi": ("Marketing ROI", "fraction"),
    "lead_gen_roi": ("Lead-generation ROI", "fraction"),
    "content_roi": ("Push-content ROI", "fraction"),
}

# Money figures per unit sold, and per rep, rather than for the team per period.
PER_UNIT_FIELDS = frozenset({"price", "commission_per_unit", "expected_marginal_pay"})
PER_REP_FIELDS = frozenset({"expected_earnings", "effort_cost", "rep_utility"})

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
    hard: bool  # deals must meet the target
    target: float
    value: float
    status: str


def scorecard(scenario: Scenario, outcomes: Outcomes, plan: int = 0) -> pd.DataFrame:
    """Each leadership goal with its target, achieved value and status: met, near or missed,
    and whether deals must meet it."""
    goals = scenario.goals
    rows = []
    for name in GOAL_NAMES:
        goal = getattr(goals, name)
        value = float(getattr(outcomes, name)[plan])
        rows.append(
            ScorecardRow(
                goal=name,
                label=GOAL_LABELS[name],
                hard=goal.hard,
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


# Per product: the price reps' expected pay favours and leadership's best (MODEL.md §8), each
# with whether it lies at the edge of the range searched and whether it is below unit cost.
PRICE_COLUMNS: dict[str, tuple[str, str]] = {
    "rep_preferred_price": ("Price reps would choose", "money"),
    "best_price": ("Leadership's best price", "money"),
}
PRICE_FLAGS = (
    "rep_price_at_edge", "rep_price_below_cost", "best_price_at_edge", "best_price_below_cost",
)  # fmt: skip
PRICE_FIELDS = (*PRICE_COLUMNS, *PRICE_FLAGS)


def price_table(preferences: list[PricePreference]) -> pd.DataFrame:
    """One row per product (index: product id): each preferred price and its flags.

    ``*_at_edge`` is ``"low"`` (the preference is at most that price), ``"high"`` (at least
    that price) or None; ``*_below_cost`` is True where the price is below unit cost. A plan
    whose pay does not depend on a product's price has no price reps would choose (None).
    """
    return pd.DataFrame(
        [
            {"product": p.product, **{name: getattr(p, name) for name in PRICE_FIELDS}}
            for p in preferences
        ]
    ).set_index("product")
