"""Old autosaves in the data folder are deleted; live ones, and those set aside, are kept."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

import pytest

from alignment import draft_cleanup
from alignment.draft_cleanup import main, purge_drafts, retention_from_environment
from alignment.storage import LocalFolderStore, StorageError, new_draft_id
from alignment.storage_files import write_atomically

MONTH = timedelta(days=30)


@pytest.fixture
def store(tmp_path: Path) -> LocalFolderStore:
    return LocalFolderStore(tmp_path / "data")


def age(path: Path, days: float) -> None:
    then = time.time() - days * 86_400
    os.utime(path, (then, then))


def test_drafts_untouched_for_the_retention_go_and_the_others_stay(store, scenario):
    old, live = new_draft_id(), new_draft_id()
    for draft_id in (old, live):
        store.save_draft(draft_id, scenario, scenario)
    age(store.root / "drafts" / f"{old}.json", 31)
    age(store.root / "drafts" / f"{live}.json", 29)
    assert purge_drafts(store, MONTH) == 1
    assert not store.has_draft(old)
    assert store.load_draft(live) == (scenario, scenario)


def test_drafts_set_aside_and_files_that_are_not_drafts_are_kept(store, scenario):
    aside, stray = new_draft_id(), store.root / "drafts" / "notes.txt"
    store.save_draft(aside, scenario, scenario)
    kept = store.root / store.set_aside_draft(aside)
    stray.write_text("not a draft", encoding="utf-8")
    for path in (kept, stray):
        age(path, 400)
    assert purge_drafts(store, MONTH) == 0
    assert kept.exists() and stray.exists()


def test_a_temporary_file_left_by_a_crashed_save_is_cleared_once_old(store, scenario):
    draft_id = new_draft_id()
    store.save_draft(draft_id, scenario, scenario)
    left = store.root / "drafts" / f".{draft_id}.json.0123abcd.tmp"
    left.write_bytes(b"{half")
    assert purge_drafts(store, MONTH) == 0 and left.exists()
    age(left, 31)
    purge_drafts(store, MONTH)
    assert not left.exists() and store.has_draft(draft_id)


def test_a_draft_saved_while_it_is_being_purged_is_kept(store, scenario, monkeypatch):
    draft_id = new_draft_id()
    store.save_draft(draft_id, scenario, scenario)
    path = store.root / "drafts" / f"{draft_id}.json"
    age(path, 31)
    rename = os.rename

    def saved_just_before(source, target) -> None:
        # Another server process saves the draft between the purge's look and its rename.
        write_atomically(Path(source), path.read_bytes())
        rename(source, target)

    monkeypatch.setattr(draft_cleanup.os, "rename", saved_just_before)
    assert purge_drafts(store, MONTH) == 0
    monkeypatch.undo()
    assert store.load_draft(draft_id) == (scenario, scenario)
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_a_store_with_no_drafts_purges_nothing(store):
    assert purge_drafts(store, MONTH) == 0


def test_a_purge_that_would_take_live_sessions_is_refused(store):
    with pytest.raises(ValueError, match="positive"):
        purge_drafts(store, timedelta(0))


@pytest.mark.parametrize(
    ("text", "kept"),
    [("", timedelta(days=30)), ("7", timedelta(days=7)), (" 90 ", timedelta(days=90)), ("0", None)],
)
def test_the_retention_comes_from_the_environment(monkeypatch, text, kept):
    monkeypatch.setenv("ALIGNMENT_DRAFT_RETENTION_DAYS", text)
    assert retention_from_environment() == kept


def test_a_retention_that_is_not_a_number_of_days_is_refused(monkeypatch):
    monkeypatch.setenv("ALIGNMENT_DRAFT_RETENTION_DAYS", "a month")
    with pytest.raises(StorageError, match="whole number of days"):
        retention_from_environment()


def test_the_command_line_purges_the_store_the_environment_names(
    tmp_path, monkeypatch, capsys, scenario
):
    monkeypatch.setenv("ALIGNMENT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ALIGNMENT_DATABASE_URL", raising=False)
    store, old = LocalFolderStore(tmp_path / "data"), new_draft_id()
    store.save_draft(old, scenario, scenario)
    age(store.root / "drafts" / f"{old}.json", 10)
    assert main(["--days", "7"]) == 0
    assert "deleted 1 autosaves" in capsys.readouterr().out
    assert not store.has_draft(old)
