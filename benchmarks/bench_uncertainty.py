"""Time the uncertainty work: 1,000 draws of one plan, and the sensitivity ranking.

Run ``python benchmarks/bench_uncertainty.py``. Targets on a 2-core machine (MODEL.md §10, issue
10): 1,000 Latin-hypercube draws of one plan beside the status quo under 0.5 s; the Morris
ranking (12 trajectories) under 3 s, both on ``launch_conflict.yaml``. Both rest on
``alignment.draws.evaluate_draws``; the figures are printed beside their targets, and a missed
target is reported, never an error (a measurement, not a test).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from alignment import load_scenario  # noqa: E402
from alignment.levers import with_value  # noqa: E402
from alignment.sensitivity import TRAJECTORIES, sensitivity_ranking  # noqa: E402
from alignment.uncertainty import plan_uncertainty  # noqa: E402

DRAWS_TARGET_S = 0.5
RANKING_TARGET_S = 3.0


def timed(work, repeats: int) -> float:
    """Median seconds of ``repeats`` runs of ``work()``."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    today = load_scenario(ROOT / "scenarios" / "launch_conflict.yaml")
    # A plan that differs from the status quo, so the plan and the status quo are both valued.
    plan = with_value(today, "products.nova.price", today.product("nova").price * 0.85)

    draws_s = timed(lambda: plan_uncertainty(plan, [plan], today, draws=args.draws), args.repeats)
    verdict = "ok" if draws_s < DRAWS_TARGET_S else "MISSED"
    print(f"{args.draws:,} draws of one plan (and the status quo): {draws_s:.3f} s "
          f"(target < {DRAWS_TARGET_S} s) {verdict}")  # fmt: skip

    ranking_s = timed(lambda: sensitivity_ranking(plan, None, today), args.repeats)
    verdict = "ok" if ranking_s < RANKING_TARGET_S else "MISSED"
    print(f"sensitivity ranking (Morris, {TRAJECTORIES} trajectories): {ranking_s:.3f} s "
          f"(target < {RANKING_TARGET_S} s) {verdict}")  # fmt: skip


if __name__ == "__main__":
    main()
