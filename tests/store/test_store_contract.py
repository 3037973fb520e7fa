"""Every store keeps saved scenarios, proposals and drafts the same way: the data folder, SQLite
and PostgreSQL behind the same calls, with the same revision checks and the same errors."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from alignment.draft_cleanup import purge_drafts
from alignment.scenario import Scenario
from alignment.sql_schema import drafts
from alignment.storage import (
    ConflictError,
    NotFoundError,
    StorageError,
    new_draft_id,
)


def named(scenario: Scenario, title: str) -> Scenario:
    meta = scenario.metadata.model_copy(update={"name": title})
    return scenario.model_copy(update={"metadata": meta})


def test_a_created_item_reads_back_equal_at_revision_one(backend, scenario):
    store = backend.store()
    created = store.create("scenarios", scenario)
    read = store.get("scenarios", created.key)
    assert read.scenario == scenario
    assert read.revision == created.revision == 1
    assert read.saved_at == created.saved_at
    assert read.saved_at.utcoffset() == timedelta(0)


def test_keys_are_made_by_the_store_never_from_the_title(backend, scenario):
    created = backend.store().create("proposals", named(scenario, "../../etc/passwd <b>x</b>"))
    assert created.key.count("-") == 2 and len(created.key) == 22


def test_the_listing_is_newest_first_and_kinds_are_separate(backend, scenario):
    store = backend.store()
    first = store.create("scenarios", named(scenario, "first"))
    second = store.create("scenarios", named(scenario, "second"))
    proposal = store.create("proposals", named(scenario, "proposal"))
    assert [s.key for s in store.list("scenarios")] == [second.key, first.key]
    assert [s.key for s in store.list("proposals")] == [proposal.key]
    listing = store.listing("proposals")
    assert listing.items == (proposal,) and listing.unreadable == ()


def test_an_empty_store_lists_nothing(backend):
    assert backend.store().list("scenarios") == []
    assert backend.store().listing("proposals").items == ()


def test_an_update_raises_the_revision_by_one_and_moves_the_item_to_the_top(backend, scenario):
    store = backend.store()
    older = store.create("proposals", named(scenario, "older"))
    newer = store.create("proposals", named(scenario, "newer"))
    updated = store.update("proposals", older.key, named(scenario, "v2"), 1)
    assert updated.revision == 2
    assert store.get("proposals", older.key).scenario.metadata.name == "v2"
    assert [p.key for p in store.list("proposals")] == [older.key, newer.key]


def test_an_update_from_a_stale_revision_is_a_conflict_and_changes_nothing(backend, scenario):
    store = backend.store()
    created = store.create("scenarios", scenario)
    store.update("scenarios", created.key, named(scenario, "theirs"), 1)
    with pytest.raises(ConflictError, match="reload"):
        store.update("scenarios", created.key, named(scenario, "mine"), 1)
    current = store.get("scenarios", created.key)
    assert (current.revision, current.scenario.metadata.name) == (2, "theirs")


def test_a_delete_needs_the_current_revision(backend, scenario):
    store = backend.store()
    created = store.create("scenarios", scenario)
    store.update("scenarios", created.key, scenario, 1)
    with pytest.raises(ConflictError):
        store.delete("scenarios", created.key, 1)
    store.delete("scenarios", created.key, 2)
    with pytest.raises(NotFoundError):
        store.get("scenarios", created.key)
    assert store.list("scenarios") == []


def test_an_update_or_delete_of_a_missing_item_is_not_found(backend, scenario):
    store, key = backend.store(), "20260101-000000-abcdef"
    with pytest.raises(NotFoundError):
        store.get("scenarios", key)
    with pytest.raises(NotFoundError):
        store.update("scenarios", key, scenario, 1)
    with pytest.raises(NotFoundError):
        store.delete("scenarios", key, 1)


@pytest.mark.parametrize("key", ["../x", "", "20260101-000000-ABCDEF", "x' OR '1'='1"])
def test_keys_outside_the_strict_pattern_are_refused(backend, scenario, key):
    store = backend.store()
    with pytest.raises(StorageError):
        store.get("scenarios", key)
    with pytest.raises(StorageError):
        store.update("scenarios", key, scenario, 1)
    with pytest.raises(StorageError):
        store.delete("scenarios", key, 1)


def test_an_unknown_kind_is_refused(backend, scenario):
    with pytest.raises(StorageError, match="unknown kind"):
        backend.store().create("../outside", scenario)  # type: ignore[arg-type]
    with pytest.raises(StorageError, match="unknown kind"):
        backend.store().list("drafts")  # type: ignore[arg-type]


def test_a_scenario_that_could_not_be_read_back_is_not_saved(backend, scenario):
    broken = scenario.model_copy(update={"goals": None})
    with pytest.raises(StorageError, match="cannot be saved"):
        backend.store().create("scenarios", broken)
    assert backend.store().list("scenarios") == []


def test_drafts_round_trip_working_and_baseline_and_the_last_save_wins(backend, scenario):
    store, draft_id = backend.store(), new_draft_id()
    assert not store.has_draft(draft_id)
    store.save_draft(draft_id, named(scenario, "working"), scenario)
    assert store.has_draft(draft_id)
    assert store.load_draft(draft_id) == (named(scenario, "working"), scenario)
    store.save_draft(draft_id, named(scenario, "later"), scenario)
    assert store.load_draft(draft_id)[0].metadata.name == "later"


def test_a_missing_draft_loads_as_none(backend):
    store = backend.store()
    assert store.load_draft(new_draft_id()) is None
    assert store.load_draft("../../etc/passwd") is None
    assert not store.has_draft("../../etc/passwd")


def test_saving_a_draft_under_an_invalid_id_is_refused(backend, scenario):
    with pytest.raises(StorageError, match="draft id"):
        backend.store().save_draft("../escape", scenario, scenario)


def test_a_draft_set_aside_is_kept_but_no_longer_loaded(backend, scenario):
    store, draft_id = backend.store(), new_draft_id()
    store.save_draft(draft_id, scenario, scenario)
    kept = store.set_aside_draft(draft_id)
    assert draft_id in kept
    assert not store.has_draft(draft_id)
    assert store.load_draft(draft_id) is None
    with pytest.raises(NotFoundError):
        store.set_aside_draft(draft_id)
    store.save_draft(draft_id, scenario, scenario)  # the session may start again under its id
    assert store.set_aside_draft(draft_id) != kept


def age_draft(backend, draft_id: str, days: float) -> None:
    """Make the draft look last saved ``days`` ago."""
    then = datetime.now(UTC) - timedelta(days=days)
    if backend.database is None:
        path = backend.store().root / "drafts" / f"{draft_id}.json"
        os.utime(path, (then.timestamp(), then.timestamp()))
        return
    with backend.database.writing("age a draft") as connection:
        connection.execute(update(drafts).where(drafts.c.id == draft_id).values(updated_at=then))


def test_drafts_not_saved_for_the_retention_are_purged_and_the_rest_kept(backend, scenario):
    store = backend.store()
    old, recent, set_aside = new_draft_id(), new_draft_id(), new_draft_id()
    for draft_id in (old, recent, set_aside):
        store.save_draft(draft_id, scenario, scenario)
    age_draft(backend, old, 40)
    age_draft(backend, set_aside, 40)
    store.set_aside_draft(set_aside)
    assert purge_drafts(store, timedelta(days=30)) == 1
    assert not store.has_draft(old)
    assert store.load_draft(recent) == (scenario, scenario)
    assert purge_drafts(store, timedelta(days=30)) == 0
