"""The stores under test: the data folder, SQLite and PostgreSQL, each behind the same calls."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from alignment.room_store import LocalRoomStore
from alignment.rooms import RoomStore
from alignment.scenario import Scenario
from alignment.sql_database import Database, upgrade
from alignment.sql_rooms import SqlRoomStore
from alignment.sql_store import SqlStore
from alignment.storage import LocalFolderStore, Store
from tests.postgres_fixture import (  # noqa: F401  (fixtures for the tests here)
    _shared_postgres_url,
    empty_postgres_url,
    postgres_server,
    postgres_url,
)
from workshop_ui.library import default_scenario

BACKENDS = ("folder", "sqlite", "postgres")


@dataclass
class Backend:
    """One kind of store, fresh and empty for one test."""

    name: str
    store: Callable[[], Store]  # the default room's items and every draft
    rooms: RoomStore
    database: Database | None = None


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'workshop.db'}"


def migrated(url: str) -> Database:
    database = Database(url)
    upgrade(database)
    return database


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "folder":
        root = tmp_path / "data"
        yield Backend("folder", lambda: LocalFolderStore(root), LocalRoomStore(root))
        return
    if request.param == "sqlite":
        database = migrated(sqlite_url(tmp_path))
    else:
        database = Database(request.getfixturevalue("postgres_url"))
    try:
        yield Backend(
            request.param, lambda: SqlStore(database, root=tmp_path), SqlRoomStore(database),
            database,
        )  # fmt: skip
    finally:
        database.dispose()


@pytest.fixture(params=("sqlite", "postgres"))
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty workshop database of each kind."""
    if request.param == "sqlite":
        found = migrated(sqlite_url(tmp_path))
    else:
        found = Database(request.getfixturevalue("postgres_url"))
    try:
        yield found
    finally:
        found.dispose()


@pytest.fixture(scope="session")
def scenario() -> Scenario:
    return default_scenario()


def named(scenario: Scenario, title: str) -> Scenario:
    meta = scenario.metadata.model_copy(update={"name": title})
    return scenario.model_copy(update={"metadata": meta})
