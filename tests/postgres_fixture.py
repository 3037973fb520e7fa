"""A PostgreSQL server for the store tests, and a fresh database on it for each test.

Where the server comes from, in order:

1. ``ALIGNMENT_TEST_DATABASE_URL`` (``postgresql+psycopg://user:pass@host:port/db``): a server
   someone runs. Each test gets a database of its own on it when that user may create
   databases; else every test empties and reuses the named database.
2. Debian's PostgreSQL binaries (``/usr/lib/postgresql/*/bin/initdb``, from
   ``apt-get install postgresql``): a throwaway cluster in a temporary folder, on a free port
   of 127.0.0.1, run as the ``postgres`` user when the tests run as root (PostgreSQL refuses
   root), stopped and deleted when the session ends.
3. Neither: the PostgreSQL tests are skipped — unless ``REQUIRE_POSTGRES=1`` (CI sets it),
   where they fail, saying what is missing.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import URL, make_url

from alignment.sql_database import Database, upgrade

URL_ENV = "ALIGNMENT_TEST_DATABASE_URL"
REQUIRE_ENV = "REQUIRE_POSTGRES"


def unavailable(reason: str) -> None:
    """Skip the test for want of PostgreSQL, or fail where PostgreSQL is required."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{REQUIRE_ENV}=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@dataclass
class PostgresServer:
    """A server the tests may create databases on, through ``admin`` (a URL to it)."""

    admin: URL
    may_create: bool = True
    restart: Callable[[], None] | None = None  # a throwaway cluster can be restarted

    def connect(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(_conninfo(self.admin), autocommit=True)

    def url(self, database: str) -> str:
        return self.admin.set(drivername="postgresql+psycopg", database=database).render_as_string(
            hide_password=False
        )

    @contextlib.contextmanager
    def database(self, *, migrated: bool) -> Iterator[str]:
        """A new database (empty, or at the newest schema) for one test; dropped after it."""
        if not self.may_create:
            assert self.admin.database is not None
            _empty(self.url(self.admin.database))
            if migrated:
                _migrate(self.url(self.admin.database))
            yield self.url(self.admin.database)
            return
        name = f"test_{secrets.token_hex(6)}"
        with self.connect() as connection:
            connection.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]
        try:
            if migrated:
                _migrate(self.url(name))
            yield self.url(name)
        finally:
            with self.connect() as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # type: ignore[arg-type]

    @contextlib.contextmanager
    def shared_database(self) -> Iterator[str]:
        """One migrated database for the session, emptied before each test: emptying costs
        milliseconds where creating a database costs a second or two."""
        if not self.may_create:
            with self.database(migrated=True) as url:
                yield url
            return
        name = f"test_shared_{secrets.token_hex(4)}"
        with self.connect() as connection:
            connection.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]
        _migrate(self.url(name))
        try:
            yield self.url(name)
        finally:
            with self.connect() as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # type: ignore[arg-type]


def _migrate(url: str) -> None:
    database = Database(url)
    try:
        upgrade(database)
    finally:
        database.dispose()


def _clear(url: str) -> None:
    """Every row gone but the default room's, which is as the migration left it."""
    with psycopg.connect(_conninfo(make_url(url)), autocommit=True) as connection:
        connection.execute("SET lock_timeout = '20s'")  # a test that left a transaction open
        connection.execute("TRUNCATE audit, drafts, votes, participants, items RESTART IDENTITY")
        connection.execute("DELETE FROM rooms WHERE code <> 'default'")
        connection.execute(
            "UPDATE rooms SET version = 0, on_screen = NULL, tally_revealed = false, "
            "agenda_step = 0, timer_ends_at = NULL, agreed = NULL, status = 'open', "
            "closed_at = NULL"
        )


def _empty(url: str) -> None:
    with psycopg.connect(_conninfo(make_url(url)), autocommit=True) as connection:
        for table in ("audit", "drafts", "votes", "participants", "items", "rooms"):
            connection.execute(f"DROP TABLE IF EXISTS {table} CASCADE")  # type: ignore[arg-type]
        connection.execute("DROP TABLE IF EXISTS alembic_version")


def _conninfo(url: URL) -> str:
    parts = {
        "host": url.host or "127.0.0.1", "port": url.port or 5432, "user": url.username,
        "password": url.password, "dbname": url.database or "postgres",
    }  # fmt: skip
    return psycopg.conninfo.make_conninfo(**{k: v for k, v in parts.items() if v is not None})


def _external(url: str) -> PostgresServer:
    server = PostgresServer(make_url(url))
    try:
        with server.connect() as connection:
            row = connection.execute(
                "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user"
            ).fetchone()
    except psycopg.Error as error:
        unavailable(f"{URL_ENV} names a server that cannot be reached ({error})")
    server.may_create = bool(row and row[0])
    return server


def _initdb() -> Path | None:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4])
    )
    if found:
        return Path(found[-1])
    on_path = shutil.which("initdb")
    return Path(on_path) if on_path else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def throwaway_cluster(initdb: Path) -> Iterator[PostgresServer]:
    """A PostgreSQL cluster of our own in a temporary folder; stopped and deleted after."""
    bin_dir = initdb.parent
    base = Path(tempfile.mkdtemp(prefix="alignment-postgres-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(base)
            unavailable("running as root, and there is no postgres user to run PostgreSQL as")
        os.chown(base, owner.pw_uid, owner.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data = base / "data"

    def run(*command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*prefix, *command], capture_output=True, text=True, timeout=120, check=False
        )

    made = run(
        str(initdb), "-D", str(data), "-U", "postgres", "--auth=trust", "--no-sync",
        "-E", "UTF8", "--locale=C",
    )  # fmt: skip
    if made.returncode != 0:
        shutil.rmtree(base, ignore_errors=True)
        unavailable(f"initdb failed: {made.stderr.strip()[-500:]}")
    started, port = None, 0
    for _ in range(5):  # another process may take the free port first
        port = _free_port()
        options = (
            f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        started = run(
            str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(base / "server.log"),
            "-w", "-t", "60", "-o", options, "start",
        )  # fmt: skip
        if started.returncode == 0:
            break
    if started is None or started.returncode != 0:
        log = (base / "server.log").read_text(errors="replace")[-800:]
        shutil.rmtree(base, ignore_errors=True)
        unavailable(f"the throwaway PostgreSQL did not start: {log}")

    def restart() -> None:
        done = run(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(base / "server.log"),
                   "-w", "-t", "60", "-m", "fast", "-o", options, "restart")  # fmt: skip
        assert done.returncode == 0, done.stderr

    try:
        yield PostgresServer(
            URL.create("postgresql+psycopg", "postgres", None, "127.0.0.1", port),
            restart=restart,
        )
    finally:
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server for this test session (see the module's docstring)."""
    url = os.environ.get(URL_ENV, "").strip()
    if url:
        yield _external(url)
        return
    initdb = _initdb()
    if initdb is None:
        unavailable(
            f"PostgreSQL is not installed (apt-get install postgresql) and {URL_ENV} is not set"
        )
        return
    with throwaway_cluster(initdb) as server:
        yield server


@pytest.fixture(scope="session")
def _shared_postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    with postgres_server.shared_database() as url:
        yield url


@pytest.fixture
def postgres_url(_shared_postgres_url: str) -> str:
    """A database at the newest schema, with nothing in it but the default room; the test's
    alone while it runs (close every connection to it before the test ends)."""
    _clear(_shared_postgres_url)
    return _shared_postgres_url


@pytest.fixture
def empty_postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A database of this test's own with nothing in it, not even the schema."""
    with postgres_server.database(migrated=False) as url:
        yield url
