"""Deleting autosaves nobody has touched for a while, so drafts do not pile up forever.

Every session autosaves under its own id, and a session that is never reopened leaves its
draft behind. :func:`purge_drafts` deletes those not saved for a given time (30 days unless
``ALIGNMENT_DRAFT_RETENTION_DAYS`` says otherwise) from either store: the data folder's
``drafts/`` or the workshop database's drafts table. Drafts set aside as unreadable are kept
for whoever runs the server.

In the folder a purge never takes a draft that is being saved: each old draft is first renamed
out of the way, checked again, and put back if a save reached it in between.

The workshop database purges on start; from the command line (e.g. nightly, for a folder)::

    .venv/bin/python -m alignment.draft_cleanup            # the store the environment names
    .venv/bin/python -m alignment.draft_cleanup --days 7
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from alignment.storage_files import fsync_folder, thread_lock
from alignment.storage_format import StorageError

RETENTION_ENV = "ALIGNMENT_DRAFT_RETENTION_DAYS"
DEFAULT_RETENTION = timedelta(days=30)
DRAFTS = "drafts"
_DRAFT = re.compile(r"(?P<id>[A-Za-z0-9_-]{22,64})\.json")
# A save's temporary file, left behind only by a process that died mid-write.
_TEMPORARY = re.compile(r"\.[A-Za-z0-9_-]{22,64}\.json\.[0-9a-f]{8}\.tmp")


class PurgesDrafts(Protocol):
    def purge_drafts(self, older_than: timedelta) -> int: ...


class HasRoot(Protocol):
    @property
    def root(self) -> Path: ...


def retention_from_environment() -> timedelta | None:
    """How long an untouched autosave is kept: ``ALIGNMENT_DRAFT_RETENTION_DAYS`` (a whole
    number of days; ``0`` keeps drafts forever), else 30 days."""
    text = os.environ.get(RETENTION_ENV, "").strip()
    if not text:
        return DEFAULT_RETENTION
    if not text.isdigit():
        raise StorageError(
            f"{RETENTION_ENV} is {text[:20]!r}; write a whole number of days (0 keeps drafts "
            "forever)"
        )
    days = int(text)
    return None if days == 0 else timedelta(days=days)


def purge_drafts(store: PurgesDrafts | HasRoot, older_than: timedelta) -> int:
    """Delete the store's autosaves not saved for ``older_than``; how many went."""
    if older_than <= timedelta(0):
        raise ValueError("keep drafts for a positive time; a purge would delete live sessions")
    if hasattr(store, "purge_drafts"):
        return store.purge_drafts(older_than)
    assert hasattr(store, "root")
    return purge_folder_drafts(Path(store.root), older_than)


def purge_folder_drafts(root: Path, older_than: timedelta) -> int:
    """Delete ``<root>/drafts/<id>.json`` files last written before ``older_than`` ago (and
    temporary files a crashed save left); how many drafts went."""
    folder = Path(root).resolve() / DRAFTS
    cutoff = (datetime.now(UTC) - older_than).timestamp()
    try:
        names = sorted(entry.name for entry in os.scandir(folder) if entry.is_file())
    except FileNotFoundError:
        return 0
    gone = 0
    for name in names:
        path = folder / name
        if _TEMPORARY.fullmatch(name):
            if _older(path, cutoff):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
            continue
        if _DRAFT.fullmatch(name) and _older(path, cutoff):
            # The store's own lock for this draft: no save in this process lands meanwhile.
            with thread_lock(str(path)):
                gone += _purge_one(path, cutoff)
    if gone:
        fsync_folder(folder)
    return gone


def _purge_one(path: Path, cutoff: float) -> int:
    """Delete one old draft unless a save (from another process) reached it meanwhile."""
    aside = path.with_name(f".purge-{path.stem}-{secrets.token_hex(4)}.json")
    try:
        os.rename(path, aside)
    except FileNotFoundError:
        return 0
    if _older(aside, cutoff):
        aside.unlink()
        return 1
    # A save replaced the draft between the look and the rename: put the fresh draft back,
    # unless an even newer save has already written one.
    with contextlib.suppress(FileExistsError):
        os.link(aside, path)
    aside.unlink()
    return 0


def _older(path: Path, cutoff: float) -> bool:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_mtime < cutoff


def main(argv: list[str] | None = None) -> int:
    """Purge the drafts of the store the environment names; say how many went."""
    parser = argparse.ArgumentParser(
        prog="python -m alignment.draft_cleanup",
        description="Delete autosaves nobody has saved for a number of days.",
    )
    parser.add_argument("--days", type=int, help=f"default: {RETENTION_ENV}, else 30")
    args = parser.parse_args(argv)
    retention = timedelta(days=args.days) if args.days else retention_from_environment()
    if retention is None:
        print(f"{RETENTION_ENV}=0 keeps drafts forever; nothing deleted")
        return 0
    url = os.environ.get("ALIGNMENT_DATABASE_URL", "").strip()
    if url:
        from alignment.sql_database import Database, upgrade
        from alignment.sql_store import SqlStore

        database = Database(url)
        try:
            upgrade(database)
            gone = purge_drafts(SqlStore(database), retention)
        finally:
            database.dispose()
    else:
        from alignment.storage import default_store

        gone = purge_drafts(default_store(), retention)
    print(f"deleted {gone} autosaves not saved for {retention.days} days")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
