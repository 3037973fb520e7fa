"""Where saved scenarios, proposals and session drafts live.

One small interface (:class:`Store`) with a local folder as the default implementation, so a
deployment with several servers can put a database behind the same calls later.

Every file the store writes is a YAML mapping ``{revision, saved_at, scenario}`` (drafts:
``{saved_at, scenario, baseline}``), written atomically (temporary file in the same folder,
fsync, rename) and read back through the same gate as an uploaded file
(:func:`alignment.scenario_io.parse_yaml`), so a damaged or planted file can never reach the
model. Item keys and draft ids are made by the store and checked against strict patterns; every
path is resolved and must stay inside the store's root.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol, get_args

from alignment.scenario import Scenario
from alignment.scenario_io import (
    MAX_FILE_BYTES,
    MAX_NODES,
    ScenarioError,
    dump_data,
    parse_yaml,
    scenario_from_data,
)

Kind = Literal["scenarios", "proposals"]
KINDS: tuple[str, ...] = get_args(Kind)

KEY_PATTERN = re.compile(r"[0-9]{8}-[0-9]{6}-[0-9a-f]{6}")
DRAFT_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{22,64}")
SUFFIX = ".yaml"
DRAFTS = "drafts"
LOCKS = ".locks"
# A stored file holds up to two scenarios plus a small header.
MAX_STORED_BYTES = 2 * MAX_FILE_BYTES + 4096
MAX_STORED_NODES = 2 * MAX_NODES + 100


class StorageError(Exception):
    """Saving or loading failed; the message says what went wrong and what to do."""


class ConflictError(StorageError):
    """Someone saved this item since you read it."""


class NotFoundError(StorageError):
    """No item with this key (it was never saved, or it has been deleted)."""


@dataclass(frozen=True)
class StoredScenario:
    """A saved scenario with the bookkeeping the store needs to detect conflicting saves."""

    key: str
    scenario: Scenario
    revision: int
    saved_at: datetime


class Store(Protocol):
    def list(self, kind: Kind) -> list[StoredScenario]: ...

    def get(self, kind: Kind, key: str) -> StoredScenario: ...

    def create(self, kind: Kind, scenario: Scenario) -> StoredScenario: ...

    def update(
        self, kind: Kind, key: str, scenario: Scenario, expected_revision: int
    ) -> StoredScenario: ...

    def delete(self, kind: Kind, key: str, expected_revision: int) -> None: ...

    def save_draft(self, draft_id: str, scenario: Scenario, baseline: Scenario) -> None: ...

    def load_draft(self, draft_id: str) -> tuple[Scenario, Scenario] | None: ...


def new_draft_id() -> str:
    """An unguessable, URL-safe id for one session's autosave (32 characters)."""
    return secrets.token_urlsafe(24)


def is_valid_draft_id(text: str) -> bool:
    return isinstance(text, str) and DRAFT_ID_PATTERN.fullmatch(text) is not None


def is_valid_key(text: str) -> bool:
    return isinstance(text, str) and KEY_PATTERN.fullmatch(text) is not None


def default_store() -> LocalFolderStore:
    """The folder named by ``ALIGNMENT_DATA_DIR``, else ``./workshop_data``."""
    return LocalFolderStore(Path(os.environ.get("ALIGNMENT_DATA_DIR") or "workshop_data"))


# All Streamlit sessions run in one process and may each hold their own LocalFolderStore on the
# same root: flock alone does not order threads of one process reliably, so each item also
# has a process-wide threading lock, keyed by its lock file's path.
_THREAD_LOCKS: dict[str, threading.Lock] = {}
_THREAD_LOCKS_GUARD = threading.Lock()


def _thread_lock(name: str) -> threading.Lock:
    with _THREAD_LOCKS_GUARD:
        return _THREAD_LOCKS.setdefault(name, threading.Lock())


