"""Keep a screen in step with its room without a click.

A page that shows the room calls :func:`watch` before it reads anything of the room. That
records the room's version the page is drawn from and hands the session to the process's
:class:`~workshop_ui.room_push.RoomWatcher`: one thread that reads each watched room's version
four times a second and reruns only the sessions of a room that moved on, and only while they
still show that page. An idle screen costs nothing: no timer in the browser, no rerun on the
server.

Where the watcher cannot reach the server's sessions (a bare script run, a test harness), the
page falls back to a fragment that checks the version every :data:`LIVE_SECONDS` from the
browser.
"""

from __future__ import annotations

import streamlit as st

from alignment.storage import StorageError
from workshop_ui import room_push, rooms

LIVE_SECONDS = 1.0


def watch(code: str) -> int:
    """Record the room's version for this run and follow the room; the version."""
    try:
        version = rooms.store().version(code)
    except StorageError:
        version = -1  # the page says what is wrong when it reads the room
    rooms.mark_seen(version)
    if not room_push.follow(code, version):
        _check(code)
    return version


def changed(code: str) -> bool:
    """Whether the room moved on since this session's page was drawn."""
    try:
        return rooms.store().version(code) != rooms.seen()
    except StorageError:
        return False


@st.fragment(run_every=LIVE_SECONDS)
def _check(code: str) -> None:
    if changed(code):
        st.rerun(scope="app")
