"""Every figure as people read it: money in the scenario's currency, percentages, points, counts.

One module formats numbers for the pages, the tables, the reports and the command line, so a
figure reads the same wherever it is shown:

- money: the currency's symbol (``$``, ``€``, ``£``, ``¥``) or its ISO code (``CHF 1,200``),
  rounded to three significant figures with a scale from ten thousand on (``$4.79M``,
  ``€812k``; ``$85k`` rather than ``$85.0k``), in whole currency units below that
  (``$1,200``), cents only below 100 and only when there are any (``$12.50``); a price per
  unit never takes a scale (``money_exact``);
- a loss with a true minus sign (``−$1.04M``); a change always signed (``+$0.25M``);
- shares and rates as percentages with a space before the sign (``47.2 %``); the change of a
  share in percentage points (``+6.9 pp``);
- counts with thousands separators, hours with ``h``, scores with their scale (``24 / 100``);
- the period in words (``per year``).

Nothing here rounds a value that is stored or sent as data: JSON and CSV stay numeric.

Pages that format money without naming the currency get :func:`ambient_currency`: the UI
registers where the current session's currency is (:func:`set_currency_source`); everywhere
else it is US dollars.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from alignment.scenario import Scenario

MINUS = "\u2212"  # "−": a true minus sign, as wide as the plus
DEFAULT_CURRENCY = "USD"

# Symbols written before the amount with no space; any other code is written before it with one
# ("CHF 1,200"), which reads unambiguously in every locale.
CURRENCY_SYMBOLS: dict[str, str] = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "CNY": "CN¥",
    "INR": "₹",
    "KRW": "₩",
    "CAD": "CA$",
    "AUD": "A$",
    "NZD": "NZ$",
    "HKD": "HK$",
    "SGD": "S$",
    "MXN": "MX$",
    "BRL": "R$",
    "ILS": "₪",
    "PHP": "₱",
    "VND": "₫",
    "NGN": "₦",
    "UAH": "₴",
    "TRY": "₺",
}

Period = Literal["year", "quarter", "month"]
PERIOD_WORDS: dict[str, str] = {"year": "per year", "quarter": "per quarter", "month": "per month"}

_SCALES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))
Scale = Literal["k", "M", "B", "T"]
_SCALE_SIZE = {suffix: size for size, suffix in _SCALES}

_currency_source: Callable[[], str | None] | None = None


def set_currency_source(source: Callable[[], str | None] | None) -> None:
    """Where :func:`ambient_currency` looks: a function giving the current currency code, or
    None when it cannot tell (the UI registers one that reads the session's scenario)."""
    global _currency_source
    _currency_source = source


def ambient_currency() -> str:
    """The currency of whatever is being shown now: the registered source's, else USD."""
    code = _currency_source() if _currency_source is not None else None
    return code or DEFAULT_CURRENCY


def currency_symbol(code: str) -> str:
    """``"USD"`` → ``"$"``; a code without a well-known symbol is its own symbol: ``"CHF"``."""
    return CURRENCY_SYMBOLS.get(code.upper(), code.upper())


def currency_affixes(code: str | None = None) -> tuple[str, str]:
    """What goes before and after an amount in ``code`` (default :func:`ambient_currency`), as
    :func:`money` writes it: ``("$", "")``, ``("€", "")``, ``("CHF ", "")``.

    The same pair, as d3-format's ``currency``, gives charts the scenario's currency.
    """
    code = (code or ambient_currency()).upper()
    symbol = CURRENCY_SYMBOLS.get(code)
    return (symbol, "") if symbol else (f"{code} ", "")


def period_words(period: str) -> str:
    """``"year"`` → ``"per year"``."""
    return PERIOD_WORDS.get(period, f"per {period}")


# --- money ------------------------------------------------------------------------------------


def money(
    value: float,
    currency: str | None = None,
    *,
    signed: bool = False,
    scale: Scale | None = None,
) -> str:
    """An amount rounded for reading: ``$4.79M``, ``€812k``, ``$1,200``, ``−$1.04M``.

    Parameters
    ----------
    value : the amount, in the currency's units.
    currency : ISO 4217 code (default: :func:`ambient_currency`).
    signed : a change: ``+`` before a gain (``+$250k``).
    scale : force ``"k"``, ``"M"``, ``"B"`` or ``"T"`` with two decimals, e.g. to show a change
        in the same scale as the figure beside it (``+$0.25M``).
    """
    if not math.isfinite(value):
        return "—"
    size = abs(value)
    if scale is not None:
        digits = f"{trim_decimals(size / _SCALE_SIZE[scale], 2)}{scale}"
    elif size < 1e4:
        digits = _small_amount(size)
    else:
        digits = _three_figures(size)
    return _signed(value, _with_currency(digits, currency), signed, digits)


def money_exact(value: float, currency: str | None = None, *, signed: bool = False) -> str:
    """A price or other amount per unit, never scaled: ``$1,200``, ``$12.50``, ``$1,234,567``."""
    if not math.isfinite(value):
        return "—"
    digits = _small_amount(abs(value))
    return _signed(value, _with_currency(digits, currency), signed, digits)


def _small_amount(size: float) -> str:
    """Whole currency units with separators; cents only below 100 and only when there are any."""
    if size < 100 and round(size, 2) != round(size):
        return f"{size:,.2f}"
    return f"{size:,.0f}"


def _three_figures(size: float) -> str:
    """Three significant figures with a scale: ``812k``, ``4.79M``, ``12.3B``."""
    rounded = float(f"{size:.3g}")
    for threshold, suffix in _SCALES:
        if rounded >= threshold:
            scaled = rounded / threshold
            decimals = 2 if scaled < 10 else 1 if scaled < 100 else 0
            return f"{trim_decimals(scaled, decimals)}{suffix}"
    return f"{rounded:,.0f}"


def _with_currency(digits: str, currency: str | None) -> str:
    code = (currency or ambient_currency()).upper()
    symbol = CURRENCY_SYMBOLS.get(code)
    return f"{symbol}{digits}" if symbol else f"{code} {digits}"


def _signed(value: float, text: str, signed: bool, digits: str) -> str:
    """A minus before a negative amount, a plus before a positive change; never ``−0``."""
    if not any(c in "123456789" for c in digits):
        return text
    if value < 0:
        return MINUS + text
    return "+" + text if signed else text


# --- shares, rates and points -----------------------------------------------------------------

# What follows the digits of a percentage (a space, then the sign), for formats outside Python
# such as a chart's locale.
PERCENT_SIGN = " %"


def percent(fraction: float, decimals: int = 1) -> str:
    """A fraction as a percentage: ``0.472`` → ``47.2 %``."""
    if not math.isfinite(fraction):
        return "—"
    digits = f"{100 * abs(fraction):,.{decimals}f}"
    return _signed(fraction, f"{digits} %", False, digits)


def rate(fraction: float) -> str:
    """A commission rate: one or two decimals as it needs: ``0.0425`` → ``4.25 %``, ``0.05`` →
    ``5.0 %``."""
    if not math.isfinite(fraction):
        return "—"
    digits = trim_decimals(100 * abs(fraction), 2, minimum=1)
    return _signed(fraction, f"{digits} %", False, digits)


def points(change: float, decimals: int = 1) -> str:
    """The change of a share or rate in percentage points, signed: ``0.069`` → ``+6.9 pp``."""
    if not math.isfinite(change):
        return "—"
    digits = f"{100 * abs(change):,.{decimals}f}"
    return _signed(change, f"{digits} pp", True, digits)


# --- counts, hours, scores --------------------------------------------------------------------


def count(value: float, noun: str = "", *, signed: bool = False) -> str:
    """A whole count with separators, and its noun when given: ``12,345 units``."""
    if not math.isfinite(value):
        return "—"
    digits = f"{abs(value):,.0f}"
    text = f"{digits} {noun}" if noun else digits
    return _signed(value, text, signed, digits)


def hours(value: float, *, signed: bool = False) -> str:
    """Selling hours: ``60,000 h``."""
    return count(value, "h", signed=signed)


def score(value: float, decimals: int = 0) -> str:
    """A 0–100 score with its scale: ``24 / 100``."""
    if not math.isfinite(value):
        return "—"
    digits = f"{abs(value):.{decimals}f}"
    return _signed(value, f"{digits} / 100", False, digits)


def score_change(change: float, decimals: int = 1, *, short: bool = False) -> str:
    """A change of a 0–100 score: ``+3.4 points`` (``short``: ``+3.4 pts``, for a tile)."""
    if not math.isfinite(change):
        return "—"
    digits = f"{abs(change):.{decimals}f}"
    return _signed(change, f"{digits} {'pts' if short else 'points'}", True, digits)


def multiple(value: float) -> str:
    """A multiplier such as an accelerator: ``1.5×``."""
    if not math.isfinite(value):
        return "—"
    return f"{trim_decimals(value, 2)}×"


def trim_decimals(value: float, decimals: int, minimum: int = 0) -> str:
    """Fixed-point with at most ``decimals`` and at least ``minimum`` decimals."""
    text = f"{value:.{decimals}f}"
    if "." in text:
        whole, fraction = text.split(".")
        fraction = fraction.rstrip("0").ljust(minimum, "0")
        text = f"{whole}.{fraction}" if fraction else whole
    return text


# --- by unit name -----------------------------------------------------------------------------

# The unit names the tables and the comparison use for each figure.
Unit = Literal[
    "money", "per_unit", "fraction", "rate", "score", "units", "hours", "multiple", "ratio"
]


def figure(
    value: float | None, unit: str, currency: str | None = None, *, change: bool = False
) -> str:
    """One figure by its unit name; ``change=True`` for a difference (signed, points for shares).

    Units: ``money`` (scaled), ``per_unit`` (exact), ``fraction`` and ``ratio`` (percent),
    ``rate`` (percent, up to two decimals), ``score`` (out of 100), ``units``, ``hours``,
    ``multiple``. None reads "none".
    """
    if value is None:
        return "none"
    value = float(value)
    if unit == "money":
        return money(value, currency, signed=change)
    if unit == "per_unit":
        return money_exact(value, currency, signed=change)
    if unit in ("fraction", "ratio"):
        return points(value) if change else percent(value)
    if unit == "rate":
        return points(value, 2) if change else rate(value)
    if unit == "score":
        return score_change(value) if change else score(value)
    if unit == "units":
        return count(value, signed=change)
    if unit == "hours":
        return hours(value, signed=change)
    if unit == "multiple":
        return multiple(value)
    return f"{value:,.4g}"


@dataclass(frozen=True)
class Units:
    """A scenario's currency and period, to format its figures without repeating them."""

    currency: str = DEFAULT_CURRENCY
    period: str = "year"

    @classmethod
    def of(cls, scenario: Scenario) -> Units:
        """The units a scenario states in its ``metadata``."""
        return cls(currency=scenario.metadata.currency, period=scenario.metadata.period)

    @property
    def per_period(self) -> str:
        """``"per year"``."""
        return period_words(self.period)

    @property
    def symbol(self) -> str:
        return currency_symbol(self.currency)

    def money(self, value: float, *, signed: bool = False, scale: Scale | None = None) -> str:
        return money(value, self.currency, signed=signed, scale=scale)

    def money_exact(self, value: float, *, signed: bool = False) -> str:
        return money_exact(value, self.currency, signed=signed)

    def figure(self, value: float | None, unit: str, *, change: bool = False) -> str:
        return figure(value, unit, self.currency, change=change)
