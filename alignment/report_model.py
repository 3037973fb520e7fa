"""What the workshop report says, as plain values: every format is drawn from one of these.

A report is a title and a list of sections; a section is a list of blocks (a paragraph, a list,
a table, a bar chart, a sign-off block). Every figure in a block is already text in the
scenario's currency (:mod:`alignment.units`), so the PDF, HTML and Markdown cannot disagree.
The workbook takes the same report's numbers unformatted (:class:`Sheet`), so a spreadsheet can
add them up.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """Rows of text under a header; ``align`` holds ``l`` or ``r`` per column.

    ``headings`` are the indexes of rows that name a group of the rows below them.
    ``status_column`` is the column holding Met / Near / Missed, if any.
    """

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: str
    headings: frozenset[int] = frozenset()
    status_column: int | None = None
    widths: tuple[float, ...] | None = None  # relative column widths for the PDF


@dataclass(frozen=True)
class Bar:
    label: str  # a series, e.g. "Status quo"
    value: float
    text: str  # the value as shown, e.g. "$5.84M"


@dataclass(frozen=True)
class BarChart:
    """A grouped horizontal bar chart: one group per measure, one bar per plan."""

    title: str
    series: tuple[str, ...]
    colours: tuple[str, ...]  # one per series, "#rrggbb"
    groups: tuple[tuple[str, tuple[Bar, ...]], ...]


@dataclass(frozen=True)
class SignOff:
    """Blank lines to sign: one row per party, with name, role, signature and date."""

    parties: tuple[str, ...]


Block = Paragraph | Bullets | Table | BarChart | SignOff


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...]


Cell = str | float | int | None


@dataclass(frozen=True)
class Sheet:
    """One worksheet: a header and rows of raw values; ``formats`` an Excel number format per
    column ("" for text)."""

    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    formats: tuple[str, ...]
    notes: tuple[str, ...] = ()  # lines above the table, e.g. the currency and period
    row_formats: tuple[str | None, ...] = ()  # a format per row for its numbers, if rows differ


@dataclass(frozen=True)
class ReportContent:
    title: str  # "Workshop agreement — Nova launch"
    subtitle: str  # what the figures are in: currency and period
    date: str
    sections: tuple[Section, ...]
    sheets: tuple[Sheet, ...] = field(default=())

    def section(self, title: str) -> Section:
        return next(s for s in self.sections if s.title == title)
