"""The workshop report: what the room agreed, beside the status quo and every proposal.

Three files from one call: a self-contained HTML page (charts drawn as inline SVG, so it opens
offline and references nothing outside itself), Markdown with the same numbers, and the agreed
scenario as YAML to load back into the app.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from alignment.compromise import (
    HEADLINE_LABELS,
    LEADERSHIP_LABEL,
    REP_UTILITY_LABELS,
    REP_UTILITY_UNITS,
    Comparison,
    ComparisonRow,
    Headline,
    Move,
    RepUtility,
    compare,
    exchange_rate_sentences,
    format_value,
    lever_moves,
    plan_terms,
)
from alignment.evaluate import Outcomes
from alignment.goals import GOAL_NAMES, goal_status
from alignment.scenario import Scenario
from alignment.scenario_io import dump_scenario

STATUS_QUO_COLOUR = "#8c8c8c"
AGREED_COLOUR = "#2e7d32"
PROPOSAL_COLOURS = ("#1f77b4", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")
STATUS_LABELS = {"met": "Met", "near": "Near", "missed": "Missed"}
GOAL_LABELS = {
    "contribution": "Contribution",
    "new_product_share": "New-product share",
    "gross_margin_pct": "Gross margin %",
}
MOTIVATION_FACTORS: dict[str, tuple[str, str]] = {
    "expectancy": ("Expectancy: can I reach the goals I am held to?", "fraction"),
    "instrumentality": ("Instrumentality: does more effort pay?", "fraction"),
    "valence": ("Valence: is the reward worth having?", "fraction"),
    "motivation": ("Motivation (100 · E · I · V)", "score"),
}
LEADERSHIP_TITLE = f"{LEADERSHIP_LABEL} (per period)"


@dataclass(frozen=True)
class Report:
    html: str
    markdown: str
    yaml: str


@dataclass(frozen=True)
class _Column:
    title: str  # "Status quo", "Proposal 1", "Agreed"
    name: str  # the scenario's own name
    colour: str


@dataclass(frozen=True)
class _Content:
    """Everything both formats show, computed once so HTML and Markdown agree."""

    title: str
    date: str
    agreed: Scenario
    rep_utility: RepUtility
    columns: tuple[_Column, ...]
    comparison: Comparison
    moves: tuple[Move, ...]
    terms: tuple[Move, ...]
    headline_before: Headline
    headline_after: Headline
    exchange_rates: tuple[str, ...]  # leadership's exchange rate for strategic share, in words
    scorecard_rows: tuple[
        tuple[str, str, str, str, str], ...
    ]  # goal, target, value, status, whether deals must meet it


def build_report(
    agreed: Scenario,
    status_quo: Scenario,
    proposals: Sequence[Scenario],
    generated_at: datetime,
    rep_utility: RepUtility = "rep_utility",
) -> Report:
    """The workshop's record: the agreed plan against the status quo and each proposal.

    Parameters
    ----------
    agreed : the scenario the room agreed on.
    status_quo : today's plan, the disagreement point.
    proposals : the parties' proposals, in the order they were made (may be empty).
    generated_at : when the report is made; printed as given.
    rep_utility : the reps' utility in the comparison: earnings less the cost of effort (the
        default), motivation or expected earnings.

    Every plan is valued in the agreed scenario (its market, team, goals and ``λ``), with
    selling hours relative to the status quo's motivation.
    """
    content = _content(agreed, status_quo, list(proposals), generated_at, rep_utility)
    return Report(html=_html(content), markdown=_markdown(content), yaml=dump_scenario(agreed))


def _content(
    agreed: Scenario,
    status_quo: Scenario,
    proposals: list[Scenario],
    generated_at: datetime,
    rep_utility: RepUtility,
) -> _Content:
    comparison = compare(status_quo, [*proposals, agreed], rep_utility, working=agreed)
    columns = (
        _Column("Status quo", status_quo.metadata.name, STATUS_QUO_COLOUR),
        *(
            _Column(
                f"Proposal {i + 1}", p.metadata.name, PROPOSAL_COLOURS[i % len(PROPOSAL_COLOURS)]
            )
            for i, p in enumerate(proposals)
        ),
        _Column("Agreed", agreed.metadata.name, AGREED_COLOUR),
    )
    scorecard_rows = _scorecard_rows(agreed, comparison.outcomes[-1])
    date = generated_at.strftime("%Y-%m-%d %H:%M")
    if generated_at.tzinfo is not None:
        date += f" {generated_at.tzname()}"
    return _Content(
        title=f"Workshop agreement: {agreed.metadata.name}",
        date=date,
        agreed=agreed,
        rep_utility=rep_utility,
        columns=columns,
        comparison=comparison,
        moves=lever_moves(status_quo, agreed),
        terms=plan_terms(status_quo, agreed),
        headline_before=comparison.headlines[0],
        headline_after=comparison.headlines[-1],
        exchange_rates=tuple(exchange_rate_sentences(agreed, lambda v: format_value(v, "money"))),
        scorecard_rows=scorecard_rows,
    )


def _scorecard_rows(
    agreed: Scenario, outcomes: Outcomes
) -> tuple[tuple[str, str, str, str, str], ...]:
    """Each goal: its target, the agreed value, met / near / missed, and whether it is hard."""
    goals = agreed.goals
    rows = []
    for name in GOAL_NAMES:
        goal = getattr(goals, name)
        value = float(getattr(outcomes, name)[0])
        unit = "money" if name == "contribution" else "fraction"
        rows.append(
            (
                GOAL_LABELS[name],
                format_value(goal.target, unit),
                format_value(value, unit),
                STATUS_LABELS[goal_status(value, goal.target, goals.near_band)],
                "Yes" if goal.hard else "No",
            )
        )
    return tuple(rows)


def _cell(row: ComparisonRow, value: float | None) -> str:
    return format_value(value, row.unit)


def _factor_values(content: _Content, name: str) -> list[float]:
    return [float(getattr(o, name)[0]) for o in content.comparison.outcomes]


def _reps_title(content: _Content) -> str:
    """E.g. ``"Reps' utility (earnings less the cost of effort, per rep)"``."""
    return f"Reps' utility ({REP_UTILITY_LABELS[content.rep_utility].lower()})"


def _rep_utility_unit(content: _Content) -> str:
    return REP_UTILITY_UNITS[content.rep_utility]


def _move_lines(content: _Content) -> list[str]:
    return [m.text for m in content.moves] or ["No lever moved: the room kept the status quo."]


# --- HTML -------------------------------------------------------------------------------------

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a;
       max-width: 1000px; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
.date { color: #555; margin-top: 0; }
.notes { white-space: pre-wrap; }
table { border-collapse: collapse; margin: 0.6rem 0; font-size: 0.92rem; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 0.25rem 0.6rem; text-align: right; }
th:first-child, td:first-child, .text { text-align: left; }
td:first-child { white-space: nowrap; }
th { background: #f5f5f5; }
tr.section th { background: #fff; text-align: left; padding-top: 0.8rem; color: #444; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.35em;
          vertical-align: baseline; border-radius: 2px; }
.met { color: #2e7d32; font-weight: 600; } .near { color: #b26a00; font-weight: 600; }
.missed { color: #c62828; font-weight: 600; }
figure { margin: 1rem 0; } figcaption { font-size: 0.85rem; color: #555; }
@media print { h2 { break-after: avoid; } figure, table { break-inside: avoid; } }
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _html(content: _Content) -> str:
    agreed = content.agreed
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
        f'<p class="date">Generated {_e(content.date)}</p>',
    ]
    if agreed.metadata.description:
        parts.append(f"<p>{_e(agreed.metadata.description)}</p>")
    if agreed.metadata.notes:
        parts.append(f'<p class="notes">{_e(agreed.metadata.notes)}</p>')
    parts += _html_scenarios(content)
    parts += _html_measures(content)
    parts += ["<h2>What we agreed</h2>", "<ul>"]
    parts += [f"<li>{_e(line)}</li>" for line in _move_lines(content)]
    parts.append("</ul>")
    parts += _html_headline(content)
    parts += _html_levers(content)
    parts += ["<h2>Status quo, proposals and agreement</h2>", _html_comparison(content)]
    parts += _html_changes(content)
    parts += _html_scorecard(content)
    parts += _html_motivation(content)
    parts += ["<h2>Charts</h2>", *_charts(content)]
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _html_scenarios(content: _Content) -> list[str]:
    items = [
        f'<li><span class="swatch" style="background:{c.colour}"></span>'
        f"<strong>{_e(c.title)}</strong>: {_e(c.name)}</li>"
        for c in content.columns
    ]
    return ["<h2>Scenarios compared</h2>", "<ul>", *items, "</ul>"]


def _measures(content: _Content) -> list[str]:
    """How each side's utility is counted, in words."""
    rep_label = REP_UTILITY_LABELS[content.rep_utility].lower()
    return [
        "Leadership's value: contribution plus what leadership says each strategic unit is "
        "worth beyond its margin, money per period. " + " ".join(content.exchange_rates),
        f"Reps' utility: {rep_label}"
        + (
            " (expected earnings net of the cost of the effort they put in), money per rep per "
            "period."
            if content.rep_utility == "rep_utility"
            else "."
        ),
        "Every plan is valued in the agreed scenario (its market, team, goals and strategic "
        "values), with selling hours responding to motivation relative to the status quo's.",
    ]


