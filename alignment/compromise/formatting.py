"""Numbers as the room reads them in the compromise's words, tables and report.

A thin name over :mod:`alignment.units`, kept for the compromise's callers.
"""

from __future__ import annotations

from alignment import units
from alignment.units import trim_decimals

__all__ = ["format_value", "trim_decimals"]


def format_value(
    value: float | None, unit: str, *, signed: bool = False, currency: str | None = None
) -> str:
    """A number as the room reads it, by unit (see :func:`alignment.units.figure`).

    ``money``: scaled, in ``currency`` (default: the one on show, :func:`units.ambient_currency`),
    e.g. ``$4.79M``; ``per_unit``: exact (``$1,200``); ``fraction``: ``47.2 %``; ``rate``:
    ``4.25 %``; ``score``: ``26 / 100``; ``units`` and ``hours``: whole numbers; ``multiple``:
    ``1.5×``. With ``signed=True`` the value is a change: signed, fractions and rates in
    percentage points (``+8.8 pp``) and scores in points.
    """
    return units.figure(value, unit, currency, change=signed)