class LocalFolderStore:
    """A :class:`Store` in a local folder.

    Items live in ``<root>/<kind>/<key>.yaml``, drafts in ``<root>/drafts/<id>.yaml`` and lock
    files in ``<root>/.locks/``.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    # -- items -------------------------------------------------------------------------------

    def list(self, kind: Kind) -> list[StoredScenario]:
        """Every readable item of ``kind``, newest first; damaged or foreign files are skipped."""
        folder = self._folder(kind)
        items = []
        try:
            names = sorted(entry.name for entry in os.scandir(folder))
        except FileNotFoundError:
            return []
        except OSError as error:
            raise StorageError(
                f"cannot list the {kind} folder ({error.strerror}); "
                f"check that {folder} exists and is readable"
            ) from None
        for name in names:
            key = name.removesuffix(SUFFIX)
            if not name.endswith(SUFFIX) or not is_valid_key(key):
                continue
            with contextlib.suppress(StorageError):
                items.append(self.get(kind, key))
        items.sort(key=lambda item: (item.saved_at, item.key), reverse=True)
        return items

    def get(self, kind: Kind, key: str) -> StoredScenario:
        path = self._item_path(kind, key)
        what = f"{kind} item {key}"
        read = self._read(path, what)
        if read is None:
            raise NotFoundError(
                f"no saved {kind} item {key!r}; it may have been deleted, so reload the list"
            )
        signature, raw = read
        cached = _cache_get(str(path), signature)
        if cached is not None:
            return cached
        stored = _stored_from_data(key, self._parse(raw, what), what)
        _cache_put(str(path), signature, stored)
        return stored

    def create(self, kind: Kind, scenario: Scenario) -> StoredScenario:
        data, scenario = _checked_scenario_data(scenario)
        for _ in range(20):
            now = datetime.now(UTC)
            key = f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
            path = self._item_path(kind, key)
            with self._locked(kind, key):
                if os.path.lexists(path):
                    continue  # never overwrite; draw another key
                stored = StoredScenario(key, scenario, 1, now)
                _cache_put(str(path), self._write(path, _item_document(stored, data)), stored)
                return stored
        raise StorageError("could not find a free name to save under; try again in a second")

    def update(
        self, kind: Kind, key: str, scenario: Scenario, expected_revision: int
    ) -> StoredScenario:
        path = self._item_path(kind, key)
        with self._locked(kind, key):
            current = self.get(kind, key)
            _require_revision(current, expected_revision)
            # Checked inside the lock so a save that lost the race fails fast, without it.
            data, scenario = _checked_scenario_data(scenario)
            stored = StoredScenario(key, scenario, current.revision + 1, datetime.now(UTC))
            _cache_put(str(path), self._write(path, _item_document(stored, data)), stored)
            return stored

    def delete(self, kind: Kind, key: str, expected_revision: int) -> None:
        path = self._item_path(kind, key)
        with self._locked(kind, key):
            current = self.get(kind, key)
            _require_revision(current, expected_revision)
            try:
                path.unlink()
            except OSError as error:
                raise StorageError(
                    f"cannot delete {kind} item {key} ({error.strerror}); "
                    "check the data folder's permissions"
                ) from None
            _fsync_folder(path.parent)

    # -- drafts ------------------------------------------------------------------------------

    def save_draft(self, draft_id: str, scenario: Scenario, baseline: Scenario) -> None:
        """Autosave one session's working scenario and its baseline; the last write wins.

        Drafts are written on every change a participant makes, so they are JSON straight from
        the validated models (about a millisecond) rather than YAML checked by a round trip
        (tens of milliseconds): nobody edits a draft by hand, and loading validates it fully.
        """
        path = self._draft_path(draft_id)
        saved_at = json.dumps(datetime.now(UTC).isoformat())
        text = (
            f'{{"saved_at": {saved_at}, "scenario": {scenario.model_dump_json()}, '
            f'"baseline": {baseline.model_dump_json()}}}'
        ).encode()
        with _thread_lock(str(path)):
            self._write_bytes(path, text)

    def load_draft(self, draft_id: str) -> tuple[Scenario, Scenario] | None:
        """``(working, baseline)``, or None when there is no draft or it cannot be read."""
        if not is_valid_draft_id(draft_id):
            return None
        try:
            read = self._read(self._draft_path(draft_id), "draft")
            if read is None or len(read[1]) > MAX_STORED_BYTES:
                return None
            data = json.loads(read[1])
            if not isinstance(data, dict) or set(data) != {"saved_at", "scenario", "baseline"}:
                return None
            return (
                scenario_from_data(data["scenario"], "draft"),
                scenario_from_data(data["baseline"], "draft baseline"),
            )
        except (StorageError, ScenarioError, ValueError, RecursionError):
            return None

    # -- paths -------------------------------------------------------------------------------

    def _folder(self, kind: str) -> Path:
        if kind not in KINDS:
            raise StorageError(f"unknown kind {str(kind)[:40]!r}; use one of {list(KINDS)}")
        return self._inside(self.root / kind, kind)

    def _item_path(self, kind: Kind, key: str) -> Path:
        if not is_valid_key(key):
            raise NotFoundError(
                f"{str(key)[:40]!r} is not a saved item's key (keys look like "
                "20261126-142501-3f9a2c); pick the item from the list"
            )
        return self._inside(self._folder(kind) / f"{key}{SUFFIX}", key)

    def _draft_path(self, draft_id: str) -> Path:
        if not is_valid_draft_id(draft_id):
            raise StorageError(
                "not a valid draft id; start a new session to get one (new_draft_id())"
            )
        return self._inside(self.root / DRAFTS / f"{draft_id}.json", "draft")

    def _inside(self, path: Path, what: str) -> Path:
        """``path`` if it (after following any symlinks) stays inside the root."""
        root = self.root.resolve()
        resolved = path.resolve()
        if not resolved.is_relative_to(root):
            raise StorageError(
                f"{what[:40]!r} resolves outside the data folder {root}; remove the link that "
                "points elsewhere"
            )
        return resolved

    # -- files -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self, kind: str, key: str) -> Iterator[None]:
        """Hold this item's lock: one thread in this process, one process on this machine."""
        folder = self._inside(self.root / LOCKS, LOCKS)
        folder.mkdir(parents=True, exist_ok=True)
        lock_path = self._inside(folder / f"{kind}.{key}.lock", key)
        with _thread_lock(str(lock_path)):
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                os.close(fd)  # closing releases the flock

    def _read(self, path: Path, what: str) -> tuple[tuple[int, ...], bytes] | None:
        """The file's identity and bytes, or None when it does not exist."""
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except FileNotFoundError:
            return None
        except OSError as error:
            raise StorageError(
                f"cannot read {what} ({error.strerror}); check the data folder's permissions"
            ) from None
        try:
            with os.fdopen(fd, "rb") as handle:
                info = os.fstat(handle.fileno())
                raw = handle.read(MAX_STORED_BYTES + 1)
        except OSError as error:
            raise StorageError(
                f"cannot read {what} ({error.strerror}); check the data folder's permissions"
            ) from None
        return _signature(info), raw

    def _parse(self, raw: bytes, what: str) -> dict[str, Any]:
        """The file's mapping, through the same gate as an uploaded scenario."""
        try:
            return parse_yaml(raw, what, max_bytes=MAX_STORED_BYTES, max_nodes=MAX_STORED_NODES)
        except ScenarioError as error:
            raise StorageError(
                f"{what} is damaged ({'; '.join(error.problems)[:300]}); "
                "restore it from a backup or delete the file"
            ) from None

    def _write(self, path: Path, document: dict[str, Any]) -> tuple[int, ...]:
        """Replace ``path`` with ``document`` as YAML, atomically (see :meth:`_write_bytes`)."""
        return self._write_bytes(path, dump_data(document).encode("utf-8"))

    def _write_bytes(self, path: Path, text: bytes) -> tuple[int, ...]:
        """Replace ``path`` with ``text`` atomically: readers see the old or the new file.

        Returns the new file's signature (see :meth:`_read`).
        """
        temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, path)
            info = os.stat(path, follow_symlinks=False)
        except OSError as error:
            raise StorageError(
                f"cannot save to {path.parent} ({error.strerror}); check free disk space and "
                "the data folder's permissions, then save again"
            ) from None
        finally:
            with contextlib.suppress(OSError):  # gone already, or its folder never existed
                temp.unlink()
        _fsync_folder(path.parent)
        return _signature(info)


