"""The report's figures as raw numbers for the workbook: Summary, Outcomes per product,
Proposals and Assumptions, each cell with an Excel number format in the scenario's currency."""

from __future__ import annotations

from collections.abc import Sequence

from alignment.compromise import HEADLINE_LABELS, REP_UTILITY_UNITS, Comparison
from alignment.goals import GOAL_NAMES, goal_status
from alignment.report_model import Cell, Sheet
from alignment.report_sections import VoteTally, vote_text
from alignment.scenario import Scenario
from alignment.tables import product_table
from alignment.uncertainty_inputs import uncertain_parameters
from alignment.units import Units

PERCENT = "0.0%"
COUNT = "#,##0"
DECIMAL = "0.###"
SCORE = "0.0"
TEXT = ""
PRODUCT_FIGURES: dict[str, tuple[str, str]] = {
    "price": ("Price", "per_unit"),
    "share": ("Market share", "fraction"),
    "units": ("Units", "units"),
    "revenue": ("Revenue", "money"),
    "gross_margin": ("Gross margin", "money"),
    "commission": ("Commission paid", "money"),
    "hours": ("Selling hours", "hours"),
    "time_share": ("Share of selling time", "fraction"),
}


def money_format(shown: Units, cents: bool = False) -> str:
    """``"$"#,##0`` for dollars; a code is written before the amount: ``"CHF "#,##0``."""
    symbol = shown.symbol
    prefix = symbol if symbol != shown.currency else f"{symbol} "
    return f'"{prefix}"#,##0' + (".00" if cents else "")


def excel_format(unit: str, shown: Units) -> str:
    if unit == "money":
        return money_format(shown)
    if unit == "per_unit":
        return money_format(shown, cents=True)
    if unit in ("fraction", "rate"):
        return PERCENT
    if unit == "score":
        return SCORE
    return COUNT


def workbook_sheets(
    agreed: Scenario,
    proposals: Sequence[Scenario],
    comparison: Comparison,
    votes: Sequence[VoteTally] | None,
    shown: Units,
) -> tuple[Sheet, ...]:
    notes = (f"Money in {shown.currency}, {shown.per_period}; shares as percentages.",)
    return (
        _summary(agreed, comparison, shown, notes),
        _products(agreed, comparison, shown, notes),
        _proposals(proposals, comparison, votes, shown, notes),
        _assumptions(agreed),
    )


def _summary(
    agreed: Scenario, comparison: Comparison, shown: Units, notes: tuple[str, ...]
) -> Sheet:
    before, after = comparison.headlines[0], comparison.headlines[-1]
    goals = agreed.goals
    rows: list[tuple[Cell, ...]] = []
    formats: list[str | None] = []
    for name, (label, unit) in HEADLINE_LABELS.items():
        old, new = getattr(before, name), getattr(after, name)
        target: Cell = None
        status: Cell = None
        if name in GOAL_NAMES:
            goal = getattr(goals, name)
            target, status = goal.target, goal_status(new, goal.target, goals.near_band)
        rows.append(
            (label.replace("per period", shown.per_period), old, new, new - old, target, status)
        )
        formats.append(excel_format(unit, shown))
    return Sheet(
        "Summary",
        ("Figure", "Status quo", "Agreed", "Change", "Target", "Status"),
        tuple(rows),
        (TEXT, COUNT, COUNT, COUNT, COUNT, TEXT),
        notes,
        tuple(formats),
    )


def _products(
    agreed: Scenario, comparison: Comparison, shown: Units, notes: tuple[str, ...]
) -> Sheet:
    titles = [
        "Status quo",
        *(f"Proposal {i}" for i in range(1, len(comparison.outcomes) - 1)),
        "Agreed",
    ]
    rows: list[tuple[Cell, ...]] = []
    for title, outcomes in zip(titles, comparison.outcomes, strict=True):
        table = product_table(agreed, outcomes)
        for _, product in table.iterrows():
            rows.append(
                (title, str(product["name"]), *(float(product[f]) for f in PRODUCT_FIGURES))
            )
    return Sheet(
        "Outcomes per product",
        ("Plan", "Product", *(label for label, _ in PRODUCT_FIGURES.values())),
        tuple(rows),
        (TEXT, TEXT, *(excel_format(unit, shown) for _, unit in PRODUCT_FIGURES.values())),
        notes,
    )


def _proposals(
    proposals: Sequence[Scenario],
    comparison: Comparison,
    votes: Sequence[VoteTally] | None,
    shown: Units,
    notes: tuple[str, ...],
) -> Sheet:
    reps_format = excel_format(REP_UTILITY_UNITS[comparison.rep_utility], shown)
    rows = tuple(
        (f"Proposal {i + 1}", p.metadata.name, p.metadata.author, p.metadata.role,
         change.leadership, change.reps, change.difference.contribution,
         change.difference.new_product_share, _votes(votes or (), i))
        for i, (p, change) in enumerate(zip(proposals, comparison.changes, strict=False))
    )  # fmt: skip
    return Sheet(
        "Proposals",
        ("Proposal", "Title", "Author", "Role", "Leadership's value change",
         "Each rep's change", "Contribution change", "New-product share change", "Votes"),
        rows,
        (TEXT, TEXT, TEXT, TEXT, money_format(shown), reps_format, money_format(shown), PERCENT,
         TEXT),
        notes,
    )  # fmt: skip


def _assumptions(agreed: Scenario) -> Sheet:
    rows = tuple(
        (p.label, p.central, p.low, p.high, p.distribution, p.source or "default spread")
        for p in uncertain_parameters(agreed)
    )
    return Sheet(
        "Assumptions",
        ("Estimate", "Stated", "Low", "High", "Spread", "Source"),
        rows,
        (TEXT, DECIMAL, DECIMAL, DECIMAL, TEXT, TEXT),
    )


def _votes(votes: Sequence[VoteTally], proposal: int) -> str:
    mine = [v for v in votes if v.proposal == proposal]
    return "; ".join(vote_text(v) for v in mine) if mine else "no votes recorded"
