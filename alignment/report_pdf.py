"""The report as a PDF, drawn on the server with fpdf2.

Why fpdf2: it is pure Python (its only new dependency is defusedxml; fontTools and Pillow are
already here), so it installs from PyPI alone on any machine, with no system libraries.
WeasyPrint would render the HTML page as it is, but needs Debian's Pango and friends on every
machine that serves the app; ReportLab is larger and ships C accelerators for each platform.
fpdf2 embeds TrueType fonts, writes real text (searchable, copyable), draws tables that
repeat their header across pages, and draws the bar charts as vector rectangles.

Text uses DejaVu Sans (full Latin, Greek and Cyrillic, the currency signs, ``−`` and ``→``),
taken from matplotlib's bundled fonts or the system's. Without it the PDF falls back to
Helvetica and writes characters outside Latin-1 as their nearest ASCII (``€`` as ``EUR``).
"""

from __future__ import annotations

import importlib.util
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TableCellFillMode, XPos, YPos
from fpdf.fonts import FontFace

from alignment.report_model import (
    BarChart,
    Block,
    Bullets,
    Paragraph,
    ReportContent,
    SignOff,
    Table,
)

FONT = "DejaVu"
_SYSTEM_FONTS = Path("/usr/share/fonts/truetype/dejavu")
_STATUS_COLOURS = {"Met": (27, 94, 32), "Near": (138, 83, 0), "Missed": (183, 28, 28)}
_HEAD_FILL = (235, 235, 235)
_TEXT = (26, 26, 26)
_MUTED = (70, 70, 70)
_ASCII = str.maketrans({"−": "-", "→": "->", "€": "EUR", "₹": "INR", "₩": "KRW", "—": "-",
                        "–": "-", "’": "'", "“": '"', "”": '"', "…": "..."})  # fmt: skip


