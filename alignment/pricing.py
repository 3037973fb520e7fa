"""The price reps would choose beside the price that maximises contribution (MODEL.md §8).

For each product the other levers stay as the scenario states them and the product's price moves
over a grid; at every grid price the reps re-optimise their hours, and we read off the reps' plain
pay ``Σ k_i u_i`` and the company's contribution. Under a pure gross-margin plan the two peaks
coincide (Weinberg 1975); under a revenue plan reps prefer a lower price.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from alignment.demand import Demand, calibrate
from alignment.evaluate import Plans, evaluate
from alignment.scenario import Scenario

DEFAULT_GRID_POINTS = 161
# With no negotiation bounds for a product, search this far either side of its reference price.
UNBOUNDED_PRICE_SWING = 0.4
# Prices must stay positive; a bound at or below zero is raised to this fraction of reference.
LOWEST_PRICE_FRACTION = 0.01
# Rep pay that varies less than this (relative) over the grid means reps do not care.
INDIFFERENCE = 1e-9


@dataclass(frozen=True)
class PriceCurve:
    """One product's price swept over its search range, everything else as in the scenario."""

    product: str
    price: np.ndarray  # (G,) money per unit
    rep_pay: np.ndarray  # (G,) plain commission Σ k_i u_i on the whole book, money per period
    contribution: np.ndarray  # (G,) money per period
    share: np.ndarray  # (G,) the product's own market share, fraction

    @property
    def step(self) -> float:
        """Distance between neighbouring grid prices, money per unit."""
        return float(self.price[1] - self.price[0]) if len(self.price) > 1 else 0.0


@dataclass(frozen=True)
class PricePreference:
    """Per product: the price today, the price reps' pay favours and the most profitable price."""

    product: str
    name: str
    current_price: float
    rep_preferred_price: float | None  # None when the plan's pay does not depend on this price
    contribution_max_price: float
    contribution_at_rep_price: float | None  # contribution if reps set the price, money
    max_contribution: float  # money per period
    low: float  # search range, money per unit
    high: float
    step: float


def price_search_range(scenario: Scenario, product_id: str) -> tuple[float, float]:
    """The product's negotiation price bounds, or ±40 % of its reference price without them.

    A lower bound at or below zero is raised to 1 % of the reference price: only positive
    prices are meaningful to the demand model.
    """
    product = scenario.product(product_id)
    bounds = scenario.negotiation.prices.get(product_id)
    if bounds is None:
        low = (1.0 - UNBOUNDED_PRICE_SWING) * product.reference_price
        high = (1.0 + UNBOUNDED_PRICE_SWING) * product.reference_price
    else:
        low, high = bounds.min, bounds.max
    floor = LOWEST_PRICE_FRACTION * product.reference_price
    return max(low, floor), max(high, floor)


def price_curves(
    scenario: Scenario,
    grid_points: int = DEFAULT_GRID_POINTS,
    demand: Demand | None = None,
) -> list[PriceCurve]:
    """Rep pay, contribution and share along each product's price grid, in product order.

    All ``N × G`` candidate prices are evaluated in one vectorised call, each with the reps'
    hours re-optimised for that price (and the team's habit applied, as in :func:`evaluate`).
    """
    if grid_points < 2:
        raise ValueError(f"grid_points must be at least 2, got {grid_points}")
    demand = demand if demand is not None else calibrate(scenario)
    base = Plans.from_scenario(scenario)
    n = len(scenario.products)
    grids = np.array(
        [
            np.linspace(*price_search_range(scenario, pid), grid_points)
            for pid in scenario.product_ids
        ]
    )
    batch = n * grid_points
    price = np.repeat(base.price, batch, axis=0)
    # Block j of the batch moves product j's price along its grid; the rest stay as stated.
    rows = np.arange(batch)
    price[rows, rows // grid_points] = grids.reshape(-1)
    plans = Plans(
        price=price,
        kicker=np.repeat(base.kicker, batch, axis=0),
        lead_gen=np.repeat(base.lead_gen, batch, axis=0),
        revenue_rate=np.repeat(base.revenue_rate, batch),
        margin_rate=np.repeat(base.margin_rate, batch),
        push_content=np.repeat(base.push_content, batch),
    )
    outcomes = evaluate(scenario, plans, demand)
    rep_pay = (outcomes.commission_per_unit * outcomes.units).sum(axis=-1)
    own_share = outcomes.share[rows, rows // grid_points]
    return [
        PriceCurve(
            product=pid,
            price=grids[j],
            rep_pay=rep_pay[j * grid_points : (j + 1) * grid_points],
            contribution=outcomes.contribution[j * grid_points : (j + 1) * grid_points],
            share=own_share[j * grid_points : (j + 1) * grid_points],
        )
        for j, pid in enumerate(scenario.product_ids)
    ]


def price_preferences(
    scenario: Scenario, grid_points: int = DEFAULT_GRID_POINTS
) -> list[PricePreference]:
    """Per product, the price reps' pay favours beside the contribution-maximising price.

    Both are grid prices, so each is exact to within :attr:`PricePreference.step`.
    """
    preferences = []
    for product, curve in zip(scenario.products, price_curves(scenario, grid_points), strict=True):
        best_for_company = int(np.argmax(curve.contribution))
        pay_range = float(np.ptp(curve.rep_pay))
        pay_scale = max(float(np.abs(curve.rep_pay).max()), 1.0)
        if pay_range <= INDIFFERENCE * pay_scale:
            rep_price = rep_contribution = None
        else:
            best_for_reps = int(np.argmax(curve.rep_pay))
            rep_price = float(curve.price[best_for_reps])
            rep_contribution = float(curve.contribution[best_for_reps])
        preferences.append(
            PricePreference(
                product=product.id,
                name=product.name,
                current_price=product.price,
                rep_preferred_price=rep_price,
                contribution_max_price=float(curve.price[best_for_company]),
                contribution_at_rep_price=rep_contribution,
                max_contribution=float(curve.contribution[best_for_company]),
                low=float(curve.price[0]),
                high=float(curve.price[-1]),
                step=curve.step,
            )
        )
    return preferences


def price_preference_table(
    scenario: Scenario, grid_points: int = DEFAULT_GRID_POINTS
) -> pd.DataFrame:
    """:func:`price_preferences` as a table, one row per product (index: product id)."""
    rows = [vars(p) for p in price_preferences(scenario, grid_points)]
    return pd.DataFrame(rows).set_index("product")


def price_curve_frame(curves: list[PriceCurve]) -> pd.DataFrame:
    """Long table for charts: product, price, rep_pay, contribution, share."""
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "product": curve.product,
                    "price": curve.price,
                    "rep_pay": curve.rep_pay,
                    "contribution": curve.contribution,
                    "share": curve.share,
                }
            )
            for curve in curves
        ],
        ignore_index=True,
    )
