"""The garbage collector leaves the app's own code alone once a process has loaded it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import gc, time
from workshop_ui import collector
before = collector.tuned()
frozen = collector.tune()
again = collector.tune()
started = time.perf_counter()
gc.collect()
print(before, collector.tuned(), frozen, again, gc.get_freeze_count(),
      gc.get_threshold() == collector.THRESHOLDS, time.perf_counter() - started)
"""


def test_the_apps_code_is_frozen_once_and_a_full_collection_no_longer_walks_it():
    # In a process of its own: freezing is for the life of the process.
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    before, after, frozen, again, _, thresholds, _ = result.stdout.split()
    assert (before, after) == ("False", "True")  # app.py shows its first-start message once
    assert int(frozen) > 100_000  # Streamlit, pandas, Altair, numba and the app
    assert int(again) == 0  # once per process
    assert thresholds == "True"
