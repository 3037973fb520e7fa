"""Session state: the working scenario every page edits, and the status quo it started from.

Session state holds domain objects, never copies of widgets:

- the **working scenario** (:func:`working`), which every page reads and edits, so a change on
  one page shows on every other;
- the **status quo** (:func:`status_quo`), the scenario the working one was loaded from, which
  every figure is compared against.

Every change to the working scenario goes through :func:`set_working`, which autosaves it
server-side under an id carried in the page address (``?session=…``). A new session starts in
:func:`ensure_state`, which restores that autosave when the address names one, so a refresh, a
dropped connection or a server restart loses nothing.

Widgets bound to the scenario (see :mod:`workshop_ui.controls`) register their keys here;
:func:`set_working` forgets their values so they re-read the new scenario on the next run,
which keeps them in step after a load, a reset or a change made on another page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import streamlit as st

from alignment import Scenario
from alignment.storage import StorageError, default_store, is_valid_draft_id, new_draft_id
from workshop_ui import library

# The page address carries ``?session=<id>``: reopening it restores the session's autosave.
DRAFT_PARAM = "session"

_WORKING = "working_scenario"
_STATUS_QUO = "status_quo_scenario"
_REVISION = "scenario_revision"
_BOUND_KEYS = "scenario_widget_keys"
_PROBLEMS = "refused_widget_values"
_DRAFT_ID = "draft_id"
_AUTOSAVE = "autosave_status"
_RESTORED = "restored_from_autosave"


@dataclass(frozen=True)
class Autosave:
    """How the last autosave went: when it succeeded, or what stopped it."""

    saved_at: datetime | None
    problem: str | None = None


def ensure_state() -> None:
    """Give this session a working scenario and a status quo. Call first on every page."""
    if _WORKING in st.session_state:
        _keep_draft_id_in_address()
        return
    status_quo, working_scenario = _restore_or_default()
    _keep_draft_id_in_address()
    st.session_state[_STATUS_QUO] = status_quo
    st.session_state[_REVISION] = 0
    st.session_state[_BOUND_KEYS] = set()
    set_working(working_scenario)


def _restore_or_default() -> tuple[Scenario, Scenario]:
    """``(status quo, working scenario)`` for a new session.

    The autosave named in the page address if there is one (a refresh, a dropped connection or
    a server restart), else the shipped default example under a new autosave id.
    """
    requested = st.query_params.get(DRAFT_PARAM, "")
    if is_valid_draft_id(requested):
        st.session_state[_DRAFT_ID] = requested
        restored = default_store().load_draft(requested)
        if restored is not None:
            working_scenario, baseline = restored
            st.session_state[_RESTORED] = True
            return baseline, working_scenario
    else:
        st.session_state[_DRAFT_ID] = new_draft_id()
    default = library.default_scenario()
    return default, default


def _keep_draft_id_in_address() -> None:
    """Put the autosave id back in the address: moving between pages drops query parameters."""
    draft_id = st.session_state.get(_DRAFT_ID)
    if draft_id and st.query_params.get(DRAFT_PARAM) != draft_id:
        st.query_params[DRAFT_PARAM] = draft_id


def _autosave() -> None:
    """Save the working scenario and status quo under this session's id, server-side."""
    draft_id = st.session_state.get(_DRAFT_ID)
    if draft_id is None:
        return
    try:
        default_store().save_draft(draft_id, working(), status_quo())
    except StorageError as error:
        st.session_state[_AUTOSAVE] = Autosave(saved_at=None, problem=str(error))
    else:
        st.session_state[_AUTOSAVE] = Autosave(saved_at=datetime.now(UTC))


def autosave_status() -> Autosave | None:
    """The last autosave's outcome; None before the first one."""
    return st.session_state.get(_AUTOSAVE)


def was_restored() -> bool:
    """True once, on the first run of a session restored from its autosave."""
    return bool(st.session_state.pop(_RESTORED, False))


def working() -> Scenario:
    """The scenario the room is editing."""
    return st.session_state[_WORKING]


def status_quo() -> Scenario:
    """The scenario the working one was loaded from: what every change is compared against."""
    return st.session_state[_STATUS_QUO]


def revision() -> int:
    """How many times the working scenario has changed in this session."""
    return st.session_state[_REVISION]


def set_working(scenario: Scenario, *, keep_widget: str | None = None) -> None:
    """Make ``scenario`` the working scenario: the only way the working scenario changes.

    ``keep_widget`` is the key of the widget that made the change; its value already matches.
    Every other bound widget re-reads the scenario on the next run.
    """
    st.session_state[_WORKING] = scenario
    st.session_state[_REVISION] = st.session_state.get(_REVISION, 0) + 1
    st.session_state[_PROBLEMS] = {}
    for key in st.session_state.get(_BOUND_KEYS, set()) - {keep_widget}:
        if key in st.session_state:
            del st.session_state[key]
    _autosave()


def load(scenario: Scenario) -> None:
    """Start from ``scenario``: it becomes both the status quo and the working scenario."""
    st.session_state[_STATUS_QUO] = scenario
    set_working(scenario)


def back_to_status_quo() -> None:
    """Undo every change since the scenario was loaded."""
    set_working(status_quo())


def is_changed() -> bool:
    """Whether the working scenario differs from the status quo."""
    return working() != status_quo()


def bind_widget(key: str) -> None:
    """Register a widget whose value mirrors the working scenario (see :func:`set_working`)."""
    st.session_state[_BOUND_KEYS].add(key)


def record_problems(key: str, problems: list[str]) -> None:
    """Remember why the value in widget ``key`` was refused, until the scenario next changes."""
    st.session_state.setdefault(_PROBLEMS, {})[key] = problems


def problems(key: str) -> list[str]:
    """Why the last value in widget ``key`` was refused; empty if it was not."""
    return st.session_state.get(_PROBLEMS, {}).get(key, [])
