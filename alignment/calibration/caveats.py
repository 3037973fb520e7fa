"""Where a fitted price response is weak or biased, said in words the room can weigh.

Each check looks at one product's deals (and its fit) and returns a :class:`Caveat` or None.
Thresholds are deliberately plain numbers a facilitator can explain.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

SMALL_SAMPLE = 300  # deals: below this a 90 % interval is usually wider than ±30 %
FEW_LOSSES_SHARE = 0.15  # below this share of deals lost, losses are likely under-recorded
FEW_LOSSES_COUNT = 30
LITTLE_VARIATION = 0.03  # standard deviation of price relative to list
# Endogeneity: deals with a competitor named got at least this much more discount, and the gap
# is this many standard errors from zero; or across periods, discount and win rate correlate
# at least this negatively.
COMPETITOR_GAP = 0.01
COMPETITOR_Z = 3.0
PERIOD_CORRELATION = -0.6
MIN_PERIODS = 4
PERIOD_DISCOUNT_SPREAD = 0.02  # period means of discount closer than this are noise
MIN_PERIOD_DEALS = 15
# Kinds that make the fitted value biased, not just noisy: the suggestion is then the prior.
BIASED = frozenset({"endogeneity", "wrong_sign"})
WEAK = frozenset({"small_sample", "few_losses", "little_variation", "wide_interval",
                  "extrapolated", "not_converged"})  # fmt: skip


@dataclass(frozen=True)
class Caveat:
    """One reason to doubt a fit: ``kind`` (e.g. ``endogeneity``) and a sentence for people."""

    kind: str
    text: str


def small_sample(deals: pd.DataFrame) -> Caveat | None:
    n = len(deals)
    if n >= SMALL_SAMPLE:
        return None
    return Caveat(
        "small_sample",
        f"Only {n:,} deals: the interval is wide, so treat the fitted value as a hint and "
        "consider blending it with the prior.",
    )


def few_losses(deals: pd.DataFrame) -> Caveat | None:
    losses = int((~deals["won"]).sum())
    share = losses / len(deals)
    if share >= FEW_LOSSES_SHARE and losses >= FEW_LOSSES_COUNT:
        return None
    return Caveat(
        "few_losses",
        f"Only {losses:,} lost deals ({share:.0%}) are recorded. CRMs often miss lost quotes; "
        "if they are missing here the win rate is overstated and the fit understates how "
        "much price matters.",
    )


def little_variation(deals: pd.DataFrame) -> Caveat | None:
    spread = float(deals["relative_price"].std(ddof=0))
    if spread >= LITTLE_VARIATION:
        return None
    return Caveat(
        "little_variation",
        f"Prices varied little (a typical deal within ±{spread:.1%} of list): the response to "
        "a larger price change is extrapolated from a narrow band.",
    )


def endogeneity(deals: pd.DataFrame, has_competitor: bool) -> Caveat | None:
    """Discounts concentrated where demand is weak: the fitted elasticity is then too small.

    Two signals of weak demand are checked: a competitor named on the deal (deal by deal), and
    the period's win rate (period by period).
    """
    evidence = []
    if has_competitor:
        named = deals["competitor"].to_numpy(dtype=bool)
        discount = deals["discount"].to_numpy(dtype=float)
        if 20 <= named.sum() <= len(named) - 20:
            with_rival, without = discount[named], discount[~named]
            gap = with_rival.mean() - without.mean()
            error = np.sqrt(with_rival.var() / len(with_rival) + without.var() / len(without))
            if gap >= COMPETITOR_GAP and gap >= COMPETITOR_Z * max(error, 1e-12):
                evidence.append(
                    f"deals with a competitor named got {gap * 100:.1f} points more discount "
                    f"({with_rival.mean():.1%} against {without.mean():.1%})"
                )
    if "period" in deals:
        by_period = deals.groupby("period", observed=True).agg(
            n=("won", "size"), win_rate=("won", "mean"), discount=("discount", "mean")
        )
        by_period = by_period[by_period["n"] >= MIN_PERIOD_DEALS]
        spread = by_period["discount"].max() - by_period["discount"].min()
        varies = spread >= PERIOD_DISCOUNT_SPREAD and by_period["win_rate"].std() > 0
        if len(by_period) >= MIN_PERIODS and varies:
            correlation = float(np.corrcoef(by_period["discount"], by_period["win_rate"])[0, 1])
            if correlation <= PERIOD_CORRELATION:
                evidence.append(
                    "discounts were deepest in the periods when the fewest deals were won "
                    f"(correlation {correlation:.2f})"
                )
    if not evidence:
        return None
    return Caveat(
        "endogeneity",
        "Discounts went where demand was weak: " + "; ".join(evidence) + ". Deep discounts "
        "then coincide with lost deals for reasons other than price, so the fitted elasticity "
        "understates price sensitivity. Compare it with the prior before you use it.",
    )


def wrong_sign(elasticity: float) -> Caveat | None:
    if elasticity > 0:
        return None
    return Caveat(
        "wrong_sign",
        "Higher prices did not lose more deals here: the fit says the opposite, which usually "
        "means discounts went to the hardest deals. The fitted value cannot be used; keep the "
        "prior.",
    )


def wide_interval(elasticity: float, low: float, high: float) -> Caveat | None:
    if elasticity <= 0 or high - low <= elasticity:
        return None
    return Caveat(
        "wide_interval",
        f"The 90 % interval ({low:.2f} to {high:.2f}) is wider than the estimate itself: the "
        "data say little about this product's price response.",
    )


def extrapolated(deals: pd.DataFrame, today: float) -> Caveat | None:
    low, high = np.quantile(deals["relative_price"], [0.05, 0.95])
    if low <= today <= high:
        return None
    return Caveat(
        "extrapolated",
        f"Today's price is {today:.0%} of list, outside the {low:.0%}–{high:.0%} at which most "
        "deals were priced: the elasticity there is extrapolated. Check the scenario's "
        "reference price and the file's list prices are in the same units.",
    )


def not_converged() -> Caveat:
    return Caveat(
        "not_converged",
        "The fit did not settle (some products or periods are won or lost almost always); "
        "its interval is not reliable.",
    )
