"""The report's figures as an Excel workbook: the sheets, numbers kept as numbers."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from alignment import evaluate
from alignment.levers import with_values
from alignment.report import build_report

GENERATED_AT = datetime(2026, 11, 26, 16, 30)


@pytest.fixture(scope="module")
def proposal(launch):
    return with_values(
        launch,
        {"products.nova.price": 540.0, "metadata.name": "=HYPERLINK(\"x\")",
         "metadata.author": "Sam", "metadata.role": "sales"},
    )  # fmt: skip


@pytest.fixture(scope="module")
def agreed(launch):
    return with_values(launch, {"products.nova.price": 560.0, "commission.kickers.nova": 30.0})


@pytest.fixture(scope="module")
def book(agreed, launch, proposal):
    report = build_report(agreed, launch, [proposal], GENERATED_AT, risks=False)
    return load_workbook(io.BytesIO(report.xlsx))


def rows_of(sheet):
    """The rows under the header (the first row whose first cell is a column title)."""
    rows = list(sheet.iter_rows(values_only=True))
    start = next(
        i for i, r in enumerate(rows) if r[0] in {"Figure", "Plan", "Proposal", "Estimate"}
    )
    return rows[start], rows[start + 1 :]


def test_the_workbook_has_the_four_sheets(book):
    assert book.sheetnames == ["Summary", "Outcomes per product", "Proposals", "Assumptions"]


def test_the_summary_holds_the_agreed_figures_as_numbers_in_the_currency(book, agreed, launch):
    header, rows = rows_of(book["Summary"])
    assert header == ("Figure", "Status quo", "Agreed", "Change", "Target", "Status")
    by_label = {r[0]: r for r in rows}
    outcomes = evaluate(agreed, status_quo=launch)
    contribution = by_label["Contribution"]
    assert contribution[2] == pytest.approx(outcomes.contribution[0])
    assert contribution[4] == launch.goals.contribution.target
    assert contribution[5] in {"met", "near", "missed"}
    cell = next(c for c in book["Summary"]["C"] if c.value == contribution[2])
    assert cell.number_format == '"$"#,##0'
    assert "Money in USD, per year" in book["Summary"]["A2"].value


def test_outcomes_per_product_list_every_plan_and_product(book, agreed, launch):
    header, rows = rows_of(book["Outcomes per product"])
    assert header[:4] == ("Plan", "Product", "Price", "Market share")
    assert len(rows) == 3 * len(launch.products)  # status quo, the proposal, the agreement
    nova = next(r for r in rows if r[0] == "Agreed" and r[1] == "Nova (new)")
    assert nova[2] == 560.0
    assert nova[3] == pytest.approx(evaluate(agreed, status_quo=launch).share[0, 2])


def test_proposals_name_their_author_and_stay_text_when_they_look_like_a_formula(book):
    header, rows = rows_of(book["Proposals"])
    assert header[:4] == ("Proposal", "Title", "Author", "Role")
    (row,) = rows
    assert row[1] == '\'=HYPERLINK("x")' and row[2] == "Sam" and row[3] == "sales"
    assert isinstance(row[4], float) and row[-1] == "no votes recorded"


def test_assumptions_hold_every_range(book):
    header, rows = rows_of(book["Assumptions"])
    assert header == ("Estimate", "Stated", "Low", "High", "Spread", "Source")
    nova = next(r for r in rows if r[0] == "Nova (new) price elasticity")
    assert nova[1:4] == pytest.approx((3.0, 2.1, 3.9))
