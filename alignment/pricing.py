"""The price reps would choose beside the price that is best for leadership (MODEL.md §8).

For each product the other levers stay as the scenario states them and the product's price moves
over a grid; at every grid price the model is solved again (reps re-plan their hours, the team's
hours respond to motivation), and we read off the reps' expected variable pay (the commission
the plan actually pays, accelerator and cap included), the company's contribution and
leadership's value (contribution plus the stated worth of strategic units).

Preferred prices are searched over a wide range, 0.2× to 3× the reference price, on a coarse
geometric grid refined near each optimum. An optimum at the end of that range is flagged: the
true preference lies beyond it ("at least" / "at most"). Under a pure gross-margin plan with a
gross-margin quota and no strategic value the two preferred prices coincide (Weinberg 1975);
under a revenue plan reps prefer a lower price.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from alignment.demand import Demand
from alignment.evaluate import Outcomes, Plans, calibrated, evaluate
from alignment.goals import OUT_OF_REACH
from alignment.scenario import Product, Scenario

Edge = Literal["low", "high"]

DEFAULT_GRID_POINTS = 161
# With no negotiation bounds for a product, the display range is this far either side of its
# reference price.
UNBOUNDED_PRICE_SWING = 0.4
# Prices must stay positive; a bound at or below zero is raised to this fraction of reference.
LOWEST_PRICE_FRACTION = 0.01
# Preferred prices are searched from WIDE_LOW to WIDE_HIGH times the reference price, widened to
# take in the negotiation bounds and today's price.
WIDE_LOW = 0.2
WIDE_HIGH = 3.0
# Geometric coarse grid (about 2.3 % between neighbours), then FINE_POINTS between the
# neighbours of each coarse optimum (about 0.3 %).
COARSE_POINTS = 121
FINE_POINTS = 17
# Rep pay that varies less than this (relative) over the search means reps do not care.
INDIFFERENCE = 1e-9


@dataclass(frozen=True)
class PriceCurve:
    """One product's price swept over its display range, everything else as in the scenario.

    Money is per period unless stated; every array is shaped ``(G,)``, one entry per price.
    """

    product: str
    price: np.ndarray  # money per unit
    rep_pay: np.ndarray  # the team's expected variable pay (commission cost)
    contribution: np.ndarray
    leadership_value: np.ndarray  # contribution plus the stated worth of strategic units
    share: np.ndarray  # the product's own market share, fraction
    # The reps' new-product target out of reach of every selling hour (goal conflict 1): their
    # motivation is 0 there.
    out_of_reach: np.ndarray

    @property
    def step(self) -> float:
        """Distance between neighbouring grid prices, money per unit."""
        return float(self.price[1] - self.price[0]) if len(self.price) > 1 else 0.0


@dataclass(frozen=True)
class PricePreference:
    """Per product: today's price, the price reps' expected pay favours and leadership's best.

    Prices are money per unit, values money per period. An ``*_at_edge`` flag says the optimum
    lies at the end of the range searched (``low``: the preference is at most that price;
    ``high``: at least that price).
    """

    product: str
    name: str
    current_price: float
    unit_cost: float
    rep_preferred_price: float | None  # None when the plan's pay does not depend on this price
    best_price: float  # the price at which leadership's value is highest
    contribution_max_price: float  # the price at which contribution is highest
    rep_price_at_edge: Edge | None
    best_price_at_edge: Edge | None
    rep_price_below_cost: bool
    best_price_below_cost: bool
    rep_pay_at_rep_price: float | None  # the team's expected variable pay there
    value_at_rep_price: float | None  # leadership's value if reps set the price
    contribution_at_rep_price: float | None
    best_value: float  # leadership's value at the best price
    max_contribution: float
    low: float  # search range
    high: float
    step: float  # the preferred prices are exact to within this


def price_search_range(scenario: Scenario, product_id: str) -> tuple[float, float]:
    """The product's negotiation price bounds, or ±40 % of its reference price without them.

    The range the Pricing page shows and :func:`price_curves` sweeps. A lower bound at or below
    zero is raised to 1 % of the reference price: only positive prices are meaningful to the
    demand model.
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


def preference_search_range(scenario: Scenario, product_id: str) -> tuple[float, float]:
    """Where preferred prices are searched: 0.2× to 3× the reference price, money per unit.

    Widened to take in the negotiation bounds and today's price, so the search never covers
    less than the room can choose from.
    """
    product = scenario.product(product_id)
    low, high = price_search_range(scenario, product_id)
    reference = product.reference_price
    return (
        min(WIDE_LOW * reference, low, product.price),
        max(WIDE_HIGH * reference, high, product.price),
    )


