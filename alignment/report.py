"""The workshop report: what the room agreed, for the board, in five files from one call.

One content model (:mod:`alignment.report_content`) drawn as a PDF (:mod:`alignment.report_pdf`),
a self-contained HTML page and Markdown (:mod:`alignment.report_html`), an Excel workbook of the
figures (:mod:`alignment.report_workbook`), and the agreed scenario as YAML to load back into
the app. Every figure is in the agreed scenario's currency and period (:mod:`alignment.units`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from alignment.compromise import RepUtility
from alignment.report_content import SECTION_TITLES, report_content
from alignment.report_html import render_html, render_markdown
from alignment.report_model import ReportContent
from alignment.report_pdf import render_pdf
from alignment.report_sections import Participant, VoteTally
from alignment.report_workbook import render_workbook
from alignment.scenario import Scenario
from alignment.scenario_io import dump_scenario

__all__ = ["SECTION_TITLES", "Participant", "Report", "VoteTally", "build_report"]


@dataclass(frozen=True)
class Report:
    content: ReportContent
    html: str
    markdown: str
    yaml: str
    pdf: bytes
    xlsx: bytes


def build_report(
    agreed: Scenario,
    status_quo: Scenario,
    proposals: Sequence[Scenario],
    generated_at: datetime,
    rep_utility: RepUtility = "rep_utility",
    *,
    votes: Sequence[VoteTally] | None = None,
    participants: Sequence[Participant] | None = None,
    risks: bool = True,
) -> Report:
    """The workshop's record: the agreed plan against the status quo and each proposal.

    Parameters
    ----------
    agreed : the scenario the room agreed on; its currency and period are the report's.
    status_quo : today's plan, which every figure is compared with.
    proposals : the parties' proposals, in the order they were made (may be empty); their
        authors are the participants unless ``participants`` is given.
    generated_at : when the report is made; printed as given.
    rep_utility : the reps' measure: earnings less the cost of effort (the default),
        motivation or expected earnings.
    votes : each proposal's votes by role; None or empty: "no votes recorded".
    risks : work out the chance that both sides gain over the uncertain estimates (about a
        quarter of a second); False leaves the Risks section saying it was not.

    Every plan is valued in the agreed scenario (its market, team, goals and strategic values),
    with selling hours relative to the status quo's motivation.
    """
    content = report_content(
        agreed, status_quo, proposals, generated_at, rep_utility,
        votes=votes, participants=participants, risks=risks,
    )  # fmt: skip
    return Report(
        content=content,
        html=render_html(content),
        markdown=render_markdown(content),
        yaml=dump_scenario(agreed),
        pdf=render_pdf(content, generated_at),
        xlsx=render_workbook(content, generated_at),
    )
