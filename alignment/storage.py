"""Where saved scenarios, proposals and session drafts live.

One small interface (:class:`Store`) with a local folder as the default implementation, so a
deployment with several servers can put a database behind the same calls later.

Every file the store writes (see :mod:`alignment.storage_format`) is written atomically
(temporary file in the same folder, fsync, rename; see :mod:`alignment.storage_files`) and read
back through the same gate as an uploaded file, so a damaged or planted file can never reach
the model. Item keys and draft ids are made by the store and checked against strict patterns; every
path is resolved and must stay inside the store's root.

Nothing is lost silently: a file that cannot be read is listed as unreadable (with the file and
the fix) and logged, never skipped; an unreadable draft raises :class:`DraftUnreadableError`
rather than passing for a missing one; and every failure of the file system becomes a
:class:`StorageError` that names what failed and what to do.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import secrets
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, get_args

from alignment.scenario import Scenario
from alignment.storage_files import (
    NotAFileError,
    Signature,
    locked,
    move_aside,
    read_bounded,
    remove,
    thread_lock,
    write_atomically,
)
from alignment.storage_format import (
    MAX_STORED_BYTES,
    ConflictError,
    DraftUnreadableError,
    Listing,
    NotFoundError,
    StorageError,
    StoredScenario,
    UnreadableError,
    UnreadableItem,
    checked_scenario_data,
    draft_bytes,
    draft_from_bytes,
    item_bytes,
    item_from_bytes,
)

if TYPE_CHECKING:
    from alignment.sql_store import SqlStore

__all__ = [
    "KINDS",
    "ConflictError",
    "DraftUnreadableError",
    "ItemStore",
    "Kind",
    "Listing",
    "LocalFolderStore",
    "NotFoundError",
    "StorageError",
    "Store",
    "StoredScenario",
    "UnreadableError",
    "UnreadableItem",
    "default_store",
    "is_valid_draft_id",
    "is_valid_key",
    "new_draft_id",
]

Kind = Literal["scenarios", "proposals"]
KINDS: tuple[str, ...] = get_args(Kind)

KEY_PATTERN = re.compile(r"[0-9]{8}-[0-9]{6}-[0-9a-f]{6}")
DRAFT_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{22,64}")
SUFFIX = ".yaml"
DRAFTS = "drafts"
UNREADABLE_DRAFTS = "unreadable"
LOCKS = ".locks"
ROOMS = "rooms"
ROOM_PATTERN = re.compile(r"[A-Za-z0-9_]{1,16}")

_log = logging.getLogger(__name__)


class ItemStore(Protocol):
    """Saved scenarios and proposals: all of a server's, or one room's."""

    def list(self, kind: Kind) -> list[StoredScenario]: ...

    def listing(self, kind: Kind) -> Listing: ...

    def get(self, kind: Kind, key: str) -> StoredScenario: ...

    def create(self, kind: Kind, scenario: Scenario) -> StoredScenario: ...

    def update(
        self, kind: Kind, key: str, scenario: Scenario, expected_revision: int
    ) -> StoredScenario: ...

    def delete(self, kind: Kind, key: str, expected_revision: int) -> None: ...


class Store(ItemStore, Protocol):
    def save_draft(self, draft_id: str, scenario: Scenario, baseline: Scenario) -> None: ...

    def load_draft(self, draft_id: str) -> tuple[Scenario, Scenario] | None: ...

    def has_draft(self, draft_id: str) -> bool: ...

    def set_aside_draft(self, draft_id: str) -> str: ...


def new_draft_id() -> str:
    """An unguessable, URL-safe id for one session's autosave (32 characters)."""
    return secrets.token_urlsafe(24)


def is_valid_draft_id(text: str) -> bool:
    return isinstance(text, str) and DRAFT_ID_PATTERN.fullmatch(text) is not None


def is_valid_key(text: str) -> bool:
    return isinstance(text, str) and KEY_PATTERN.fullmatch(text) is not None


