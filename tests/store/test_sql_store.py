"""The workshop database itself: what a listing costs, the audit log, old scenarios migrating
on load, errors that say what to do, and which store the app picks."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from sqlalchemy import event, insert, select, update

from alignment import sql_store
from alignment.room_store import LocalRoomStore, default_rooms
from alignment.scenario_io import dump_data, load_scenario
from alignment.sql_database import Database, acting_as
from alignment.sql_rooms import SqlRoomStore
from alignment.sql_schema import audit, items
from alignment.sql_store import SqlStore, store_from_environment
from alignment.storage import LocalFolderStore, StorageError, StoredScenario, default_store
from alignment.storage_format import checked_scenario_data, item_bytes

VERSION_1 = Path(__file__).resolve().parents[1] / "fixtures" / "v1"
ANA = "a" * 32


class Statements:
    """Counts the queries a database runs, from now on."""

    def __init__(self, database: Database) -> None:
        self.seen: list[str] = []
        event.listen(database.engine, "before_cursor_execute", self._count)

    def _count(self, _conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("SELECT"):  # not SQLite's BEGIN
            self.seen.append(statement)

    def __len__(self) -> int:
        return len(self.seen)


def copies(scenario, count: int, room: str = "default") -> list[dict]:
    """``count`` proposal rows as the store writes them, under distinct keys."""
    data, scenario = checked_scenario_data(scenario)
    now = datetime.now(UTC)
    document, text = item_bytes(_stored(scenario, now), data), json.dumps(data)
    return [
        {"room": room, "kind": "proposals", "key": f"20260101-000000-{i:06x}", "revision": 1,
         "name": scenario.metadata.name, "author": "", "role": "sales", "created_at": now,
         "updated_at": now, "document": document, "data": text}
        for i in range(count)
    ]  # fmt: skip


def _stored(scenario, now):
    return StoredScenario("20260101-000000-000000", scenario, 1, now)


def test_listing_a_rooms_proposals_is_one_query_once_they_are_parsed(database, scenario):
    store = SqlStore(database)
    for _ in range(3):
        store.create("proposals", scenario)
    store.listing("proposals")
    statements = Statements(database)
    assert len(store.listing("proposals").items) == 3
    assert len(statements) == 1


def test_listing_reads_only_what_it_has_not_parsed_at_that_revision(database, scenario):
    store = SqlStore(database)
    first = store.create("proposals", scenario)
    store.create("proposals", scenario)
    store.listing("proposals")
    # Another server changes the first proposal: this one parses that one again, not both.
    SqlStore(database).update("proposals", first.key, scenario, 1)
    sql_store._PARSED.clear()
    statements = Statements(database)
    listing = store.listing("proposals")
    assert [p.revision for p in listing.items] == [2, 1]
    assert len(statements) == 2  # the keys and revisions; then the items not parsed yet


def test_ten_thousand_stored_proposals_are_all_listed(database, scenario):
    with database.writing("store many") as connection:
        connection.execute(insert(items), copies(scenario, 10_000))
    store = SqlStore(database)
    assert len(store.listing("proposals").items) == 10_000
    statements = Statements(database)
    assert len(store.listing("proposals").items) == 10_000
    assert len(statements) == 1


def test_every_change_is_in_the_audit_log_with_who_what_and_which_revision(database, scenario):
    rooms = SqlRoomStore(database)
    code = rooms.open_room("A", scenario).code
    rooms.join(code, ANA, "Ana", "sales")
    with acting_as(ANA):
        item = rooms.items(code).create("proposals", scenario)
        rooms.items(code).update("proposals", item.key, scenario, 1)
    rooms.vote(code, item.key, ANA, "for")
    rooms.show(code, item.key)
    rooms.items(code).delete("proposals", item.key, 2)
    rooms.close(code)
    with database.reading("read the log") as connection:
        log = connection.execute(
            select(audit.c.actor, audit.c.action, audit.c.kind, audit.c.key, audit.c.revision,
                   audit.c.room, audit.c.at).order_by(audit.c.id)
        ).all()  # fmt: skip
    assert [(row.actor, row.action, row.revision) for row in log] == [
        ("system", "open_room", None),
        (ANA, "join", None),
        (ANA, "create", 1),
        (ANA, "update", 2),
        (ANA, "vote", 2),
        ("system", "show", 2),
        ("system", "delete", 2),
        ("system", "close_room", None),
    ]
    assert {row.room for row in log} == {code}
    assert all(row.key == item.key for row in log if row.kind == "proposals")
    assert all(row.at.tzinfo is not None for row in log)


def test_a_refused_change_leaves_no_trace_in_the_log(database, scenario):
    store = SqlStore(database)
    item = store.create("proposals", scenario)
    with pytest.raises(StorageError):
        store.update("proposals", item.key, scenario, 5)
    with database.reading("read the log") as connection:
        assert connection.execute(select(audit.c.action)).scalars().all() == ["create"]


def test_a_version_1_proposal_migrates_on_load_from_the_yaml_or_the_json(database):
    old = yaml.safe_load((VERSION_1 / "launch_remedy_blended_plan.yaml").read_text("utf-8"))
    expected = load_scenario(VERSION_1 / "launch_remedy_blended_plan.yaml")
    now = datetime.now(UTC)
    document = dump_data({"revision": 3, "saved_at": now.isoformat(), "scenario": old})
    base = {"room": "default", "kind": "proposals", "revision": 3, "name": "old", "author": "",
            "role": "sales", "created_at": now, "updated_at": now}  # fmt: skip
    with database.writing("store old rows") as connection:
        connection.execute(insert(items), [
            base | {"key": "20250101-000000-00000a", "document": document.encode(), "data": None},
            base | {"key": "20250101-000000-00000b", "document": b"", "data": json.dumps(old)},
        ])  # fmt: skip
    store = SqlStore(database)
    for key in ("20250101-000000-00000a", "20250101-000000-00000b"):
        stored = store.get("proposals", key)
        assert (stored.revision, stored.scenario) == (3, expected)
    saved = store.update("proposals", "20250101-000000-00000a", expected, 3)
    with database.reading("read it back") as connection:
        row = connection.execute(select(items.c.data, items.c.document).where(
            items.c.key == saved.key)).one()  # fmt: skip
    assert json.loads(row.data)["schema_version"] == 2
    assert yaml.safe_load(row.document)["scenario"]["schema_version"] == 2


def test_a_damaged_row_is_listed_as_unreadable_with_what_to_do(database, scenario):
    store = SqlStore(database)
    good = store.create("proposals", scenario)
    damaged = store.create("proposals", scenario)
    with database.writing("damage a row") as connection:
        connection.execute(
            update(items).where(items.c.key == damaged.key).values(data='{"schema_version": 1')
        )
    sql_store._PARSED.clear()  # as in another server process, or after a restart
    listing = store.listing("proposals")
    assert listing.items == (good,)
    [unreadable] = listing.unreadable
    assert unreadable.key == damaged.key
    assert "damaged" in unreadable.reason and "backup" in unreadable.fix
    with pytest.raises(StorageError, match="damaged"):
        store.get("proposals", damaged.key)


def test_an_unreachable_database_is_named_without_its_password():
    database = Database("postgresql+psycopg://workshop:s3cret-pass@127.0.0.1:1/workshop")
    try:
        with pytest.raises(StorageError) as refused:
            SqlStore(database).list("proposals")
    finally:
        database.dispose()
    message = str(refused.value)
    assert "the workshop database at 127.0.0.1:1/workshop is unreachable" in message
    assert "ALIGNMENT_DATABASE_URL" in message
    assert "s3cret" not in message


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("mysql://x@host/db", "PostgreSQL"),
        ("sqlite://", "name a file"),
        ("not a url", "not a database URL"),
    ],
)
def test_a_database_the_app_cannot_use_is_refused_with_the_fix(url, says):
    with pytest.raises(StorageError, match=says):
        Database(url)


def test_the_app_uses_the_folder_unless_a_database_url_is_set(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGNMENT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ALIGNMENT_DATABASE_URL", raising=False)
    assert isinstance(default_store(), LocalFolderStore)
    assert isinstance(default_rooms(), LocalRoomStore)
    make_store, rooms = store_from_environment()
    assert isinstance(make_store(), LocalFolderStore) and isinstance(rooms, LocalRoomStore)

    monkeypatch.setenv("ALIGNMENT_DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    store = default_store()
    assert isinstance(store, SqlStore) and store.root == tmp_path / "data"
    assert isinstance(default_rooms(), SqlRoomStore)
    make_store, rooms = store_from_environment()
    assert isinstance(make_store(), SqlStore) and isinstance(rooms, SqlRoomStore)
    assert default_rooms().db is default_store().db  # one engine per process, migrated once
    assert default_store().list("proposals") == []  # migrated on first use
    assert (tmp_path / "app.db").exists()


def test_a_server_starts_while_its_database_is_down_and_each_page_says_so(monkeypatch):
    monkeypatch.setenv("ALIGNMENT_DATABASE_URL", "postgresql://workshop:pw@127.0.0.1:1/down")
    store = default_store()  # connects to nothing yet
    for _attempt in range(2):  # and tries again on the next action
        with pytest.raises(StorageError, match=r"127\.0\.0\.1:1/down is unreachable"):
            store.load_draft("a" * 32)
    with pytest.raises(StorageError, match="unreachable"):
        default_rooms().version("default")
