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

# The same formats for Altair axes and tooltips (d3-format). In d3-format "$" stands for the
# locale's currency and "%" for its percent sign: every chart carries the locale of its
# scenario's currency (:func:`chart_locale`), so ``D3_MONEY`` reads "€4,790,000" in a euro
# scenario and ``D3_PERCENT`` "47.2 %", as the rest of the page writes them.
D3_MONEY = "$,.0f"
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


def printf_money(currency: str | None = None, spec: str = ".0f") -> str:
    """A printf format for money in a slider or a table column: ``€%.0f``, ``CHF %,.0f``."""
    before, after = (affix.replace("%", "%%") for affix in units.currency_affixes(currency))
    return f"{before}%{spec}{after}"


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
    change: float,
    kind: Kind,
    *,
    higher_is_better: bool = True,
    currency: str | None = None,
    short: bool = False,
) -> Delta:
    """The change as text with a sign: money and counts as amounts, fractions in points.

    A change that rounds to nothing shows as "no change" in grey, so a tile never shows a green
    arrow for a difference nobody could see. ``short``: a score's change in "pts", so that a
    tile five to a row at 1280 px shows it with its verdict whole.
    """
    if not math.isfinite(change) or abs(change) < _NEGLIGIBLE.get(kind, 0.5):
        return Delta("no change", "off")
    if kind == "units":
        text = units.count(change, "units", signed=True)
    elif kind == "score" and short:
        text = units.score_change(change, short=True)
    else:
        text = units.figure(change, kind, currency, change=True)
    # st.metric reads the direction of its arrow from an ASCII sign.
    return Delta(text.replace(units.MINUS, "-"), "normal" if higher_is_better else "inverse")


# --- charts -----------------------------------------------------------------------------------


def chart_locale(currency: str | None) -> dict[str, dict[str, object]]:
    """A Vega-Lite ``config.locale`` for a chart in ``currency`` (an ISO code; None for a chart
    that shows no money): d3-format's "$" becomes the currency as :func:`money` writes it
    (``€``, ``CHF ``), "%" a space and the sign (``47.2 %``), and a minus a true minus."""
    prefix, suffix = units.currency_affixes(currency) if currency else ("", "")
    return {
        "number": {
            "decimal": ".", "thousands": ",", "grouping": [3], "currency": [prefix, suffix],
            "percent": units.PERCENT_SIGN, "minus": units.MINUS,
        }
    }  # fmt: skip


def money_axis_labels(unit: float = 1.0) -> str:
    """A Vega ``labelExpr`` for money ticks in the chart's currency, scaled with the initials
    :func:`money` uses: ``€4.8M``, ``$1.2B``, ``€600``, ``−$250k``.

    d3-format's SI prefixes (``"$.3~s"``) write a billion as "G" and below one use "m" and "µ";
    this scales from a thousand on (as ``~s`` does, so ticks of prices in the thousands read
    ``€1.2k``) and writes smaller amounts in whole units, or with the decimals they need.
    ``unit`` is the money in one unit of the plotted field, e.g. ``1e6`` for millions.
    """
    value = "datum.value" if unit == 1.0 else f"(datum.value * {unit:g})"
    branches = [
        f"abs({value}) >= {size:g} ? format({value} / {size:g}, '$,.3~r') + '{suffix}'"
        for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))
    ]
    return " : ".join([*branches, f"format({value}, '$,~f')"])
