"""Which room this session is in, who the person is there, and the address that says so.

The page address carries ``?room=<CODE>``; without it the session is in the default room.
A code in the address is checked on every run: a malformed, unknown or (for anyone but the
facilitator) closed code is refused with a message, and the session stays where it was. A
session that arrives in a room by its address still has to join it (name and role) before it
sees the room's proposals; a refresh rejoins it, since the participant id comes from the
session's autosave id (``?session=…``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import streamlit as st

from alignment.attempts import AttemptLimiter, AttemptPolicy, Verdict
from alignment.room_store import default_rooms
from alignment.rooms import (
    DEFAULT_ROOM,
    InvalidInputError,
    Participant,
    Room,
    RoomError,
    RoomNotFoundError,
    RoomStore,
    parse_code,
    parse_name,
    parse_role,
)
from alignment.scenario import Scenario
from alignment.sql_database import acting_as
from alignment.storage import ItemStore, Kind, StorageError, StoredScenario
from workshop_ui import access, state

ROOM_PARAM = "room"
ROLE_LABELS = {"leadership": "Leadership", "sales": "Sales", "marketing": "Marketing",
               "facilitator": "Facilitator"}  # fmt: skip
_CODE = "room_code"
_PROBLEM = "room_problem"
_SEEN = "room_version_seen"
_KEPT = "room_join_kept"
# Typos are free a few times; then each unknown code waits longer. With 31⁶ codes, walking
# them at even the whole server's limit would take centuries to find one room.
CODE_GUESSES = AttemptLimiter(
    AttemptPolicy(free_failures=5, first_delay=2.0, max_delay=300.0, server_failures=1000,
                  server_window=60.0, server_pause=60.0),
    noun="room join code",
)  # fmt: skip


@dataclass(frozen=True)
class Here:
    """The session's room and, once joined, who the person is in it."""

    room: Room
    participant: Participant | None

    @property
    def code(self) -> str:
        return self.room.code

    @property
    def may_see(self) -> bool:
        """The default room is open to all; another room to its participants and facilitator."""
        return self.room.is_default or self.participant is not None or access_facilitator()


def access_facilitator() -> bool:
    return access.hosted_mode() and access.is_facilitator()


def store() -> RoomStore:
    return default_rooms()


def participant_id() -> str:
    """This session's participant id: a hash of its autosave id, so a refresh keeps it."""
    draft_id = st.session_state.get("draft_id") or ""
    return hashlib.sha256(f"participant:{draft_id}".encode()).hexdigest()[:32]


def follow_address() -> None:
    """Enter the room the address names, if it may be entered; keep the address in step."""
    s = st.session_state
    current = s.get(_CODE, DEFAULT_ROOM)
    requested = st.query_params.get(ROOM_PARAM)
    if requested is None or requested == current:
        if current != DEFAULT_ROOM and requested is None:  # moving between pages drops it
            st.query_params[ROOM_PARAM] = current
        return
    try:
        code = parse_code(requested)
        room = _guessed_room(code)
        if room.read_only and not access.is_facilitator():
            raise RoomError(
                f"room {code} is closed and archived; only the facilitator can look at it"
            )
    except RoomError as error:
        shown = requested[:12]
        s[_PROBLEM] = f"The address names room “{shown}”, which cannot be opened: {error}."
        _set_address(current)
        return
    s[_CODE] = code
    s.pop(_SEEN, None)
    _set_address(code)


def _guessed_room(code: str) -> Room:
    """The room with ``code``; unknown codes count against this session's tries
    (:data:`CODE_GUESSES`), so nobody can walk the codes to find a room."""
    found: list[Room] = []
    missing: list[RoomNotFoundError] = []

    def exists() -> bool:
        try:
            found.append(store().room(code))
        except RoomNotFoundError as error:
            missing.append(error)
            return False
        return True

    attempt = CODE_GUESSES.attempt(access.session_key(), exists)
    if attempt.verdict is Verdict.REFUSED and attempt.wait is not None:
        raise RoomError(
            f"too many unknown join codes from this browser: wait "
            f"{access.wait_text(attempt.wait.seconds)} and check the code on the big screen"
        )
    if missing:
        raise missing[0]
    return found[0]


def _set_address(code: str) -> None:
    if code == DEFAULT_ROOM:
        st.query_params.pop(ROOM_PARAM, None)
    else:
        st.query_params[ROOM_PARAM] = code