# Parsing YAML costs milliseconds and list() reads every item on each page view, so parsed items
# are kept while their file is unchanged. Writes replace files (new inode), so the signature
# changes on every save.
_CACHE: dict[str, tuple[tuple[int, ...], StoredScenario]] = {}
_CACHE_GUARD = threading.Lock()
_CACHE_SIZE = 512


def _cache_get(path: str, signature: tuple[int, ...]) -> StoredScenario | None:
    with _CACHE_GUARD:
        entry = _CACHE.get(path)
    return entry[1] if entry is not None and entry[0] == signature else None


def _cache_put(path: str, signature: tuple[int, ...], stored: StoredScenario) -> None:
    with _CACHE_GUARD:
        _CACHE.pop(path, None)
        _CACHE[path] = (signature, stored)
        while len(_CACHE) > _CACHE_SIZE:
            del _CACHE[next(iter(_CACHE))]


def _signature(info: os.stat_result) -> tuple[int, ...]:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def _checked_scenario_data(scenario: Scenario) -> tuple[dict[str, Any], Scenario]:
    """The scenario as plain data and as it will read back, refused now if it could not.

    The check is the round trip itself: the YAML that will be written goes through the same
    gate as an uploaded file.
    """
    data = scenario.model_dump(mode="json")
    try:
        read_back = scenario_from_data(
            parse_yaml(dump_data(data).encode("utf-8"), "scenario to save")
        )
    except ScenarioError as error:
        raise StorageError(
            f"the scenario cannot be saved: {'; '.join(error.problems)[:300]}; "
            "fix it and save again"
        ) from None
    return data, read_back


