"""Time the model: one scenario evaluation, and 50,000 candidate plans in one vectorised call.

Run ``python benchmarks/bench_model.py``. Targets on a 2-core machine: one evaluation under
5 ms (median), 50,000 plans × 5 products under 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from alignment import Plans, Scenario, evaluate, load_scenario  # noqa: E402
from alignment.demand import calibrate  # noqa: E402

SINGLE_TARGET_S = 0.005
BATCH_TARGET_S = 1.0


def five_product_scenario() -> Scenario:
    """The six-product software scenario without its connectors pack: 5 products, 2 segments."""
    scenario = load_scenario(ROOT / "scenarios" / "saas_tiers_smb_enterprise.yaml")
    data = scenario.model_dump()
    data["products"] = [p for p in data["products"] if p["id"] != "connectors"]
    data["negotiation"]["prices"].pop("connectors")
    return Scenario.model_validate(data)


def candidate_plans(scenario: Scenario, count: int, seed: int = 42) -> Plans:
    """``count`` plans drawn uniformly inside the scenario's negotiation bounds."""
    rng = np.random.default_rng(seed)
    base = Plans.from_scenario(scenario)
    bounds = scenario.negotiation
    price = np.repeat(base.price, count, axis=0)
    kicker = np.repeat(base.kicker, count, axis=0)
    for i, pid in enumerate(scenario.product_ids):
        if pid in bounds.prices:
            price[:, i] = rng.uniform(bounds.prices[pid].min, bounds.prices[pid].max, count)
        if pid in bounds.kickers:
            kicker[:, i] = rng.uniform(bounds.kickers[pid].min, bounds.kickers[pid].max, count)
    return Plans(
        price=price,
        kicker=kicker,
        lead_gen=np.repeat(base.lead_gen, count, axis=0),
        revenue_rate=rng.uniform(bounds.revenue_rate.min, bounds.revenue_rate.max, count),
        margin_rate=rng.uniform(bounds.margin_rate.min, bounds.margin_rate.max, count),
        push_content=base.push_content * rng.uniform(0.0, 2.0, count),
    )


def median_seconds(run, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=50_000, help="candidate plans in the batch")
    parser.add_argument("--single-runs", type=int, default=200, help="runs of one evaluation")
    parser.add_argument("--batch-runs", type=int, default=5, help="runs of the batch call")
    args = parser.parse_args(argv)

    scenario = five_product_scenario()
    evaluate(scenario)  # warm up imports and caches
    single = median_seconds(lambda: evaluate(scenario), args.single_runs)

    plans = candidate_plans(scenario, args.plans)
    demand = calibrate(scenario)
    outcomes = evaluate(scenario, plans, demand)
    batch = median_seconds(lambda: evaluate(scenario, plans, demand), args.batch_runs)

    products = len(scenario.products)
    ratio = batch / (args.plans * single)
    print(
        f"one evaluation ({products} products):       {1e3 * single:8.2f} ms  (median of "
        f"{args.single_runs}; target < {1e3 * SINGLE_TARGET_S:.0f} ms)"
    )
    print(
        f"{args.plans:,} plans x {products} products, one call: {batch:8.3f} s   (median of "
        f"{args.batch_runs}; target < {BATCH_TARGET_S:.0f} s)"
    )
    print(f"batch / ({args.plans:,} x one evaluation):   {ratio:8.4f}")
    print(f"plans whose hours settled:               {outcomes.converged.mean():8.2%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
