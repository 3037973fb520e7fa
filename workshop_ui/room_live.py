"""Keep a screen in step with its room without a click: a cheap check of the room's version.

A page that shows the room calls :func:`watch` before it reads anything of the room. That
records the version the page is drawn from and starts a fragment that, every
:data:`LIVE_SECONDS`, reads the room's version record (one small file, parsed only when it
changed) and draws nothing. Only when the version moved does it rerun the page, which then
shows the new proposals, votes or screen choice; an idle screen costs one tiny read per tick.
"""

from __future__ import annotations

import streamlit as st

from alignment.storage import StorageError
from workshop_ui import rooms

LIVE_SECONDS = 1.0


def watch(code: str) -> int:
    """Record the room's version for this run and keep checking it; the version."""
    try:
        version = rooms.store().version(code)
    except StorageError:
        version = -1  # the page says what is wrong when it reads the room
    rooms.mark_seen(version)
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