def _html_measures(content: _Content) -> list[str]:
    items = [f"<li>{_e(line)}</li>" for line in _measures(content)]
    return ["<h2>How each side counts</h2>", "<ul>", *items, "</ul>"]


def _html_headline(content: _Content) -> list[str]:
    rows = []
    for name, (label, unit) in HEADLINE_LABELS.items():
        before = getattr(content.headline_before, name)
        after = getattr(content.headline_after, name)
        rows.append(
            f"<tr><td>{_e(label)}</td><td>{_e(format_value(before, unit))}</td>"
            f"<td>{_e(format_value(after, unit))}</td>"
            f"<td>{_e(format_value(after - before, unit, signed=True))}</td></tr>"
        )
    return [
        "<h2>Headline</h2>",
        "<table><thead><tr><th></th><th>Status quo</th><th>Agreed</th><th>Change</th></tr>"
        "</thead><tbody>",
        *rows,
        "</tbody></table>",
    ]


def _html_levers(content: _Content) -> list[str]:
    rows = [
        f"<tr><td>{_e(t.label)}</td><td>{_e(_term_value(t, t.before))}</td>"
        f"<td>{_e(_term_value(t, t.after))}</td></tr>"
        for t in content.terms
    ]
    return [
        "<h2>The agreed levers</h2>",
        "<table><thead><tr><th>Lever</th><th>Status quo</th><th>Agreed</th></tr></thead><tbody>",
        *rows,
        "</tbody></table>",
    ]


