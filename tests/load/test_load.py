"""Thirty participants on one server: isolated sessions, no failures (issue: a full room)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from load_harness import run_load

SESSIONS = 30
CHANGES_PER_SESSION = 3


def test_thirty_concurrent_sessions_each_see_only_their_own_prices(tmp_path: Path) -> None:
    report = run_load(SESSIONS, CHANGES_PER_SESSION, data_dir=tmp_path)
    print(report.summary())
    assert report.failures == []
    assert report.bleeds == []
    assert len(report.latencies) == SESSIONS * CHANGES_PER_SESSION
