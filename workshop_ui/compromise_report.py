"""The Compromise page's workshop report: the agreed scenario against the status quo and the
chosen proposals, as HTML, Markdown and YAML downloads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import streamlit as st

from alignment import Scenario, dump_scenario
from alignment.report import build_report
from alignment.safe_text import download_name as safe_download_name
from workshop_ui.compromise_search import _scenario

__all__ = [
    "download_name",
    "report_downloads",
    "report_files",
]


def download_name(name: str, extension: str) -> str:
    """A safe file name from a scenario's name: ``nova-launch.html``."""
    return safe_download_name(name, extension)


def report_files(
    agreed: Scenario, status_quo: Scenario, proposals: Sequence[Scenario]
) -> tuple[str, str, str]:
    """``(html, markdown, yaml)`` of the workshop report, stamped now."""
    report = build_report(agreed, status_quo, proposals, datetime.now(UTC))
    return report.html, report.markdown, report.yaml


@st.cache_data(max_entries=16, show_spinner=False)
def _report_files(
    agreed_json: str, status_quo_json: str, proposal_jsons: tuple[str, ...]
) -> tuple[str, str, str]:
    return report_files(
        _scenario(agreed_json), _scenario(status_quo_json), [_scenario(p) for p in proposal_jsons]
    )


def report_downloads(agreed: Scenario, status_quo: Scenario, proposals: Sequence[Scenario]) -> None:
    """The agreed (working) scenario against the status quo and the chosen proposals.

    Every file is built before its button is drawn (about 15 ms, cached per content), so the
    first click on any button delivers that button's file. Files built on click proved
    unreliable with several such buttons on one page: a click could deliver another button's
    file, or nothing.
    """
    html, markdown, _ = _report_files(
        agreed.model_dump_json(), status_quo.model_dump_json(),
        tuple(p.model_dump_json() for p in proposals),
    )  # fmt: skip
    name = agreed.metadata.name
    html_column, markdown_column, yaml_column = st.columns(3)
    html_column.download_button(
        "Report (HTML, opens offline)", html, file_name=download_name(name, "html"),
        mime="text/html", key="report_html", icon=":material/download:", width="stretch",
        on_click="ignore",
    )  # fmt: skip
    markdown_column.download_button(
        "Report (Markdown)", markdown, file_name=download_name(name, "md"),
        mime="text/markdown", key="report_markdown", icon=":material/download:",
        width="stretch", on_click="ignore",
    )  # fmt: skip
    yaml_column.download_button(
        "Agreed scenario (YAML)", dump_scenario(agreed), file_name=download_name(name, "yaml"),
        mime="application/x-yaml", key="report_yaml", icon=":material/download:",
        width="stretch", on_click="ignore",
    )  # fmt: skip
