"""Sessions whose browser has gone are closed after a grace period, and what they held freed.

Streamlit keeps a disconnected session (its state and its uploaded files) for a browser that
comes back, but it forgets one only when another disconnects after its two minutes, and
forgetting it never closes it: its uploaded files then stay in memory for good. Here one
thread per process looks every :data:`EVERY_SECONDS` and closes each session that has been
disconnected for the grace period (``ALIGNMENT_SESSION_GRACE_SECONDS``, default
:data:`DEFAULT_GRACE_SECONDS`), as Streamlit closes one on shutdown: its session state, its
uploads, its media files and its session caches go. Uploads of a session the server no longer
holds at all are dropped too. Then glibc is asked to give the freed pages back
(:func:`workshop_ui.allocator.give_back`).

A browser that comes back within the grace period finds its session as it left it; one that
comes back later starts a new session, which restores the person's work from its autosave.

Decisions are plain Python (:class:`Reaper`, tested with a fake clock); reaching Streamlit's
sessions needs its runtime's session manager and event loop, which have no public API:
:func:`start` returns False when they cannot be reached, and nothing is closed.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from workshop_ui import allocator

GRACE_ENV = "ALIGNMENT_SESSION_GRACE_SECONDS"
DEFAULT_GRACE_SECONDS = 30
# Streamlit stops listing a disconnected session after 120 s without closing it: close ours
# before then.
MAX_GRACE_SECONDS = 100
EVERY_SECONDS = 5.0
# How long the thread waits for the server's event loop to run a sweep.
HANDOFF_SECONDS = 10.0

_LOG = logging.getLogger(__name__)
_LOCK = threading.Lock()
_STARTED = False


@dataclass(frozen=True)
class Sessions:
    """The server's sessions at one moment, by id."""

    connected: frozenset[str]
    disconnected: frozenset[str]  # kept for a browser that comes back
    with_uploads: frozenset[str]  # sessions the upload manager holds files for


@dataclass(frozen=True)
class Sweep:
    """What one look decided."""

    close: tuple[str, ...] = ()  # disconnected for the grace period or longer
    drop_uploads: tuple[str, ...] = ()  # uploads of sessions the server no longer holds

    def __bool__(self) -> bool:
        return bool(self.close or self.drop_uploads)


class Reaper:
    """Which sessions to close: those seen disconnected for ``grace`` seconds or more."""

    def __init__(self, grace: float, clock: Callable[[], float] = time.monotonic) -> None:
        if not 0 <= grace <= MAX_GRACE_SECONDS:
            raise ValueError(f"grace: from 0 to {MAX_GRACE_SECONDS} seconds, not {grace}")
        self.grace, self._clock = grace, clock
        self._gone_since: dict[str, float] = {}

    def sweep(self, sessions: Sessions) -> Sweep:
        now = self._clock()
        # A session that came back, or was closed meanwhile, starts afresh if it goes again.
        for session_id in self._gone_since.keys() - sessions.disconnected:
            del self._gone_since[session_id]
        for session_id in sessions.disconnected:
            self._gone_since.setdefault(session_id, now)
        close = tuple(sorted(
            session_id for session_id, since in self._gone_since.items()
            if now - since >= self.grace
        ))  # fmt: skip
        for session_id in close:
            del self._gone_since[session_id]
        held = sessions.connected | sessions.disconnected
        return Sweep(close, tuple(sorted(sessions.with_uploads - held)))


def grace_from_environment() -> float:
    """The grace period in seconds; a bad setting is logged and the default used."""
    text = os.environ.get(GRACE_ENV, "").strip()
    if not text:
        return DEFAULT_GRACE_SECONDS
    if text.isascii() and text.isdigit() and int(text) <= MAX_GRACE_SECONDS:
        return int(text)
    _LOG.warning("%s=%r: use a whole number of seconds from 0 to %d; using %d.", GRACE_ENV,
                 text, MAX_GRACE_SECONDS, DEFAULT_GRACE_SECONDS)  # fmt: skip
    return DEFAULT_GRACE_SECONDS


def start() -> bool:
    """Start the reaper thread (once per process); False without a Streamlit server."""
    global _STARTED
    with _LOCK:
        if _STARTED:
            return True
        if _server() is None:
            return False
        _STARTED = True
    reaper = Reaper(grace_from_environment())
    threading.Thread(target=_run, args=(reaper,), name="session-reaper", daemon=True).start()
    return True


def _run(reaper: Reaper) -> None:
    stop = threading.Event()
    while not stop.wait(EVERY_SECONDS):
        try:
            sweep_once(reaper)
        except Exception:  # the reaper must outlive any one bad sweep
            _LOG.exception("the session reaper skipped a sweep")


def sweep_once(reaper: Reaper) -> Sweep:
    """Look once, close and drop what the reaper decides, and give the memory back."""
    server = _server()
    if server is None:
        return Sweep()
    runtime, loop = server
    sweeping = _sweep_on_loop(runtime, reaper)
    try:
        done = asyncio.run_coroutine_threadsafe(sweeping, loop)
    except RuntimeError:
        sweeping.close()
        if loop.is_closed():  # the server is stopping: nothing left to sweep
            return Sweep()
        raise
    sweep = done.result(timeout=HANDOFF_SECONDS)
    if sweep:
        gc.collect()  # a closed session's objects refer to each other
        allocator.give_back()
        _LOG.info("Closed %d session(s) gone for %s s or more; dropped the uploads of %d "
                  "session(s) no longer held.", len(sweep.close), reaper.grace,
                  len(sweep.drop_uploads))  # fmt: skip
    return sweep


async def _sweep_on_loop(runtime: Any, reaper: Reaper) -> Sweep:
    # On the server's event loop, where Streamlit changes its sessions: nothing moves meanwhile.
    manager = runtime._session_mgr
    connected = frozenset(info.session.id for info in manager.list_active_sessions())
    every = frozenset(info.session.id for info in manager.list_sessions())
    uploads = runtime.uploaded_file_mgr
    sweep = reaper.sweep(
        Sessions(connected, every - connected, frozenset(getattr(uploads, "file_storage", ())))
    )
    for session_id in sweep.close:
        runtime.close_session(session_id)
    for session_id in sweep.drop_uploads:
        uploads.remove_session_files(session_id)
    return sweep


def _server() -> tuple[Any, asyncio.AbstractEventLoop] | None:
    """Streamlit's runtime and its event loop, when this process is a running server."""
    try:
        from streamlit import runtime

        if not runtime.exists():
            return None
        instance = runtime.get_instance()
        if not hasattr(instance._session_mgr, "list_sessions"):  # Streamlit moved it
            return None
        return instance, instance._get_async_objs().eventloop
    except (AttributeError, ImportError, RuntimeError):
        return None
