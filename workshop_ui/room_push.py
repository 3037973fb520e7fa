"""Rerun the screens of a room that moved on: one watcher thread per server process.

A screen that shows a room registers itself (:func:`follow`) with the version it was drawn
from. The watcher reads each followed room's version every :data:`POLL_SECONDS` (one small
record per room, not per screen) and, for a room that moved on, asks each of its screens to
rerun, as ``st.rerun()`` would: same page, same address, the widgets as the session holds them
(no widget values are sent, so nothing a person is typing or dragging is replaced). A session
that is running a script right now is asked again on the next tick; one that left the page or
disconnected is dropped. A rerun registers the screen again with the version it read.

The rerun goes through Streamlit's own session objects (the path a source-file change takes to
rerun a session), which have no public API; :func:`follow` returns False when they cannot be
reached, and the caller falls back to a check from the browser.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from alignment.room_store import default_rooms
from alignment.storage import StorageError

POLL_SECONDS = 0.25
# How long the watcher waits for a session's event loop to take a rerun request.
HANDOFF_SECONDS = 2.0

Outcome = Literal["rerun", "busy", "gone"]
_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Follower:
    """A screen showing room ``code`` as of ``version``, on the page ``page`` (its hash)."""

    code: str
    version: int
    page: str


class RoomWatcher:
    """Which session shows which room at which version, and the thread that reruns them."""

    def __init__(
        self,
        versions: Callable[[str], int],
        rerun: Callable[[str, str], Outcome],
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        self._versions, self._rerun, self._poll = versions, rerun, poll_seconds
        self._followers: dict[str, Follower] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def follow(self, session_id: str, follower: Follower) -> None:
        with self._lock:
            self._followers[session_id] = follower
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="room-watcher", daemon=True)
                self._thread.start()

    def followers(self) -> dict[str, Follower]:
        with self._lock:
            return dict(self._followers)

    def check_once(self) -> dict[str, Outcome]:
        """Rerun every session whose room moved on; what happened to each one asked."""
        followers = self.followers()
        current: dict[str, int | None] = {}
        for code in {f.code for f in followers.values()}:
            try:
                current[code] = self._versions(code)
            except StorageError:
                current[code] = None  # unreadable now: ask again on the next tick
        outcomes: dict[str, Outcome] = {}
        for session_id, follower in followers.items():
            version = current[follower.code]
            if version is None or version == follower.version:
                continue
            outcome = self._rerun(session_id, follower.page)
            outcomes[session_id] = outcome
            if outcome != "busy":
                with self._lock:  # unless the session registered again meanwhile
                    if self._followers.get(session_id) == follower:
                        del self._followers[session_id]
        return outcomes

    def _run(self) -> None:
        stop = threading.Event()
        while not stop.wait(self._poll):
            try:
                self.check_once()
            except Exception:  # the watcher must outlive any one bad tick
                _LOG.exception("the room watcher skipped a check")


def follow(code: str, version: int) -> bool:
    """Register this session's screen as showing room ``code`` at ``version``; False when
    the server's sessions cannot be reached (the caller then checks from the browser)."""
    return follow_value("version", _room_version, code, version)


def follow_value(name: str, read: Callable[[str], int], code: str, value: int) -> bool:
    """Rerun this session's screen once ``read(code)`` is no longer ``value``: one watcher
    thread per ``name`` (say, a room's version, or what its banner shows) for the process.
    False when the server's sessions cannot be reached."""
    context = _script_context()
    if context is None or _app_session(context.session_id) is None:
        return False
    watcher = _watcher(name, read)
    watcher.follow(context.session_id, Follower(code, value, context.page_script_hash))
    return True


def _room_version(code: str) -> int:
    return default_rooms().version(code)


_WATCHERS: dict[str, RoomWatcher] = {}
_WATCHER_LOCK = threading.Lock()


def _watcher(name: str, read: Callable[[str], int]) -> RoomWatcher:
    with _WATCHER_LOCK:
        if name not in _WATCHERS:
            _WATCHERS[name] = RoomWatcher(read, _rerun_session)
        return _WATCHERS[name]


# -- Streamlit's sessions ------------------------------------------------------------------


def _script_context() -> Any:
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
    except ImportError:
        return None
    return get_script_run_ctx(suppress_warning=True)


def _app_session(session_id: str) -> Any:
    try:
        from streamlit import runtime

        if not runtime.exists():
            return None
        info = runtime.get_instance()._session_mgr.get_active_session_info(session_id)
        session = info.session if info is not None else None
        return session if hasattr(session, "_event_loop") else None
    except (AttributeError, ImportError, RuntimeError):
        return None


def _rerun_session(session_id: str, page: str) -> Outcome:
    """Ask the session to rerun ``page`` on its own event loop, as ``st.rerun()`` would."""
    session = _app_session(session_id)
    if session is None:
        return "gone"
    try:
        future = asyncio.run_coroutine_threadsafe(
            _rerun_on_loop(session, page), session._event_loop
        )
        return future.result(timeout=HANDOFF_SECONDS)
    except (RuntimeError, TimeoutError, AttributeError):
        return "busy"  # the loop is closing or slow: the next tick decides


async def _rerun_on_loop(session: Any, page: str) -> Outcome:
    from streamlit.runtime.app_session import AppSessionState
    from streamlit.runtime.scriptrunner_utils.script_requests import RerunData

    if session._state == AppSessionState.SHUTDOWN_REQUESTED:
        return "gone"
    if session._scriptrunner is not None:
        return "busy"  # a run in progress (maybe another page): look again next tick
    state = session._client_state
    if state.page_script_hash != page:
        return "gone"  # the screen moved to a page that does not follow the room
    # No widget states: the session keeps the values it holds, as with st.rerun().
    session._create_scriptrunner(
        RerunData(
            query_string=state.query_string,
            page_script_hash=page,
            page_name=state.page_name,
            context_info=state.context_info if state.HasField("context_info") else None,
        )
    )
    return "rerun"
