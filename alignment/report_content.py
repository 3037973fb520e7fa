"""The workshop report's content, computed once for every format (:mod:`alignment.report_model`).

Sections, in the order a board reads them: the executive summary (the plan in three sentences,
the scorecard, what each side gains and gives up in money), the agreed plan, the outcomes, the
assumptions and their ranges, the risks, the proposals and votes, the participants, and the
sign-off. Words are plain: leadership's value, the reps' earnings less the cost of effort.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from alignment.compromise import (
    HEADLINE_LABELS,
    REP_UTILITY_NOUNS,
    REP_UTILITY_UNITS,
    Comparison,
    Move,
    RepUtility,
    compare,
    exchange_rate_sentences,
    lever_moves,
    plan_terms,
)
from alignment.goals import GOAL_NAMES, goal_status
from alignment.report_model import Bar, BarChart, Bullets, Paragraph, ReportContent, Section, Table
from alignment.report_sections import (
    Participant,
    VoteTally,
    assumptions_section,
    participants_section,
    proposals_section,
    risks_section,
    sign_off_section,
)
from alignment.report_sheets import workbook_sheets
from alignment.scenario import Scenario
from alignment.units import Units

STATUS_QUO_COLOUR = "#737373"
AGREED_COLOUR = "#1b7837"
PROPOSAL_COLOURS = ("#1f77b4", "#e66100", "#5d3a9b", "#8c564b", "#c2185b", "#00838f")
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
    "motivation": ("Motivation (100 × E × I × V)", "score"),
}
# The names the deal search gives its plans, in the words a board reads.
PLAIN_PLAN_NAMES = {
    "Nash bargaining deal": "Deal both sides gain most from",
    "Weighted Nash deal": "Weighted deal",
    "Kalai–Smorodinsky deal": "Deal sharing the gains in proportion",
}
SECTION_TITLES = (
    "Executive summary",
    "The agreed plan",
    "Outcomes",
    "Assumptions and their ranges",
    "Risks",
    "Proposals and votes",
    "Participants",
    "Sign-off",
)


@dataclass(frozen=True)
class Column:
    title: str  # "Status quo", "Proposal 1", "Agreed"
    name: str  # the plan's own name, in plain words
    colour: str


def plain_name(name: str) -> str:
    """A plan's name without the search's technical words."""
    for technical, plain in PLAIN_PLAN_NAMES.items():
        name = name.replace(technical, plain)
    return name


def report_content(
    agreed: Scenario,
    status_quo: Scenario,
    proposals: Sequence[Scenario],
    generated_at: datetime,
    rep_utility: RepUtility = "rep_utility",
    *,
    votes: Sequence[VoteTally] | None = None,
    participants: Sequence[Participant] | None = None,
    risks: bool = True,
) -> ReportContent:
    """Everything the report shows, with every figure in the agreed scenario's currency."""
    proposals = list(proposals)
    shown = Units.of(agreed)
    comparison = compare(status_quo, [*proposals, agreed], rep_utility, working=agreed)
    columns = (
        Column("Status quo", plain_name(status_quo.metadata.name), STATUS_QUO_COLOUR),
        *(
            Column(f"Proposal {i + 1}", plain_name(p.metadata.name), _colour(i))
            for i, p in enumerate(proposals)
        ),
        Column("Agreed", plain_name(agreed.metadata.name), AGREED_COLOUR),
    )
    moves = lever_moves(status_quo, agreed)
    sections = (
        _summary(agreed, comparison, moves, shown),
        _plan(agreed, status_quo, columns, rep_utility, shown),
        _outcomes(comparison, columns, shown),
        assumptions_section(agreed, shown),
        risks_section(agreed, status_quo, rep_utility, shown, moved=bool(moves), run=risks),
        proposals_section(proposals, comparison, votes, shown),
        participants_section(agreed, proposals, participants),
        sign_off_section(),
    )
    assert tuple(s.title for s in sections) == SECTION_TITLES
    return ReportContent(
        title=f"Workshop agreement — {plain_name(status_quo.metadata.name)}",
        subtitle=f"Money in {shown.currency} ({shown.symbol}), {shown.per_period} unless stated.",
        date=_date(generated_at),
        sections=sections,
        sheets=workbook_sheets(agreed, proposals, comparison, votes, shown),
    )


