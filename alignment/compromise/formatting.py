"""Numbers as the room reads them in the compromise's words, tables and report."""

from __future__ import annotations


def format_value(value: float | None, unit: str, *, signed: bool = False) -> str:
    """A number as the room reads it, by unit.

    ``money`` and ``per_unit``: thousands separators, cents only below 100; ``fraction``:
    percent with one decimal; ``rate``: percent with one or two decimals as needed; ``score``
    (motivation, 0–100): one decimal out of 100 (``26.2 / 100``); ``units`` and ``hours``: whole
    numbers; ``multiple``: ``1.5×``. With ``signed=True`` the value is a change: a plus sign when
    positive, fractions and rates in percentage points (``+8.8 pts``) and scores in points.
    """
    if value is None:
        return "none"
    magnitude = _magnitude(abs(value), unit, signed)
    if not any(c in "123456789" for c in magnitude.removesuffix(" / 100")):
        return magnitude  # no "-0.0" or "+0.0"
    if value < 0:
        return "-" + magnitude
    return ("+" if signed else "") + magnitude


def _magnitude(value: float, unit: str, change: bool) -> str:
    if unit in {"money", "per_unit"}:
        whole = value >= 100 or float(value).is_integer()
        return f"{value:,.0f}" if whole else f"{value:,.2f}"
    if unit == "fraction":
        return f"{100 * value:.1f}" + (" pts" if change else " %")
    if unit == "rate":
        return trim_decimals(100 * value, 2, minimum=1) + (" pts" if change else " %")
    if unit == "score":
        return f"{value:.1f}" + (" points" if change else " / 100")
    if unit in {"units", "hours"}:
        return f"{value:,.0f}"
    if unit == "multiple":
        return f"{trim_decimals(value, 2)}×"
    return f"{value:,.4g}"


def trim_decimals(value: float, decimals: int, minimum: int = 0) -> str:
    """Fixed-point with at most ``decimals`` and at least ``minimum`` decimals."""
    text = f"{value:.{decimals}f}"
    if "." in text:
        whole, fraction = text.split(".")
        fraction = fraction.rstrip("0").ljust(minimum, "0")
        text = f"{whole}.{fraction}" if fraction else whole
    return text
