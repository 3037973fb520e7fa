"""Work a server does on a schedule, in one background thread per process.

Every :data:`EVERY_SECONDS` (and once shortly after the process starts) the autosaves nobody
has saved for the retention period (``ALIGNMENT_DRAFT_RETENTION_DAYS``, 30 days by default; 0
keeps them) are deleted from the store, with the temporary files a crashed save left behind.
A failure is logged and the next round tries again; it never reaches a page.
"""

from __future__ import annotations

import logging
import threading

from alignment.draft_cleanup import purge_drafts, retention_from_environment
from alignment.storage import StorageError, default_store

EVERY_SECONDS = 6 * 3600.0
FIRST_AFTER_SECONDS = 60.0
_LOG = logging.getLogger(__name__)
_STARTED = threading.Event()
_LOCK = threading.Lock()


def purge_old_drafts() -> int | None:
    """One round: how many autosaves went (None when drafts are kept forever or it failed)."""
    try:
        retention = retention_from_environment()
        if retention is None:
            return None
        gone = purge_drafts(default_store(), retention)
    except (StorageError, OSError, ValueError) as error:
        _LOG.warning("Old autosaves were not cleaned up this round: %s", error)
        return None
    if gone:
        _LOG.info("Deleted %d autosaves not saved for %s.", gone, retention)
    return gone


def start() -> None:
    """Start the schedule (once per process)."""
    with _LOCK:
        if _STARTED.is_set():
            return
        _STARTED.set()
    threading.Thread(target=_run, name="housekeeping", daemon=True).start()


def _run() -> None:
    wait = FIRST_AFTER_SECONDS
    stop = threading.Event()
    while not stop.wait(wait):
        purge_old_drafts()
        wait = EVERY_SECONDS
