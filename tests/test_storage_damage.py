"""Damaged files and failing folders: the store names what it cannot read and never loses work."""

from __future__ import annotations

import fcntl
import json
import logging
import os
import tempfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from alignment.scenario import Scenario
from alignment.scenario_io import load_scenario
from alignment.storage import (
    DraftUnreadableError,
    LocalFolderStore,
    NotFoundError,
    StorageError,
    new_draft_id,
)
from alignment.storage_files import move_aside

EXAMPLE = Path(__file__).resolve().parent.parent / "scenarios" / "launch_conflict.yaml"
NOT_WRITABLE = "read-only or not writable by the app"


def _permission_bits_are_ignored() -> bool:
    """True for root with its usual powers (as in CI), which reads and writes any file."""
    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / "probe"
        probe.write_text("x", encoding="utf-8")
        probe.chmod(0)
        try:
            probe.read_text(encoding="utf-8")
        except PermissionError:
            return False
        return True


IGNORES_PERMISSIONS = _permission_bits_are_ignored()


@pytest.fixture(scope="module")
def example() -> Scenario:
    return load_scenario(EXAMPLE)


@pytest.fixture
def store(tmp_path: Path) -> LocalFolderStore:
    return LocalFolderStore(tmp_path / "data")


def refuse_opening(monkeypatch, fragment: str, error: OSError) -> None:
    """Make ``os.open`` fail for paths containing ``fragment``, as for a file the app may not
    read; the permission bits alone cannot show it when the tests run as root.
    """
    real_open = os.open

    def guarded(path, flags, *args, **kwargs):
        if fragment in str(path):
            raise error
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded)


def valid_item_text(store: LocalFolderStore, example: Scenario) -> str:
    created = store.create("proposals", example)
    return (store.root / "proposals" / f"{created.key}.yaml").read_text(encoding="utf-8")


# --- Unreadable items are listed, with the file and the fix, never hidden ---------------------

DAMAGED_NAME = "20260101-000000-00000d"
DAMAGED_FILE = f"proposals/{DAMAGED_NAME}.yaml"


