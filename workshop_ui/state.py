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

Controls bound to the scenario (see :mod:`workshop_ui.controls`) re-read it on every run, so
they stay in step after a load, a reset or a change made on another page. Form fields that
only take their first value from the scenario register with :func:`bind_widget` and are
emptied when the scenario is replaced.

An autosave is never overwritten by accident: an id the server did not issue is ignored, a
second live browser on the same address works on a copy, and an autosave that cannot be read
is moved aside (and the session continues under a new id) rather than replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import streamlit as st

from alignment import Scenario
from alignment.storage import StorageError, default_store, is_valid_draft_id
from workshop_ui import entry, library, sessions

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
_NOTICE = "autosave_notice"


@dataclass(frozen=True)
class Autosave:
    """How the last autosave went: when it succeeded, or what stopped it."""

    saved_at: datetime | None
    problem: str | None = None


def ensure_state() -> None:
    """Give this session a working scenario and a status quo. Call first on every page."""
    entry.through_app()
    if _WORKING in st.session_state:
        _keep_draft_id_in_address()
        return
    status_quo, working_scenario = _restore_or_default()
    _keep_draft_id_in_address()
    st.session_state[_STATUS_QUO] = status_quo
    st.session_state[_REVISION] = 0
    st.session_state[_BOUND_KEYS] = set()
    sessions.claim(st.session_state[_DRAFT_ID])
    set_working(working_scenario)


def _restore_or_default() -> tuple[Scenario, Scenario]:
    """``(status quo, working scenario)`` for a new session.

    The autosave named in the page address if there is one (a refresh, a dropped connection or
    a server restart), else the shipped default example under a new autosave id.
    """
    requested = st.query_params.get(DRAFT_PARAM, "")
    st.session_state[_DRAFT_ID] = sessions.new_id()
    default = library.default_scenario()
    if not requested:
        return default, default
    if not _may_open(requested):
        st.session_state[_NOTICE] = (
            "info", "That address named a session this server did not start, so you start "
            "from the example scenario under a new address.",
        )  # fmt: skip
        return default, default
    store = default_store()
    try:
        restored = store.load_draft(requested)
    except StorageError as error:
        st.session_state[_NOTICE] = ("warning", _unreadable_notice(requested, error))
        return default, default
    if restored is None:  # never saved, or saved on a server that has lost it
        return default, default
    working_scenario, baseline = restored
    if sessions.claim(requested):
        st.session_state[_DRAFT_ID] = requested
        st.session_state[_RESTORED] = True
    else:
        st.session_state[_NOTICE] = (
            "info", "This address is open in another browser, so you are working on your own "
            "copy of its scenario: your changes no longer change theirs. Share the new "
            "address in the bar to work on this copy elsewhere.",
        )  # fmt: skip
    return baseline, working_scenario


def _may_open(draft_id: str) -> bool:
    """An id this server issued; or an older unsigned id whose autosave already exists."""
    if sessions.is_issued(draft_id):
        return True
    return is_valid_draft_id(draft_id) and default_store().has_draft(draft_id)


def _unreadable_notice(draft_id: str, error: StorageError) -> str:
    """Move the unreadable autosave aside (the session goes on under a new id) and say so."""
    try:
        kept = default_store().set_aside_draft(draft_id)
    except StorageError:
        where = "it was left where it is"
    else:
        where = f"it was kept as {kept} in the workshop's data folder"
    return (
        f"Your autosaved work could not be read ({error}); {where}, untouched, so whoever runs "
        "the server can recover it. You start from the example scenario under a new address."
    )


def notice() -> tuple[str, str] | None:
    """Something the person must know about how their session was opened, until dismissed."""
    return st.session_state.get(_NOTICE)


def dismiss_notice() -> None:
    st.session_state.pop(_NOTICE, None)


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


def set_working(scenario: Scenario) -> None:
    """Make ``scenario`` the working scenario: the only way the working scenario changes.

    Controls re-read it on the next run; form fields registered with :func:`bind_widget` are
    emptied so they take their first value from it again.
    """
    st.session_state[_WORKING] = scenario
    st.session_state[_REVISION] = st.session_state.get(_REVISION, 0) + 1
    st.session_state[_PROBLEMS] = {}
    for key in st.session_state.get(_BOUND_KEYS, set()):
        st.session_state.pop(key, None)
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
    """Register a form field (no callback) that takes its first value from the scenario.

    Never register a widget with a callback: its key may be read by a callback queued in the
    same run as the change that would delete it.
    """
    st.session_state[_BOUND_KEYS].add(key)


def record_problems(key: str, problems: list[str]) -> None:
    """Remember why the value in widget ``key`` was refused, until the scenario next changes."""
    st.session_state.setdefault(_PROBLEMS, {})[key] = problems


def problems(key: str) -> list[str]:
    """Why the last value in widget ``key`` was refused; empty if it was not."""
    return st.session_state.get(_PROBLEMS, {}).get(key, [])
