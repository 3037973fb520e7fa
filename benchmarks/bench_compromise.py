"""Time the compromise search on the default scenario: sample, evaluate, frontier and deals.

    .venv/bin/python benchmarks/bench_compromise.py [--runs 7] [--count 20000] [--profile]

Prints the median wall time of the whole search and of each stage. The target is under 1 s
for 20,000 candidates, so a page can rerun the search when a party moves a lock.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from alignment import evaluate, load_scenario  # noqa: E402
from alignment.compromise import bargain, lever_bounds, sample_plans, search  # noqa: E402
from alignment.evaluate import calibrated  # noqa: E402

TARGET_SECONDS = 1.0


def median_seconds(run, runs: int) -> float:
    run()  # warm-up: imports, caches, first allocations
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--profile", action="store_true", help="profile one search")
    args = parser.parse_args()

    scenario = load_scenario(ROOT / "scenarios" / "launch_conflict.yaml")
    demand = calibrated(scenario, scenario)  # the status quo is the scenario itself
    bounds = lever_bounds(scenario)
    plans = sample_plans(scenario, bounds, args.count, anchors=(scenario, scenario))
    result = search(scenario, scenario, count=args.count, demand=demand)

    stages = {
        "whole search": lambda: search(scenario, scenario, count=args.count, demand=demand),
        "  sampling": lambda: sample_plans(
            scenario, bounds, args.count, anchors=(scenario, scenario)
        ),
        "  evaluate": lambda: evaluate(scenario, plans, demand),
        "  frontier and deals": lambda: bargain(result),
    }
    print(f"{len(result.plans):,} candidates, median of {args.runs} runs:")
    for name, run in stages.items():
        print(f"{name:<22}{1000 * median_seconds(run, args.runs):8.1f} ms")
    whole = median_seconds(stages["whole search"], args.runs)
    verdict = "within" if whole < TARGET_SECONDS else "OVER"
    print(f"{verdict} the {TARGET_SECONDS:.0f} s target ({whole:.3f} s)")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(stages["whole search"])
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(20)


if __name__ == "__main__":
    main()
