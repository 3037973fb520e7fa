"""Reading cell text as numbers, outcomes and dates, a whole column at a time.

Each reader returns the values and a mask of the cells it could not read, so the caller can
name their rows. Nothing is evaluated: cells are matched against patterns and converted.

- **Numbers** may carry a currency sign, spaces or apostrophes between thousands, a trailing
  ``%``, and a decimal comma. Whether a column writes decimals with a comma is decided for the
  whole column (:func:`uses_decimal_comma`): ``1.234,50`` and ``12,5`` say comma, ``1,234.50``
  and ``12.5`` say point, and a column that says neither (``1,200``) follows the file's
  separator — a semicolon-separated file is taken to use decimal commas.
- **Outcomes**: true/false, 1/0, yes/no, won/lost, win/loss and stage names containing "won"
  or "lost" (``Closed Won``); any other stage name is an open deal.
- **Dates**: ``2024-03-31`` (a time may follow), ``2024/03/31``, ``31.03.2024``, ``31 Mar
  2024``, ``Mar 31, 2024``, Excel serial numbers, and ``03/31/2024`` or ``31/03/2024``: which
  of the last two a column uses is read from the values that can only be one (a first number
  above 12 is a day); a column where every such date could be either follows the separator
  (semicolon: day first).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

_CURRENCY_AND_SPACES = r"[\s\u00a0\u202f'’$€£¥₹]|CHF|USD|EUR|GBP"
_NUMBER = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,3})?$"
_WON = {"true", "t", "1", "1.0", "yes", "y", "won", "win", "w", "closedwon", "closed won"}
_LOST = {"false", "f", "0", "0.0", "no", "n", "lost", "loss", "lose", "l", "closedlost"}
_LOST |= {"closed lost"}
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
FIRST_YEAR, LAST_YEAR = 1980, 2100


def distinct(text: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """``(codes, values)``: each cell's position in the column's distinct values. A CRM export
    repeats few dates, stages and discounts, so reading the distinct values is much faster."""
    codes, values = pd.factorize(text, sort=False)
    return codes, pd.Series(values, dtype=str)


def uses_decimal_comma(text: pd.Series, separator: str | None) -> bool:
    """Whether the column writes decimals with a comma (see the module docstring)."""
    _, values = distinct(text)
    values = values.iloc[:20_000]  # a column's style shows in any large sample
    cells = values[values.str.contains(r"\d[.,]\d", regex=True)]
    if cells.empty:
        return separator == ";"
    both = cells[cells.str.contains(",", regex=False) & cells.str.contains(".", regex=False)]
    if not both.empty:
        return bool((both.str.rfind(",") > both.str.rfind(".")).mean() > 0.5)
    comma = cells.str.contains(r"\d,(?:\d{1,2}|\d{4,})\s*%?\s*$", regex=True).any()
    point = cells.str.contains(r"\d\.(?:\d{1,2}|\d{4,})\s*%?\s*$", regex=True).any()
    if comma != point:
        return bool(comma)
    return separator == ";"


@dataclass(frozen=True)
class Numbers:
    """A column read as numbers: NaN where ``empty`` or ``bad``; ``percent`` where a ``%``
    followed the number."""

    values: np.ndarray
    empty: np.ndarray
    bad: np.ndarray
    percent: np.ndarray


def numbers(text: pd.Series, decimal_comma: bool) -> Numbers:
    """Every cell of ``text`` as a float (see the module docstring for what is accepted)."""
    stripped = text.str.strip()
    empty = (stripped == "").to_numpy()
    values = pd.to_numeric(stripped, errors="coerce").to_numpy(dtype=float, copy=True)
    percent = np.zeros(len(text), dtype=bool)
    slow = np.isnan(values) & ~empty
    if slow.any():
        cells = stripped[slow]
        has_percent = cells.str.endswith("%")
        cleaned = cells.str.rstrip("%").str.replace(_CURRENCY_AND_SPACES, "", regex=True)
        if decimal_comma:
            cleaned = cleaned.str.replace(".", "", regex=False).str.replace(",", ".")
        else:
            cleaned = cleaned.str.replace(",", "", regex=False)
        shaped = cleaned.str.fullmatch(_NUMBER)
        values[slow] = np.where(
            shaped, pd.to_numeric(cleaned.where(shaped), errors="coerce"), np.nan
        )
        percent[slow] = has_percent.to_numpy()
    bad = ~empty & ~np.isfinite(values)
    values[bad] = np.nan
    return Numbers(values, empty, bad, percent)


@dataclass(frozen=True)
class Outcomes:
    """A won/lost column: ``won`` is True/False for closed deals; ``open`` marks deals still
    open (their stage names neither a win nor a loss); ``bad`` cells could not be read."""

    won: np.ndarray
    open: np.ndarray
    empty: np.ndarray
    bad: np.ndarray


def outcomes(text: pd.Series, *, stage: bool) -> Outcomes:
    """Each cell as won, lost or open. In a ``stage`` column any other name is an open stage;
    in a won column it is a cell that could not be read."""
    codes, values = distinct(text)
    read = _outcomes(values, stage=stage)
    return Outcomes(read.won[codes], read.open[codes], read.empty[codes], read.bad[codes])


def _outcomes(text: pd.Series, *, stage: bool) -> Outcomes:
    lowered = text.str.strip().str.casefold().str.replace(r"[\s_\-]+", " ", regex=True)
    empty = (lowered == "").to_numpy()
    won = lowered.isin(_WON).to_numpy() | lowered.str.contains(r"\bwon\b|\bwin\b", regex=True)
    lost = lowered.isin(_LOST).to_numpy() | lowered.str.contains(r"\blost\b|\bloss\b", regex=True)
    won, lost = np.asarray(won, dtype=bool), np.asarray(lost, dtype=bool)
    neither = ~won & ~lost & ~empty
    both = won & lost
    if stage:
        return Outcomes(won & ~lost, neither, empty, both)
    return Outcomes(won & ~lost, np.zeros_like(empty), empty, neither | both)


@dataclass(frozen=True)
class Dates:
    """A date column: NaT where ``empty`` or ``bad``; ``day_first`` says how ambiguous
    slashed dates were read (None: there were none); ``mixed_order`` when the column holds
    both 31/03 and 03/31."""

    values: pd.Series
    empty: np.ndarray
    bad: np.ndarray
    day_first: bool | None
    mixed_order: bool


_ISO = r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T].*)?$"
_DOTTED = r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T].*)?$"
_SLASHED = r"^(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})(?:[ T].*)?$"
_SERIAL = r"^\d{5}(?:\.\d+)?$"
_WORDS = r"[A-Za-z]{3,}"


def dates(text: pd.Series, separator: str | None) -> Dates:
    """Every cell of ``text`` as a date (see the module docstring for the forms accepted)."""
    codes, values = distinct(text)
    read = _dates(values, separator)
    return Dates(
        pd.Series(read.values.to_numpy()[codes], index=text.index),
        read.empty[codes], read.bad[codes], read.day_first, read.mixed_order,
    )  # fmt: skip


def _dates(text: pd.Series, separator: str | None) -> Dates:
    stripped = text.str.strip()
    empty = (stripped == "").to_numpy()
    if stripped.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all():  # the common case, read at once
        result = pd.to_datetime(stripped, format="%Y-%m-%d", errors="coerce")
        result = result.where(result.dt.year.between(FIRST_YEAR, LAST_YEAR))
        return Dates(result, empty, result.isna().to_numpy(), None, False)
    result = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    iso = stripped.str.extract(_ISO).astype(float)
    result = result.fillna(_from_parts(iso[0], iso[1], iso[2]))
    dotted = stripped.str.extract(_DOTTED).astype(float)
    result = result.fillna(_from_parts(dotted[2], dotted[1], dotted[0]))
    slashed = stripped.str.extract(_SLASHED).astype(float)
    first, second, year = slashed[0], slashed[1], slashed[2]
    year = year.where(year >= 100, year + 2000)
    day_first_only = ((first > 12) & (second <= 12)).any()
    month_first_only = ((second > 12) & (first <= 12)).any()
    day_first: bool | None = None
    if first.notna().any():
        day_first = bool(day_first_only) if day_first_only != month_first_only else separator == ";"
    if day_first is not None:
        day, month = (first, second) if day_first else (second, first)
        result = result.fillna(_from_parts(year, month, day))
    serial = stripped.str.fullmatch(_SERIAL) & result.isna()
    if serial.any():
        days = pd.to_numeric(stripped.where(serial), errors="coerce")
        result = result.fillna(EXCEL_EPOCH + pd.to_timedelta(days.where(days > 20_000), unit="D"))
    words = (
        result.isna() & stripped.str.contains(_WORDS, regex=True) & ~pd.Series(empty, text.index)
    )
    if words.any():
        parsed = pd.to_datetime(
            stripped.where(words), format="mixed", dayfirst=bool(day_first), errors="coerce"
        )
        result = result.fillna(parsed)
    in_range = result.dt.year.between(FIRST_YEAR, LAST_YEAR)
    result = result.where(in_range)
    bad = (~empty & result.isna()).to_numpy()
    return Dates(result, empty, bad, day_first, bool(day_first_only and month_first_only))


def _from_parts(year: pd.Series, month: pd.Series, day: pd.Series) -> pd.Series:
    """Dates from year, month and day numbers; NaT where any is missing or the date is not
    real (31 February)."""
    parts = pd.DataFrame({"year": year, "month": month, "day": day})
    ok = parts.notna().all(axis=1) & parts["month"].between(1, 12) & parts["day"].between(1, 31)
    ok &= parts["year"].between(FIRST_YEAR, LAST_YEAR)
    result = pd.Series(pd.NaT, index=year.index, dtype="datetime64[ns]")
    if ok.any():
        chosen = parts[ok].astype(int)
        result[ok] = pd.to_datetime(chosen, errors="coerce")
    return result
