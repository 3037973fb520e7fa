"""Numbers for people on the pages: the formats of :mod:`alignment.units`, in the currency of
the session's working scenario.

Money is in the scenario's currency per period; fractions are shown as percentages, and changes
of a percentage as percentage points ("pp"); scores with their scale (``26 / 100``), units and
hours with their unit. Every function takes ``currency`` for a caller that has the scenario at
hand; without it, the session's working scenario says (US dollars outside a session).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from streamlit.runtime.scriptrunner import get_script_run_ctx

from alignment import units

# The same formats for Altair axes and tooltips (d3-format) and for Streamlit inputs (printf).
D3_MONEY = "$,.0f"
D3_MONEY_SHORT = "$.3~s"
D3_PERCENT = ".1%"
D3_PERCENT_AXIS = ".0%"

Kind = Literal["money", "fraction", "units", "hours", "score", "ratio"]


def session_currency() -> str | None:
    """The ISO code of the session's working scenario; None outside a session or before it has
    one."""
    if get_script_run_ctx(suppress_warning=True) is None:
        return None
    from workshop_ui import state  # late: state's imports reach pages' helpers that use this

    try:
        return state.working().metadata.currency
    except (KeyError, AttributeError):
        return None


units.set_currency_source(session_currency)


def currency_symbol(currency: str | None = None) -> str:
    """``$``, ``€``, or the code (``CHF``) for the session's currency unless one is given."""
    return units.currency_symbol(currency or units.ambient_currency())


def money(value: float, currency: str | None = None) -> str:
    """``$5.83M``, ``€412k``, ``$1,200``: short enough for a metric tile."""
    return units.money(value, currency)


def percent(fraction: float, digits: int = 1) -> str:
    """``0.0321`` → ``3.2 %``."""
    return units.percent(fraction, digits)


def count(value: float) -> str:
    """Units or hours: ``12,345``."""
    return units.count(value)


def score(value: float) -> str:
    """A 0–100 score with its scale: ``29 / 100``."""
    return units.score(value)


def format_value(value: float, kind: Kind, currency: str | None = None) -> str:
    """One number in the format for its kind (the unit names of ``alignment.tables``)."""
    if not math.isfinite(value):
        return "—"
    if kind == "units":
        return units.count(value, "units")
    return units.figure(value, kind, currency)


@dataclass(frozen=True)
class Delta:
    """A change against the status quo, ready for ``st.metric(delta=..., delta_color=...)``."""

    text: str | None
    color: Literal["normal", "inverse", "off"]


# Changes smaller than these round to nothing in their format.
_NEGLIGIBLE = {"money": 0.5, "fraction": 0.0005, "ratio": 0.0005, "score": 0.05}


def delta(
    change: float, kind: Kind, *, higher_is_better: bool = True, currency: str | None = None
) -> Delta:
    """The change as text with a sign: money and counts as amounts, fractions in points.

    A change that rounds to nothing shows as "no change" in grey, so a tile never shows a green
    arrow for a difference nobody could see.
    """
    if not math.isfinite(change) or abs(change) < _NEGLIGIBLE.get(kind, 0.5):
        return Delta("no change", "off")
    if kind == "units":
        text = units.count(change, "units", signed=True)
    else:
        text = units.figure(change, kind, currency, change=True)
    # st.metric reads the direction of its arrow from an ASCII sign.
    return Delta(text.replace(units.MINUS, "-"), "normal" if higher_is_better else "inverse")
