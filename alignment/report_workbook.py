"""The report's figures as an Excel workbook (xlsx): one sheet per :class:`Sheet`, numbers kept
as numbers with the currency in their format, so the board's analysts can add them up."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from alignment.report_model import ReportContent, Sheet
from alignment.safe_text import plain_text

_HEADER_FILL = PatternFill("solid", fgColor="EBEBEB")
# A text cell starting with one of these is a formula to a spreadsheet: keep it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render_workbook(content: ReportContent, generated_at: datetime | None = None) -> bytes:
    book = Workbook()
    book.remove(book.active)
    book.properties.title = content.title
    if generated_at is not None:
        book.properties.created = generated_at.replace(tzinfo=None)
        book.properties.modified = generated_at.replace(tzinfo=None)
    for sheet in content.sheets:
        _write(book.create_sheet(sheet.name), sheet, content)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write(ws, sheet: Sheet, content: ReportContent) -> None:
    lines = [content.title, *sheet.notes] if sheet.name == "Summary" else list(sheet.notes)
    for line in lines:
        ws.append([_text(line)])
    if lines:
        ws["A1"].font = Font(bold=True, size=13 if sheet.name == "Summary" else 11)
        ws.append([])
    header_row = ws.max_row + 1 if lines else 1
    ws.append([_text(h) for h in sheet.header])
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(sheet.rows):
        ws.append([_text(v) if isinstance(v, str) else v for v in row])
        row_format = sheet.row_formats[r] if r < len(sheet.row_formats) else None
        for c, cell in enumerate(ws[ws.max_row]):
            if isinstance(cell.value, int | float):
                column_format = sheet.formats[c] if c < len(sheet.formats) else ""
                cell.number_format = row_format or column_format or "General"
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    for c, title in enumerate(sheet.header, start=1):
        longest = max([len(title), *(len(str(row[c - 1] or "")) for row in sheet.rows)])
        ws.column_dimensions[get_column_letter(c)].width = min(max(longest + 2, 10), 48)


def _text(value: str) -> str:
    """A name typed by someone, as inert text: no control characters, never a formula."""
    text = plain_text(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
