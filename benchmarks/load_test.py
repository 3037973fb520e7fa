"""Load test: N concurrent sessions through the hosted proxy, a fixed number of moves each.

    .venv/bin/python benchmarks/load_test.py --sessions 30 --changes 5 [--think 5]
    .venv/bin/python benchmarks/load_test.py --sessions 100 --rooms 4 --compromise 40 \\
        --think 5 --processes 2 --compare-one

The app runs as ``hosted/run.sh`` runs it (``--processes`` app processes behind HAProxy, over
TLS; needs Debian's haproxy). ``--rooms`` spreads the sessions over that many rooms;
``--compromise`` puts that many of them on the Compromise page (the rest move prices on
Pricing); ``--think`` is the mean pause between moves (each pause is 0.5–1.5 × it).
``--compare-one`` runs the same load again against one app process, for a side-by-side figure.

Prints failures, state bleeds (between sessions and between rooms), lost writes, rerun latency
(median, p95) and the app processes' memory growth.
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
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean seconds a person pauses between moves")  # fmt: skip
    parser.add_argument("--processes", type=int, default=1, help="app processes behind the proxy")
    parser.add_argument("--rooms", type=int, default=0, help="rooms to spread the sessions over")
    parser.add_argument("--compromise", type=int, default=0,
                        help="sessions on the Compromise page (the rest on Pricing)")  # fmt: skip
    parser.add_argument("--compare-one", action="store_true",
                        help="run the same load against one app process too")  # fmt: skip
    args = parser.parse_args()
    runs = [args.processes] + ([1] if args.compare_one and args.processes != 1 else [])
    worst = 0
    for processes in runs:
        report = run_load(args.sessions, args.changes, think_seconds=args.think,
                          processes=processes, rooms=args.rooms,
                          compromise=args.compromise)  # fmt: skip
        print(report.summary())
        for line in (report.failures + report.bleeds + report.lost_writes)[:10]:
            print("  ", line)
        worst = max(worst, len(report.failures) + len(report.bleeds) + len(report.lost_writes))
    return 0 if worst == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
