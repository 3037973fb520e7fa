"""Time the model over parameter draws: 1,000 draws of one plan in one batched call.

Run ``python benchmarks/bench_draws.py``. Target on a 2-core machine: 1,000 draws of the
uncertain inputs (MODEL.md §10) for one plan of ``launch_conflict.yaml`` under 0.5 s (median),
each draw calibrated afresh with the status quo's motivation solved in it. The figure is
printed beside its target; a missed target is reported, never an error (a measurement, not a
test).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_model import median_seconds  # noqa: E402

from alignment import Plans, load_scenario  # noqa: E402
from alignment.draws import evaluate_draws  # noqa: E402
from alignment.uncertainty_inputs import uncertain_parameters  # noqa: E402

DRAWS_TARGET_S = 0.5
SCENARIO = ROOT / "scenarios" / "launch_conflict.yaml"


def uniform_draws(parameters, count: int, seed: int = 42) -> np.ndarray:
    """``count`` draws, each parameter uniform over its range, ``(count, parameters)``."""
    rng = np.random.default_rng(seed)
    low = np.array([p.low for p in parameters])
    high = np.array([p.high for p in parameters])
    return low + (high - low) * rng.uniform(size=(count, len(parameters)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1_000, help="parameter draws of the plan")
    parser.add_argument("--runs", type=int, default=7, help="runs of the batched call")
    args = parser.parse_args(argv)

    scenario = load_scenario(SCENARIO)
    parameters = uncertain_parameters(scenario)
    values = uniform_draws(parameters, args.draws)
    plans = Plans.from_scenario(scenario)
    outcomes = evaluate_draws(scenario, plans, parameters, values)  # warm up
    seconds = median_seconds(lambda: evaluate_draws(scenario, plans, parameters, values), args.runs)
    verdict = "met" if seconds <= DRAWS_TARGET_S else f"missed by {seconds / DRAWS_TARGET_S:.1f}x"
    label = f"{args.draws:,} draws x 1 plan, {len(parameters)} parameters"
    print(
        f"{label:<38} {seconds:>8.3f} s  (median of {args.runs}; "
        f"target < {DRAWS_TARGET_S:.1f} s: {verdict})"
    )
    print(f"{'per draw':<38} {1e6 * seconds / args.draws:>7.1f} µs")
    print(f"{'draws whose hours settled':<38} {outcomes.converged.mean():>10.2%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
