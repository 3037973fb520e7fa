"""Load test: N concurrent sessions over the websocket, a fixed number of price changes each.

    .venv/bin/python benchmarks/load_test.py --sessions 30 --changes 5 [--think 5]

Prints failures, state bleeds, rerun latency (median, p95) and server memory growth, then stops.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "load"))

from load_harness import run_load


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--changes", type=int, default=5)
    parser.add_argument(
        "--think", type=float, default=0.0, help="seconds a person pauses between changes"
    )
    args = parser.parse_args()
    report = run_load(args.sessions, args.changes, think_seconds=args.think)
    print(report.summary())
    for line in (report.failures + report.bleeds)[:10]:
        print("  ", line)
    return 0 if not (report.failures or report.bleeds) else 1


if __name__ == "__main__":
    raise SystemExit(main())
