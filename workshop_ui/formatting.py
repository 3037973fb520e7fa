"""Numbers for people: money, percentages and deltas, formatted the same on every page.

Money is in the scenario's currency per period; the symbol is :data:`CURRENCY`. Fractions are
shown as percentages, and changes of a percentage as percentage points ("pp"); scores with
their scale (``26 / 100``), units and hours with their unit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

CURRENCY = "$"
# The same formats for Altair axes and tooltips (d3-format) and for Streamlit inputs (printf).
D3_MONEY = "$,.0f"
D3_MONEY_SHORT = "$.3~s"
D3_PERCENT = ".1%"
D3_PERCENT_AXIS = ".0%"

Kind = Literal["money", "fraction", "units", "hours", "score", "ratio"]
# Counts carry their unit, so a tile or table cell says what it counts.
_COUNT_UNITS = {"units": " units", "hours": " h"}


def money(value: float) -> str:
    """``$5.83M``, ``$412k``, ``$1,200``: short enough for a metric tile."""
    sign = "−" if value < 0 else ""
    size = abs(value)
    if size >= 1e9:
        return f"{sign}{CURRENCY}{size / 1e9:.2f}B"
    if size >= 1e6:
        return f"{sign}{CURRENCY}{size / 1e6:.2f}M"
    if size >= 1e4:
        return f"{sign}{CURRENCY}{size / 1e3:.0f}k"
    return f"{sign}{CURRENCY}{size:,.0f}"


def percent(fraction: float, digits: int = 1) -> str:
    """``0.0321`` → ``3.2%``."""
    return f"{fraction * 100:.{digits}f}%"


def count(value: float) -> str:
    """Units or hours: ``12,345``."""
    return f"{value:,.0f}"


def score(value: float) -> str:
    """A 0–100 score with its scale: ``29 / 100``."""
    return f"{value:.0f} / 100"


def format_value(value: float, kind: Kind) -> str:
    """One number in the format for its kind (the unit names of ``alignment.tables``)."""
    if not math.isfinite(value):
        return "—"
    if kind == "money":
        return money(value)
    if kind in ("fraction", "ratio"):
        return percent(value)
    if kind == "score":
        return score(value)
    return f"{count(value)}{_COUNT_UNITS.get(kind, '')}"


@dataclass(frozen=True)
class Delta:
    """A change against the status quo, ready for ``st.metric(delta=..., delta_color=...)``."""

    text: str | None
    color: Literal["normal", "inverse", "off"]


def delta(change: float, kind: Kind, *, higher_is_better: bool = True) -> Delta:
    """The change as text with a sign: money and counts as amounts, fractions in points.

    A change that rounds to nothing shows as "no change" in grey, so a tile never shows a green
    arrow for a difference nobody could see.
    """
    if kind == "money":
        text = money(change)
        negligible = abs(change) < 0.5
    elif kind == "fraction":
        text = f"{change * 100:.1f} pp"
        negligible = abs(change) < 0.0005
    elif kind == "ratio":
        text = percent(change)
        negligible = abs(change) < 0.0005
    elif kind == "score":
        text = f"{change:.1f}"
        negligible = abs(change) < 0.05
    else:
        text = f"{count(change)}{_COUNT_UNITS.get(kind, '')}"
        negligible = abs(change) < 0.5
    if negligible or not math.isfinite(change):
        return Delta("no change", "off")
    text = text.replace("−", "-")
    signed = text if text.startswith("-") else f"+{text}"
    return Delta(signed, "normal" if higher_is_better else "inverse")