def problem() -> str | None:
    """Why the room in the address was refused, once."""
    return st.session_state.pop(_PROBLEM, None)


def here() -> Here:
    """The session's room (the default room if its own can no longer be read)."""
    code = st.session_state.get(_CODE, DEFAULT_ROOM)
    try:
        room = store().room(code)
        participant = store().participants(code).get(participant_id())
    except StorageError as error:
        if code != DEFAULT_ROOM:
            st.session_state[_PROBLEM] = (
                f"Room {code} cannot be read ({error}); back to the default."
            )
            st.session_state[_CODE] = DEFAULT_ROOM
            _set_address(DEFAULT_ROOM)
        return Here(Room(DEFAULT_ROOM, "Default room", "open", datetime.now(UTC), 0), None)
    return Here(room, participant)


def items() -> ItemStore | None:
    """The proposals and saved scenarios of the session's room, every change recorded as this
    participant's in a database's audit log; None until the session has joined."""
    where = here()
    return _Attributed(store().items(where.code), participant_id()) if where.may_see else None


class _Attributed:
    """A room's items whose changes the audit log records as ``actor``'s (a participant id)."""

    def __init__(self, items: ItemStore, actor: str) -> None:
        self._items, self._actor = items, actor

    def __getattr__(self, name: str) -> Any:
        return getattr(self._items, name)

    def create(self, kind: Kind, scenario: Scenario) -> StoredScenario:
        with acting_as(self._actor):
            return self._items.create(kind, scenario)

    def update(self, kind: Kind, key: str, scenario: Scenario,
               expected_revision: int) -> StoredScenario:  # fmt: skip
        with acting_as(self._actor):
            return self._items.update(kind, key, scenario, expected_revision)

    def delete(self, kind: Kind, key: str, expected_revision: int) -> None:
        with acting_as(self._actor):
            self._items.delete(kind, key, expected_revision)


def join(name: str, role: str) -> str | None:
    """Join the session's room; None on success, else what to fix.

    Joining starts the person on the room's scenario. Changes they had made to another one are
    not lost: they are first saved in the room's library as "<name>'s plan before joining"
    (:func:`kept_on_joining` says so once).
    """
    where = here()
    try:
        role = parse_role(role)
        name = parse_name(name)
        if role == "facilitator" and not access.is_facilitator():
            raise InvalidInputError(
                "joining as the facilitator needs the facilitator passcode: unlock it under "
                "Facilitator in the sidebar first, or join with another role"
            )
        start_from = store().scenario(where.code)
        replaces = start_from is not None and state.status_quo() != start_from
        if replaces and state.is_changed():
            _keep_work(where.code, name)
        store().join(where.code, participant_id(), name, role)
    except StorageError as error:
        return str(error)
    if replaces and start_from is not None:
        state.load(start_from)
    return None


def _keep_work(code: str, name: str) -> None:
    working = state.working()
    title = f"{name}'s plan before joining"[:120]
    meta = working.metadata.model_copy(update={"name": title, "author": name})
    kept = working.model_copy(update={"metadata": meta})
    _Attributed(store().items(code), participant_id()).create("scenarios", kept)
    st.session_state[_KEPT] = title


def kept_on_joining() -> str | None:
    """The title under which joining kept the person's earlier changes, once."""
    return st.session_state.pop(_KEPT, None)


def open_room(room_name: str, your_name: str) -> str | None:
    """Open a room from the working scenario and join it as its facilitator; else what to fix."""
    if not access.is_facilitator():
        return "only the facilitator can open a room: unlock Facilitator in the sidebar first"
    try:
        your_name = parse_name(your_name)
        room = store().open_room(room_name, state.working())
        store().join(room.code, participant_id(), your_name, "facilitator")
    except StorageError as error:
        return str(error)
    enter(room.code)
    state.load(state.working())  # the room's scenario is the status quo everyone compares with
    return None


def enter(code: str) -> None:
    """Move this session into room ``code`` (already checked)."""
    st.session_state[_CODE] = code
    st.session_state.pop(_SEEN, None)
    _set_address(code)


def leave() -> None:
    enter(DEFAULT_ROOM)


def mark_seen(version: int) -> None:
    """The room version this run is showing; the live check reruns when it moves on."""
    st.session_state[_SEEN] = version


def seen() -> int | None:
    return st.session_state.get(_SEEN)
