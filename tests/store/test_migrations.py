"""The workshop database's schema comes from its migrations: an empty database is brought to
the newest one on start, once however many servers start together, and nothing happens when it
is there already."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import event, func, select

from alignment.sql_database import Database, current_revision, head_revision, upgrade
from alignment.sql_schema import metadata, rooms

ROOT = Path(__file__).resolve().parents[2]
INI = ROOT / "alignment" / "migrations" / "alembic.ini"


@pytest.fixture(params=("sqlite", "postgres"))
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'workshop.db'}"
    return str(request.getfixturevalue("empty_postgres_url"))


def statements_during(database: Database, call) -> list[str]:
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement.lstrip().split(None, 1)[0].upper())

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        call()
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
    return seen


def test_an_empty_database_is_upgraded_to_the_newest_migration_and_a_second_upgrade_does_nothing(
    empty_url,
):
    database = Database(empty_url)
    try:
        assert current_revision(database) is None
        upgrade(database)
        assert current_revision(database) == head_revision() is not None
        again = statements_during(database, lambda: upgrade(database))
        assert not set(again) & {"CREATE", "ALTER", "DROP", "INSERT", "UPDATE", "DELETE"}, again
        assert current_revision(database) == head_revision()
        with database.reading("count the rooms") as connection:
            assert connection.execute(select(func.count()).select_from(rooms)).scalar() == 1
    finally:
        database.dispose()


def test_alembic_current_on_the_command_line_says_head(empty_url):
    database = Database(empty_url)
    try:
        upgrade(database)
    finally:
        database.dispose()
    shown = subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(INI), "current"],
        env={**os.environ, "ALIGNMENT_DATABASE_URL": empty_url}, cwd=ROOT,
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert f"{head_revision()} (head)" in shown.stdout


def test_the_migrated_schema_is_the_one_the_store_is_written_against(empty_url):
    database = Database(empty_url)
    try:
        upgrade(database)
        with database.reading("compare the schema") as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
    finally:
        database.dispose()


def test_servers_starting_together_upgrade_the_schema_exactly_once(empty_url):
    servers = [Database(empty_url) for _ in range(4)]
    start = threading.Barrier(len(servers))
    failures: list[BaseException] = []

    def start_server(database: Database) -> None:
        start.wait()
        try:
            upgrade(database)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=start_server, args=(s,)) for s in servers]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert failures == []
        assert current_revision(servers[0]) == head_revision()
        with servers[0].reading("count the rooms") as connection:
            assert connection.execute(select(func.count()).select_from(rooms)).scalar() == 1
    finally:
        for database in servers:
            database.dispose()


def test_a_server_opening_a_new_file_while_another_writes_waits_for_it(tmp_path):
    # Switching a new SQLite file to write-ahead logging needs it alone for a moment, and
    # SQLite says "locked" at once rather than wait: servers starting together failed.
    path = tmp_path / "workshop.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE starting (n INTEGER)")
    other.execute("BEGIN IMMEDIATE")  # another server's first write, in progress
    release = threading.Timer(0.5, lambda: other.execute("ROLLBACK"))
    release.start()
    database = Database(f"sqlite:///{path}")
    try:
        upgrade(database)

        assert current_revision(database) == head_revision()
        with database.reading("read the journal mode") as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        release.join()
        database.dispose()
        other.close()
