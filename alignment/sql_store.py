"""Saved scenarios, proposals and drafts in the workshop database: the SQL :class:`Store`.

Behaves as :class:`alignment.storage.LocalFolderStore` does, call for call: the same keys, the
same revision check (an update or delete names the revision it saw, and loses to any save in
between), the same errors. What differs is where things live (``alignment.sql_schema``) and
what a listing costs: one query for the keys and revisions of a room's items, and the
scenarios themselves only for items this process has not parsed at that revision yet.

The app uses this store when ``ALIGNMENT_DATABASE_URL`` is set (:func:`store_from_environment`);
the schema is migrated and old drafts purged once per process, on first use.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Row, and_, case, delete, exists, select, update
from sqlalchemy.dialects import postgresql, sqlite

from alignment.draft_cleanup import retention_from_environment
from alignment.rooms import DEFAULT_ROOM
from alignment.scenario import Scenario
from alignment.scenario_io import ScenarioError, scenario_from_data
from alignment.sql_database import DATABASE_URL_ENV, Database, upgrade
from alignment.sql_schema import drafts, items
from alignment.storage import (
    KINDS,
    ConflictError,
    DraftUnreadableError,
    Kind,
    Listing,
    NotFoundError,
    StorageError,
    StoredScenario,
    UnreadableError,
    UnreadableItem,
    is_valid_draft_id,
    is_valid_key,
)
from alignment.storage_format import checked_scenario_data, item_bytes, item_from_bytes

if TYPE_CHECKING:
    from alignment.rooms import RoomStore
    from alignment.storage import Store

_log = logging.getLogger(__name__)
AnyRow = Row[*tuple[Any, ...]]

# Parsed items by (database, room, kind, key, revision, saved at): a listing parses only what
# changed. Sized for the 10,000 proposals a page must list without slowing down (an item costs
# about 25 KB parsed); least recently used first out, so a listing larger than the cache
# still keeps its newest items.
PARSED_ITEMS = 20_000
_IN_QUERY = 500  # keys per "IN (…)" when fetching the items a listing has not parsed


class SqlDraftUnreadableError(DraftUnreadableError):
    """A session's autosave row is there but cannot be read; it is left as it was."""

    def __init__(self, draft_id: str, reason: str) -> None:
        UnreadableError.__init__(
            self, f"drafts/{draft_id}", reason,
            "it is kept, untouched, in the workshop database", what="the autosaved draft",
        )  # fmt: skip


