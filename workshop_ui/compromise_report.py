"""The Compromise page's workshop report: the agreed plan against the status quo and the
proposals, with the room's votes and participants, as PDF, HTML, Markdown and Excel downloads,
and the agreed scenario as YAML.

The agreed plan is the proposal the facilitator marked as agreed on the Room page; until then,
the working scenario."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

import streamlit as st

from alignment import Scenario, dump_scenario
from alignment.report import Participant, VoteTally, build_report
from alignment.rooms import ROOM_ROLES
from alignment.safe_text import download_name as safe_download_name
from alignment.storage import StorageError, StoredScenario
from workshop_ui import rooms
from workshop_ui.compromise_search import _scenario

__all__ = [
    "ReportFiles",
    "RoomRecord",
    "download_name",
    "report_downloads",
    "report_files",
    "room_record",
]

# A board report lists the proposals on the table; past this many, the ones picked above.
MAX_REPORTED_PROPOSALS = 12

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportFiles(NamedTuple):
    pdf: bytes
    html: str
    markdown: str
    xlsx: bytes
    yaml: str


def download_name(name: str, extension: str) -> str:
    """A safe file name from a scenario's name: ``nova-launch.html``."""
    return safe_download_name(name, extension)


@dataclass(frozen=True)
class RoomRecord:
    """What the room contributes to its report: the plan it agreed on, if the facilitator
    marked one, the proposals to report and their votes by role, and who took part."""

    agreed: StoredScenario | None
    proposals: tuple[StoredScenario, ...]
    votes: tuple[VoteTally, ...]
    participants: tuple[Participant, ...]


def room_record(
    here: rooms.Here, usable: Sequence[StoredScenario], picked: Sequence[StoredScenario]
) -> RoomRecord:
    """The room's part of the report. The proposals are those picked on the page, or else
    every proposal on the table (up to :data:`MAX_REPORTED_PROPOSALS`), less the agreed one."""
    agreed = next((p for p in usable if p.key == here.room.agreed), None)
    chosen = picked or usable[:MAX_REPORTED_PROPOSALS]
    reported = tuple(p for p in chosen if agreed is None or p.key != agreed.key)
    try:
        tallies = rooms.store().tallies(here.code)
        people = rooms.store().participants(here.code)
    except StorageError:  # the page already says the room cannot be read
        tallies, people = {}, {}
    votes = tuple(
        VoteTally(index, role, tally.count(role, "for"), tally.count(role, "against"))
        for index, item in enumerate(reported)
        if (tally := tallies.get(item.key)) is not None
        for role in ROOM_ROLES
        if tally.count(role, "for") or tally.count(role, "against")
    )
    participants = tuple(
        Participant(person.name, person.role)
        for person in sorted(people.values(), key=lambda p: (p.role, p.name))
    )
    return RoomRecord(agreed, reported, votes, participants)


def report_files(
    agreed: Scenario,
    status_quo: Scenario,
    proposals: Sequence[Scenario],
    votes: Sequence[VoteTally] = (),
    participants: Sequence[Participant] = (),
) -> ReportFiles:
    """Every file of the workshop report, stamped now."""
    report = build_report(
        agreed, status_quo, proposals, datetime.now(UTC),
        votes=votes or None, participants=participants or None,
    )  # fmt: skip
    return ReportFiles(report.pdf, report.html, report.markdown, report.xlsx, report.yaml)


@st.cache_data(max_entries=16, show_spinner=False)
def _report_files(
    agreed_json: str,
    status_quo_json: str,
    proposal_jsons: tuple[str, ...],
    votes: tuple[tuple[int, str, int, int], ...],
    participants: tuple[tuple[str, str], ...],
) -> ReportFiles:
    return report_files(
        _scenario(agreed_json), _scenario(status_quo_json), [_scenario(p) for p in proposal_jsons],
        [VoteTally(*vote) for vote in votes], [Participant(*person) for person in participants],
    )  # fmt: skip


def report_downloads(
    agreed: Scenario,
    status_quo: Scenario,
    proposals: Sequence[Scenario],
    votes: Sequence[VoteTally] = (),
    participants: Sequence[Participant] = (),
) -> None:
    """The agreed scenario against the status quo and the proposals, with their votes.

    The agreed scenario's YAML is always there. The report is written when someone asks for it
    ("Write the report", about a second) and from then on kept in step with the room for that
    person, cached per content: a page that drew it for everyone would write a PDF for each
    person who opened the page, and again whenever someone joined the room. Every file is
    built before its button is drawn, so the first click on any button delivers that button's
    file. Files built on click proved unreliable with several such buttons on one page: a click
    could deliver another button's file, or nothing.
    """
    if st.session_state.get(_WRITTEN):
        with st.spinner("Writing the report…"):
            files = _report_files(
                agreed.model_dump_json(), status_quo.model_dump_json(),
                tuple(p.model_dump_json() for p in proposals),
                tuple((v.proposal, v.role, v.in_favour, v.against) for v in votes),
                tuple((p.name, p.role) for p in participants),
            )  # fmt: skip
        name = status_quo.metadata.name
        buttons = (
            ("Report (PDF)", files.pdf, "pdf", "application/pdf", "report_pdf"),
            ("Report (HTML, opens offline)", files.html, "html", "text/html", "report_html"),
            ("Report (Markdown)", files.markdown, "md", "text/markdown", "report_markdown"),
            ("Figures (Excel)", files.xlsx, "xlsx", XLSX_MIME, "report_xlsx"),
        )
        for column, (label, data, extension, mime, key) in zip(
            st.columns(len(buttons)), buttons, strict=True
        ):
            column.download_button(
                label, data, file_name=download_name(f"{name} report", extension), mime=mime,
                key=key, icon=":material/download:", width="stretch", on_click="ignore",
            )  # fmt: skip
    else:
        st.button(
            "Write the report (PDF, HTML, Markdown and Excel)", key="write_report",
            icon=":material/description:", type="primary", on_click=_ask_for_report,
        )  # fmt: skip
        st.caption(
            "About a second. The files then follow the room: a new vote, proposal or "
            "participant rewrites them the next time this page is drawn."
        )
    st.download_button(
        "Agreed scenario (YAML, to load again)", _scenario_yaml(agreed.model_dump_json()),
        file_name=download_name(agreed.metadata.name, "yaml"), mime="application/x-yaml",
        key="report_yaml", icon=":material/download:", on_click="ignore",
    )  # fmt: skip


_WRITTEN = "report_written"


def _ask_for_report() -> None:
    st.session_state[_WRITTEN] = True


@st.cache_data(max_entries=64, show_spinner=False)
def _scenario_yaml(scenario_json: str) -> str:
    return dump_scenario(_scenario(scenario_json))
