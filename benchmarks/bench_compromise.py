"""Time the compromise search: the sample, the optimised frontier and every deal.

    .venv/bin/python benchmarks/bench_compromise.py [--runs 3] [--profile]

Targets (2-core machine): the whole search — sample, frontier and all deals — under 1 s on
``launch_conflict.yaml`` and under 3 s on ``saas_tiers_smb_enterprise.yaml``. Also printed: a
new bargaining weight (the weighted deal polished again), a new limit (every deal again) and
the robust deal. Figures are medians of ``--runs`` runs after one warm-up; a missed target is
reported, never an error (this is a measurement, not a test).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from alignment import load_scenario  # noqa: E402
from alignment.compromise import Constraints, bargain, search  # noqa: E402
from alignment.compromise.robust import robust_deal  # noqa: E402
from alignment.evaluate import calibrated  # noqa: E402

TARGETS = {"launch_conflict.yaml": 1.0, "saas_tiers_smb_enterprise.yaml": 3.0}


def median_seconds(run: Callable[[], object], runs: int) -> float:
    run()  # warm-up: imports, caches, first allocations
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--robust", action="store_true", help="also time the robust deal")
    parser.add_argument("--profile", action="store_true", help="profile one search")
    args = parser.parse_args()
    for name, target in TARGETS.items():
        scenario = load_scenario(ROOT / "scenarios" / name)
        demand = calibrated(scenario, scenario)
        result = search(scenario, scenario, demand=demand)
        limit = Constraints(min_gross_margin_pct=float(result.outcomes.gross_margin_pct[0]))
        stages: dict[str, Callable[[], object]] = {
            "whole search (sample, frontier, deals)": lambda s=scenario, d=demand: search(
                s, s, demand=d
            ),
            "  sample only, deals from it": lambda s=scenario, d=demand: search(
                s, s, demand=d, optimise=False
            ),
            "new bargaining weight": lambda r=result: bargain(r, bargaining_weight=0.6),
            "new limit (every deal again)": lambda r=result, c=limit: bargain(r, constraints=c),
        }
        if args.robust:
            stages["robust deal (200 draws)"] = lambda r=result, s=scenario: robust_deal(r, s)
        optimised = len(result.plans) - result.sampled_count
        print(f"{name}: {result.sampled_count:,} sampled + {optimised} optimised plans")
        for stage, run in stages.items():
            seconds = median_seconds(run, args.runs)
            print(f"  {stage:<40}{seconds:8.3f} s")
            if stage.startswith("whole"):
                verdict = "within" if seconds < target else "MISSED"
                print(f"  {verdict} the {target:.0f} s target")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(stages["whole search (sample, frontier, deals)"])
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(20)


if __name__ == "__main__":
    main()
