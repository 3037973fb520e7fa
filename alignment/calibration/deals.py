"""A deal file's rows, checked and typed: one closed deal per row, with its price relative to list.

Every cell the estimate uses is checked; a file with a bad cell is refused with one line per
problem naming the spreadsheet row and the column, what is wrong and how to fix it. Blank
lines and deals still open (a stage that is neither won nor lost) are skipped and counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from alignment.calibration.columns import Column, recognised_columns
from alignment.calibration.errors import DealFileError, capped
from alignment.calibration.reading import RawTable, read_deal_file
from alignment.calibration.values import dates, numbers, outcomes, uses_decimal_comma
from alignment.safe_text import plain_text

# A price this far from list is a unit mismatch (per pack against per unit, cents), not a deal.
RELATIVE_PRICE_RANGE = (0.05, 3.0)
HIGHEST_PRICE = 1e9
_NO_COMPETITOR = {"", "none", "no", "-", "--", "n/a", "na", "null", "0", "false", "nobody"}


@dataclass(frozen=True)
class Deals:
    """The closed deals of one file.

    ``frame`` columns: ``row`` (spreadsheet row), ``product`` (the file's name for it),
    ``list_price`` and ``price`` (money per unit), ``relative_price`` (price ÷ list),
    ``discount`` (fraction off list), ``quantity``, ``won`` (bool), ``close_date`` (NaT when
    the file has no dates), ``rep`` (text, "" when absent) and ``competitor`` (bool: a
    competitor was named on the deal).
    """

    source: str
    frame: pd.DataFrame
    rows_read: int
    open_skipped: int = 0
    blank_skipped: int = 0
    has_dates: bool = False
    has_competitor: bool = False
    notes: tuple[str, ...] = field(default=())

    @property
    def product_names(self) -> list[str]:
        """The file's product names, most deals first."""
        return list(self.frame["product"].value_counts().index)

    @property
    def date_range(self) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        if not self.has_dates:
            return None
        return self.frame["close_date"].min(), self.frame["close_date"].max()


def read_deals(raw: bytes, source: str = "deal file") -> Deals:
    """Read and check a CSV or Excel deal file (see :func:`deals_from_table`)."""
    return deals_from_table(read_deal_file(raw, source))


def deals_from_table(table: RawTable) -> Deals:
    """The closed deals in ``table``, or :class:`DealFileError` with a line per bad cell."""
    columns = recognised_columns(list(table.cells.columns), table.source)
    cells = table.cells.iloc[:, [column.index for column in columns.values()]]
    cells.columns = list(columns)
    product = cells["product"].str.strip()
    blank = (product == "").to_numpy(copy=True)
    if blank.any():  # only rows without a product can be blank
        rest = cells[blank].apply(lambda column: column.str.strip() == "").all(axis=1)
        blank[blank] = rest.to_numpy()
    rows = table.first_row + np.arange(len(cells))
    check = _Checker(rows, columns)
    check.keep = ~blank
    closed_won, is_open = _outcomes(cells, columns, check)
    keep = ~blank & ~is_open
    check.keep = keep
    frame = pd.DataFrame({"row": rows, "product": product, "won": closed_won})
    check.flag("product", (frame["product"] == "").to_numpy(), "empty; write the product name")
    notes = list(table.notes)
    relative, list_price, price, discount = _prices(cells, columns, table.separator, check, notes)
    frame["list_price"], frame["price"] = list_price, price
    frame["relative_price"], frame["discount"] = relative, discount
    frame["quantity"] = _quantity(cells, columns, table.separator, check)
    frame["close_date"] = _close_dates(cells, columns, table.separator, check, notes)
    frame["rep"] = cells["rep"].str.strip() if "rep" in columns else ""
    if "competitor" in columns:
        named = cells["competitor"].str.strip().str.casefold()
        frame["competitor"] = ~named.isin(_NO_COMPETITOR)
    else:
        frame["competitor"] = False
    check.raise_if_any(table.source)
    frame = frame[keep].reset_index(drop=True)
    if frame.empty:
        raise DealFileError(
            ["the file holds no closed deals (every row is blank or still open); export won "
             "and lost deals"],
            table.source,
        )  # fmt: skip
    return Deals(
        source=table.source,
        frame=frame,
        rows_read=int((~blank).sum()),
        open_skipped=int((is_open & ~blank).sum()),
        blank_skipped=int(blank.sum()),
        has_dates="close_date" in columns,
        has_competitor="competitor" in columns and bool(frame["competitor"].any()),
        notes=tuple(notes),
    )


class _Checker:
    """Collects the bad cells of the rows kept, column by column, and words them."""

    def __init__(self, rows: np.ndarray, columns: dict[str, Column]) -> None:
        self.rows = rows
        self.columns = columns
        self.keep = np.ones(len(rows), dtype=bool)
        self.found: list[tuple[int, int, str]] = []  # (row, column index, message)
        self.total = 0

    def flag(self, field_name: str, mask: np.ndarray, why: str, cells: pd.Series | None = None):
        mask = np.asarray(mask, dtype=bool) & self.keep
        count = int(mask.sum())
        if not count:
            return
        self.total += count
        column = self.columns[field_name]
        for position in np.flatnonzero(mask)[:20]:
            shown = ""
            if cells is not None:
                shown = f'"{plain_text(cells.iloc[position], 40)}" '
            row = int(self.rows[position])
            self.found.append((row, column.index, f"row {row}, {column.where}: {shown}{why}"))

    def raise_if_any(self, source: str) -> None:
        if self.found:
            ordered = [message for _, _, message in sorted(self.found)]
            raise DealFileError(capped(ordered, self.total), source)


def _outcomes(
    cells: pd.DataFrame, columns: dict[str, Column], check: _Checker
) -> tuple[np.ndarray, np.ndarray]:
    """``(won, open)`` per row, from the won column, the stage column or both."""
    size = len(cells)
    is_open = np.zeros(size, dtype=bool)
    won = np.zeros(size, dtype=bool)
    if "stage" in columns:
        staged = outcomes(cells["stage"], stage=True)
        is_open |= staged.open
        won = staged.won
        if "won" not in columns:
            check.keep = check.keep & ~is_open
            check.flag("stage", staged.empty, "empty; write the deal's stage, e.g. Closed Won")
            check.flag("stage", staged.bad, "says both won and lost; write one", cells["stage"])
    if "won" in columns:
        said = outcomes(cells["won"], stage=False)
        check.keep = check.keep & ~is_open
        check.flag("won", said.empty, "empty; write won or lost (true or false)")
        check.flag(
            "won", said.bad, "is neither won nor lost; write true/false, 1/0, Won/Lost, or "
            "the stage (Closed Won, Closed Lost)", cells["won"],
        )  # fmt: skip
        won = said.won
    return won, is_open


def _prices(
    cells: pd.DataFrame, columns: dict[str, Column], separator: str | None,
    check: _Checker, notes: list[str],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """``(relative price, list price, price, discount)`` per row, from whichever two or three
    of list price, price and discount the file has."""
    read = {}
    for name, example in (("list_price", "1200"), ("price", "1080.50")):
        if name in columns:
            read[name] = _money(cells[name], name, example, separator, check)
    discount = None
    if "discount" in columns:
        discount = _discount(cells["discount"], separator, check, notes)
    list_price, price = read.get("list_price"), read.get("price")
    if list_price is not None and price is not None:
        relative = price / list_price
        if discount is not None:
            notes.append("price relative to list taken from price ÷ list price; the discount "
                         "column is shown, not used")  # fmt: skip
        discount = 1.0 - relative
    elif list_price is not None:
        assert discount is not None
        relative = 1.0 - discount
        price = list_price * relative
    else:
        assert price is not None and discount is not None
        relative = 1.0 - discount
        list_price = price / np.where(relative > 0, relative, np.nan)
    low, high = RELATIVE_PRICE_RANGE
    odd = np.isfinite(relative) & ((relative < low) | (relative > high))
    blamed = "price" if "price" in columns else "discount"
    check.flag(
        blamed, odd, f"puts the price outside {low:g}–{high:g}× the list price; check that list "
        "price and price are both per unit and in the same currency", cells[blamed],
    )  # fmt: skip
    return relative, list_price, price, discount


def _money(
    text: pd.Series, name: str, example: str, separator: str | None, check: _Checker
) -> np.ndarray:
    read = numbers(text, uses_decimal_comma(text, separator))
    label = name.replace("_", " ")
    check.flag(name, read.empty, f"empty; write the {label} per unit, e.g. {example}")
    check.flag(
        name, read.bad, f"is not a number; write the {label} as a number such as {example}", text
    )
    out_of_range = np.isfinite(read.values) & ((read.values <= 0) | (read.values > HIGHEST_PRICE))
    check.flag(name, out_of_range, f"must be above 0 and at most {HIGHEST_PRICE:,.0f}", text)
    return read.values


def _discount(
    text: pd.Series, separator: str | None, check: _Checker, notes: list[str]
) -> np.ndarray:
    read = numbers(text, uses_decimal_comma(text, separator))
    values = read.values.copy()
    finite = np.isfinite(values)
    as_percent = read.percent.copy()
    largest = np.abs(values[check.keep & finite]).max(initial=0.0)
    if not as_percent.any() and largest > 1.0:
        as_percent[:] = True
        notes.append("discounts read as percentages (the column holds values above 1)")
    values = np.where(as_percent, values / 100.0, values)
    values = np.where(read.empty, 0.0, values)
    check.flag("discount", read.bad, "is not a number; write the discount as 0.15 or 15 %", text)
    outside = np.isfinite(values) & ((values >= 1.0) | (values <= -1.0))
    check.flag(
        "discount", outside, "is not between −100 % and 100 %; write the discount off list, "
        "e.g. 0.15 or 15 %", text,
    )  # fmt: skip
    return values


def _quantity(
    cells: pd.DataFrame, columns: dict[str, Column], separator: str | None, check: _Checker
) -> np.ndarray:
    if "quantity" not in columns:
        return np.ones(len(cells))
    text = cells["quantity"]
    read = numbers(text, uses_decimal_comma(text, separator))
    check.flag("quantity", read.bad, "is not a number; write the units on the line, e.g. 3", text)
    negative = np.isfinite(read.values) & (read.values < 0)
    check.flag(
        "quantity", negative, "is negative: a return or credit note is not a deal; delete the "
        "row, or write the units of the original deal", text,
    )  # fmt: skip
    zero = np.isfinite(read.values) & (read.values == 0)
    check.flag("quantity", zero, "is 0; write the units quoted, or delete the row", text)
    return np.where(read.empty, 1.0, read.values)


def _close_dates(
    cells: pd.DataFrame, columns: dict[str, Column], separator: str | None,
    check: _Checker, notes: list[str],
) -> pd.Series:  # fmt: skip
    if "close_date" not in columns:
        notes.append("no close dates: the estimate has no period effects")
        return pd.Series(pd.NaT, index=cells.index, dtype="datetime64[ns]")
    text = cells["close_date"]
    read = dates(text, separator)
    check.flag("close_date", read.empty, "empty; write the date the deal closed, e.g. 2024-03-31")
    check.flag(
        "close_date", read.bad, "is not a date this reader knows; write it as 2024-03-31", text
    )
    if read.mixed_order:
        slashed = np.flatnonzero(check.keep & ~read.bad & ~read.empty & _slashed(text))
        first = np.zeros(len(text), dtype=bool)
        first[slashed[:1]] = True
        check.flag(
            "close_date", first,
            "the column holds both day-first (31/03/2024) and month-first (03/31/2024) dates; "
            "write every date as 2024-03-31", text,
        )  # fmt: skip
    elif read.day_first is not None:
        order = "day/month/year" if read.day_first else "month/day/year"
        notes.append(f"dates like 03/04/2024 read as {order}")
    return read.values


def _slashed(text: pd.Series) -> np.ndarray:
    return text.str.strip().str.match(r"^\d{1,2}[/-]\d{1,2}[/-]\d{2,4}").to_numpy(dtype=bool)