def _font_files() -> tuple[Path, Path] | None:
    """DejaVu Sans regular and bold: matplotlib's copy, else the system's; None if neither."""
    folders = []
    spec = importlib.util.find_spec("matplotlib")
    if spec is not None and spec.submodule_search_locations:
        folders.append(Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf")
    folders.append(_SYSTEM_FONTS)
    for folder in folders:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


class _Document(FPDF):
    def __init__(self, content: ReportContent) -> None:
        super().__init__(format="A4")
        self.content = content
        fonts = _font_files()
        if fonts is not None:
            self.add_font(FONT, "", str(fonts[0]))
            self.add_font(FONT, "B", str(fonts[1]))
            self.family, self.unicode_text = FONT, True
        else:
            self.family, self.unicode_text = "helvetica", False
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)
        self.set_title(self.t(content.title))
        self.set_creator("Pricing & commission alignment workshop")

    def t(self, text: str) -> str:
        """Text the font can draw."""
        if self.unicode_text:
            return text
        plain = unicodedata.normalize("NFKD", text.translate(_ASCII))
        return plain.encode("latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, size=8)
        self.set_text_color(*_MUTED)
        self.cell(0, 5, self.t(f"{self.content.title} · page {self.page_no()}/{{nb}}"), align="C")


def render_pdf(content: ReportContent, generated_at: datetime | None = None) -> bytes:
    """The report as PDF bytes: title, then every section with its text, tables and charts."""
    pdf = _Document(content)
    if generated_at is not None:
        stamp = generated_at if generated_at.tzinfo else generated_at.replace(tzinfo=UTC)
        pdf.set_creation_date(stamp)
    pdf.add_page()
    pdf.set_text_color(*_TEXT)
    pdf.set_font(pdf.family, "B", 18)
    pdf.multi_cell(0, 9, pdf.t(content.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(pdf.family, size=9)
    pdf.set_text_color(*_MUTED)
    pdf.multi_cell(0, 5, pdf.t(f"Generated {content.date}. {content.subtitle}"),
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
    pdf.set_text_color(*_TEXT)
    for section in content.sections:
        if pdf.will_page_break(40):
            pdf.add_page()
        pdf.ln(4)
        pdf.set_font(pdf.family, "B", 13)
        pdf.cell(0, 8, pdf.t(section.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_draw_color(200, 200, 200)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.ln(2)
        for block in section.blocks:
            _block(pdf, block)
    return bytes(pdf.output())


def _block(pdf: _Document, block: Block) -> None:
    pdf.set_font(pdf.family, size=9.5)
    if isinstance(block, Paragraph):
        pdf.multi_cell(0, 5, pdf.t(block.text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)
    elif isinstance(block, Bullets):
        for item in block.items:
            pdf.set_x(pdf.l_margin + 2)
            pdf.cell(4, 5, "•" if pdf.unicode_text else "-")
            pdf.multi_cell(0, 5, pdf.t(item), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)
    elif isinstance(block, Table):
        _table(pdf, block)
    elif isinstance(block, BarChart):
        _chart(pdf, block)
    else:
        _sign_off(pdf, block)


def _table(pdf: _Document, table: Table) -> None:
    pdf.set_font(pdf.family, size=8.5)
    align = tuple("LEFT" if a == "l" else "RIGHT" for a in table.align)
    with pdf.table(
        col_widths=table.widths or tuple(3 if a == "l" else 2 for a in table.align),
        text_align=align,
        line_height=4.6,
        headings_style=FontFace(emphasis="BOLD", fill_color=_HEAD_FILL),
        cell_fill_mode=TableCellFillMode.NONE,
        borders_layout="HORIZONTAL_LINES",
        padding=1.2,
    ) as drawn:
        header = drawn.row()
        for cell in table.header:
            header.cell(pdf.t(cell))
        for i, row in enumerate(table.rows):
            line = drawn.row()
            if i in table.headings:
                line.cell(pdf.t(row[0]), colspan=len(row), style=FontFace(emphasis="BOLD"),
                          align="LEFT")  # fmt: skip
                continue
            for c, cell in enumerate(row):
                colour = _STATUS_COLOURS.get(cell) if c == table.status_column else None
                style = FontFace(emphasis="BOLD", color=colour) if colour else None
                line.cell(pdf.t(cell), style=style)
    pdf.ln(3)


def _chart(pdf: _Document, chart: BarChart) -> None:
    """Horizontal bars, one group per measure, each bar labelled with its value."""
    bar, gap, label_width, value_width = 3.6, 0.8, 48.0, 24.0
    group_height = len(chart.series) * (bar + gap) + 3
    height = 8 + len(chart.groups) * group_height + 4
    if pdf.will_page_break(height + 6):
        pdf.add_page()
    left = pdf.l_margin
    plot_width = pdf.w - pdf.l_margin - pdf.r_margin - label_width - value_width
    values = [b.value for _, bars in chart.groups for b in bars]
    low, high = min(0.0, *values), max(0.0, *values)
    span = (high - low) or 1.0

    def x(value: float) -> float:
        return left + label_width + plot_width * (value - low) / span

    top = pdf.get_y()
    pdf.set_font(pdf.family, "B", 9)
    pdf.cell(0, 5, pdf.t(chart.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(pdf.family, size=7.5)
    legend_x = left + label_width
    for name, colour in zip(chart.series, chart.colours, strict=True):
        pdf.set_fill_color(*_rgb(colour))
        pdf.rect(legend_x, top + 6, 2.8, 2.8, style="F")
        pdf.text(legend_x + 3.8, top + 8.4, pdf.t(name))
        legend_x += 8 + pdf.get_string_width(pdf.t(name))
    y = top + 11
    zero = x(0.0)
    for label, bars in chart.groups:
        pdf.set_font(pdf.family, "B", 7.5)
        pdf.text(left, y + group_height / 2, pdf.t(label))
        pdf.set_font(pdf.family, size=7)
        for i, (item, colour) in enumerate(zip(bars, chart.colours, strict=True)):
            row_y = y + i * (bar + gap)
            start, end = sorted((zero, x(item.value)))
            pdf.set_fill_color(*_rgb(colour))
            pdf.rect(start, row_y, max(end - start, 0.3), bar, style="F")
            pdf.text(end + 1.2, row_y + bar - 0.7, pdf.t(item.text))
        y += group_height
    pdf.set_draw_color(60, 60, 60)
    pdf.line(zero, top + 10, zero, y)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_y(y + 3)


def _sign_off(pdf: _Document, block: SignOff) -> None:
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / 4
    pdf.set_font(pdf.family, "B", 9)
    for title in ("For", "Name", "Signature", "Date"):
        pdf.cell(width, 6, title)
    pdf.ln(6)
    pdf.set_font(pdf.family, size=9.5)
    pdf.set_draw_color(90, 90, 90)
    for party in block.parties:
        pdf.ln(9)
        y = pdf.get_y()
        pdf.cell(width, 5, pdf.t(party))
        for column in range(1, 4):
            start = pdf.l_margin + column * width
            pdf.line(start, y + 5, start + width - 6, y + 5)
        pdf.ln(5)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)