class SqlStore:
    """A :class:`~alignment.storage.Store` in the workshop database: one room's items (the
    default room's unless ``room`` is given) and every session's drafts.

    ``root`` is this server's own data folder, for what stays on the machine (the session
    secret, see :mod:`workshop_ui.sessions`).
    """

    def __init__(
        self, database: Database, room: str | None = None, root: Path | None = None
    ) -> None:
        self.db = database
        self.room = room or DEFAULT_ROOM
        self.root = Path(root or os.environ.get("ALIGNMENT_DATA_DIR") or "workshop_data")

    # -- items -------------------------------------------------------------------------------

    def list(self, kind: Kind) -> list[StoredScenario]:
        """Every readable item of ``kind``, newest first (:meth:`listing` names the others)."""
        return [*self.listing(kind).items]

    def listing(self, kind: Kind) -> Listing:
        """Every item of ``kind``: the readable newest first, and each unreadable one by name.

        One query reads the keys and revisions; a second fetches the scenarios of only those
        items this process has not parsed at their current revision.
        """
        _require_kind(kind)
        mine = and_(items.c.room == self.room, items.c.kind == kind)
        with self.db.reading(f"list the saved {kind}") as connection:
            rows = connection.execute(
                select(items.c.key, items.c.revision, items.c.updated_at)
                .where(mine)
                .order_by(items.c.updated_at.desc(), items.c.key.desc())
            ).all()
            parsed = {row.key: _cached(self._cache_key(kind, row)) for row in rows}
            missing = [key for key, found in parsed.items() if found is None]
            for row in _rows_of(connection, mine, missing):
                parsed[row.key] = self._parse(kind, row)
        readable, unreadable = [], []
        for key, found in parsed.items():
            if isinstance(found, StoredScenario):
                readable.append(found)
            elif isinstance(found, UnreadableError):
                unreadable.append(UnreadableItem(key, found.file, found.reason, found.fix))
            # None: deleted between the two queries
        return Listing(tuple(readable), tuple(unreadable))

    def get(self, kind: Kind, key: str) -> StoredScenario:
        """The item; NotFoundError if there is none, UnreadableError if it cannot be read."""
        _require_kind(kind)
        _require_key(key)
        with self.db.reading(f"read {_noun(kind)} {key}") as connection:
            row = connection.execute(
                select(*_ROW).where(self._item(kind, key))
            ).one_or_none()  # fmt: skip
        if row is None:
            raise NotFoundError(
                f"no saved {_noun(kind)} {key!r}; it may have been deleted, so reload the list"
            )
        found = _cached(self._cache_key(kind, row)) or self._parse(kind, row)
        if isinstance(found, UnreadableError):
            raise UnreadableError(found.file, found.reason, found.fix)
        return found

    def create(self, kind: Kind, scenario: Scenario) -> StoredScenario:
        _require_kind(kind)
        data, scenario = checked_scenario_data(scenario)
        with self.db.writing(f"save the new {_noun(kind)}") as connection:
            for _ in range(20):
                now = datetime.now(UTC)
                key = f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
                stored = StoredScenario(key, scenario, 1, now)
                values = _values(stored, data) | {"room": self.room, "kind": kind}
                added = connection.execute(
                    _insert(connection).values(created_at=now, **values).on_conflict_do_nothing()
                )
                if added.rowcount == 1:  # never overwrite; else draw another key
                    self.db.record(
                        connection, "create", room=self.room, kind=kind, key=key, revision=1
                    )
                    _remember(self._cache_key(kind, stored), stored)
                    return stored
        raise StorageError("could not find a free name to save under; try again in a second")

    def update(
        self, kind: Kind, key: str, scenario: Scenario, expected_revision: int
    ) -> StoredScenario:
        _require_kind(kind)
        _require_key(key)
        data, scenario = checked_scenario_data(scenario)
        stored = StoredScenario(key, scenario, expected_revision + 1, datetime.now(UTC))
        with self.db.writing(f"save {_noun(kind)} {key}") as connection:
            # One statement checks and writes, so of two saves from the same revision (in any
            # processes) exactly one matches.
            changed = connection.execute(
                update(items)
                .where(self._item(kind, key), items.c.revision == expected_revision)
                .values(**_values(stored, data))
            )
            if changed.rowcount != 1:
                self._refuse(connection, kind, key, expected_revision)
            self.db.record(
                connection, "update", room=self.room, kind=kind, key=key, revision=stored.revision
            )
        _remember(self._cache_key(kind, stored), stored)
        return stored

    def delete(self, kind: Kind, key: str, expected_revision: int) -> None:
        _require_kind(kind)
        _require_key(key)
        with self.db.writing(f"delete {_noun(kind)} {key}") as connection:
            gone = connection.execute(
                delete(items).where(self._item(kind, key), items.c.revision == expected_revision)
            )
            if gone.rowcount != 1:
                self._refuse(connection, kind, key, expected_revision)
            self.db.record(
                connection, "delete", room=self.room, kind=kind, key=key,
                revision=expected_revision,
            )  # fmt: skip

    # -- drafts ------------------------------------------------------------------------------

    def save_draft(self, draft_id: str, scenario: Scenario, baseline: Scenario) -> None:
        """Autosave one session's working scenario and its baseline; the last write wins."""
        _require_draft_id(draft_id)
        values = {
            "scenario": scenario.model_dump_json(),
            "baseline": baseline.model_dump_json(),
            "updated_at": datetime.now(UTC),
        }
        with self.db.writing("autosave your work") as connection:
            statement = _insert(connection, drafts).values(id=draft_id, **values)
            connection.execute(statement.on_conflict_do_update(index_elements=["id"], set_=values))

    def load_draft(self, draft_id: str) -> tuple[Scenario, Scenario] | None:
        """``(working, baseline)``, or None when there is no draft under this id.

        Raises DraftUnreadableError when the draft is there but cannot be read (it is left
        untouched, see :meth:`set_aside_draft`).
        """
        if not is_valid_draft_id(draft_id):
            return None
        with self.db.reading("read your autosaved work") as connection:
            row = connection.execute(
                select(drafts.c.scenario, drafts.c.baseline).where(_live_draft(draft_id))
            ).one_or_none()
        if row is None:
            return None
        try:
            return (
                scenario_from_data(json.loads(row.scenario), "draft"),
                scenario_from_data(json.loads(row.baseline), "draft baseline"),
            )
        except (ValueError, RecursionError):
            problem = SqlDraftUnreadableError(draft_id, "it is not complete, valid JSON")
        except ScenarioError as error:
            problem = SqlDraftUnreadableError(draft_id, "; ".join(error.problems)[:300])
        _log.warning("unreadable draft %s in %s: %s", draft_id, self.db.where, problem.reason)
        raise problem

    def has_draft(self, draft_id: str) -> bool:
        """True when a draft (readable or not) is kept under this id."""
        if not is_valid_draft_id(draft_id):
            return False
        with self.db.reading("look for your autosaved work") as connection:
            return bool(connection.execute(select(exists().where(_live_draft(draft_id)))).scalar())

    def set_aside_draft(self, draft_id: str) -> str:
        """Keep the draft under ``<id>-<UTC time>Z`` for whoever runs the server, where no
        session will load it again; what it is kept as, as text."""
        if not is_valid_draft_id(draft_id):
            raise NotFoundError("not a valid draft id, so there is no draft to set aside")
        now = datetime.now(UTC)
        with self.db.writing("set the unreadable draft aside") as connection:
            taken = set(
                connection.scalars(
                    select(drafts.c.id).where(drafts.c.id.startswith(f"{draft_id}-"))
                )
            )
            stem = f"{draft_id}-{now:%Y%m%dT%H%M%SZ}"
            kept = next(
                name
                for attempt in range(1, len(taken) + 2)
                if (name := stem + (f"-{attempt}" if attempt > 1 else "")) not in taken
            )
            moved = connection.execute(
                update(drafts).where(_live_draft(draft_id)).values(id=kept, set_aside_at=now)
            )
            if moved.rowcount != 1:
                raise NotFoundError(f"there is no draft {draft_id} to set aside")
            self.db.record(connection, "set_aside_draft", key=kept)
        where = f"drafts/{kept} in the workshop database"
        _log.warning("unreadable draft %s set aside as %s (%s)", draft_id, where, self.db.where)
        return where

    def purge_drafts(self, older_than: timedelta) -> int:
        """Delete the autosaves not saved for ``older_than``; how many went.

        Drafts set aside as unreadable are kept for whoever runs the server.
        """
        cutoff = datetime.now(UTC) - older_than
        with self.db.writing("delete old autosaves") as connection:
            gone = connection.execute(
                delete(drafts).where(drafts.c.set_aside_at.is_(None), drafts.c.updated_at < cutoff)
            ).rowcount
            if gone:
                self.db.record(
                    connection, "purge_drafts", detail=f"{gone} not saved since {cutoff:%Y-%m-%d}"
                )
        return gone

    # -- helpers -----------------------------------------------------------------------------

    def _item(self, kind: str, key: str) -> Any:
        return and_(items.c.room == self.room, items.c.kind == kind, items.c.key == key)

    def _cache_key(self, kind: str, row: Any) -> tuple[Any, ...]:
        saved_at = row.saved_at if isinstance(row, StoredScenario) else row.updated_at
        return (self.db.where, self.room, kind, row.key, row.revision, saved_at)

    def _file(self, kind: str, key: str) -> str:
        prefix = "" if self.room == DEFAULT_ROOM else f"rooms/{self.room}/"
        return f"{prefix}{kind}/{key}"

    def _parse(self, kind: str, row: AnyRow) -> StoredScenario | UnreadableError:
        """The stored item, or what is wrong with it (remembered either way)."""
        file = self._file(kind, row.key)
        try:
            if row.data is not None:
                scenario = _scenario_from_json(row.data, file)
            else:  # a row holding only the folder store's YAML, as a migration may leave it
                scenario = item_from_bytes(row.key, row.document, file).scenario
            found: StoredScenario | UnreadableError = StoredScenario(
                row.key, scenario, row.revision, row.updated_at
            )
        except UnreadableError as error:
            found = UnreadableError(
                file, error.reason,
                f"restore it from a backup of the workshop database {self.db.where}, or delete "
                "it",
            )  # fmt: skip
            _log.warning("unreadable saved item %s in %s: %s", file, self.db.where, error.reason)
        _remember(self._cache_key(kind, row), found)
        return found

    def _refuse(self, connection: Connection, kind: str, key: str, expected: int) -> None:
        """Why a save or delete from revision ``expected`` matched nothing: raise it."""
        current = connection.execute(
            select(items.c.revision).where(self._item(kind, key))
        ).scalar_one_or_none()
        if current is None:
            raise NotFoundError(
                f"no saved {_noun(kind)} {key!r}; it may have been deleted, so reload the list"
            )
        raise ConflictError(
            f"{key} was saved by someone else since you opened it (revision {current}, you had "
            f"{expected}); reload it, reapply your change and save again"
        )


