"""Time calibration: 100,000 deal rows read from CSV bytes, checked, mapped and fitted.

Run ``python benchmarks/bench_calibrate.py``. Target on a 2-core machine: under 3 s (median
of the runs). The figure is printed beside its target; a missed target is reported, never an
error (this is a measurement, not a test).
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
from alignment.calibration import calibrate, read_deals, suggested_mapping  # noqa: E402
from alignment.calibration.synthetic import PlantedProduct, synthetic_history  # noqa: E402

TARGET_S = 3.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("-n", "--runs", type=int, default=3)
    args = parser.parse_args()
    scenario = load_scenario(ROOT / "scenarios" / "launch_conflict.yaml")
    share = (0.4, 0.35, 0.25)
    products = [
        PlantedProduct("Analyser Pro", 1350.0, 1200 / 1350, 1.7, 0.35, int(args.rows * share[0])),
        PlantedProduct("Analyser Standard", 900.0, 800 / 900, 2.6, 0.3, int(args.rows * share[1])),
        PlantedProduct("Nova", 650.0, 600 / 650, 3.8, 0.25, int(args.rows * share[2])),
    ]
    raw = synthetic_history(products, seed=1, open_share=0.03).csv().encode("utf-8")
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        deals = read_deals(raw, "bench.csv")
        calibration = calibrate(deals, scenario, suggested_mapping(deals.product_names, scenario))
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    verdict = "ok" if median < TARGET_S else "MISSED"
    print(
        f"calibrate {calibration.rows_read:,} rows ({len(raw) / 2**20:.1f} MB CSV): median "
        f"{median:.2f} s over {args.runs} runs (target < {TARGET_S:.0f} s) {verdict}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
