"""Time the Compromise page: its reruns once the search is cached, and the search itself.

    .venv/bin/python benchmarks/bench_compromise_page.py [--reruns 30] [--searches 5]

Runs the page with Streamlit's AppTest (no browser) against a temporary workshop store:

1. the first visit, which runs the search (sample, frontier and every deal);
2. reruns after widgets that do not change the search — picking a proposal to compare
   (unrelated to the search) and moving the bargaining weight (a new bargain over the cached
   candidates) — reporting median and 95th percentile, and how many searches ran meanwhile
   (it must be 0: a rerun reuses the cached search);
3. the search on its own (a cache miss: sample, evaluate, frontier, deals) and a re-bargain.

AppTest times include its own overhead (a script thread and message parsing), so they are an
upper bound on the server's share of a rerun; the browser adds drawing on top.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from alignment import compromise, load_scenario  # noqa: E402
from alignment.compromise import Constraints  # noqa: E402
from alignment.levers import with_values  # noqa: E402
from alignment.storage import LocalFolderStore  # noqa: E402
from workshop_ui import compromise_view as view  # noqa: E402

PAGE = str(ROOT / "pages" / "7_Compromise.py")
SCENARIO = ROOT / "scenarios" / "launch_conflict.yaml"


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {1000 * statistics.median(ordered):7.1f} ms   p95 {1000 * p95:7.1f} ms"


def count_searches() -> list[int]:
    """Wrap the engine's search so every real (uncached) search is counted."""
    calls: list[int] = []
    real = compromise.search

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    compromise.search = counted
    return calls


def timed_reruns(app: AppTest, change, reruns: int) -> list[float]:
    times = []
    for i in range(reruns):
        change(app, i)
        started = time.perf_counter()
        app.run()
        times.append(time.perf_counter() - started)
        if app.exception:
            raise SystemExit(f"the page failed: {app.exception}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=30)
    parser.add_argument("--searches", type=int, default=5)
    args = parser.parse_args()

    scenario = load_scenario(SCENARIO)
    folder = Path(tempfile.mkdtemp(prefix="bench-compromise-"))
    os.environ["ALIGNMENT_DATA_DIR"] = str(folder)
    os.environ.pop("ALIGNMENT_FACILITATOR_PASSCODE", None)
    store = LocalFolderStore(folder)
    proposal = with_values(scenario, {"products.nova.price": 680.0, "metadata.name": "Dear"})
    key = store.create("proposals", proposal).key
    searches = count_searches()

    started = time.perf_counter()
    app = AppTest.from_file(PAGE, default_timeout=300).run()
    first = time.perf_counter() - started
    print(
        f"first visit (runs the search)      {1000 * first:9.1f} ms, searches run: {len(searches)}"
    )

    def compare(app: AppTest, i: int) -> None:
        app.multiselect(key="proposal_compare").set_value([key] if i % 2 == 0 else [])

    def weight(app: AppTest, i: int) -> None:
        app.slider(key="deal_weight").set_value(round(0.1 + 0.05 * (i % 17), 2))

    before = len(searches)
    unrelated = timed_reruns(app, compare, args.reruns)
    print(f"rerun, compare a proposal (n={args.reruns})   {summary(unrelated)}")
    weights = timed_reruns(app, weight, args.reruns)
    # The slider has 17 stops, more than the chart cache holds: each move bargains again and
    # builds a new chart, the cost of a real move to a new weight.
    print(f"rerun, bargaining weight (n={args.reruns})    {summary(weights)}")
    print(f"searches run during the reruns: {len(searches) - before} (must be 0)")

    request = app.session_state["compromise_request"]
    search_times = []
    for _ in range(args.searches):
        view.cached_search.clear()
        started = time.perf_counter()
        result = view.run_search(request)
        search_times.append(time.perf_counter() - started)
    print(f"search, {len(result.plans):,} plans (n={args.searches})     {summary(search_times)}")
    bargain_times = []
    for i in range(args.reruns):
        started = time.perf_counter()
        compromise.bargain(
            result, constraints=Constraints(min_gross_margin_pct=0.40 + 0.001 * i),
            bargaining_weight=0.6,
        )  # fmt: skip
        bargain_times.append(time.perf_counter() - started)
    print(f"re-bargain only (n={args.reruns})             {summary(bargain_times)}")


if __name__ == "__main__":
    main()