def price_curves(
    scenario: Scenario,
    grid_points: int = DEFAULT_GRID_POINTS,
    demand: Demand | None = None,
    *,
    status_quo: Scenario | None = None,
) -> list[PriceCurve]:
    """Rep pay, contribution, leadership's value and share along each product's display range.

    All ``N × G`` candidate prices are evaluated in one vectorised call. Total selling hours
    respond to motivation relative to ``status_quo`` (default: the scenario itself).
    """
    if grid_points < 2:
        raise ValueError(f"grid_points must be at least 2, got {grid_points}")
    grids = [np.linspace(*price_search_range(scenario, pid), grid_points)
             for pid in scenario.product_ids]  # fmt: skip
    swept = _sweep(scenario, grids, demand, status_quo)
    return [
        PriceCurve(
            product=pid,
            price=grid,
            rep_pay=swept.rep_pay[j],
            contribution=swept.contribution[j],
            leadership_value=swept.leadership_value[j],
            share=swept.share[j],
            out_of_reach=swept.goal_conflict[j] >= OUT_OF_REACH,
        )
        for j, (pid, grid) in enumerate(zip(scenario.product_ids, grids, strict=True))
    ]


def price_preferences(
    scenario: Scenario,
    demand: Demand | None = None,
    *,
    status_quo: Scenario | None = None,
) -> list[PricePreference]:
    """Per product, the price that maximises the reps' expected pay beside leadership's best.

    Each is searched over :func:`preference_search_range` on a geometric grid of
    ``COARSE_POINTS`` prices, then refined between the neighbours of the coarse optimum, so it
    is exact to within :attr:`PricePreference.step`. Prices where the model did not settle are
    never chosen. Total selling hours respond to motivation relative to ``status_quo``
    (default: the scenario itself).
    """
    demand = demand if demand is not None else calibrated(scenario, status_quo)
    ranges = [preference_search_range(scenario, pid) for pid in scenario.product_ids]
    coarse = [np.geomspace(low, high, COARSE_POINTS) for low, high in ranges]
    first = _sweep(scenario, coarse, demand, status_quo)
    objectives = ("rep_pay", "leadership_value", "contribution")
    fine = [
        np.unique(np.concatenate([_around(grid, int(np.argmax(first.objective(name, j))))
                                  for name in objectives]))
        for j, grid in enumerate(coarse)
    ]  # fmt: skip
    second = _sweep(scenario, fine, demand, status_quo)
    return [
        _preference(product, _Searched.join(first, second, j), *ranges[j])
        for j, product in enumerate(scenario.products)
    ]


def price_preference_table(
    scenario: Scenario, *, status_quo: Scenario | None = None
) -> pd.DataFrame:
    """:func:`price_preferences` as a table, one row per product (index: product id)."""
    rows = [vars(p) for p in price_preferences(scenario, status_quo=status_quo)]
    return pd.DataFrame(rows).set_index("product")


def price_curve_frame(curves: list[PriceCurve]) -> pd.DataFrame:
    """Long table for charts: product, price, rep_pay, contribution, leadership_value, share,
    out_of_reach."""
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "product": curve.product,
                    "price": curve.price,
                    "rep_pay": curve.rep_pay,
                    "contribution": curve.contribution,
                    "leadership_value": curve.leadership_value,
                    "share": curve.share,
                    "out_of_reach": curve.out_of_reach,
                }
            )
            for curve in curves
        ],
        ignore_index=True,
    )


def out_of_reach_spans(price: np.ndarray, out_of_reach: np.ndarray) -> list[tuple[float, float]]:
    """The runs of ``price`` (ascending) where the reps' new-product target is out of reach,
    each as its first and last price."""
    flags = np.concatenate([[False], np.asarray(out_of_reach, dtype=bool), [False]])
    changes = np.flatnonzero(np.diff(flags.astype(np.int8)))
    starts, ends = changes[::2], changes[1::2]
    return [(float(price[a]), float(price[b - 1])) for a, b in zip(starts, ends, strict=True)]


@dataclass(frozen=True)
class _Swept:
    """Outcomes of price sweeps, one list entry per product, each shaped ``(G_j,)``."""

    price: list[np.ndarray]
    rep_pay: list[np.ndarray]
    contribution: list[np.ndarray]
    leadership_value: list[np.ndarray]
    share: list[np.ndarray]
    goal_conflict: list[np.ndarray]
    converged: list[np.ndarray]

    def objective(self, name: str, product: int) -> np.ndarray:
        """The figure ``name`` along product ``product``'s grid, −∞ where the model did not
        settle (unless it settled nowhere)."""
        values = getattr(self, name)[product]
        settled = self.converged[product]
        return np.where(settled, values, -np.inf) if settled.any() else values


