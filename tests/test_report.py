"""The workshop report: one content model drawn as HTML, Markdown, PDF and a workbook.

Every plan in the report is valued in the agreed scenario, with selling hours relative to the
status quo's motivation.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from html.parser import HTMLParser

import pytest

from alignment import evaluate, load_scenario
from alignment.compromise import deal_scenario, search
from alignment.levers import with_values
from alignment.report import SECTION_TITLES, Participant, VoteTally, build_report
from alignment.units import Units

GENERATED_AT = datetime(2026, 11, 26, 16, 30)
JARGON = ("utility", "utilities", "pareto", "nash", "kalai", "smorodinsky", "seed")


@pytest.fixture(scope="module")
def deals(launch):
    found = search(launch, launch, count=3_000)
    return {
        "agreed": deal_scenario(found, found.nash, launch),
        "leadership": deal_scenario(found, found.leadership_ideal, launch),
        "reps": deal_scenario(found, found.reps_ideal, launch),
    }


@pytest.fixture(scope="module")
def report(deals, launch):
    return build_report(deals["agreed"], launch, [deals["leadership"], deals["reps"]], GENERATED_AT)


def valued(scenario, status_quo):
    """The scenario's own plan, hours relative to the status quo's motivation."""
    return evaluate(scenario, status_quo=status_quo)


def in_currency(scenario, currency):
    metadata = scenario.metadata.model_copy(update={"currency": currency})
    return scenario.model_copy(update={"metadata": metadata})


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.h2: list[str] = []
        self._in_h2 = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_h2 = tag == "h2"

    def handle_data(self, data):
        if self._in_h2:
            self.h2.append(data)
            self._in_h2 = False


def test_the_sections_come_in_the_order_a_board_reads_them(report):
    collector = TagCollector()
    collector.feed(report.html)
    assert tuple(collector.h2) == SECTION_TITLES
    headings = [line[3:] for line in report.markdown.splitlines() if line.startswith("## ")]
    assert tuple(headings) == SECTION_TITLES
    assert SECTION_TITLES[0] == "Executive summary" and SECTION_TITLES[-1] == "Sign-off"


def test_the_title_names_the_workshop_in_plain_words(report, launch):
    assert report.content.title == f"Workshop agreement — {launch.metadata.name}"
    assert report.markdown.startswith("# Workshop agreement — Nova launch")
    assert "Generated 2026-11-26 16:30" in report.markdown


@pytest.mark.parametrize("form", ["html", "markdown"])
def test_no_technical_words_reach_the_board(report, form):
    text = html.unescape(getattr(report, form)).lower()
    for word in JARGON:
        assert not re.search(rf"\b{word}", text), word


def test_the_summary_says_the_plan_in_three_sentences_with_what_each_side_gains(
    report, deals, launch
):
    summary = report.content.section("Executive summary")
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", summary.blocks[0].text)
    assert len(sentences) == 3
    agreed, before = valued(deals["agreed"], launch), valued(launch, launch)
    shown = Units.of(launch)
    gain = agreed.leadership_value[0] - before.leadership_value[0]
    assert f"leadership's value rises by {shown.money(gain)} per year" in sentences[1]
    assert shown.money(agreed.leadership_value[0]) in sentences[1]
    gains = summary.blocks[4]
    row = next(r for r in gains.rows if r[0].startswith("Leadership's value"))
    assert row[3] == shown.money(gain, signed=True) and row[4] == "gains"


def test_the_scorecard_matches_the_models_outcomes(report, deals, launch):
    outcomes = valued(deals["agreed"], launch)
    shown = Units.of(launch)
    scorecard = report.content.section("Executive summary").blocks[2]
    values = {row[0]: row[2] for row in scorecard.rows}
    assert values["Contribution"] == shown.money(outcomes.contribution[0])
    assert values["New-product share"] == shown.figure(outcomes.new_product_share[0], "fraction")
    assert values["Gross margin %"] == shown.figure(outcomes.gross_margin_pct[0], "fraction")
    assert {row[3] for row in scorecard.rows} <= {"Met", "Near", "Missed"}
    assert re.search(r'class="l (met|near|missed)"', report.html)


def test_every_plans_figures_are_shown_in_the_scenarios_currency(report, deals, launch):
    for scenario in (launch, deals["leadership"], deals["reps"], deals["agreed"]):
        contribution = Units.of(launch).money(valued(scenario, launch).contribution[0])
        assert contribution.startswith("$")
        assert contribution in report.html and contribution in report.markdown


def test_a_report_in_euros_shows_euros_and_never_dollars(deals, launch):
    euro_launch, euro_agreed = in_currency(launch, "EUR"), in_currency(deals["agreed"], "EUR")
    report = build_report(euro_agreed, euro_launch, [], GENERATED_AT, risks=False)
    assert "$" not in report.markdown
    assert "€" in report.markdown and "Money in EUR (€), per year" in report.markdown
    contribution = valued(euro_agreed, euro_launch).contribution[0]
    assert Units("EUR").money(contribution) in report.markdown


def test_the_risks_give_the_probability_that_both_sides_gain(report):
    risks = report.content.section("Risks")
    assert re.match(r"Probability that both sides gain: \d+\.\d %\.", risks.blocks[0].text)
    assert any("decides leadership's gain" in line for line in risks.blocks[1].items)


def test_keeping_the_status_quo_has_nothing_to_risk_and_says_no_lever_moved(launch):
    report = build_report(launch, launch, [], GENERATED_AT)
    assert "no lever moved" in report.markdown
    assert "neither side gains or gives up anything" in report.markdown


def test_the_assumptions_list_every_uncertain_estimate_with_its_range(report, launch):
    table = report.content.section("Assumptions and their ranges").blocks[1]
    assert table.header[:4] == ("Estimate", "Stated", "Low", "High")
    assert table.rows[8][:4] == ("Nova (new) price elasticity", "3", "2.1", "3.9")


def test_proposals_show_their_authors_and_no_votes_until_there_are_some(deals, launch):
    proposal = with_values(
        deals["reps"], {"metadata.author": "Ana | <b>Reps</b>", "metadata.role": "sales"}
    )
    report = build_report(deals["agreed"], launch, [proposal], GENERATED_AT, risks=False)
    assert "No votes recorded." in report.markdown
    assert r"Ana \| \<b\>Reps\</b\> (Sales)" in report.markdown
    assert "Ana | &lt;b&gt;Reps&lt;/b&gt; (Sales)" in report.html
    voted = build_report(
        deals["agreed"], launch, [proposal], GENERATED_AT, risks=False,
        votes=[VoteTally(0, "sales", 4, 1), VoteTally(0, "leadership", 2)],
        participants=[Participant("Lee", "leadership")],
    )  # fmt: skip
    assert "No votes recorded." not in voted.markdown
    assert "| Proposal 1 | 2 for, 0 against | 4 for, 1 against |" in voted.markdown
    assert "- Lee (Leadership)" in voted.markdown


def test_the_sign_off_has_a_line_for_each_party(report):
    tail = report.markdown.split("## Sign-off")[1]
    for party in ("Leadership", "Sales", "Facilitator"):
        assert f"| {party} | ____" in tail


def test_html_draws_its_charts_inline_and_references_nothing_outside_itself(report):
    collector = TagCollector()
    collector.feed(report.html)
    tags = [tag for tag, _ in collector.tags]
    assert tags.count("svg") == 4
    assert "script" not in tags and "link" not in tags and "img" not in tags
    assert not re.search(r"https?://", report.html)
    assert all("src" not in attrs and "href" not in attrs for _, attrs in collector.tags)


def test_user_text_is_escaped_in_html_and_markdown(deals, launch):
    name = '<script>alert("x")</script> & Co'
    agreed = deals["agreed"].model_copy(
        update={"metadata": deals["agreed"].metadata.model_copy(update={"name": name})}
    )
    report = build_report(agreed, launch, [], GENERATED_AT, risks=False)
    assert "<script>" not in report.html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in report.html
    assert "<script>" not in report.markdown
    assert r"\<script\>" in report.markdown


def test_yaml_loads_back_as_the_agreed_scenario(report, deals):
    assert load_scenario(report.yaml) == deals["agreed"]


def test_a_report_without_proposals_compares_the_agreement_with_the_status_quo(deals, launch):
    report = build_report(deals["agreed"], launch, [], GENERATED_AT, risks=False)
    assert "Proposal 1" not in report.html
    assert "No proposals were put on the table." in report.markdown
