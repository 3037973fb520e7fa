"""The local folder store: atomic, contained, and never loses an update."""

from __future__ import annotations

import multiprocessing
import os
import threading
from pathlib import Path

import pytest
from pydantic import ValidationError

from alignment.scenario import Scenario
from alignment.scenario_io import load_scenario
from alignment.storage import (
    ConflictError,
    DraftUnreadableError,
    LocalFolderStore,
    NotFoundError,
    StorageError,
    default_store,
    is_valid_draft_id,
    new_draft_id,
)

EXAMPLE = Path(__file__).resolve().parent.parent / "scenarios" / "launch_conflict.yaml"


@pytest.fixture(scope="module")
def example() -> Scenario:
    return load_scenario(EXAMPLE)


@pytest.fixture
def store(tmp_path: Path) -> LocalFolderStore:
    return LocalFolderStore(tmp_path / "data")


def renamed(scenario: Scenario, name: str) -> Scenario:
    data = scenario.model_dump()
    data["metadata"]["name"] = name
    return Scenario.model_validate(data)


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_created_scenario_reads_back_equal_at_revision_one(store, example):
    created = store.create("scenarios", example)
    read = store.get("scenarios", created.key)
    assert read.scenario == example
    assert read.revision == created.revision == 1
    assert read.saved_at == created.saved_at
    assert read.saved_at.utcoffset().total_seconds() == 0


def test_keys_are_made_by_the_store_never_from_the_title(store, example):
    created = store.create("scenarios", renamed(example, "../../etc/passwd <b>x</b>"))
    assert created.key.count("-") == 2 and len(created.key) == 22
    assert files_in(store.root / "scenarios") == [f"{created.key}.yaml"]


def test_list_is_newest_first_and_kinds_are_separate(store, example):
    first = store.create("scenarios", renamed(example, "first"))
    second = store.create("scenarios", renamed(example, "second"))
    proposal = store.create("proposals", renamed(example, "proposal"))
    assert [s.key for s in store.list("scenarios")] == [second.key, first.key]
    assert [s.key for s in store.list("proposals")] == [proposal.key]


def test_list_of_an_empty_store_is_empty(store):
    assert store.list("scenarios") == []


def test_update_bumps_the_revision_by_one(store, example):
    created = store.create("scenarios", example)
    updated = store.update("scenarios", created.key, renamed(example, "v2"), 1)
    assert updated.revision == 2
    assert store.get("scenarios", created.key).scenario.metadata.name == "v2"


def test_update_with_a_stale_revision_is_a_conflict_and_changes_nothing(store, example):
    created = store.create("scenarios", example)
    store.update("scenarios", created.key, renamed(example, "theirs"), 1)
    with pytest.raises(ConflictError, match="reload"):
        store.update("scenarios", created.key, renamed(example, "mine"), 1)
    current = store.get("scenarios", created.key)
    assert (current.revision, current.scenario.metadata.name) == (2, "theirs")


def test_delete_needs_the_current_revision(store, example):
    created = store.create("scenarios", example)
    store.update("scenarios", created.key, example, 1)
    with pytest.raises(ConflictError):
        store.delete("scenarios", created.key, 1)
    store.delete("scenarios", created.key, 2)
    with pytest.raises(NotFoundError):
        store.get("scenarios", created.key)


def test_update_and_delete_of_a_missing_item_are_not_found(store, example):
    key = "20260101-000000-abcdef"
    with pytest.raises(NotFoundError):
        store.update("scenarios", key, example, 1)
    with pytest.raises(NotFoundError):
        store.delete("scenarios", key, 1)


@pytest.mark.parametrize(
    "key",
    [
        "../x",
        "/etc/passwd",
        "..",
        "",
        "20260101-000000-abcdef/../../x",
        "20260101-000000-abcdef\n",
        "20260101-000000-ABCDEF",
        "20260101-000000-abcdef.yaml",
        "%2e%2e%2fx",
    ],
)
def test_keys_outside_the_strict_pattern_are_refused(store, example, key):
    with pytest.raises(StorageError):
        store.get("scenarios", key)
    with pytest.raises(StorageError):
        store.update("scenarios", key, example, 1)
    with pytest.raises(StorageError):
        store.delete("scenarios", key, 1)