def plant_truncated(folder: Path, text: str, tmp_path: Path) -> None:
    (folder / f"{DAMAGED_NAME}.yaml").write_text(text[: len(text) // 3] + "\n  - [", "utf-8")


def plant_binary(folder: Path, text: str, tmp_path: Path) -> None:
    (folder / f"{DAMAGED_NAME}.yaml").write_bytes(b"\x00\xff\xfe binary junk \x89PNG")


def plant_empty(folder: Path, text: str, tmp_path: Path) -> None:
    (folder / f"{DAMAGED_NAME}.yaml").write_bytes(b"")


def plant_wrong_keys(folder: Path, text: str, tmp_path: Path) -> None:
    (folder / f"{DAMAGED_NAME}.yaml").write_text("version: 1\nplan: {}\n", "utf-8")


def plant_text_revision(folder: Path, text: str, tmp_path: Path) -> None:
    (folder / f"{DAMAGED_NAME}.yaml").write_text(
        text.replace("revision: 1", "revision: two", 1), "utf-8"
    )


def plant_invalid_scenario(folder: Path, text: str, tmp_path: Path) -> None:
    (folder / f"{DAMAGED_NAME}.yaml").write_text(
        "revision: 1\nsaved_at: '2026-01-01T00:00:00+00:00'\nscenario: {schema_version: 1}\n",
        "utf-8",
    )


def plant_link_outside(folder: Path, text: str, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(text, "utf-8")
    (folder / f"{DAMAGED_NAME}.yaml").symlink_to(outside)


def plant_folder(folder: Path, text: str, tmp_path: Path) -> None:
    (folder / f"{DAMAGED_NAME}.yaml").mkdir()


def plant_pipe(folder: Path, text: str, tmp_path: Path) -> None:
    os.mkfifo(folder / f"{DAMAGED_NAME}.yaml")


DAMAGE = {
    "truncated YAML": (plant_truncated, "damaged", "backup"),
    "binary garbage": (plant_binary, "damaged", "backup"),
    "empty file": (plant_empty, "damaged", "backup"),
    "wrong top-level keys": (
        plant_wrong_keys,
        "expected revision, saved_at and scenario",
        "backup",
    ),
    "revision not a number": (plant_text_revision, "revision must be a whole number", "backup"),
    "invalid scenario": (plant_invalid_scenario, "damaged", "backup"),
    "link outside the root": (plant_link_outside, "outside the data folder", "remove the link"),
    "folder named like an item": (plant_folder, "a folder", "move"),
    "pipe named like an item": (plant_pipe, "a folder (or another non-file)", "move"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_item_is_listed_as_unreadable_with_its_file_and_the_fix(
    store, example, tmp_path, damage
):
    plant, reason, fix = DAMAGE[damage]
    text = valid_item_text(store, example)
    plant(store.root / "proposals", text, tmp_path)

    listing = store.listing("proposals")

    assert len(listing.items) == 1
    (unreadable,) = listing.unreadable
    assert (unreadable.key, unreadable.file) == (DAMAGED_NAME, DAMAGED_FILE)
    assert reason in unreadable.reason
    assert fix in unreadable.fix
    assert DAMAGED_FILE in unreadable.fix or "move" in unreadable.fix


def test_an_item_the_app_may_not_read_is_listed_as_unreadable(store, example, monkeypatch):
    text = valid_item_text(store, example)
    (store.root / "proposals" / f"{DAMAGED_NAME}.yaml").write_text(text, "utf-8")
    refuse_opening(monkeypatch, DAMAGED_NAME, PermissionError(13, "Permission denied"))

    (unreadable,) = store.listing("proposals").unreadable

    assert unreadable.file == DAMAGED_FILE
    assert "may not read it (Permission denied)" in unreadable.reason
    assert "whoever runs the server" in unreadable.fix


@pytest.mark.skipif(
    IGNORES_PERMISSIONS, reason="this user reads files whatever their permission bits"
)
def test_an_item_without_read_permission_is_listed_as_unreadable(store, example):
    text = valid_item_text(store, example)
    path = store.root / "proposals" / f"{DAMAGED_NAME}.yaml"
    path.write_text(text, "utf-8")
    path.chmod(0)

    (unreadable,) = store.listing("proposals").unreadable

    assert "Permission denied" in unreadable.reason


def test_a_yaml_file_under_a_name_the_app_never_gives_is_listed_not_skipped(store, example):
    text = valid_item_text(store, example)
    (store.root / "proposals" / "bravo backup.yaml").write_text(text, "utf-8")
    (store.root / "proposals" / "notes.txt").write_text("not an item", "utf-8")
    (store.root / "proposals" / ".20260101-000000-abcdef.yaml.1a2b3c4d.tmp").write_text("", "utf-8")

    (unreadable,) = store.listing("proposals").unreadable

    assert (unreadable.key, unreadable.file) == (None, "proposals/bravo backup.yaml")
    assert "rename" in unreadable.fix


def test_every_item_file_is_either_listed_or_named_unreadable(store, example):
    saved = [store.create("proposals", example) for _ in range(12)]
    folder = store.root / "proposals"
    for item in saved[::3]:
        (folder / f"{item.key}.yaml").write_bytes(b"revision: [\n")

    listing = store.listing("proposals")

    assert len(listing.items) + len(listing.unreadable) == len(saved)
    assert {u.key for u in listing.unreadable} == {item.key for item in saved[::3]}
    assert store.list("proposals") == list(listing.items)


def test_getting_a_damaged_item_names_its_file_and_the_fix(store):
    folder = store.root / "proposals"
    folder.mkdir(parents=True)
    (folder / f"{DAMAGED_NAME}.yaml").write_text("revision: 1\n", encoding="utf-8")

    with pytest.raises(StorageError) as raised:
        store.get("proposals", DAMAGED_NAME)

    message = str(raised.value)
    assert DAMAGED_FILE in message
    assert "damaged" in message and "restore it from a backup or delete the file" in message


def test_each_unreadable_file_is_logged_once_as_a_warning_naming_it_and_why(store, example, caplog):
    valid_item_text(store, example)
    (store.root / "proposals" / f"{DAMAGED_NAME}.yaml").write_text("revision: 1\n", "utf-8")

    with caplog.at_level(logging.WARNING, logger="alignment.storage"):
        store.listing("proposals")
        store.listing("proposals")  # every page view lists: the log is not flooded

    (record,) = [r for r in caplog.records if r.name == "alignment.storage"]
    assert record.levelno == logging.WARNING
    assert f"{DAMAGED_NAME}.yaml" in record.getMessage()
    assert "expected revision, saved_at and scenario" in record.getMessage()


def test_a_repaired_file_that_breaks_again_is_logged_again(store, example, caplog):
    text = valid_item_text(store, example)
    path = store.root / "proposals" / f"{DAMAGED_NAME}.yaml"
    with caplog.at_level(logging.WARNING, logger="alignment.storage"):
        path.write_text("revision: 1\n", "utf-8")
        store.listing("proposals")
        path.write_text(text, "utf-8")
        store.listing("proposals")
        path.write_text("revision: 1\n", "utf-8")
        store.listing("proposals")

    assert len([r for r in caplog.records if DAMAGED_NAME in r.getMessage()]) == 2


# --- Drafts: unreadable is not "missing", and it is set aside, never overwritten --------------


@pytest.fixture
def draft_id(store, example) -> str:
    draft_id = new_draft_id()
    store.save_draft(draft_id, example, example)
    return draft_id


def draft_path(store: LocalFolderStore, draft_id: str) -> Path:
    return store.root / "drafts" / f"{draft_id}.json"


def test_only_a_missing_draft_loads_as_none(store):
    assert store.load_draft(new_draft_id()) is None
    assert store.load_draft("../../etc/passwd") is None
    assert not store.has_draft(new_draft_id())


def invalid_scenario_draft(example: Scenario) -> str:
    tampered = example.model_dump(mode="json")
    tampered["sales_team"]["reps"] = "forty"
    return json.dumps({"saved_at": "now", "scenario": tampered, "baseline": tampered})


DAMAGED_DRAFTS = {
    "truncated JSON": (lambda example: '{"scenario": [', "not complete, valid JSON"),
    "empty file": (lambda example: "", "not complete, valid JSON"),
    "binary garbage": (lambda example: "\x00\x89PNG", "not complete, valid JSON"),
    "nested too deeply": (lambda example: "[" * 100_000 + "]" * 100_000, "valid JSON"),
    "wrong top-level keys": (lambda example: '{"scenario": {}}', "expected saved_at, scenario"),
    "invalid scenario": (invalid_scenario_draft, "sales_team.reps"),
}


@pytest.mark.parametrize("damage", list(DAMAGED_DRAFTS))
def test_a_damaged_draft_raises_naming_the_problem_and_is_left_untouched(
    store, example, draft_id, damage
):
    text, reason = DAMAGED_DRAFTS[damage]
    path = draft_path(store, draft_id)
    path.write_text(text(example), encoding="utf-8")
    before = path.read_bytes()

    with pytest.raises(DraftUnreadableError) as raised:
        store.load_draft(draft_id)

    assert reason in raised.value.reason
    assert f"drafts/{draft_id}.json" in str(raised.value)
    assert "kept" in str(raised.value)
    assert path.read_bytes() == before
    assert store.has_draft(draft_id)


def test_a_draft_the_app_may_not_read_is_unreadable_not_missing(
    store, draft_id, monkeypatch, caplog
):
    refuse_opening(monkeypatch, draft_id, PermissionError(13, "Permission denied"))

    with (
        caplog.at_level(logging.WARNING, logger="alignment.storage"),
        pytest.raises(DraftUnreadableError, match="Permission denied"),
    ):
        store.load_draft(draft_id)

    assert any(draft_id in r.getMessage() for r in caplog.records)


def test_a_folder_named_like_a_draft_is_unreadable_not_missing(store):
    draft_id = new_draft_id()
    draft_path(store, draft_id).mkdir(parents=True)

    with pytest.raises(DraftUnreadableError, match="a folder"):
        store.load_draft(draft_id)


def test_an_unreadable_draft_is_a_storage_error(store, draft_id):
    draft_path(store, draft_id).write_text("{", encoding="utf-8")
    with pytest.raises(StorageError):
        store.load_draft(draft_id)


def test_setting_a_draft_aside_moves_it_whole_under_drafts_unreadable(store, draft_id):
    path = draft_path(store, draft_id)
    path.write_text('{"scenario": [', encoding="utf-8")

    kept = store.set_aside_draft(draft_id)

    assert kept.startswith(f"drafts/unreadable/{draft_id}-") and kept.endswith("Z.json")
    assert (store.root / kept).read_text(encoding="utf-8") == '{"scenario": ['
    assert not path.exists()
    assert store.load_draft(draft_id) is None


def test_setting_drafts_aside_twice_keeps_both(store, example, draft_id):
    path = draft_path(store, draft_id)
    path.write_text("first", encoding="utf-8")
    first = store.set_aside_draft(draft_id)
    path.write_text("second", encoding="utf-8")
    second = store.set_aside_draft(draft_id)

    assert first != second
    assert (store.root / first).read_text(encoding="utf-8") == "first"
    assert (store.root / second).read_text(encoding="utf-8") == "second"


def test_moving_aside_never_overwrites_a_file_already_there(tmp_path):
    source, folder = tmp_path / "draft.json", tmp_path / "aside"
    source.write_text("new", encoding="utf-8")
    folder.mkdir()
    (folder / "draft-1.json").write_text("older", encoding="utf-8")

    target = move_aside(source, folder, "draft-1", ".json")

    assert target == folder / "draft-1-2.json"
    assert (folder / "draft-1.json").read_text(encoding="utf-8") == "older"
    assert target.read_text(encoding="utf-8") == "new"


def test_setting_aside_a_missing_draft_is_refused(store):
    with pytest.raises(NotFoundError):
        store.set_aside_draft(new_draft_id())


def test_a_draft_that_cannot_be_moved_aside_stays_and_says_why(store, draft_id, monkeypatch):
    path = draft_path(store, draft_id)
    before = path.read_bytes()

    def refuse(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "rename", refuse)
    with pytest.raises(StorageError, match=NOT_WRITABLE):
        store.set_aside_draft(draft_id)
    assert path.read_bytes() == before


# --- Every failure of the file system is a StorageError naming the fix ------------------------


@pytest.fixture
def blocked(tmp_path: Path) -> LocalFolderStore:
    """A store whose data folder is a regular file: every mkdir under it fails (as root too)."""
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    return LocalFolderStore(blocker)


def test_saving_into_a_data_folder_that_cannot_be_written_names_the_folder_and_the_fix(
    blocked, example
):
    with pytest.raises(StorageError) as raised:
        blocked.create("proposals", example)

    message = str(raised.value)
    assert "cannot save the new proposal" in message
    assert f"the data folder {blocked.root} is read-only or not writable by the app" in message
    assert "ask whoever runs the server to fix its permissions" in message
    assert "download your scenario to keep it" in message


def test_listing_and_drafts_in_an_unusable_data_folder_are_storage_errors(blocked, example):
    with pytest.raises(StorageError, match="cannot list the saved proposals"):
        blocked.listing("proposals")
    with pytest.raises(StorageError, match=NOT_WRITABLE):
        blocked.save_draft(new_draft_id(), example, example)
    assert blocked.load_draft(new_draft_id()) is None


@pytest.mark.parametrize("action", ["create", "update", "delete"])
def test_a_lock_that_cannot_be_taken_is_a_storage_error_and_changes_nothing(
    store, example, monkeypatch, action
):
    item = store.create("proposals", example)

    def refuse(fd: int, operation: int) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(fcntl, "flock", refuse)
    with pytest.raises(StorageError, match=NOT_WRITABLE):
        if action == "create":
            store.create("proposals", example)
        elif action == "update":
            store.update("proposals", item.key, example, item.revision)
        else:
            store.delete("proposals", item.key, item.revision)
    monkeypatch.undo()
    assert store.list("proposals") == [item]


def test_a_lock_file_that_cannot_be_opened_is_a_storage_error(store, example, monkeypatch):
    refuse_opening(monkeypatch, ".locks", PermissionError(13, "Permission denied"))
    with pytest.raises(StorageError, match=r"cannot save the new proposal \(Permission denied\)"):
        store.create("proposals", example)


def test_a_delete_the_folder_refuses_is_a_storage_error_and_keeps_the_item(
    store, example, monkeypatch
):
    item = store.create("proposals", example)

    def refuse(self: Path, missing_ok: bool = False) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "unlink", refuse)
    with pytest.raises(StorageError, match=f"cannot delete proposal {item.key}"):
        store.delete("proposals", item.key, item.revision)
    monkeypatch.undo()
    assert store.get("proposals", item.key) == item


@pytest.mark.skipif(
    IGNORES_PERMISSIONS, reason="this user writes into folders whatever their permission bits"
)
def test_a_read_only_data_folder_is_a_storage_error(store, example):
    store.root.mkdir()
    store.root.chmod(0o555)
    try:
        with pytest.raises(StorageError, match=NOT_WRITABLE):
            store.create("proposals", example)
    finally:
        store.root.chmod(0o755)


# --- On the pages -----------------------------------------------------------------------------


def test_the_library_names_unreadable_saved_scenarios_with_the_fix(tmp_path, monkeypatch, example):
    store = LocalFolderStore(tmp_path / "workshop_data")
    monkeypatch.setenv("ALIGNMENT_DATA_DIR", str(store.root))
    store.create("scenarios", example)
    (store.root / "scenarios" / f"{DAMAGED_NAME}.yaml").write_bytes(b"\x00\xff")
    page = Path(__file__).resolve().parent.parent / "pages" / "6_Scenarios.py"

    app = AppTest.from_file(str(page), default_timeout=60).run()

    assert not app.exception, app.exception
    shown = "\n".join(w.value for w in app.warning).replace("\u2060", "").replace("\\", "")
    assert "1 saved scenario cannot be read" in shown
    assert f"scenarios/{DAMAGED_NAME}.yaml" in shown
    assert "restore it from a backup or delete the file" in shown
