"""PostgreSQL restarted in the middle of a workshop: no acknowledged save is lost, the save in
flight gets a clear message, and the app carries on once the server is back."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from alignment.levers import with_values
from alignment.sql_database import Database, upgrade
from alignment.sql_store import SqlStore
from alignment.storage import StorageError
from tests.postgres_fixture import PostgresServer, _initdb, throwaway_cluster, unavailable
from workshop_ui.library import default_scenario


@pytest.fixture(scope="module")
def own_server() -> Iterator[PostgresServer]:
    """A cluster of this module's own: restarting it disturbs no other test."""
    initdb = _initdb()
    if initdb is None:
        unavailable("PostgreSQL is not installed (apt-get install postgresql)")
        return
    with throwaway_cluster(initdb) as server:
        yield server


def test_a_restart_mid_save_loses_no_acknowledged_write(own_server, tmp_path):
    assert own_server.restart is not None
    with own_server.database(migrated=False) as url:
        database = Database(url)
        upgrade(database)
        store = SqlStore(database, root=tmp_path)
        acknowledged: list[str] = []
        refused: list[str] = []
        stop = threading.Event()

        def keep_saving() -> None:
            number = 0
            while not stop.is_set():
                number += 1
                plan = with_values(default_scenario(), {"metadata.name": f"Plan {number}"})
                try:
                    acknowledged.append(store.create("proposals", plan).key)
                except StorageError as error:
                    refused.append(str(error))
                    time.sleep(0.05)

        saver = threading.Thread(target=keep_saving)
        saver.start()
        try:
            deadline = time.monotonic() + 60
            while len(acknowledged) < 5 and time.monotonic() < deadline:
                time.sleep(0.02)
            own_server.restart()
            before = len(acknowledged)
            while len(acknowledged) < before + 5 and time.monotonic() < deadline:
                time.sleep(0.02)
        finally:
            stop.set()
            saver.join(timeout=60)
        try:
            assert len(acknowledged) >= before + 5, "saving did not resume after the restart"
            kept = {item.key for item in store.list("proposals")}
            assert set(acknowledged) <= kept  # every save the app confirmed is there
            for message in refused:  # a save in flight says what happened, in words
                assert "workshop database" in message, message
                assert "Traceback" not in message and "psycopg" not in message.lower()
        finally:
            database.dispose()
