"""The Compromise page's workshop report: the agreed scenario against the status quo and the
chosen proposals, as PDF, HTML, Markdown and Excel downloads, and the agreed scenario as YAML."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import NamedTuple

import streamlit as st

from alignment import Scenario
from alignment.report import build_report
from alignment.safe_text import download_name as safe_download_name
from workshop_ui.compromise_search import _scenario

__all__ = [
    "ReportFiles",
    "download_name",
    "report_downloads",
    "report_files",
]

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


def report_files(
    agreed: Scenario, status_quo: Scenario, proposals: Sequence[Scenario]
) -> ReportFiles:
    """Every file of the workshop report, stamped now."""
    report = build_report(agreed, status_quo, proposals, datetime.now(UTC))
    return ReportFiles(report.pdf, report.html, report.markdown, report.xlsx, report.yaml)


@st.cache_data(max_entries=16, show_spinner=False)
def _report_files(
    agreed_json: str, status_quo_json: str, proposal_jsons: tuple[str, ...]
) -> ReportFiles:
    return report_files(
        _scenario(agreed_json), _scenario(status_quo_json), [_scenario(p) for p in proposal_jsons]
    )


def report_downloads(agreed: Scenario, status_quo: Scenario, proposals: Sequence[Scenario]) -> None:
    """The agreed (working) scenario against the status quo and the chosen proposals.

    Every file is built before its button is drawn (about a second, cached per content), so
    the first click on any button delivers that button's file. Files built on click proved
    unreliable with several such buttons on one page: a click could deliver another button's
    file, or nothing.
    """
    with st.spinner("Writing the report…"):
        files = _report_files(
            agreed.model_dump_json(), status_quo.model_dump_json(),
            tuple(p.model_dump_json() for p in proposals),
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
    st.download_button(
        "Agreed scenario (YAML, to load again)", files.yaml,
        file_name=download_name(agreed.metadata.name, "yaml"), mime="application/x-yaml",
        key="report_yaml", icon=":material/download:", on_click="ignore",
    )  # fmt: skip