def _colour(i: int) -> str:
    return PROPOSAL_COLOURS[i % len(PROPOSAL_COLOURS)]


def _date(generated_at: datetime) -> str:
    date = generated_at.strftime("%Y-%m-%d %H:%M")
    return date + (f" {generated_at.tzname()}" if generated_at.tzinfo is not None else "")


# --- executive summary ------------------------------------------------------------------------


def _summary(
    agreed: Scenario, comparison: Comparison, moves: tuple[Move, ...], shown: Units
) -> Section:
    before, after = comparison.headlines[0], comparison.headlines[-1]
    scorecard = scorecard_table(agreed, comparison, shown)
    met = sum(row[3] == "Met" for row in scorecard.rows)
    sentences = (
        _plan_sentence(moves, shown),
        _gains_sentence(before.leadership_value, after.leadership_value, before.rep_utility,
                        after.rep_utility, shown),
        f"New-product share goes from {shown.figure(before.new_product_share, 'fraction')} to "
        f"{shown.figure(after.new_product_share, 'fraction')} (target "
        f"{shown.figure(agreed.goals.new_product_share.target, 'fraction')}), rep motivation "
        f"from {shown.figure(before.motivation, 'score')} to "
        f"{shown.figure(after.motivation, 'score')}; leadership meets {met} of its "
        f"{len(scorecard.rows)} goals.",
    )  # fmt: skip
    return Section(
        "Executive summary",
        (
            Paragraph(" ".join(sentences)),
            Paragraph("Leadership's scorecard for the agreed plan:"),
            scorecard,
            Paragraph(f"What each side gains and gives up against today, {shown.per_period}:"),
            _gains_table(comparison, shown),
        ),
    )


def _plan_sentence(moves: tuple[Move, ...], shown: Units) -> str:
    if not moves:
        return "The room kept today's plan: no lever moved."
    listed = "; ".join(move_text(m, shown) for m in moves[:4])
    more = f"; and {len(moves) - 4} more (see The agreed plan)" if len(moves) > 4 else ""
    noun = "lever" if len(moves) == 1 else "levers"
    return f"The room agreed to move {len(moves)} {noun}: {listed}{more}."


def _gains_sentence(
    lead_before: float, lead_after: float, reps_before: float, reps_after: float, shown: Units
) -> str:
    lead = _moves_by("leadership's value", lead_after - lead_before, lead_after, shown)
    reps = _moves_by("each rep's earnings less the cost of effort", reps_after - reps_before,
                     reps_after, shown, plural=True)  # fmt: skip
    return f"Against today, {lead}, and {reps}."


def _moves_by(what: str, change: float, after: float, shown: Units, plural: bool = False) -> str:
    if abs(change) < 0.5:
        return f"{what} {'stay' if plural else 'stays'} at {shown.money(after)} {shown.per_period}"
    verb = ("rise" if plural else "rises") if change > 0 else ("fall" if plural else "falls")
    return f"{what} {verb} by {shown.money(abs(change))} {shown.per_period} to {shown.money(after)}"


def scorecard_table(agreed: Scenario, comparison: Comparison, shown: Units) -> Table:
    """Each of leadership's goals: target, the agreed value, Met / Near / Missed, hard or not."""
    goals, outcomes = agreed.goals, comparison.outcomes[-1]
    rows = []
    for name in GOAL_NAMES:
        goal = getattr(goals, name)
        value = float(getattr(outcomes, name)[0])
        unit = "money" if name == "contribution" else "fraction"
        status = STATUS_LABELS[goal_status(value, goal.target, goals.near_band)]
        rows.append(
            (GOAL_LABELS[name], shown.figure(goal.target, unit), shown.figure(value, unit),
             status, "Yes" if goal.hard else "No")
        )  # fmt: skip
    return Table(
        ("Goal", "Target", "Agreed", "Status", "Deals must meet it"),
        tuple(rows),
        "lrrll",
        status_column=3,
        widths=(3, 2, 2, 1.5, 2),
    )


