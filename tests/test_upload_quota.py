"""A session holds a few uploaded files at most, however many it sends (Streamlit's own upload
manager, bounded)."""

from __future__ import annotations

import pytest
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.stats import CACHE_MEMORY_FAMILY
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

from workshop_ui import upload_quota

KB = 1024


def upload(manager: MemoryUploadedFileManager, session: str, file_id: str, size: int) -> None:
    # As the server's upload route calls it.
    manager.add_file(session_id=session, file=UploadedFileRec(file_id, "f.csv", "text/csv",
                                                              b"x" * size))  # fmt: skip


def held(manager: MemoryUploadedFileManager, session: str) -> list[str]:
    return list(manager.file_storage.get(session, {}))


@pytest.fixture
def manager() -> MemoryUploadedFileManager:
    bounded = MemoryUploadedFileManager("/_stcore/upload_file")
    upload_quota.bound(bounded, max_files=4, limit_bytes=100 * KB)
    return bounded


def test_a_flood_of_uploads_leaves_only_the_newest_few(manager):
    for number in range(300):
        upload(manager, "flood", f"f{number}", KB)
    assert held(manager, "flood") == ["f296", "f297", "f298", "f299"]
    (memory,) = manager.get_stats()[CACHE_MEMORY_FAMILY]
    assert memory.byte_length == 4 * KB  # the server's own count agrees


def test_the_oldest_files_go_once_the_bytes_run_over(manager):
    upload(manager, "s", "deals", 90 * KB)
    upload(manager, "s", "scenario", 20 * KB)
    assert held(manager, "s") == ["scenario"]


def test_the_newest_file_stays_even_alone_over_the_bytes(manager):
    upload(manager, "s", "small", KB)
    upload(manager, "s", "big", 150 * KB)  # the server's own limit decides on a single file
    assert held(manager, "s") == ["big"]


def test_one_sessions_flood_leaves_another_sessions_files_alone(manager):
    upload(manager, "calm", "mine", 10 * KB)
    for number in range(50):
        upload(manager, "flood", f"f{number}", KB)
    assert held(manager, "calm") == ["mine"]
    assert manager.get_files("calm", ["mine"])[0].data == b"x" * 10 * KB


def test_a_session_may_hold_the_largest_upload_and_two_scenario_files():
    assert upload_quota.max_bytes(50) == 52 * 1024 * 1024


def test_a_quota_of_nothing_is_refused():
    with pytest.raises(ValueError, match="one file"):
        upload_quota.bound(MemoryUploadedFileManager("/x"), max_files=0, limit_bytes=1)


def test_without_a_streamlit_server_nothing_is_installed(monkeypatch):
    # Another test in this process may have run a server and installed the quota already.
    from streamlit import runtime

    monkeypatch.setattr(upload_quota, "_INSTALLED", None)
    monkeypatch.setattr(runtime, "exists", lambda: False)
    assert upload_quota.install() is False