def default_store() -> LocalFolderStore | SqlStore:
    """The workshop database if ``ALIGNMENT_DATABASE_URL`` names one (see
    :mod:`alignment.sql_store`), else the folder named by ``ALIGNMENT_DATA_DIR``, else
    ``./workshop_data``."""
    if os.environ.get("ALIGNMENT_DATABASE_URL", "").strip():
        from alignment.sql_store import sql_store

        return sql_store()
    return LocalFolderStore(Path(os.environ.get("ALIGNMENT_DATA_DIR") or "workshop_data"))


class LocalFolderStore:
    """A :class:`Store` in a local folder.

    Items live in ``<root>/<kind>/<key>.yaml`` (a room's in ``<root>/rooms/<room>/<kind>/``,
    see :mod:`alignment.room_store`), drafts in ``<root>/drafts/<id>.json`` (those
    that could not be read are set aside in ``<root>/drafts/unreadable/``) and lock files in
    ``<root>/.locks/``.
    """

    def __init__(self, root: Path, room: str | None = None) -> None:
        self.root = Path(root)
        # Items of a room live under ``rooms/<room>/``; those of the default room at the top.
        if room is not None and ROOM_PATTERN.fullmatch(room) is None:
            raise StorageError(f"{room[:20]!r} is not a room's folder name")
        self.room = room
        self._items = f"{ROOMS}/{room}/" if room else ""

    # -- items -------------------------------------------------------------------------------

    def list(self, kind: Kind) -> list[StoredScenario]:
        """Every readable item of ``kind``, newest first (:meth:`listing` names the others)."""
        return [*self.listing(kind).items]

    def listing(self, kind: Kind) -> Listing:
        """Every item of ``kind``: the readable newest first, and each unreadable one by file.

        Files that are not items (notes, a save's temporary file) are left alone; a ``.yaml``
        file under a name the store never gives is listed as unreadable, since it may hold work.
        Each unreadable file is logged as a warning when it is first seen (or changes).
        """
        folder = self._folder(kind)
        try:
            with os.scandir(folder) as entries:
                names = sorted(entry.name for entry in entries)
        except FileNotFoundError:
            return Listing()
        except OSError as error:
            problem = self._os_problem(f"list the saved {kind}", error, writing=False)
            raise StorageError(problem) from None
        items, unreadable = [], []
        for name in names:
            if name.startswith(".") or not name.endswith(SUFFIX):
                continue
            key = name.removesuffix(SUFFIX)
            try:
                items.append(self._get_named(kind, name))
            except NotFoundError:
                continue  # deleted since the folder was read
            except UnreadableError as error:
                found = UnreadableItem(
                    key if is_valid_key(key) else None, error.file, error.reason, error.fix
                )
                unreadable.append(found)
                _report_once(folder / name, str(error))
            else:
                _forget_report(folder / name)
        items.sort(key=lambda item: (item.saved_at, item.key), reverse=True)
        return Listing(tuple(items), tuple(unreadable))

    def get(self, kind: Kind, key: str) -> StoredScenario:
        """The item; NotFoundError if there is none, UnreadableError if it cannot be read."""
        _require_key(key)
        return self._get_named(kind, f"{key}{SUFFIX}")

    def create(self, kind: Kind, scenario: Scenario) -> StoredScenario:
        data, scenario = checked_scenario_data(scenario)
        with self._os_errors(f"save the new {_noun(kind)}"):
            for _ in range(20):
                now = datetime.now(UTC)
                key = f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
                path = self._item_path(kind, key)
                with self._locked(kind, key):
                    if os.path.lexists(path):
                        continue  # never overwrite; draw another key
                    stored = StoredScenario(key, scenario, 1, now)
                    _cache_put(str(path), write_atomically(path, item_bytes(stored, data)), stored)
                    return stored
        raise StorageError("could not find a free name to save under; try again in a second")

    def update(
        self, kind: Kind, key: str, scenario: Scenario, expected_revision: int
    ) -> StoredScenario:
        path = self._item_path(kind, key)
        with self._os_errors(f"save {_noun(kind)} {key}"), self._locked(kind, key):
            current = self.get(kind, key)
            _require_revision(current, expected_revision)
            # Checked inside the lock so a save that lost the race fails fast, without it.
            data, scenario = checked_scenario_data(scenario)
            stored = StoredScenario(key, scenario, current.revision + 1, datetime.now(UTC))
            _cache_put(str(path), write_atomically(path, item_bytes(stored, data)), stored)
            return stored

    def delete(self, kind: Kind, key: str, expected_revision: int) -> None:
        path = self._item_path(kind, key)
        with self._os_errors(f"delete {_noun(kind)} {key}"), self._locked(kind, key):
            current = self.get(kind, key)
            _require_revision(current, expected_revision)
            remove(path)

    # -- drafts ------------------------------------------------------------------------------

    def save_draft(self, draft_id: str, scenario: Scenario, baseline: Scenario) -> None:
        """Autosave one session's working scenario and its baseline; the last write wins.

        Drafts are written on every change a participant makes, so they are JSON straight from
        the validated models (about a millisecond) rather than YAML checked by a round trip
        (tens of milliseconds): nobody edits a draft by hand, and loading validates it fully.
        """
        path = self._draft_path(draft_id)
        text = draft_bytes(scenario, baseline)
        with self._os_errors("autosave your work"), thread_lock(self._draft_lock(draft_id)):
            write_atomically(path, text)

    def load_draft(self, draft_id: str) -> tuple[Scenario, Scenario] | None:
        """``(working, baseline)``, or None when there is no draft under this id.

        Raises
        ------
        DraftUnreadableError
            The draft is there but cannot be read, parsed or validated; it is left untouched
            (see :meth:`set_aside_draft`).
        """
        if not is_valid_draft_id(draft_id):
            return None  # no file can have this name
        file = f"{DRAFTS}/{draft_id}.json"
        try:
            read = self._read(self._draft_path(draft_id), file)
            return None if read is None else draft_from_bytes(read[1], file)
        except UnreadableError as error:
            problem = (
                error
                if isinstance(error, DraftUnreadableError)
                else DraftUnreadableError(file, error.reason)
            )
        _log.warning("unreadable draft %s: %s", self.root / file, problem.reason)
        raise problem

    def has_draft(self, draft_id: str) -> bool:
        """True when a draft file (readable or not) exists under this id."""
        return is_valid_draft_id(draft_id) and os.path.lexists(
            self.root / DRAFTS / f"{draft_id}.json"
        )

    def set_aside_draft(self, draft_id: str) -> str:
        """Move the draft to ``drafts/unreadable/<id>-<UTC time>.json``; that path, as text.

        The move is an atomic rename that never overwrites a file, so an unreadable draft is
        kept for whoever runs the server while the session starts afresh. Raises StorageError
        if there is no such draft or it cannot be moved.
        """
        if not is_valid_draft_id(draft_id):
            raise NotFoundError("not a valid draft id, so there is no draft to set aside")
        source = self.root / DRAFTS / f"{draft_id}.json"
        folder = self._inside(self.root / DRAFTS / UNREADABLE_DRAFTS, "the unreadable drafts")
        stem = f"{draft_id}-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
        with (
            self._os_errors("set the unreadable draft aside"),
            thread_lock(self._draft_lock(draft_id)),
        ):
            if not os.path.lexists(source):
                raise NotFoundError(f"there is no draft {DRAFTS}/{draft_id}.json to set aside")
            target = move_aside(source, folder, stem, ".json")
        kept = target.relative_to(self.root.resolve()).as_posix()
        _log.warning("unreadable draft %s set aside as %s", source, kept)
        return kept

    # -- paths -------------------------------------------------------------------------------

    def _folder(self, kind: str) -> Path:
        if kind not in KINDS:
            raise StorageError(f"unknown kind {str(kind)[:40]!r}; use one of {list(KINDS)}")
        return self._inside(self.root / f"{self._items}{kind}", kind)

    def _item_path(self, kind: Kind, key: str) -> Path:
        _require_key(key)
        file = f"{self._items}{kind}/{key}{SUFFIX}"
        return self._file_inside(self._folder(kind) / f"{key}{SUFFIX}", file)

    def _draft_path(self, draft_id: str) -> Path:
        if not is_valid_draft_id(draft_id):
            raise StorageError(
                "not a valid draft id; start a new session to get one (new_draft_id())"
            )
        file = f"{DRAFTS}/{draft_id}.json"
        return self._file_inside(
            self._inside(self.root / DRAFTS, DRAFTS) / f"{draft_id}.json", file
        )

    def _draft_lock(self, draft_id: str) -> str:
        """One name per draft however the root is spelled, shared by saving and setting aside."""
        return str(self._inside(self.root, "the data folder") / DRAFTS / f"{draft_id}.json")

    def _inside(self, path: Path, what: str) -> Path:
        """``path`` if it (after following any symlinks) stays inside the root."""
        try:
            root, resolved = self.root.resolve(), path.resolve()
        except (OSError, RuntimeError):  # a link that loops
            raise StorageError(
                f"{what[:40]!r} cannot be resolved (a link that loops); remove the link"
            ) from None
        if not resolved.is_relative_to(root):
            raise StorageError(
                f"{what[:40]!r} resolves outside the data folder {root}; remove the link that "
                "points elsewhere"
            )
        return resolved

    def _file_inside(self, path: Path, file: str) -> Path:
        """Like :meth:`_inside`, for one saved file: a link elsewhere makes it unreadable."""
        try:
            return self._inside(path, file)
        except StorageError:
            raise UnreadableError(
                file,
                "it is a link that points outside the data folder (or loops)",
                f"remove the link {file} from the data folder",
            ) from None

    # -- files -------------------------------------------------------------------------------

    def _get_named(self, kind: Kind, name: str) -> StoredScenario:
        key, file = name.removesuffix(SUFFIX), f"{self._items}{kind}/{name}"
        if not is_valid_key(key):
            raise UnreadableError(
                file,
                "its name is not one the app gives a saved item (like 20261126-142501-3f9a2c.yaml)",
                "rename it to such a name, or move it out of the data folder",
            )
        path = self._file_inside(self._folder(kind) / name, file)
        read = self._read(path, file)
        if read is None:
            raise NotFoundError(
                f"no saved {_noun(kind)} {key!r}; it may have been deleted, so reload the list"
            )
        signature, raw = read
        cached = _cache_get(str(path), signature)
        if isinstance(cached, UnreadableError):
            raise UnreadableError(cached.file, cached.reason, cached.fix)
        if cached is not None:
            return cached
        try:
            stored = item_from_bytes(key, raw, file)
        except UnreadableError as error:
            # A fresh copy: the raised one holds its frames, and with them the file's bytes.
            _cache_put(str(path), signature, UnreadableError(error.file, error.reason, error.fix))
            raise
        _cache_put(str(path), signature, stored)
        return stored

    @contextlib.contextmanager
    def _os_errors(self, action: str) -> Iterator[None]:
        """Turn a failure of the file system into a StorageError naming the action and fix."""
        try:
            yield
        except OSError as error:
            raise StorageError(self._os_problem(action, error)) from None

    def _os_problem(self, action: str, error: OSError, *, writing: bool = True) -> str:
        reason = error.strerror or str(error)
        if not writing:
            fix = (
                f"the data folder {self.root} is missing or not readable by the app; ask "
                "whoever runs the server to fix its permissions"
            )
        elif error.errno in (errno.ENOSPC, errno.EDQUOT):
            fix = (
                "the server's disk is full; ask whoever runs it to free disk space, or "
                "download your scenario to keep it"
            )
        else:
            fix = (
                f"the data folder {self.root} is read-only or not writable by the app; ask "
                "whoever runs the server to fix its permissions, or download your scenario to "
                "keep it"
            )
        return f"cannot {action} ({reason}): {fix}"

    def _locked(self, kind: str, key: str) -> contextlib.AbstractContextManager[None]:
        """This item's lock (raises OSError when the lock file cannot be made)."""
        name = f"{self.room}.{kind}.{key}.lock" if self.room else f"{kind}.{key}.lock"
        return locked(self._inside(self.root / LOCKS / name, LOCKS))

    def _read(self, path: Path, file: str) -> tuple[Signature, bytes] | None:
        """The file's signature and bytes, or None when it does not exist."""
        try:
            return read_bounded(path, MAX_STORED_BYTES)
        except NotAFileError:
            raise UnreadableError(
                file, "it is a folder (or another non-file) where a saved file should be",
                f"move {file} out of the data folder",
            ) from None  # fmt: skip
        except PermissionError as error:
            raise UnreadableError(
                file, f"the app may not read it ({error.strerror})",
                "ask whoever runs the server to let the app read it, or restore it from a "
                f"backup as {file}",
            ) from None  # fmt: skip
        except OSError as error:
            raise UnreadableError(
                file, f"reading it failed ({error.strerror or error})",
                f"try again; if it keeps failing, restore it from a backup or delete {file}",
            ) from None  # fmt: skip