def _gains_table(comparison: Comparison, shown: Units) -> Table:
    before, after = comparison.headlines[0], comparison.headlines[-1]
    rows = []
    for label, field, unit in (
        ("Leadership's value (contribution plus strategic value)", "leadership_value", "money"),
        ("Contribution", "contribution", "money"),
        ("Each rep's earnings less the cost of effort", "rep_utility", "money"),
        ("Each rep's expected earnings", "expected_earnings", "money"),
        ("Rep motivation", "motivation", "score"),
    ):
        old, new = getattr(before, field), getattr(after, field)
        change = new - old
        threshold = 0.05 if unit == "score" else 0.5
        verdict = "no change" if abs(change) < threshold else "gains" if change > 0 else "gives up"
        rows.append(
            (label, shown.figure(old, unit), shown.figure(new, unit),
             shown.figure(change, unit, change=True), verdict)
        )  # fmt: skip
    return Table(
        ("", "Today", "Agreed", "Change", "Side"),
        tuple(rows),
        "lrrrl",
        widths=(4, 1.5, 1.5, 1.6, 1.2),
    )


# --- the agreed plan and the outcomes ---------------------------------------------------------


def move_text(move: Move, shown: Units) -> str:
    """``"Nova (new) price $600 → $540"``, in the scenario's currency."""
    suffix = " per unit" if move.unit == "per_unit" else ""
    before, after = _lever(move, move.before, shown), _lever(move, move.after, shown)
    return f"{move.label} {before} → {after}{suffix}"


def _lever(move: Move, value: float | None, shown: Units) -> str:
    if move.unit in ("money", "per_unit") and value is not None:
        return shown.money_exact(value)
    return shown.figure(value, move.unit)


def _plan(
    agreed: Scenario,
    status_quo: Scenario,
    columns: tuple[Column, ...],
    rep_utility: RepUtility,
    shown: Units,
) -> Section:
    terms = plan_terms(status_quo, agreed)
    levers = Table(
        ("Lever", "Status quo", "Agreed"),
        tuple((t.label, _lever(t, t.before, shown), _lever(t, t.after, shown)) for t in terms),
        "lrr",
        widths=(3, 2, 2),
    )
    plans = [f"{c.title}: {c.name}" for c in columns]
    blocks: list = [Bullets(tuple(plans))]
    if agreed.metadata.description:
        blocks.append(Paragraph(agreed.metadata.description))
    blocks += [
        levers,
        Paragraph("How each side counts:"),
        Bullets(measures(agreed, rep_utility, shown)),
    ]
    return Section("The agreed plan", tuple(blocks))


def measures(agreed: Scenario, rep_utility: RepUtility, shown: Units) -> tuple[str, ...]:
    """How each side's gain is counted, in words."""
    rates = " ".join(
        s.replace("per period", shown.per_period)
        for s in exchange_rate_sentences(agreed, shown.money_exact)
    )
    reps = REP_UTILITY_NOUNS[rep_utility]
    per = (
        f"{shown.currency} per rep {shown.per_period}"
        if REP_UTILITY_UNITS[rep_utility] == "money"
        else "out of 100"
    )
    return (
        "Leadership's value: contribution plus what leadership says each unit of a strategic "
        f"product is worth beyond its margin, in {shown.currency} {shown.per_period}. {rates}",
        f"The reps' side: {reps}, {per}.",
        "Every plan is valued in the agreed scenario (its market, team, goals and strategic "
        "values), with selling hours responding to motivation relative to today's.",
    )


_ROW_LABELS = {"utility.leadership": "Leadership's value"}
_SECTION_LABELS = {"Utility": "Each side"}