def _term_value(term: Move, value: float | None) -> str:
    unit = {"per_unit": "money", "multiple": "multiple"}.get(term.unit, term.unit)
    return format_value(value, unit)


def _html_comparison(content: _Content) -> str:
    header = "".join(
        f'<th><span class="swatch" style="background:{c.colour}"></span>{_e(c.title)}</th>'
        for c in content.columns
    )
    rows = []
    section = None
    for row in content.comparison.rows:
        if row.section != section:
            section = row.section
            rows.append(
                f'<tr class="section"><th colspan="{len(content.columns) + 1}">'
                f"{_e(section)}</th></tr>"
            )
        cells = "".join(f"<td>{_e(_cell(row, v))}</td>" for v in row.values)
        rows.append(f"<tr><td>{_e(row.label)}</td>{cells}</tr>")
    return (
        f"<table><thead><tr><th></th>{header}</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _html_changes(content: _Content) -> list[str]:
    unit = _rep_utility_unit(content)
    rows = [
        f"<tr><td>{_e(c.title)}</td>"
        f"<td>{_e(format_value(change.leadership, 'money', signed=True))}</td>"
        f"<td>{_e(format_value(change.reps, unit, signed=True))}</td>"
        f'<td class="text">{_e(change.summary)}</td></tr>'
        for c, change in zip(content.columns[1:], content.comparison.changes, strict=True)
    ]
    return [
        "<h2>Who gains, who gives up (vs the status quo)</h2>",
        f"<table><thead><tr><th></th><th>{_e(LEADERSHIP_TITLE)}</th><th>{_e(_reps_title(content))}</th>"
        '<th class="text">In words</th></tr></thead><tbody>',
        *rows,
        "</tbody></table>",
    ]


def _html_scorecard(content: _Content) -> list[str]:
    rows = [
        f"<tr><td>{_e(goal)}</td><td>{_e(target)}</td><td>{_e(value)}</td>"
        f'<td class="{status.lower()}">{_e(status)}</td><td>{_e(hard)}</td></tr>'
        for goal, target, value, status, hard in content.scorecard_rows
    ]
    return [
        "<h2>Scorecard of the agreement</h2>",
        "<table><thead><tr><th>Goal</th><th>Target</th><th>Agreed</th><th>Status</th>"
        "<th>Deals must meet it</th></tr></thead><tbody>",
        *rows,
        "</tbody></table>",
    ]


def _html_motivation(content: _Content) -> list[str]:
    header = "".join(f"<th>{_e(c.title)}</th>" for c in content.columns)
    rows = []
    for name, (label, unit) in MOTIVATION_FACTORS.items():
        cells = "".join(
            f"<td>{_e(format_value(v, unit))}</td>" for v in _factor_values(content, name)
        )
        rows.append(f"<tr><td>{_e(label)}</td>{cells}</tr>")
    return [
        "<h2>Rep motivation factors</h2>",
        "<p>Motivation, out of 100, is 100 × expectancy × instrumentality × valence (Vroom): "
        "any factor near zero sinks it.</p>",
        f"<table><thead><tr><th></th>{header}</tr></thead><tbody>",
        *rows,
        "</tbody></table>",
    ]


def _charts(content: _Content) -> list[str]:
    headlines = content.comparison.headlines
    leadership = [
        ("Leadership's value", "money", [h.leadership_value for h in headlines]),
        ("Contribution", "money", [h.contribution for h in headlines]),
    ]
    reps = [
        ("Earnings less cost of effort", "money", [h.rep_utility for h in headlines]),
        ("Expected earnings", "money", [h.expected_earnings for h in headlines]),
    ]
    factors = [
        (name.capitalize(), "fraction", _factor_values(content, name))
        for name in ("expectancy", "instrumentality", "valence")
    ]
    shares = [
        ("New-product share", "fraction", [h.new_product_share for h in headlines]),
        ("Gross margin %", "fraction", [h.gross_margin_pct for h in headlines]),
    ]
    charts = [
        ("Leadership's value and contribution (money per period)", leadership),
        ("Reps' utility and expected earnings (money per rep per period)", reps),
        ("New-product share and gross margin %", shares),
        ("Rep motivation factors (motivation = 100 × E × I × V)", factors),
    ]
    return [
        f"<figure>{_bar_chart_svg(title, groups, content.columns)}"
        f"<figcaption>{_e(title)}</figcaption></figure>"
        for title, groups in charts
    ]


def _bar_chart_svg(
    title: str,
    groups: Sequence[tuple[str, str, Sequence[float]]],
    columns: Sequence[_Column],
    width: int = 720,
) -> str:
    """A grouped horizontal bar chart as inline SVG: one group per measure, one bar per scenario.

    ``groups`` holds ``(label, unit, values)``, one value per column. Groups share one axis, so
    put measures of one unit in one chart. Each bar is labelled with its value.
    """
    label_width, value_width, bar_height, gap = 220, 110, 16, 4
    legend_height = 22
    plot_width = width - label_width - value_width
    values = [v for _, _, vs in groups for v in vs]
    low, high = min(0.0, *values), max(0.0, *values)
    span = (high - low) or 1.0

    def x(value: float) -> float:
        return label_width + plot_width * (value - low) / span

    group_height = len(columns) * (bar_height + gap) + 12
    height = legend_height + len(groups) * group_height + 8
    out = [
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_e(title)}" font-family="system-ui, sans-serif" font-size="12">',
        f"<title>{_e(title)}</title>",
    ]
    legend_x = label_width
    for column in columns:
        out.append(
            f'<rect x="{legend_x}" y="4" width="11" height="11" fill="{column.colour}"/>'
            f'<text x="{legend_x + 15}" y="14">{_e(column.title)}</text>'
        )
        legend_x += 24 + 7 * len(column.title)
    zero = x(0.0)
    for g, (label, unit, group_values) in enumerate(groups):
        top = legend_height + g * group_height
        out.append(
            f'<text x="{label_width - 8}" y="{top + group_height / 2:.1f}" text-anchor="end" '
            f'dominant-baseline="middle" font-weight="600">{_e(label)}</text>'
        )
        for b, (column, value) in enumerate(zip(columns, group_values, strict=True)):
            y = top + 4 + b * (bar_height + gap)
            left, right = sorted((zero, x(value)))
            text = format_value(value, unit)
            out.append(
                f'<rect x="{left:.1f}" y="{y:.1f}" width="{max(right - left, 0.5):.1f}" '
                f'height="{bar_height}" fill="{column.colour}">'
                f"<title>{_e(column.title)}: {_e(text)}</title></rect>"
                f'<text x="{right + 4:.1f}" y="{y + bar_height / 2:.1f}" '
                f'dominant-baseline="middle">{_e(text)}</text>'
            )
    out.append(
        f'<line x1="{zero:.1f}" y1="{legend_height}" x2="{zero:.1f}" y2="{height - 4}" '
        'stroke="#444" stroke-width="1"/>'
    )
    out.append("</svg>")
    return "".join(out)