def _item_document(stored: StoredScenario, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "revision": stored.revision,
        "saved_at": stored.saved_at.isoformat(),
        "scenario": data,
    }


def _stored_from_data(key: str, data: dict[str, Any], what: str) -> StoredScenario:
    damaged = f"{what} is damaged"
    fix = "restore it from a backup or delete the file"
    if set(data) != {"revision", "saved_at", "scenario"}:
        raise StorageError(f"{damaged} (expected revision, saved_at and scenario); {fix}")
    revision = data["revision"]
    if type(revision) is not int or revision < 1:
        raise StorageError(f"{damaged} (revision must be a whole number from 1); {fix}")
    try:
        saved_at = datetime.fromisoformat(data["saved_at"])
    except (TypeError, ValueError):
        raise StorageError(f"{damaged} (saved_at is not an ISO date and time); {fix}") from None
    if saved_at.tzinfo is None:
        raise StorageError(f"{damaged} (saved_at has no time zone); {fix}")
    try:
        scenario = scenario_from_data(data["scenario"], what)
    except ScenarioError as error:
        raise StorageError(f"{damaged} ({'; '.join(error.problems)[:300]}); {fix}") from None
    return StoredScenario(key, scenario, revision, saved_at.astimezone(UTC))


def _require_revision(current: StoredScenario, expected_revision: int) -> None:
    if current.revision != expected_revision:
        raise ConflictError(
            f"{current.key} was saved by someone else since you opened it (revision "
            f"{current.revision}, you had {expected_revision}); reload it, reapply your change "
            "and save again"
        )


def _fsync_folder(folder: Path) -> None:
    """Make a rename or unlink durable: the folder entry is flushed too."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
