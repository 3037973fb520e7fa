"""The workshop report: the agreement in HTML that opens offline, in Markdown, and as YAML.

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
from alignment.compromise import deal_scenario, exchange_rate_sentences, format_value, search
from alignment.levers import with_values
from alignment.report import build_report

GENERATED_AT = datetime(2026, 11, 26, 16, 30)


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


def headline_numbers(scenario, status_quo):
    outcomes = valued(scenario, status_quo)
    return [
        format_value(outcomes.leadership_value[0], "money"),
        format_value(outcomes.rep_utility[0], "money"),
        format_value(outcomes.motivation[0], "score"),
        format_value(outcomes.expected_earnings[0], "money"),
        format_value(outcomes.contribution[0], "money"),
        format_value(outcomes.new_product_share[0], "fraction"),
        format_value(outcomes.gross_margin_pct[0], "fraction"),
    ]


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_html_shows_the_agreed_headline_numbers_and_levers(report, deals, launch):
    agreed = deals["agreed"]
    for number in headline_numbers(agreed, launch):
        assert number in report.html
    nova_price = format_value(agreed.product("nova").price, "money")
    assert f"Nova (new) price 600 → {nova_price}" in report.html
    assert format_value(agreed.commission.margin_rate, "rate") in report.html


def test_markdown_carries_the_same_headline_numbers_as_the_html(report, deals, launch):
    for number in headline_numbers(deals["agreed"], launch):
        assert number in report.markdown
    assert report.markdown.startswith("# Workshop agreement: Nash bargaining deal")
    assert "Generated 2026-11-26 16:30" in report.markdown


def test_html_compares_the_agreement_with_the_status_quo_and_every_proposal(report, deals, launch):
    for scenario in (launch, deals["leadership"], deals["reps"]):
        assert format_value(valued(scenario, launch).contribution[0], "money") in report.html
    for title in ("Status quo", "Proposal 1", "Proposal 2", "Agreed"):
        assert title in report.html
    assert "Leadership gains" in report.html and "reps give up" in report.html


def test_html_has_the_scorecard_and_motivation_with_its_three_factors(report, deals, launch):
    outcomes = valued(deals["agreed"], launch)
    assert "Scorecard of the agreement" in report.html
    assert "<th>Deals must meet it</th>" in report.html
    assert re.search(r'class="(met|near|missed)"', report.html)
    for factor in ("expectancy", "instrumentality", "valence"):
        assert format_value(getattr(outcomes, factor)[0], "fraction") in report.html
    assert f"{outcomes.motivation[0]:.1f} / 100" in report.html
    assert "100 × expectancy × instrumentality × valence" in report.markdown


def test_both_utilities_are_in_money_and_there_is_no_goal_score(report, deals, launch):
    agreed, before = valued(deals["agreed"], launch), valued(launch, launch)
    change = agreed.leadership_value[0] - before.leadership_value[0]
    reps_change = agreed.rep_utility[0] - before.rep_utility[0]
    for text in (html.unescape(report.html), report.markdown):
        assert "Leadership's value (per period)" in text
        assert "Reps' utility (earnings less the cost of effort, per rep)" in text
        assert format_value(change, "money", signed=True) in text
        assert format_value(reps_change, "money", signed=True) in text
        assert "goal score" not in text.lower() and "leadership score" not in text.lower()
        assert "coherence" not in text.lower()


def test_the_report_states_leaderships_exchange_rate(launch):
    agreed = with_values(launch, {"goals.strategic_value.nova": 640.0})
    report = build_report(agreed, launch, [], GENERATED_AT)
    (sentence,) = exchange_rate_sentences(agreed, lambda v: format_value(v, "money"))
    assert "one point of Nova (new) share at" in sentence
    assert sentence in report.markdown


def test_every_plan_is_valued_under_the_agreed_goals_not_its_own(launch):
    agreed = with_values(launch, {"goals.strategic_value.nova": 640.0, "metadata.name": "Agreed"})
    report = build_report(agreed, launch, [], GENERATED_AT)
    status_quo_in_agreed = valued(
        with_values(launch, {"goals.strategic_value.nova": 640.0}), launch
    )
    assert format_value(status_quo_in_agreed.leadership_value[0], "money") in report.markdown


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
    report = build_report(agreed, launch, [], GENERATED_AT)
    assert "<script>" not in report.html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in report.html
    assert "<script>" not in report.markdown
    assert r"\<script\>" in report.markdown


def test_yaml_loads_back_as_the_agreed_scenario(report, deals):
    assert load_scenario(report.yaml) == deals["agreed"]


def test_a_report_without_proposals_compares_the_agreement_with_the_status_quo(deals, launch):
    report = build_report(deals["agreed"], launch, [], GENERATED_AT)
    assert "Proposal 1" not in report.html
    assert "| Agreed | +" in report.markdown


def test_keeping_the_status_quo_says_no_lever_moved(launch):
    report = build_report(launch, launch, [], GENERATED_AT)
    assert "No lever moved" in report.html and "No lever moved" in report.markdown
