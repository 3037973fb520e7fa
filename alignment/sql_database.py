"""One workshop database: its engine, its transactions, its migrations and its audit log.

A :class:`Database` is made once per process for a URL (``postgresql+psycopg://…`` for a
shared server, ``sqlite:///path/workshop.db`` for one machine) and shared by every session's
stores. It gives them two things:

- **transactions that nest**: :meth:`Database.writing` opens one transaction per thread, and a
  store method called inside another's transaction (an item saved inside a room's change)
  joins it, so a change and the room's version move together or not at all;
- **errors that say what to do**: a database that cannot be reached, is busy or refuses a
  statement becomes a :class:`~alignment.storage_format.StorageError` naming the database (never
  its password) and the fix.

Migrations (:func:`upgrade`) run on start, under a PostgreSQL advisory lock so that several
processes starting at once upgrade the schema exactly once.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, insert, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

from alignment.sql_schema import audit
from alignment.storage_format import StorageError

DATABASE_URL_ENV = "ALIGNMENT_DATABASE_URL"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any fixed 64-bit number, the same in every process: whoever holds it upgrades the schema.
UPGRADE_LOCK = 0x616C69676E6D6E74  # "alignmnt"
# How long a SQLite connection waits for another writer before it says the file is busy.
SQLITE_BUSY_MS = 30_000
SYSTEM = "system"

_log = logging.getLogger(__name__)

# Who is making the changes in this context: a participant's id, else the system.
_ACTOR: ContextVar[str] = ContextVar("alignment_actor", default=SYSTEM)


@contextlib.contextmanager
def acting_as(actor: str | None) -> Iterator[None]:
    """Record the changes made inside as ``actor``'s (a participant id) in the audit log."""
    token = _ACTOR.set(actor or SYSTEM)
    try:
        yield
    finally:
        _ACTOR.reset(token)


def current_actor() -> str:
    return _ACTOR.get()


class Database:
    """The engine for one database URL, with transactions that nest and readable errors."""

    def __init__(self, url: str | URL, prepare: Callable[[Database], None] | None = None) -> None:
        """``prepare`` runs once, before the first use (and again after it failed): the app's
        migrations. Making a Database never connects, so a server starts while its database
        is down and says so on each page that needs it."""
        self.url = _parsed(url)
        self.where = describe(self.url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        self.engine = _engine(self.url)
        self._local = threading.local()
        self._prepare = prepare
        self._prepared = prepare is None
        self._preparing = False
        self._prepare_lock = threading.RLock()

    def dispose(self) -> None:
        self.engine.dispose()

    @contextlib.contextmanager
    def writing(self, action: str) -> Iterator[Connection]:
        """A connection in a write transaction, committed when the outermost block ends.

        Inside another :meth:`writing` block on this thread, the same connection and
        transaction; any exception rolls the whole of it back.
        """
        current: Connection | None = getattr(self._local, "connection", None)
        if current is not None:
            yield current
            return
        self._ensure_prepared()
        with (
            self._errors(action),
            self._connect(action, write=True) as connection,
            connection.begin(),
        ):
            self._local.connection = connection
            try:
                yield connection
            finally:
                self._local.connection = None

    @contextlib.contextmanager
    def reading(self, action: str) -> Iterator[Connection]:
        """A connection to read with: the open write transaction on this thread if there is
        one (so a change sees what it wrote), else a fresh read-only snapshot."""
        current: Connection | None = getattr(self._local, "connection", None)
        if current is not None:
            yield current
            return
        self._ensure_prepared()
        with self._errors(action), self._connect(action, write=False) as connection:
            yield connection

    def _ensure_prepared(self) -> None:
        if self._prepared:
            return
        with self._prepare_lock:  # other threads wait; this one's own calls pass (re-entrant)
            if self._prepared or self._preparing or self._prepare is None:
                return
            self._preparing = True
            try:
                self._prepare(self)
                self._prepared = True
            finally:
                self._preparing = False

    def record(
        self,
        connection: Connection,
        action: str,
        *,
        room: str | None = None,
        kind: str | None = None,
        key: str | None = None,
        revision: int | None = None,
        detail: str | None = None,
        actor: str | None = None,
    ) -> None:
        """Add one line to the audit log, in the transaction of the change it records."""
        connection.execute(
            insert(audit).values(
                at=datetime.now(UTC), room=room, actor=(actor or current_actor())[:64],
                action=action, kind=kind, key=key, revision=revision,
                detail=None if detail is None else detail[:200],
            )
        )  # fmt: skip

    def _connect(self, action: str, *, write: bool) -> contextlib.AbstractContextManager[Any]:
        try:
            connection = self.engine.connect()
        except DBAPIError as error:
            raise StorageError(self._unreachable(action, error)) from None
        if write:
            connection = connection.execution_options(alignment_write=True)
        return connection

    @contextlib.contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except StorageError:
            raise
        except DBAPIError as error:
            problem = _problem(error, self.is_sqlite)
            if problem == "unreachable":
                raise StorageError(self._unreachable(action, error)) from None
            if problem == "busy":
                raise StorageError(
                    f"cannot {action}: the workshop database {self.where} is busy with other "
                    "changes; try again in a moment"
                ) from None
            _log.exception("the workshop database %s failed to %s", self.where, action)
            raise StorageError(
                f"cannot {action}: the workshop database {self.where} refused it "
                f"({self._reason(error)}); try again, and if it keeps failing ask whoever runs "
                "the server to read its log"
            ) from None
        except SQLAlchemyError as error:
            _log.exception("the workshop database %s failed to %s", self.where, action)
            raise StorageError(
                f"cannot {action}: the workshop database {self.where} failed "
                f"({self._reason(error)}); ask whoever runs the server to read its log"
            ) from None

    def _reason(self, error: BaseException) -> str:
        """The driver's first line, without the password should a driver ever quote it."""
        orig = getattr(error, "orig", None) or error
        lines = str(orig).strip().splitlines()
        reason = lines[0][:160] if lines else type(orig).__name__
        password = self.url.password
        return reason.replace(str(password), "***") if password else reason

    def _unreachable(self, action: str, error: BaseException) -> str:
        if self.is_sqlite:
            return (
                f"cannot {action}: the workshop database file {self.where} cannot be opened "
                f"({self._reason(error)}); ask whoever runs the server to check that its folder "
                "exists and the app may write to it"
            )
        return (
            f"cannot {action}: the workshop database at {self.where} is unreachable "
            f"({self._reason(error)}); check that it is running and that {DATABASE_URL_ENV} names "
            "it (host, port, database, user and password), then reload the page"
        )


def describe(url: URL) -> str:
    """Where the database is, for messages and logs: host, port and name, never the password."""
    if url.get_backend_name() == "sqlite":
        return str(url.database or "(in memory)")
    port = f":{url.port}" if url.port else ""
    return f"{url.host or 'localhost'}{port}/{url.database or ''}"


def upgrade(database: Database) -> None:
    """Bring the schema to the newest migration; nothing happens when it is there already.

    On PostgreSQL the upgrade holds a transaction-scoped advisory lock and runs in that one
    transaction (PostgreSQL's DDL is transactional): a second process starting at the same time
    waits, then finds the schema current. On SQLite the write transaction itself excludes every
    other writer.
    """
    with database.writing("prepare the workshop database") as connection:
        if not database.is_sqlite:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": UPGRADE_LOCK})
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def current_revision(database: Database) -> str | None:
    """The migration the database is at (None before the first)."""
    with database.reading("read the schema's version") as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def alembic_config() -> Config:
    """Alembic's settings for the migrations shipped in ``alignment/migrations``."""
    config = Config(MIGRATIONS / "alembic.ini")
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _parsed(url: str | URL) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StorageError(
            f"{DATABASE_URL_ENV} is not a database URL; write it as "
            "postgresql+psycopg://USER:PASSWORD@HOST:5432/DATABASE or sqlite:///path/workshop.db"
        ) from None
    backend = parsed.get_backend_name()
    if backend not in ("postgresql", "sqlite"):
        raise StorageError(
            f"{DATABASE_URL_ENV} names a {backend} database; the workshop keeps its data in "
            "PostgreSQL (postgresql+psycopg://…) or SQLite (sqlite:///path/workshop.db)"
        )
    if backend == "postgresql" and parsed.drivername != "postgresql+psycopg":
        # psycopg 3 is the driver the app ships with; plain postgresql:// would ask for psycopg2.
        parsed = parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise StorageError(
            "an in-memory SQLite database forgets everything when the server stops; name a "
            "file: sqlite:///workshop_data/workshop.db"
        )
    return parsed


def _engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000})
        event.listen(engine, "connect", _sqlite_connected)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    connect_args = {} if "connect_timeout" in url.query else {"connect_timeout": 10}
    try:
        return create_engine(
            url,
            connect_args=connect_args,
            pool_size=5,
            max_overflow=15,
            pool_pre_ping=True,  # a managed database closes idle connections
            pool_recycle=1800,
        )
    except NoSuchModuleError:
        raise StorageError(
            f"{DATABASE_URL_ENV} names a driver this app does not have; use postgresql+psycopg://…"
        ) from None


