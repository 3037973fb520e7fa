"""The report as one self-contained HTML page (charts as inline SVG: it opens offline and
references nothing outside itself) and as Markdown, both drawn from one :class:`ReportContent`."""

from __future__ import annotations

import html
from collections.abc import Sequence

from alignment.report_model import (
    BarChart,
    Block,
    Bullets,
    Paragraph,
    ReportContent,
    SignOff,
    Table,
)

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a;
       max-width: 1000px; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
.date { color: #444; margin-top: 0; }
table { border-collapse: collapse; margin: 0.6rem 0; font-size: 0.92rem; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 0.25rem 0.6rem; text-align: right; }
th.l, td.l { text-align: left; }
th { background: #f5f5f5; }
tr.group td { font-weight: 600; padding-top: 0.8rem; color: #333; }
.met { color: #1b5e20; font-weight: 600; } .near { color: #8a5300; font-weight: 600; }
.missed { color: #b71c1c; font-weight: 600; }
.signoff td { height: 2.4rem; vertical-align: bottom; min-width: 9rem; }
figure { margin: 1rem 0; } figcaption { font-size: 0.85rem; color: #444; }
@media print { h2 { break-after: avoid; } figure, table { break-inside: avoid; } }
"""
SIGN_LINE = "______________________"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def render_html(content: ReportContent) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(content.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_e(content.title)}</h1>",
        f'<p class="date">Generated {_e(content.date)}. {_e(content.subtitle)}</p>',
    ]
    for section in content.sections:
        parts.append(f"<h2>{_e(section.title)}</h2>")
        parts += [_html_block(block) for block in section.blocks]
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _html_block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{_e(block.text)}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{_e(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Table):
        return _html_table(block)
    if isinstance(block, BarChart):
        return f"<figure>{bar_chart_svg(block)}<figcaption>{_e(block.title)}</figcaption></figure>"
    return _html_sign_off(block)


def _html_table(table: Table) -> str:
    head = "".join(
        f'<th class="{a}">{_e(h)}</th>' for h, a in zip(table.header, table.align, strict=True)
    )
    rows = []
    for i, row in enumerate(table.rows):
        if i in table.headings:
            rows.append(
                f'<tr class="group"><td class="l" colspan="{len(row)}">{_e(row[0])}</td></tr>'
            )
            continue
        cells = []
        for c, (cell, align) in enumerate(zip(row, table.align, strict=True)):
            status = f" {cell.lower()}" if c == table.status_column else ""
            cells.append(f'<td class="{align}{status}">{_e(cell)}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _html_sign_off(block: SignOff) -> str:
    rows = "".join(
        f'<tr><td class="l">{_e(party)}</td>' + f"<td>{SIGN_LINE}</td>" * 3 + "</tr>"
        for party in block.parties
    )
    return (
        '<table class="signoff"><thead><tr><th class="l">For</th><th class="l">Name</th>'
        '<th class="l">Signature</th><th class="l">Date</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def bar_chart_svg(chart: BarChart, width: int = 720) -> str:
    """A grouped horizontal bar chart as inline SVG, each bar labelled with its value."""
    label_width, value_width, bar_height, gap, legend_height = 220, 110, 16, 4, 22
    plot_width = width - label_width - value_width
    values = [bar.value for _, bars in chart.groups for bar in bars]
    low, high = min(0.0, *values), max(0.0, *values)
    span = (high - low) or 1.0

    def x(value: float) -> float:
        return label_width + plot_width * (value - low) / span

    group_height = len(chart.series) * (bar_height + gap) + 12
    height = legend_height + len(chart.groups) * group_height + 8
    out = [
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_e(chart.title)}" font-family="system-ui, sans-serif" font-size="12">',
        f"<title>{_e(chart.title)}</title>",
    ]
    legend_x = label_width
    for name, colour in zip(chart.series, chart.colours, strict=True):
        out.append(
            f'<rect x="{legend_x}" y="4" width="11" height="11" fill="{colour}"/>'
            f'<text x="{legend_x + 15}" y="14">{_e(name)}</text>'
        )
        legend_x += 24 + 7 * len(name)
    zero = x(0.0)
    for g, (label, bars) in enumerate(chart.groups):
        top = legend_height + g * group_height
        out.append(
            f'<text x="{label_width - 8}" y="{top + group_height / 2:.1f}" text-anchor="end" '
            f'dominant-baseline="middle" font-weight="600">{_e(label)}</text>'
        )
        for b, (bar, colour) in enumerate(zip(bars, chart.colours, strict=True)):
            y = top + 4 + b * (bar_height + gap)
            left, right = sorted((zero, x(bar.value)))
            out.append(
                f'<rect x="{left:.1f}" y="{y:.1f}" width="{max(right - left, 0.5):.1f}" '
                f'height="{bar_height}" fill="{colour}">'
                f"<title>{_e(bar.label)}: {_e(bar.text)}</title></rect>"
                f'<text x="{right + 4:.1f}" y="{y + bar_height / 2:.1f}" '
                f'dominant-baseline="middle">{_e(bar.text)}</text>'
            )
    out.append(
        f'<line x1="{zero:.1f}" y1="{legend_height}" x2="{zero:.1f}" y2="{height - 4}" '
        'stroke="#444" stroke-width="1"/></svg>'
    )
    return "".join(out)


# --- Markdown ---------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>|#"})


def _m(text: str) -> str:
    """Text safe inside Markdown (and any HTML a renderer lets through), on one line."""
    return " ".join(text.split()).translate(_MARKDOWN_SPECIAL)


def render_markdown(content: ReportContent) -> str:
    lines = [
        f"# {_m(content.title)}",
        "",
        f"Generated {_m(content.date)}. {_m(content.subtitle)}",
        "",
    ]
    for section in content.sections:
        lines += [f"## {_m(section.title)}", ""]
        for block in section.blocks:
            lines += _markdown_block(block)
    return "\n".join(lines)


def _markdown_block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [_m(block.text), ""]
    if isinstance(block, Bullets):
        return [*(f"- {_m(item)}" for item in block.items), ""]
    if isinstance(block, Table):
        rows = [
            [f"**{_m(row[0])}**", *[""] * (len(row) - 1)]
            if i in block.headings
            else [_m(c) for c in row]
            for i, row in enumerate(block.rows)
        ]
        return _markdown_table([_m(h) for h in block.header], rows, block.align)
    if isinstance(block, BarChart):
        return []  # the same figures are in the tables above
    rows = [[_m(party), SIGN_LINE, SIGN_LINE, SIGN_LINE] for party in block.parties]
    return _markdown_table(["For", "Name", "Signature", "Date"], rows, "llll")


def _markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str) -> list[str]:
    rules = {"l": " --- ", "r": " ---: "}
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(rules[a] for a in align) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]
