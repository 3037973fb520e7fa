"""A session holds at most a few uploaded files, however many it sends.

Streamlit keeps every file a session uploads, under an id the browser picks, until the
browser deletes it or the session closes; nothing bounds how many. The workshop's uploaders
take one file each (a scenario on Overview and on Scenarios, a deal history on Calibrate), and
each copies what it needs the moment the file arrives, so a session never needs more than
:data:`MAX_FILES` files at once, nor more than the largest upload the server accepts plus a
scenario file or two.

:func:`install` (once per process) wraps the upload manager's ``add_file``: after each upload
the session's oldest files go until it is within both bounds. The newest file always stays
(the server has already refused one larger than its limit). The proxy limits how many uploads
a session and an address may send a minute (``hosted/haproxy.cfg``); this bounds what they
can hold.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from workshop_ui.layout import SCENARIO_UPLOAD_MB

MAX_FILES = 4
_MB = 1024 * 1024
_LOG = logging.getLogger(__name__)
_LOCK = threading.Lock()
_INSTALLED: bool | None = None  # None until tried on a running server


def max_bytes(server_upload_mb: int) -> int:
    """What a session may hold: the largest upload the server takes and two scenario files."""
    return (server_upload_mb + 2 * SCENARIO_UPLOAD_MB) * _MB


def keep_within(manager: Any, session_id: str, max_files: int, limit_bytes: int) -> list[str]:
    """Drop the session's oldest files until it holds at most ``max_files`` files and
    ``limit_bytes`` bytes (its newest file always stays); the ids of the files dropped."""
    held = list(manager.file_storage.get(session_id, {}).values())  # oldest first
    total = sum(len(record.data) for record in held)
    dropped: list[str] = []
    while len(held) > 1 and (len(held) > max_files or total > limit_bytes):
        oldest = held.pop(0)
        total -= len(oldest.data)
        manager.remove_file(session_id=session_id, file_id=oldest.file_id)
        dropped.append(oldest.file_id)
    return dropped


def bound(manager: Any, max_files: int, limit_bytes: int) -> None:
    """Make ``manager`` keep each session within ``max_files`` files and ``limit_bytes``."""
    if max_files < 1 or limit_bytes < 1:
        raise ValueError("a session must be allowed one file of at least one byte")
    add_file = manager.add_file

    def add_file_within_quota(session_id: str, file: Any) -> None:
        add_file(session_id=session_id, file=file)
        dropped = keep_within(manager, session_id, max_files, limit_bytes)
        if dropped:
            _LOG.warning("A session sent more uploads than it can hold; its %d oldest were "
                         "dropped.", len(dropped))  # fmt: skip

    manager.add_file = add_file_within_quota


def install() -> bool:
    """Bound the running server's upload manager (once per process); False without one."""
    global _INSTALLED
    with _LOCK:
        if _INSTALLED is not None:
            return _INSTALLED
        try:
            import streamlit as st
            from streamlit import runtime

            if not runtime.exists():
                return False
            manager = runtime.get_instance().uploaded_file_mgr
            limit = max_bytes(int(st.get_option("server.maxUploadSize")))
        except (AttributeError, ImportError, RuntimeError):
            return False
        _INSTALLED = hasattr(manager, "file_storage")  # tried once: reported once
        if _INSTALLED:
            bound(manager, MAX_FILES, limit)
        else:
            _LOG.warning("Streamlit's upload manager changed; uploads are not bounded per "
                         "session.")  # fmt: skip
        return _INSTALLED
