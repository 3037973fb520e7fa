"""Reading a deal file: CSV or Excel bytes into a table of text cells, caps checked first.

A file is refused before anything is parsed when it is larger than :data:`MAX_BYTES` or holds
more than :data:`MAX_ROWS` lines. CSV text may be UTF-8 (with or without a byte-order mark),
UTF-16 or UTF-32 with a byte-order mark, UTF-16 without one, or Windows-1252; the separator
(comma, semicolon, tab or bar) is read from the header line. Excel files (``.xlsx``) are read
with openpyxl, first sheet, values only (formulas are never evaluated: their cached results
are read, as Excel last saved them).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

import pandas as pd

from alignment.calibration.errors import DealFileError

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 500_000
MAX_COLUMNS = 200
# An .xlsx is a zip: a small file can unpack to gigabytes, so the sheet's unpacked size is
# capped before openpyxl reads it (a row of a CRM export is rarely over 1 KB of XML).
MAX_SHEET_XML_BYTES = 1024 * 1024 * 1024
SEPARATORS = (",", ";", "\t", "|")
SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}

_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # the old binary .xls (and .doc) container
_FIELDS_IN_LINE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


@dataclass(frozen=True)
class RawTable:
    """A file's cells as text (empty string for a blank cell), before any value is checked.

    ``cells`` has the file's headers as columns and one row per line of the file, blank lines
    included, so data row ``i`` (0-based) is spreadsheet row ``first_row + i``. ``separator``
    is None for Excel.
    """

    source: str
    cells: pd.DataFrame
    kind: str  # "csv" or "xlsx"
    first_row: int = 2
    encoding: str | None = None
    separator: str | None = None
    notes: tuple[str, ...] = field(default=())


def read_deal_file(raw: bytes, source: str = "deal file") -> RawTable:
    """The cells of a CSV or Excel deal file, or :class:`DealFileError` naming what to fix."""
    if not isinstance(raw, bytes | bytearray | memoryview):
        raise DealFileError([f"expected the file's bytes, got {type(raw).__name__}"], source)
    raw = bytes(raw)
    if len(raw) > MAX_BYTES:
        raise DealFileError(
            [f"the file is {len(raw) / 2**20:,.1f} MB; deal files are at most "
             f"{MAX_BYTES // 2**20} MB — export fewer columns or a shorter period"],
            source,
        )  # fmt: skip
    if not raw.strip():
        raise DealFileError(["the file is empty; export the deals with a header row"], source)
    if raw.startswith(_ZIP):
        return _read_xlsx(raw, source)
    if raw.startswith(_OLE):
        raise DealFileError(
            ["this is an old-style Excel file (.xls); save it as .xlsx or CSV and upload that"],
            source,
        )
    return _read_csv(raw, source)


def decoded(raw: bytes, source: str) -> tuple[str, str]:
    """``(text, encoding)``: by byte-order mark, then UTF-16 by its zero bytes, then UTF-8,
    then Windows-1252 (what Excel on Windows writes as "CSV")."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return _decode(raw[len(bom) :], encoding.removesuffix("-sig"), source), encoding
    head = raw[:4000]
    zeros_even, zeros_odd = head[0::2].count(0), head[1::2].count(0)
    if zeros_odd > len(head) // 4 and zeros_even == 0:
        return _decode(raw, "utf-16-le", source), "utf-16-le"
    if zeros_even > len(head) // 4 and zeros_odd == 0:
        return _decode(raw, "utf-16-be", source), "utf-16-be"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "windows-1252"


