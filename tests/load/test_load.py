"""A full room through the hosted proxy: isolated sessions and rooms, no failures, no lost
writes."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from load_harness import run_load

if shutil.which("haproxy") is None:
    if os.environ.get("REQUIRE_PROXY") == "1":
        raise RuntimeError("haproxy is missing: install Debian's haproxy")
    pytest.skip("haproxy is missing: install Debian's haproxy", allow_module_level=True)

SESSIONS = 30
CHANGES_PER_SESSION = 3


def test_thirty_concurrent_sessions_each_see_only_their_own_prices(tmp_path: Path) -> None:
    report = run_load(SESSIONS, CHANGES_PER_SESSION, data_dir=tmp_path)
    print(report.summary())
    assert report.failures == []
    assert report.bleeds == []
    assert report.lost_writes == []
    assert len(report.latencies) == SESSIONS * CHANGES_PER_SESSION
    assert len(report.last_price) == SESSIONS


def test_two_processes_and_two_rooms_keep_rooms_apart_and_lose_no_write(tmp_path: Path) -> None:
    report = run_load(12, 2, data_dir=tmp_path, processes=2, rooms=2, compromise=4)
    print(report.summary())
    assert report.failures == []
    assert report.bleeds == []
    assert report.lost_writes == []
    assert len(report.compromise_latencies) == 4 * 2
    assert len(report.last_price) == 12 - 4
