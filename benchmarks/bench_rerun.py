"""Server-side rerun time of every page after one widget change, measured with AppTest.

Run ``python benchmarks/bench_rerun.py [-n 30]``. Each page is opened once, then one of its
controls takes a new value per rerun (a value not seen before, so the working scenario's model
work is never a cache hit; the status quo's stays cached, as in a workshop). Pages without a
control of their own are rerun after the working scenario changed on another page. Prints the
median and 95th percentile per page of wall time, and of this process's CPU time (which other
programs on a busy machine do not inflate); the target is a median under 150 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from alignment.levers import with_value  # noqa: E402
from workshop_ui import library  # noqa: E402

TARGET_MS = 150.0
Change = Callable[[AppTest, int], None]


def walk(start: float, step: float, low: float, high: float) -> Iterator[float]:
    """``start + step, start + 2 step, ...`` bouncing between ``low`` and ``high``: each value
    differs from the one before, and none repeats within one sweep."""
    value, direction = start, 1.0
    while True:
        if not low <= value + direction * step <= high:
            direction = -direction
        value += direction * step
        yield round(value, 6)


def set_widget(kind: str, key: str, values: Iterator[float]) -> Change:
    def change(app: AppTest, _: int) -> None:
        getattr(app, kind)(key=key).set_value(next(values))

    return change


def move_working_scenario() -> Change:
    """The working scenario changed on another page (a new Nova price each time)."""
    base = library.default_scenario()
    prices = walk(600.0, 1.0, 450.0, 800.0)

    def change(app: AppTest, _: int) -> None:
        app.session_state["working_scenario"] = with_value(
            base, "products.nova.price", next(prices)
        )

    return change


def toggle(key: str) -> Change:
    def change(app: AppTest, i: int) -> None:
        app.toggle(key=key).set_value(i % 2 == 0)

    return change


def choose(key: str) -> Change:
    def change(app: AppTest, i: int) -> None:
        options = app.selectbox(key=key).options
        app.selectbox(key=key).set_value(options[i % len(options)])

    return change


def changes() -> dict[str, Change]:
    """The control each page's benchmark moves; other pages get :func:`move_working_scenario`."""
    return {
        "pages/0_Overview.py": choose("shipped_choice"),
        "pages/1_Goals.py": set_widget(
            "slider", "goal_new_product_share_target", walk(12.0, 0.5, 1.0, 90.0)
        ),
        "pages/2_Pricing.py": set_widget("slider", "price_nova", walk(600.0, 5.0, 450.0, 800.0)),
        "pages/3_Commission_plan.py": set_widget(
            "number_input", "kicker_nova", walk(0.0, 5.0, 0.0, 120.0)
        ),
        "pages/5_Marketing.py": set_widget(
            "number_input", "push_content", walk(100.0, 25.0, 0.0, 2000.0)
        ),
        "pages/6_Scenarios.py": toggle("compare_only_differences"),
    }


def bench_page(page: str, change: Change, n: int, warmup: int) -> dict[str, float]:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    app.switch_page(page).run()
    wall, cpu = [], []
    for i in range(warmup + n):
        change(app, i)
        start, start_cpu = time.perf_counter(), time.process_time()
        app.run()
        elapsed, elapsed_cpu = time.perf_counter() - start, time.process_time() - start_cpu
        if app.exception:
            raise RuntimeError(f"{page}: {app.exception[0].message}")
        if i >= warmup:
            wall.append(elapsed * 1000)
            cpu.append(elapsed_cpu * 1000)
    return {
        "median_ms": round(statistics.median(wall), 1),
        "p95_ms": round(percentile_95(wall), 1),
        "cpu_median_ms": round(statistics.median(cpu), 1),
        "cpu_p95_ms": round(percentile_95(cpu), 1),
    }


def percentile_95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=30, help="timed reruns per page")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--page", action="append", help="only these pages (repeatable)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)

    os.environ.setdefault("ALIGNMENT_DATA_DIR", tempfile.mkdtemp(prefix="bench-workshop-"))
    pages = args.page or sorted(
        p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py")
    )
    per_page = changes()
    results = {
        page: bench_page(page, per_page.get(page) or move_working_scenario(), args.n, args.warmup)
        for page in pages
    }
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(f"{'page':30} {'median ms':>10} {'p95 ms':>8} {'CPU median':>11} {'CPU p95':>8}")
        for page, r in results.items():
            flag = "" if r["median_ms"] < TARGET_MS else "  over target"
            print(
                f"{page:30} {r['median_ms']:>10} {r['p95_ms']:>8} "
                f"{r['cpu_median_ms']:>11} {r['cpu_p95_ms']:>8}{flag}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