def _require_key(key: str) -> None:
    if not is_valid_key(key):
        raise NotFoundError(
            f"{str(key)[:40]!r} is not a saved item's key (keys look like "
            "20261126-142501-3f9a2c); pick the item from the list"
        )


def _noun(kind: str) -> str:
    return kind.removesuffix("s")


# Parsing YAML costs milliseconds and list() reads every item on each page view, so parsed items
# (and what is wrong with a damaged one) are kept while their file is unchanged. Writes replace
# files (new inode), so the signature changes on every save.
Parsed = StoredScenario | UnreadableError
_CACHE: dict[str, tuple[Signature, Parsed]] = {}
_CACHE_GUARD = threading.Lock()
# A listing reads every item in order, so a cache smaller than the folder misses on every
# item (each read evicts one the next listing needs): keep room for the 10,000 items a busy
# server may hold (a parsed scenario is some tens of kilobytes).
_CACHE_SIZE = 10_000


def _cache_get(path: str, signature: Signature) -> Parsed | None:
    with _CACHE_GUARD:
        entry = _CACHE.get(path)
    return entry[1] if entry is not None and entry[0] == signature else None


def _cache_put(path: str, signature: Signature, stored: Parsed) -> None:
    with _CACHE_GUARD:
        _CACHE.pop(path, None)  # re-inserted last: the least recently stored goes first
        _CACHE[path] = (signature, stored)
        while len(_CACHE) > _CACHE_SIZE:
            del _CACHE[next(iter(_CACHE))]


# Every page view lists the items: an unreadable file is logged once per distinct problem, not
# on every view, and again if it is repaired and later breaks.
_REPORTED: dict[str, str] = {}
_REPORTED_SIZE = 4096


def _report_once(path: Path, message: str) -> None:
    with _CACHE_GUARD:
        if _REPORTED.get(str(path)) == message:
            return
        _REPORTED[str(path)] = message
        while len(_REPORTED) > _REPORTED_SIZE:
            del _REPORTED[next(iter(_REPORTED))]
    _log.warning("unreadable saved file %s: %s", path, message)


def _forget_report(path: Path) -> None:
    with _CACHE_GUARD:
        _REPORTED.pop(str(path), None)


def _require_revision(current: StoredScenario, expected_revision: int) -> None:
    if current.revision != expected_revision:
        raise ConflictError(
            f"{current.key} was saved by someone else since you opened it (revision "
            f"{current.revision}, you had {expected_revision}); reload it, reapply your change "
            "and save again"
        )
