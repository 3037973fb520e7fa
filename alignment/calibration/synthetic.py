"""Synthetic deal histories with known price responses, for tests, demos and the shipped example.

Each product's deals follow the model the estimate assumes (see
:mod:`alignment.calibration.estimation`): win probability ``σ(a + τ_t + γ·competitor − b·r)``
with ``b`` and ``a`` planted so that at today's price ``r̄`` (relative to list) the win rate is
``win_rate`` and the elasticity ``elasticity``. Optional departures the estimate should warn
about:

- ``endogeneity``: a hidden weakness of each deal lowers its chance of winning, makes a
  competitor more likely to be named, and draws a deeper discount; weak quarters get deeper
  discounts too. The fitted elasticity is then too small.
- ``unrecorded_losses``: that share of lost deals never reaches the file.
- ``open_share``: that share of rows are deals still open (a stage neither won nor lost).

Rows come out in the shape of a CRM export (``Product``, ``List Price``, ``Sales Price``,
``Discount (%)``, ``Quantity``, ``Stage``, ``Close Date``, ``Owner``, ``Competitor``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from alignment.calibration.deals import Deals, deals_from_table
from alignment.calibration.reading import RawTable

COMPETITORS = ("Acme Instruments", "LabCore")
OPEN_STAGES = ("Qualification", "Proposal/Price Quote", "Negotiation/Review")
COMPETITOR_EFFECT = -0.4  # a named competitor lowers the odds of winning by a third


@dataclass(frozen=True)
class PlantedProduct:
    """A product's planted truth: ``elasticity`` and ``win_rate`` at ``today`` (price relative
    to list), the number of ``deals``, and its discounts (mean and spread, fractions)."""

    name: str
    list_price: float
    today: float
    elasticity: float
    win_rate: float
    deals: int
    discount_mean: float = 0.1
    discount_spread: float = 0.07


@dataclass(frozen=True)
class SyntheticHistory:
    """The rows, and each product's true elasticity at the mix of periods and competitors its
    deals actually drew (what the estimate targets), by product name."""

    frame: pd.DataFrame
    truth: dict[str, float]

    def deals(self, source: str = "synthetic deals", *, checked: bool = True) -> Deals:
        """The rows read as a file would be (every cell through the same checks), or, with
        ``checked=False``, taken as they are (faster, for many seeded trials)."""
        if checked:
            return deals_from_table(RawTable(source, self.frame.astype(str), "csv"))
        rows = self.frame[self.frame["Stage"].str.startswith("Closed")]
        frame = pd.DataFrame(
            {
                "row": rows.index + 2,
                "product": rows["Product"],
                "won": rows["Stage"] == "Closed Won",
                "list_price": rows["List Price"],
                "price": rows["Sales Price"],
                "relative_price": rows["Sales Price"] / rows["List Price"],
                "discount": 1 - rows["Sales Price"] / rows["List Price"],
                "quantity": rows["Quantity"].astype(float),
                "close_date": pd.to_datetime(rows["Close Date"]),
                "rep": rows["Owner"],
                "competitor": rows["Competitor"] != "",
            }
        ).reset_index(drop=True)
        return Deals(source, frame, len(self.frame), len(self.frame) - len(rows), 0, True,
                     bool(frame["competitor"].any()))  # fmt: skip

    def csv(self) -> str:
        return self.frame.to_csv(index=False, lineterminator="\n")


def synthetic_history(
    products: Sequence[PlantedProduct],
    *,
    seed: int = 42,
    start: str = "2023-01-01",
    quarters: int = 8,
    season: float = 0.3,
    endogeneity: float = 0.0,
    unrecorded_losses: float = 0.0,
    open_share: float = 0.0,
    competitor_rate: float = 0.35,
    reps: int = 12,
) -> SyntheticHistory:
    """Deals for ``products`` over ``quarters`` quarters from ``start``, seeded."""
    rng = np.random.default_rng(seed)
    first = pd.Timestamp(start)
    days = (first + pd.DateOffset(months=3 * quarters) - first).days
    frames, truth = [], {}
    for planted in products:
        n = planted.deals
        offset = rng.integers(0, days, n)
        close = first + pd.to_timedelta(offset, unit="D")
        quarter = ((close.year - first.year) * 12 + close.month - first.month) // 3
        tau = season * np.sin(2 * np.pi * np.asarray(quarter) / 4)
        weak_quarter = np.cos(2 * np.pi * np.asarray(quarter) / 3)  # a third cycle: not seasonal
        weakness = rng.normal(size=n)
        competitor = rng.random(n) < expit(logit(competitor_rate) + 1.5 * endogeneity * weakness)
        discount = (
            planted.discount_mean
            + planted.discount_spread * rng.normal(size=n)
            + endogeneity * planted.discount_spread * (weakness + weak_quarter)
        )
        discount = np.clip(discount, 0.0, 0.6).round(3)
        price = (planted.list_price * (1 - discount)).round(2)
        relative = price / planted.list_price
        slope = planted.elasticity / (planted.today * (1 - planted.win_rate))
        level = logit(planted.win_rate) + slope * planted.today
        hidden = -endogeneity * (weakness + 0.5 * weak_quarter)
        index = level + tau + COMPETITOR_EFFECT * competitor - slope * relative + hidden
        won = rng.random(n) < expit(index)
        at_today = expit(level + tau.mean() + COMPETITOR_EFFECT * competitor.mean()
                         - slope * planted.today)  # fmt: skip
        truth[planted.name] = float(slope * planted.today * (1 - at_today))
        stage = np.where(won, "Closed Won", "Closed Lost").astype(object)
        still_open = rng.random(n) < open_share
        stage[still_open] = rng.choice(OPEN_STAGES, still_open.sum())
        keep = ~(~won & ~still_open & (rng.random(n) < unrecorded_losses))
        rivals = np.where(competitor, rng.choice(COMPETITORS, n), "")
        frames.append(
            pd.DataFrame(
                {
                    "Product": planted.name,
                    "List Price": planted.list_price,
                    "Sales Price": price,
                    "Discount (%)": (discount * 100).round(1),
                    "Quantity": rng.integers(1, 6, n),
                    "Stage": stage,
                    "Close Date": close.strftime("%Y-%m-%d"),
                    "Owner": [f"Rep {i:02d}" for i in rng.integers(1, reps + 1, n)],
                    "Competitor": rivals,
                }
            )[keep]
        )
    frame = pd.concat(frames, ignore_index=True)
    frame = frame.sort_values("Close Date", kind="stable").reset_index(drop=True)
    frame.insert(0, "Opportunity ID", [f"OPP-{i:06d}" for i in range(1, len(frame) + 1)])
    return SyntheticHistory(frame, truth)


# The shipped example (scenarios/data/deal_history_example.csv): two years of deals for the
# launch scenario's products, priced off list prices above today's reference prices (1,200,
# 800 and 600), with the planted elasticities differing from the scenario's stated 2.0, 2.5
# and 3.0 so that calibrating visibly moves them.
LAUNCH_EXAMPLE = (
    PlantedProduct("Analyser Pro", 1350.0, 1200 / 1350, 1.7, 0.35, 1600, 0.11, 0.09),
    PlantedProduct("Analyser Standard", 900.0, 800 / 900, 2.6, 0.30, 1300, 0.11, 0.09),
    PlantedProduct("Nova", 650.0, 600 / 650, 3.8, 0.25, 1100, 0.08, 0.09),
)
LAUNCH_EXAMPLE_SEED = 2034


def launch_example() -> SyntheticHistory:
    """The shipped example history, exactly (same seed, same rows)."""
    return synthetic_history(LAUNCH_EXAMPLE, seed=LAUNCH_EXAMPLE_SEED, open_share=0.03)