# An item's columns for parsing it: the folder store's YAML only where there is no JSON.
_ROW = (
    items.c.key, items.c.revision, items.c.updated_at, items.c.data,
    case((items.c.data.is_(None), items.c.document)).label("document"),
)  # fmt: skip


def _rows_of(connection: Connection, mine: Any, keys: Sequence[str]) -> Iterable[AnyRow]:
    for start in range(0, len(keys), _IN_QUERY):
        chunk = keys[start : start + _IN_QUERY]
        yield from connection.execute(select(*_ROW).where(mine, items.c.key.in_(chunk)))


def _values(stored: StoredScenario, data: dict[str, Any]) -> dict[str, Any]:
    meta = stored.scenario.metadata
    return {
        "key": stored.key, "revision": stored.revision, "updated_at": stored.saved_at,
        "name": meta.name, "author": meta.author, "role": meta.role,
        "document": item_bytes(stored, data), "data": json.dumps(data, ensure_ascii=False),
    }  # fmt: skip


def _scenario_from_json(text: str, file: str) -> Scenario:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise UnreadableError(file, "it is damaged (not complete, valid JSON)", "") from None
    try:
        return scenario_from_data(data, file)
    except ScenarioError as error:
        problems = "; ".join(error.problems)[:300]
        raise UnreadableError(file, f"it is damaged ({problems})", "") from None