def test_an_unknown_kind_is_refused(store, example):
    with pytest.raises(StorageError, match="unknown kind"):
        store.create("../outside", example)  # type: ignore[arg-type]
    with pytest.raises(StorageError, match="unknown kind"):
        store.list("drafts")  # type: ignore[arg-type]


def test_a_symlink_pointing_outside_the_root_is_refused(store, example, tmp_path):
    outside = tmp_path / "outside.yaml"
    created = store.create("scenarios", example)
    planted = (store.root / "scenarios" / f"{created.key}.yaml").read_bytes()
    outside.write_bytes(planted)
    key = "20260101-000000-abcdef"
    (store.root / "scenarios" / f"{key}.yaml").symlink_to(outside)
    with pytest.raises(StorageError, match="outside the data folder"):
        store.get("scenarios", key)
    with pytest.raises(StorageError):
        store.update("scenarios", key, renamed(example, "overwrite"), 1)
    assert [s.key for s in store.list("scenarios")] == [created.key]
    assert outside.read_bytes() == planted


def test_a_symlinked_kind_folder_pointing_outside_is_refused(tmp_path, example):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    root = tmp_path / "data"
    root.mkdir()
    (root / "scenarios").symlink_to(outside, target_is_directory=True)
    with pytest.raises(StorageError, match="outside the data folder"):
        LocalFolderStore(root).create("scenarios", example)
    assert files_in(outside) == []


def test_list_holds_the_readable_items_and_listing_names_the_damaged_ones(store, example):
    good = store.create("scenarios", example)
    folder = store.root / "scenarios"
    (folder / "20260101-000000-000001.yaml").write_bytes(b"\x00\xff binary junk")
    (folder / "20260101-000000-000002.yaml").write_text("revision: 1\n", encoding="utf-8")
    (folder / "20260101-000000-000003.yaml").write_text(
        "revision: 1\nsaved_at: '2026-01-01T00:00:00+00:00'\nscenario: {schema_version: 1}\n",
        encoding="utf-8",
    )
    (folder / "20260101-000000-000004.yaml").write_text("a: &a [*a]\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not a scenario", encoding="utf-8")
    (folder / "20260101-000000-000005.yaml").mkdir()
    assert [s.key for s in store.list("scenarios")] == [good.key]
    listing = store.listing("scenarios")
    assert listing.items == (good,)
    assert [u.key for u in listing.unreadable] == [f"20260101-000000-00000{i}" for i in range(1, 6)]


def test_a_damaged_file_is_reported_with_what_to_do(store):
    folder = store.root / "scenarios"
    folder.mkdir(parents=True)
    (folder / "20260101-000000-000001.yaml").write_text("revision: 1\n", encoding="utf-8")
    with pytest.raises(StorageError, match=r"damaged.*backup"):
        store.get("scenarios", "20260101-000000-000001")


def test_writes_leave_no_temporary_files(store, example):
    created = store.create("scenarios", example)
    for revision in range(1, 6):
        store.update("scenarios", created.key, example, revision)
    assert files_in(store.root / "scenarios") == [f"{created.key}.yaml"]


def test_a_failed_write_keeps_the_old_file_and_removes_the_temporary_one(
    store, example, monkeypatch
):
    created = store.create("scenarios", example)
    path = store.root / "scenarios" / f"{created.key}.yaml"
    before = path.read_bytes()

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(StorageError, match="free disk space"):
        store.update("scenarios", created.key, renamed(example, "lost"), 1)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert files_in(path.parent) == [path.name]
    assert store.get("scenarios", created.key).revision == 1


def _update_then_die(root: str, key: str, scenario: Scenario) -> None:
    def die(src: object, dst: object) -> None:
        os._exit(9)  # the process dies after writing the temporary file, before the rename

    os.replace = die  # type: ignore[assignment]
    LocalFolderStore(Path(root)).update("scenarios", key, scenario, 1)


def test_a_process_killed_mid_write_leaves_the_old_file_intact(store, example):
    created = store.create("scenarios", example)
    path = store.root / "scenarios" / f"{created.key}.yaml"
    before = path.read_bytes()
    context = multiprocessing.get_context("fork")
    child = context.Process(
        target=_update_then_die, args=(str(store.root), created.key, renamed(example, "half"))
    )
    child.start()
    child.join(timeout=30)
    assert child.exitcode == 9
    assert path.read_bytes() == before
    assert [s.key for s in store.list("scenarios")] == [created.key]
    assert store.get("scenarios", created.key).scenario == example


