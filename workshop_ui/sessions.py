"""Which browser holds which autosave: ids the server issued, one live browser per id.

An autosave id (``?session=<id>``) is accepted only if this server issued it (see
:mod:`alignment.session_ids`); the signing secret comes from ``ALIGNMENT_SESSION_SECRET`` or,
without it, from a file in the data folder that every server process on that folder shares.

Two live browsers on one id would both autosave to it and the last write would win, so the
second browser to open an address gets its own copy (:func:`held_elsewhere`). Holders are
tracked in this process: a deployment with several processes routes each id to one process.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
import time
from functools import lru_cache
from pathlib import Path

from streamlit import runtime
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from alignment import session_ids
from alignment.storage import default_store

SECRET_ENV = "ALIGNMENT_SESSION_SECRET"
SECRET_FILE = ".session_secret"
# A refresh closes the old connection just before the new one opens; give it this long.
_HANDOVER_SECONDS = 1.5

_log = logging.getLogger(__name__)
_holders: dict[str, str] = {}
_holders_guard = threading.Lock()


def new_id() -> str:
    return session_ids.issue(_secret())


def is_issued(draft_id: object) -> bool:
    return session_ids.is_issued(draft_id, _secret())


def claim(draft_id: str) -> bool:
    """Make this browser the holder of ``draft_id``; False if another live browser holds it."""
    me = _this_session()
    if me is None:  # no server runtime (scripted tests): nothing else can hold it
        return True
    deadline = time.monotonic() + _HANDOVER_SECONDS
    while True:
        with _holders_guard:
            holder = _holders.get(draft_id)
            if holder is None or holder == me or not _is_live(holder):
                _holders[draft_id] = me
                return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)


def _this_session() -> str | None:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None and runtime.exists() else None


def _is_live(session_id: str) -> bool:
    return runtime.get_instance().is_active_session(session_id)


def _secret() -> bytes:
    from_env = os.environ.get(SECRET_ENV, "").strip().encode("utf-8")
    if len(from_env) >= session_ids.MIN_SECRET_BYTES:
        return from_env
    if from_env:
        _log.error("%s is shorter than %d bytes; ignoring it", SECRET_ENV,
                   session_ids.MIN_SECRET_BYTES)  # fmt: skip
    return _secret_in(default_store().root.resolve() / SECRET_FILE)


@lru_cache(maxsize=8)
def _secret_in(path: Path) -> bytes:
    try:
        return session_ids.load_or_create_secret(path)
    except OSError as error:
        # Ids then stay valid for this process only: a restart cannot restore autosaves.
        _log.warning("cannot keep the session secret in %s (%s); using one for this process",
                     path, error)  # fmt: skip
        return secrets.token_bytes(32)