def _sweep(
    scenario: Scenario,
    grids: list[np.ndarray],
    demand: Demand | None,
    status_quo: Scenario | None,
) -> _Swept:
    """Evaluate product ``j``'s price at every entry of ``grids[j]``, the rest as stated, in one
    batch."""
    base = Plans.from_scenario(scenario)
    sizes = [len(grid) for grid in grids]
    product = np.repeat(np.arange(len(grids)), sizes)
    rows = np.arange(product.size)
    price = np.repeat(base.price, product.size, axis=0)
    price[rows, product] = np.concatenate(grids)
    plans = Plans(
        price=price,
        kicker=np.repeat(base.kicker, product.size, axis=0),
        lead_gen=np.repeat(base.lead_gen, product.size, axis=0),
        revenue_rate=np.repeat(base.revenue_rate, product.size),
        margin_rate=np.repeat(base.margin_rate, product.size),
        push_content=np.repeat(base.push_content, product.size),
    )
    outcomes: Outcomes = evaluate(
        scenario, plans, demand, status_quo=status_quo, counterfactuals=False
    )
    ends = np.cumsum(sizes)[:-1]

    def split(values: np.ndarray) -> list[np.ndarray]:
        return np.split(values, ends)

    return _Swept(
        price=list(grids),
        rep_pay=split(outcomes.commission_cost),
        contribution=split(outcomes.contribution),
        leadership_value=split(outcomes.leadership_value),
        share=split(outcomes.share[rows, product]),
        goal_conflict=split(outcomes.goal_conflict),
        converged=split(outcomes.converged),
    )


@dataclass(frozen=True)
class _Searched:
    """One product's coarse and fine grids together, in price order, each price once."""

    price: np.ndarray
    rep_pay: np.ndarray
    contribution: np.ndarray
    leadership_value: np.ndarray
    usable: np.ndarray  # the model settled there

    @classmethod
    def join(cls, coarse: _Swept, fine: _Swept, product: int) -> _Searched:
        def both(name: str) -> np.ndarray:
            return np.concatenate([getattr(coarse, name)[product], getattr(fine, name)[product]])

        # A coarse price is also an end of the fine grid around it: keep the coarse evaluation.
        prices, first = np.unique(both("price"), return_index=True)
        usable = both("converged")[first]
        return cls(
            price=prices,
            rep_pay=both("rep_pay")[first],
            contribution=both("contribution")[first],
            leadership_value=both("leadership_value")[first],
            usable=usable if usable.any() else np.ones_like(usable),
        )

    def best(self, name: str) -> int:
        return int(np.argmax(np.where(self.usable, getattr(self, name), -np.inf)))

    def indifferent(self, name: str) -> bool:
        values = getattr(self, name)[self.usable]
        return float(np.ptp(values)) <= INDIFFERENCE * max(float(np.abs(values).max()), 1.0)

    def value(self, name: str, index: int | None) -> float | None:
        return None if index is None else float(getattr(self, name)[index])

    def step_at(self, indices: list[int]) -> float:
        """The widest gap between a chosen price and its neighbours, money per unit."""
        gaps = np.diff(self.price)
        widest = 0.0
        for i in indices:
            if i > 0:
                widest = max(widest, float(gaps[i - 1]))
            if i < len(gaps):
                widest = max(widest, float(gaps[i]))
        return widest


def _preference(product: Product, searched: _Searched, low: float, high: float) -> PricePreference:
    """Read one product's preferred prices, and what they mean, off its searched prices."""
    rep = None if searched.indifferent("rep_pay") else searched.best("rep_pay")
    best = searched.best("leadership_value")
    most_profitable = searched.best("contribution")
    rep_price = None if rep is None else float(searched.price[rep])
    best_price = float(searched.price[best])
    return PricePreference(
        product=product.id,
        name=product.name,
        current_price=product.price,
        unit_cost=product.unit_cost,
        rep_preferred_price=rep_price,
        best_price=best_price,
        contribution_max_price=float(searched.price[most_profitable]),
        rep_price_at_edge=None if rep_price is None else _edge(rep_price, low, high),
        best_price_at_edge=_edge(best_price, low, high),
        rep_price_below_cost=rep_price is not None and rep_price < product.unit_cost,
        best_price_below_cost=best_price < product.unit_cost,
        rep_pay_at_rep_price=searched.value("rep_pay", rep),
        value_at_rep_price=searched.value("leadership_value", rep),
        contribution_at_rep_price=searched.value("contribution", rep),
        best_value=float(searched.leadership_value[best]),
        max_contribution=float(searched.contribution[most_profitable]),
        low=low,
        high=high,
        step=searched.step_at([i for i in (rep, best, most_profitable) if i is not None]),
    )


def _around(grid: np.ndarray, index: int) -> np.ndarray:
    """``FINE_POINTS`` prices between the neighbours of ``grid[index]``."""
    low = grid[max(index - 1, 0)]
    high = grid[min(index + 1, len(grid) - 1)]
    return np.linspace(low, high, FINE_POINTS)


def _edge(price: float, low: float, high: float) -> Edge | None:
    """Whether ``price`` is at the low or high end of the searched range."""
    if np.isclose(price, low, rtol=1e-12, atol=0.0):
        return "low"
    if np.isclose(price, high, rtol=1e-12, atol=0.0):
        return "high"
    return None