# --- Markdown ---------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>|#"})


def _m(text: str) -> str:
    """User text safe inside Markdown (and any HTML a renderer lets through), on one line."""
    return " ".join(text.split()).translate(_MARKDOWN_SPECIAL)


def _markdown_table(
    header: Sequence[str], rows: Sequence[Sequence[str]], align: str | None = None
) -> list[str]:
    """A pipe table; ``align`` has an ``l`` or ``r`` per column (default: text, then numbers)."""
    align = align or "l" + "r" * (len(header) - 1)
    rules = {"l": " --- ", "r": " ---: "}
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(rules[a] for a in align) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _markdown(content: _Content) -> str:
    agreed = content.agreed
    titles = [c.title for c in content.columns]
    lines = [f"# {_m(content.title)}", "", f"Generated {_m(content.date)}", ""]
    if agreed.metadata.description:
        lines += [_m(agreed.metadata.description), ""]
    if agreed.metadata.notes:
        lines += [_m(agreed.metadata.notes), ""]
    lines += ["## Scenarios compared", ""]
    lines += [f"- **{_m(c.title)}**: {_m(c.name)}" for c in content.columns]
    lines += ["", "## How each side counts", ""]
    lines += [f"- {_m(line)}" for line in _measures(content)]
    lines += ["", "## What we agreed", ""]
    lines += [f"- {_m(line)}" for line in _move_lines(content)]
    lines += ["", "## Headline", ""]
    headline_rows = []
    for name, (label, unit) in HEADLINE_LABELS.items():
        before = getattr(content.headline_before, name)
        after = getattr(content.headline_after, name)
        headline_rows.append(
            [
                label,
                format_value(before, unit),
                format_value(after, unit),
                format_value(after - before, unit, signed=True),
            ]
        )
    lines += _markdown_table(["", "Status quo", "Agreed", "Change"], headline_rows)
    lines += ["## The agreed levers", ""]
    lines += _markdown_table(
        ["Lever", "Status quo", "Agreed"],
        [[_m(t.label), _term_value(t, t.before), _term_value(t, t.after)] for t in content.terms],
    )
    lines += ["## Status quo, proposals and agreement", ""]
    comparison_rows = []
    section = None
    for row in content.comparison.rows:
        if row.section != section:
            section = row.section
            comparison_rows.append([f"**{section}**", *[""] * len(titles)])
        comparison_rows.append([_m(row.label), *[_cell(row, v) for v in row.values]])
    lines += _markdown_table(["", *titles], comparison_rows)
    lines += ["## Who gains, who gives up (vs the status quo)", ""]
    unit = _rep_utility_unit(content)
    lines += _markdown_table(
        ["", LEADERSHIP_TITLE, _reps_title(content), "In words"],
        [
            [
                c.title,
                format_value(change.leadership, "money", signed=True),
                format_value(change.reps, unit, signed=True),
                _m(change.summary),
            ]
            for c, change in zip(content.columns[1:], content.comparison.changes, strict=True)
        ],
        align="lrrl",
    )
    lines += ["## Scorecard of the agreement", ""]
    lines += _markdown_table(
        ["Goal", "Target", "Agreed", "Status", "Deals must meet it"],
        [list(row) for row in content.scorecard_rows],
        align="lrrll",
    )
    lines += ["## Rep motivation factors", ""]
    lines += [
        "Motivation, out of 100, is 100 × expectancy × instrumentality × valence (Vroom): any "
        "factor near zero sinks it.",
        "",
    ]
    lines += _markdown_table(
        ["", *titles],
        [
            [label, *(format_value(v, unit) for v in _factor_values(content, name))]
            for name, (label, unit) in MOTIVATION_FACTORS.items()
        ],
    )
    return "\n".join(lines)
