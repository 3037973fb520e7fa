"""The Calibrate page's data: the deal file in this session, read and fitted once (cached).

The file's bytes live in session state (not in the uploader widget), so the page keeps its
file when the room visits another page and comes back. Reading and fitting are cached by the
file's digest, the mapping and the scenario, so a rerun costs nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from alignment import Scenario
from alignment.calibration import MAX_BYTES, Calibration, DealFileError, Deals, calibrate
from alignment.calibration import read_deals as _read_deals

EXAMPLE = Path(__file__).resolve().parent.parent / "scenarios" / "data" / "deal_history_example.csv"
_SOURCE = "calibrate_source"
_PROBLEMS = "calibrate_upload_problems"
_APPLIED = "calibrate_applied"
RESET_PREFIXES = ("calibrate_map_", "calibrate_choice_")


@dataclass(frozen=True)
class DealSource:
    """A deal file: its name, bytes and digest (the cache key)."""

    name: str
    data: bytes
    digest: str

    @classmethod
    def of(cls, name: str, data: bytes) -> DealSource:
        return cls(name, data, hashlib.sha256(data).hexdigest())


def upload_limit_mb() -> int:
    """The largest upload this server accepts, in MB: the app's cap or the server's, if lower."""
    server = int(st.get_option("server.maxUploadSize"))
    return max(1, min(MAX_BYTES // 2**20, server))


def source() -> DealSource | None:
    return st.session_state.get(_SOURCE)


def set_source(found: DealSource | None) -> None:
    """Make ``found`` this session's deal file; mapping and choices start afresh."""
    for key in [k for k in st.session_state if str(k).startswith(RESET_PREFIXES)]:
        del st.session_state[key]
    st.session_state.pop(_PROBLEMS, None)
    st.session_state.pop(_APPLIED, None)
    if found is None:
        st.session_state.pop(_SOURCE, None)
    else:
        st.session_state[_SOURCE] = found


def take_upload(key: str) -> None:
    """Uploader callback: keep the file if it is within the size cap (checked before reading)."""
    upload = st.session_state.get(key)
    if upload is None:
        return
    if upload.size > MAX_BYTES:
        set_source(None)
        st.session_state[_PROBLEMS] = [
            f"{upload.name}: the file is {upload.size / 2**20:,.1f} MB; deal files are at most "
            f"{MAX_BYTES // 2**20} MB — export fewer columns or a shorter period"
        ]
        return
    set_source(DealSource.of(upload.name, upload.getvalue()))


def use_example() -> None:
    set_source(DealSource.of(EXAMPLE.name, EXAMPLE.read_bytes()))


def upload_problems() -> list[str]:
    return st.session_state.get(_PROBLEMS, [])


def read(found: DealSource) -> Deals | list[str]:
    """The file's deals, or the problems that refuse it (one line each)."""
    return _read(found.digest, found.name, found.data)


@st.cache_data(max_entries=4, show_spinner=False)
def _read(digest: str, name: str, _data: bytes) -> Deals | list[str]:
    try:
        return _read_deals(_data, name)
    except DealFileError as error:
        return list(error.problems)


def fit(
    found: DealSource, deals: Deals, scenario: Scenario, mapping: dict[str, str | None]
) -> Calibration | list[str]:
    """The calibration for this file, mapping and scenario, or why it cannot be made."""
    return _fit(found.digest, scenario.model_dump_json(), tuple(mapping.items()), deals, scenario)


@st.cache_data(max_entries=8, show_spinner=False)
def _fit(
    digest: str, scenario_json: str, mapping: tuple, _deals: Deals, _scenario: Scenario
) -> Calibration | list[str]:
    try:
        return calibrate(_deals, _scenario, dict(mapping))
    except DealFileError as error:
        return list(error.problems)


def record_applied(message: str | list[str], ok: bool) -> None:
    st.session_state[_APPLIED] = (ok, message)


def applied() -> tuple[bool, str | list[str]] | None:
    return st.session_state.get(_APPLIED)