def _outcomes(comparison: Comparison, columns: tuple[Column, ...], shown: Units) -> Section:
    before, after = comparison.headlines[0], comparison.headlines[-1]
    headline = Table(
        ("", "Status quo", "Agreed", "Change"),
        tuple(
            (label.replace("(per period)", f"({shown.per_period})"),
             shown.figure(getattr(before, name), unit), shown.figure(getattr(after, name), unit),
             shown.figure(getattr(after, name) - getattr(before, name), unit, change=True))
            for name, (label, unit) in HEADLINE_LABELS.items()
        ),
        "lrrr",
        widths=(4, 2, 2, 2),
    )  # fmt: skip
    reps_label = f"Reps' {REP_UTILITY_NOUNS[comparison.rep_utility]}"
    rows, headings, section = [], set(), None
    for row in comparison.rows:
        if row.section != section:
            section = row.section
            headings.add(len(rows))
            rows.append((_SECTION_LABELS.get(section, section), *[""] * len(columns)))
        label = reps_label if row.key == "utility.reps" else _ROW_LABELS.get(row.key, row.label)
        unit = "per_unit" if row.unit == "money" and row.key.startswith("price.") else row.unit
        rows.append((label, *(shown.figure(v, unit) for v in row.values)))
    side_by_side = Table(
        ("", *(c.title for c in columns)), tuple(rows), "l" + "r" * len(columns),
        frozenset(headings), widths=(3.2, *[1.4] * len(columns)),
    )  # fmt: skip
    factors = Table(
        ("", *(c.title for c in columns)),
        tuple(
            (label, *(shown.figure(float(getattr(o, name)[0]), unit) for o in comparison.outcomes))
            for name, (label, unit) in MOTIVATION_FACTORS.items()
        ),
        "l" + "r" * len(columns),
        widths=(3.2, *[1.4] * len(columns)),
    )
    return Section(
        "Outcomes",
        (
            headline,
            Paragraph("Today, each proposal and the agreement side by side:"),
            side_by_side,
            Paragraph(
                "Rep motivation, out of 100, is 100 × expectancy × instrumentality × valence "
                "(Vroom): any factor near zero sinks it."
            ),
            factors,
            *_charts(comparison, columns, shown),
        ),
    )


def _charts(comparison: Comparison, columns: tuple[Column, ...], shown: Units) -> list[BarChart]:
    headlines, outcomes = comparison.headlines, comparison.outcomes

    def bars(values: Sequence[float], unit: str) -> tuple[Bar, ...]:
        return tuple(
            Bar(c.title, float(v), shown.figure(float(v), unit))
            for c, v in zip(columns, values, strict=True)
        )

    def chart(title: str, groups: list[tuple[str, str, Sequence[float]]]) -> BarChart:
        return BarChart(
            title,
            tuple(c.title for c in columns),
            tuple(c.colour for c in columns),
            tuple((label, bars(values, unit)) for label, unit, values in groups),
        )

    factor = lambda name: [float(getattr(o, name)[0]) for o in outcomes]  # noqa: E731
    return [
        chart(f"Leadership's value and contribution ({shown.currency} {shown.per_period})", [
            ("Leadership's value", "money", [h.leadership_value for h in headlines]),
            ("Contribution", "money", [h.contribution for h in headlines]),
        ]),
        chart(f"Each rep's earnings ({shown.currency} per rep {shown.per_period})", [
            ("Earnings less cost of effort", "money", [h.rep_utility for h in headlines]),
            ("Expected earnings", "money", [h.expected_earnings for h in headlines]),
        ]),
        chart("New-product share and gross margin %", [
            ("New-product share", "fraction", [h.new_product_share for h in headlines]),
            ("Gross margin %", "fraction", [h.gross_margin_pct for h in headlines]),
        ]),
        chart("Rep motivation factors (motivation = 100 × E × I × V)", [
            (name.capitalize(), "fraction", factor(name))
            for name in ("expectancy", "instrumentality", "valence")
        ]),
    ]  # fmt: skip