def _insert(connection: Connection, table: Any = items) -> Any:
    """INSERT with ON CONFLICT, in the connection's dialect (both have it)."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    # An INSERT's row count is kept only on request; the callers count what ON CONFLICT let in.
    return dialect.insert(table).execution_options(preserve_rowcount=True)


def _live_draft(draft_id: str) -> Any:
    return and_(drafts.c.id == draft_id, drafts.c.set_aside_at.is_(None))


def _require_kind(kind: str) -> None:
    if kind not in KINDS:
        raise StorageError(f"unknown kind {str(kind)[:40]!r}; use one of {list(KINDS)}")


def _require_key(key: str) -> None:
    if not is_valid_key(key):
        raise NotFoundError(
            f"{str(key)[:40]!r} is not a saved item's key (keys look like "
            "20261126-142501-3f9a2c); pick the item from the list"
        )


def _require_draft_id(draft_id: str) -> None:
    if not is_valid_draft_id(draft_id):
        raise StorageError("not a valid draft id; start a new session to get one (new_draft_id())")


def _noun(kind: str) -> str:
    return kind.removesuffix("s")


_PARSED: OrderedDict[tuple[Any, ...], StoredScenario | UnreadableError] = OrderedDict()
_PARSED_GUARD = threading.Lock()


def _cached(key: tuple[Any, ...]) -> StoredScenario | UnreadableError | None:
    with _PARSED_GUARD:
        found = _PARSED.get(key)
        if found is not None:
            _PARSED.move_to_end(key)
        return found


def _remember(key: tuple[Any, ...], found: StoredScenario | UnreadableError) -> None:
    with _PARSED_GUARD:
        _PARSED[key] = found
        _PARSED.move_to_end(key)
        while len(_PARSED) > PARSED_ITEMS:
            _PARSED.popitem(last=False)


# -- the app's store, from the environment -----------------------------------------------------


@lru_cache(maxsize=4)
def shared_database(url: str) -> Database:
    """The process's one :class:`Database` for ``url``. On first use it is migrated to the
    newest schema and rid of autosaves older than the retention
    (``ALIGNMENT_DRAFT_RETENTION_DAYS``): once per process, again only if that failed."""
    return Database(url, prepare=_prepare)


def _prepare(database: Database) -> None:
    upgrade(database)
    retention = retention_from_environment()
    if retention is not None:
        gone = SqlStore(database).purge_drafts(retention)
        if gone:
            _log.info("deleted %d autosaves older than %s from %s", gone, retention, database.where)


def database_url() -> str | None:
    """``ALIGNMENT_DATABASE_URL``, or None to keep everything in the data folder."""
    return os.environ.get(DATABASE_URL_ENV, "").strip() or None


def sql_store() -> SqlStore:
    """The default room's items and every draft, in the database ``ALIGNMENT_DATABASE_URL``
    names (see :func:`alignment.storage.default_store`)."""
    url = database_url()
    if url is None:
        raise StorageError(f"set {DATABASE_URL_ENV} to use the workshop database")
    return SqlStore(shared_database(url))


def store_from_environment() -> tuple[Callable[[], Store], RoomStore]:
    """``(a function making the Store, the RoomStore)`` the environment asks for: the
    workshop database when ``ALIGNMENT_DATABASE_URL`` is set, else the data folder."""
    from alignment.room_store import LocalRoomStore
    from alignment.sql_rooms import SqlRoomStore
    from alignment.storage import LocalFolderStore

    url = database_url()
    if url is None:
        root = Path(os.environ.get("ALIGNMENT_DATA_DIR") or "workshop_data")
        return (lambda: LocalFolderStore(root)), LocalRoomStore(root)
    database = shared_database(url)
    return (lambda: SqlStore(database)), SqlRoomStore(database)


__all__ = [
    "PARSED_ITEMS",
    "SqlDraftUnreadableError",
    "SqlStore",
    "database_url",
    "shared_database",
    "sql_store",
    "store_from_environment",
]