def _sqlite_connected(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling defers BEGIN and commits before DDL; the store issues
    # BEGIN itself (see _sqlite_begin) so that a transaction means one.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    _write_ahead_log(cursor)  # readers never wait for a writer
    cursor.execute("PRAGMA synchronous=FULL")  # a saved item survives a power cut
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _write_ahead_log(cursor: Any) -> None:
    """Switch the file to write-ahead logging, waiting for others opening it at the same time.

    The switch needs the file to itself for a moment, and SQLite answers "database is locked"
    at once, without its busy wait, while another connection holds it: servers starting
    together on a new file failed to open it (7 in 60 trials of four at once). The mode is kept
    in the file, so once any connection has switched it the others find it switched.
    """
    deadline = time.monotonic() + SQLITE_BUSY_MS / 1000
    pause = 0.005
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            locked = "locked" in str(error).lower() or "busy" in str(error).lower()
            if not locked or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.2)


def _sqlite_begin(connection: Connection) -> None:
    # A writer takes the write lock up front, so two writers queue instead of one failing
    # halfway with "database is locked" when both try to upgrade a read lock.
    write = connection.get_execution_options().get("alignment_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _problem(error: DBAPIError, is_sqlite: bool) -> str:
    """``unreachable``, ``busy`` (another writer or a lock; worth a retry) or ``refused``."""
    if error.connection_invalidated:
        return "unreachable"
    if is_sqlite:
        reason = str(error.orig).lower()
        if "locked" in reason or "busy" in reason:
            return "busy"
        return "unreachable" if "unable to open" in reason else "refused"
    state = getattr(error.orig, "sqlstate", None)
    if state is None and type(error.orig).__name__ in {"OperationalError", "InterfaceError"}:
        return "unreachable"  # failed before the server said anything: no SQLSTATE
    if state is not None and (state.startswith("08") or state in {"57P01", "57P02", "57P03"}):
        return "unreachable"  # connection exceptions, and a server shutting down or starting
    if state is not None and state in {"40001", "40P01", "55P03"}:
        return "busy"  # serialisation failure, deadlock, lock not available
    return "refused"