def _decode(raw: bytes, encoding: str, source: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        raise DealFileError(
            [f"the file starts like {encoding} text but byte {error.start:,} is not; save it "
             "again as UTF-8 CSV"],
            source,
        ) from None  # fmt: skip


def _read_csv(raw: bytes, source: str) -> RawTable:
    text, encoding = decoded(raw, source)
    nul = text.find("\x00")
    if nul >= 0:
        raise DealFileError(
            [f"the file holds binary data (a NUL character at position {nul + 1:,}), not CSV "
             "text; export the deals as CSV or .xlsx"],
            source,
        )  # fmt: skip
    lines = text.count("\n") + 1
    if lines > MAX_ROWS + 1:
        raise DealFileError(
            [f"the file has about {lines - 1:,} rows; at most {MAX_ROWS:,} deals can be "
             "read — export a shorter period or fewer products"],
            source,
        )  # fmt: skip
    text = text.lstrip("\ufeff")
    separator = _separator(text.split("\n", 1)[0])
    try:
        cells = pd.read_csv(
            io.StringIO(text), sep=separator, dtype=str, keep_default_na=False,
            na_filter=False, skip_blank_lines=False, engine="c", quoting=csv.QUOTE_MINIMAL,
        )  # fmt: skip
    except pd.errors.ParserError as error:
        raise DealFileError([_parser_problem(str(error), separator)], source) from None
    except (pd.errors.EmptyDataError, ValueError) as error:
        raise DealFileError([f"cannot be read as CSV: {str(error)[:200]}"], source) from None
    notes = [f"read as {encoding} text, {SEPARATOR_NAMES[separator]}-separated"]
    table = RawTable(
        source, cells, "csv", encoding=encoding, separator=separator, notes=tuple(notes)
    )
    return _checked(table)


def _separator(header: str) -> str:
    """The separator the header line uses most, outside quotes; comma if none."""
    outside = re.sub(r'"[^"]*"', "", header)
    counts = {sep: outside.count(sep) for sep in SEPARATORS}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > 0 else ","


def _parser_problem(message: str, separator: str) -> str:
    found = _FIELDS_IN_LINE.search(message)
    if found is None:
        return f"cannot be read as CSV: {message.strip()[:200]}; check the quotes"
    expected, line, saw = found.groups()
    name = SEPARATOR_NAMES[separator]
    return (
        f"row {line}: {saw} values where the header has {expected}; a value holding a "
        f"{name} must be in double quotes, or save the file with another separator"
    )


def _checked(table: RawTable) -> RawTable:
    """The table, after its shape is checked: a header row, not too many columns or rows."""
    cells = table.cells
    if cells.shape[1] > MAX_COLUMNS:
        raise DealFileError(
            [f"the file has {cells.shape[1]:,} columns; at most {MAX_COLUMNS} are read — "
             "export only the deal columns"],
            table.source,
        )  # fmt: skip
    if len(cells) > MAX_ROWS:
        raise DealFileError(
            [f"the file has {len(cells):,} rows; at most {MAX_ROWS:,} deals can be read"],
            table.source,
        )
    if len(cells) == 0:
        raise DealFileError(
            ["the file has a header row but no deals; export the deals too"], table.source
        )
    cells.columns = [str(column).strip() for column in cells.columns]
    return table


def _read_xlsx(raw: bytes, source: str) -> RawTable:
    from openpyxl import load_workbook  # imported here: only Excel files need it

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            sheets = [i for i in archive.infolist() if i.filename.startswith("xl/worksheets/")]
            if not sheets:
                raise DealFileError(
                    ["this zip file is not an Excel workbook; upload .xlsx or CSV"], source
                )
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > MAX_SHEET_XML_BYTES:
                raise DealFileError(
                    [f"the workbook unpacks to {unpacked / 2**30:,.1f} GB; save the deals "
                     "alone as CSV and upload that"],
                    source,
                )  # fmt: skip
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except DealFileError:
        raise
    except Exception as error:  # openpyxl raises many kinds on a damaged workbook
        raise DealFileError(
            [f"cannot be read as an Excel workbook ({type(error).__name__}); open it in "
             "Excel and save it again as .xlsx, or as CSV"],
            source,
        ) from None  # fmt: skip
    try:
        sheet = book.worksheets[0]
        declared = sheet.max_row or 0
        if declared > MAX_ROWS + 1:
            raise DealFileError(
                [f"the first sheet has {declared - 1:,} rows; at most {MAX_ROWS:,} deals "
                 "can be read — export a shorter period"],
                source,
            )  # fmt: skip
        rows: list[list[str]] = []
        header_row = None
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS + 1:
                raise DealFileError(
                    [f"the first sheet has more than {MAX_ROWS:,} rows; export fewer deals"],
                    source,
                )
            cells = [_cell_text(value) for value in row[:MAX_COLUMNS]]
            if header_row is None and not any(cells):
                continue  # blank rows above the header
            header_row = header_row or number
            rows.append(cells)
        title = sheet.title
    finally:
        book.close()
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows or header_row is None:
        raise DealFileError(["the first sheet is empty; put the deals on it"], source)
    width = max(len(row) for row in rows)
    header = [value or f"column {i + 1}" for i, value in enumerate(rows[0] + [""] * width)]
    body = [row + [""] * (width - len(row)) for row in rows[1:]]
    frame = pd.DataFrame(body, columns=header[:width], dtype=str)
    notes = (f"read from the first sheet, {title!r}, of an Excel workbook",)
    table = RawTable(source, frame, "xlsx", first_row=header_row + 1, notes=notes)
    return _checked(table)


def _cell_text(value: object) -> str:
    """An Excel cell as the text a CSV export would hold (dates in ISO form)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