def test_concurrent_read_modify_write_loses_no_update(store, example):
    threads, rounds = 8, 50
    created = store.create("scenarios", renamed(example, "0"))
    conflicts = []

    def worker() -> None:
        for _ in range(rounds):
            while True:
                current = store.get("scenarios", created.key)
                count = int(current.scenario.metadata.name) + 1
                try:
                    store.update(
                        "scenarios", created.key, renamed(example, str(count)), current.revision
                    )
                    break
                except ConflictError:
                    conflicts.append(1)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    final = store.get("scenarios", created.key)
    assert final.scenario.metadata.name == str(threads * rounds)
    assert final.revision == 1 + threads * rounds
    assert files_in(store.root / "scenarios") == [f"{created.key}.yaml"]


def _count_up(root: str, key: str, rounds: int, example: Scenario) -> None:
    store = LocalFolderStore(Path(root))
    for _ in range(rounds):
        while True:
            current = store.get("scenarios", key)
            count = int(current.scenario.metadata.name) + 1
            try:
                store.update("scenarios", key, renamed(example, str(count)), current.revision)
                break
            except ConflictError:
                continue


def test_concurrent_processes_lose_no_update(store, example):
    processes, rounds = 3, 15
    created = store.create("scenarios", renamed(example, "0"))
    context = multiprocessing.get_context("fork")
    workers = [
        context.Process(target=_count_up, args=(str(store.root), created.key, rounds, example))
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0] * processes
    final = store.get("scenarios", created.key)
    assert final.scenario.metadata.name == str(processes * rounds)
    assert final.revision == 1 + processes * rounds


def test_two_store_objects_on_one_folder_share_the_locks(tmp_path, example):
    first, second = LocalFolderStore(tmp_path), LocalFolderStore(tmp_path)
    created = first.create("scenarios", example)
    second.update("scenarios", created.key, example, 1)
    with pytest.raises(ConflictError):
        first.update("scenarios", created.key, example, 1)


def test_drafts_round_trip_working_and_baseline(store, example):
    draft_id = new_draft_id()
    working = renamed(example, "working")
    store.save_draft(draft_id, working, example)
    assert store.load_draft(draft_id) == (working, example)
    store.save_draft(draft_id, renamed(example, "later"), example)
    assert store.load_draft(draft_id)[0].metadata.name == "later"
    assert files_in(store.root / "drafts") == [f"{draft_id}.json"]


def test_a_missing_draft_loads_as_none_and_a_damaged_one_raises(store, example):
    assert store.load_draft(new_draft_id()) is None
    assert store.load_draft("../../etc/passwd") is None
    draft_id = new_draft_id()
    store.save_draft(draft_id, example, example)
    (store.root / "drafts" / f"{draft_id}.json").write_text('{"scenario": [', encoding="utf-8")
    with pytest.raises(DraftUnreadableError):
        store.load_draft(draft_id)


def test_saving_a_draft_under_an_invalid_id_is_refused(store, example):
    with pytest.raises(StorageError, match="draft id"):
        store.save_draft("../escape", example, example)


def test_draft_ids_are_unguessable_and_url_safe():
    ids = {new_draft_id() for _ in range(100)}
    assert len(ids) == 100
    assert all(is_valid_draft_id(i) and len(i) >= 32 for i in ids)
    assert not is_valid_draft_id("short")
    assert not is_valid_draft_id("a" * 30 + "/")
    assert not is_valid_draft_id("a" * 30 + "\n")


def test_a_scenario_that_could_not_be_read_back_is_not_saved(store, example):
    broken = example.model_copy(update={"goals": None})
    with pytest.raises(StorageError, match="cannot be saved"):
        store.create("scenarios", broken)
    assert store.list("scenarios") == []


def test_a_vanishing_number_is_refused_before_it_can_reach_storage(store, example):
    data = example.model_dump()
    data["products"][0]["reference_hours"] = 5e-324  # would turn the model's logarithms infinite
    with pytest.raises(ValidationError, match="reference_hours"):
        store.create("scenarios", Scenario.model_validate(data))
    assert store.list("scenarios") == []


def test_default_store_uses_the_data_dir_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGNMENT_DATA_DIR", str(tmp_path / "elsewhere"))
    assert default_store().root == tmp_path / "elsewhere"
    monkeypatch.delenv("ALIGNMENT_DATA_DIR")
    assert default_store().root == Path("workshop_data")
