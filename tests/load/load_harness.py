"""A bounded load test of the workshop app: N real sessions over the websocket, in parallel.

Each session opens the app, goes to the Pricing page and moves the new product's price to values
of its own a fixed number of times. After every rerun it checks that what the server sent back
is its own state: the headline new-product share is the one the model gives for its own price.
Any other session's value showing up is state bleeding.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from streamlit.proto.Common_pb2 import DoubleArray
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit_ws_client import StreamlitSession, find_widget

PROJECT = Path(__file__).resolve().parents[2]
PRICE_KEY = "price_nova"
PRICING_PAGE = "Pricing"


@dataclass
class LoadReport:
    sessions: int
    changes_per_session: int
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    bleeds: list[str] = field(default_factory=list)
    memory_before_mb: float = 0.0
    memory_after_mb: float = 0.0
    wall_seconds: float = 0.0
    think_seconds: float = 0.0

    @property
    def median_ms(self) -> float:
        return 1000 * statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p95_ms(self) -> float:
        if len(self.latencies) < 2:
            return float("nan")
        return 1000 * statistics.quantiles(self.latencies, n=20)[18]

    def summary(self) -> str:
        return (
            f"{self.sessions} sessions × {self.changes_per_session} price changes"
            f"{f' (think {self.think_seconds:g} s)' if self.think_seconds else ' (no pause)'}: "
            f"{len(self.failures)} failures, {len(self.bleeds)} state bleeds; rerun latency "
            f"median {self.median_ms:.0f} ms, p95 {self.p95_ms:.0f} ms over "
            f"{len(self.latencies)} reruns; server memory {self.memory_before_mb:.0f} → "
            f"{self.memory_after_mb:.0f} MB (+{self.memory_after_mb - self.memory_before_mb:.0f}"
            f" MB); wall {self.wall_seconds:.1f} s"
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    """The app as a hosted workshop runs it (``hosted/run.sh``), on loopback only."""
    env = {
        **os.environ,
        "ALIGNMENT_DATA_DIR": str(data_dir),
        "ALIGNMENT_FACILITATOR_PASSCODE": "load-test",
        "PYTHON": sys.executable,
        "ADDRESS": "127.0.0.1",
        "PORT": str(port),
    }
    server = subprocess.Popen(
        ["bash", str(PROJECT / "hosted" / "run.sh")],
        cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise RuntimeError("the app did not answer /_stcore/health within 60 s")


def resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def price_for(session: int, change: int) -> float:
    """A price unique to each (session, change) inside the new product's negotiation range."""
    return 460.0 + 10.0 * ((session * 7 + change * 3) % 34)


async def one_session(
    base_url: str,
    index: int,
    changes: int,
    expected_share: dict[float, str],
    report: LoadReport,
    think_seconds: float = 0.0,
) -> None:
    try:
        async with StreamlitSession(base_url) as session:
            first = await session.run()
            if first.exceptions:
                report.failures.append(f"session {index}: {first.exceptions[0]}")
                return
            page = await session.switch_page(PRICING_PAGE)
            slider = find_widget(page, PRICE_KEY)
            pause = random.Random(index)
            for change in range(changes):
                if think_seconds:  # a person looks at the result before moving again
                    await asyncio.sleep(think_seconds * pause.uniform(0.5, 1.5))
                price = price_for(index, change)
                result = await session.run(
                    {
                        slider.id: WidgetState(
                            id=slider.id, double_array_value=DoubleArray(data=[price])
                        )
                    }
                )
                report.latencies.append(result.seconds)
                if result.exceptions or result.errors:
                    report.failures.append(
                        f"session {index}: {(result.exceptions + result.errors)[0][:200]}"
                    )
                    continue
                share_text = expected_share[price]
                if not any(share_text in text for text in result.texts):
                    report.bleeds.append(
                        f"session {index} set {price}; expected new-product share {share_text} "
                        "is not on its page"
                    )
    except Exception as error:  # a load test counts every failure instead of stopping at one
        report.failures.append(f"session {index}: {type(error).__name__}: {error}")


def run_load(
    sessions: int = 30,
    changes: int = 5,
    data_dir: Path | None = None,
    think_seconds: float = 0.0,
) -> LoadReport:
    """Start the app, drive ``sessions`` concurrent sessions, stop the app, return the figures.

    With ``think_seconds`` 0 every session sends its next change the moment the last one is
    drawn (a worst case); otherwise each waits 0.5–1.5 × that long first, as a person would.
    """
    import tempfile

    sys.path.insert(0, str(PROJECT))
    from alignment import Plans, evaluate
    from workshop_ui import library
    from workshop_ui.formatting import percent  # the page's own formatting of shares

    scenario = library.default_scenario()
    nova = scenario.product_ids.index("nova")
    prices = sorted({price_for(s, c) for s in range(sessions + 1) for c in range(changes)})
    plans = Plans.from_scenario(scenario)
    batch = plans.take([0] * len(prices))
    batch.price[:, nova] = prices
    shares = evaluate(scenario, batch).new_product_share
    expected = {p: percent(float(s)) for p, s in zip(prices, shares, strict=True)}

    report = LoadReport(sessions, changes, think_seconds=think_seconds)
    with tempfile.TemporaryDirectory() as scratch:
        port = free_port()
        server = start_server(data_dir or Path(scratch), port)
        try:
            base_url = f"http://127.0.0.1:{port}"
            # One session first, so imports and caches warmed by any first visitor are not
            # counted as growth caused by the crowd.
            warm_up = LoadReport(1, 1)
            _run_in_own_loop(one_session(base_url, sessions, 1, expected, warm_up))
            report.failures.extend(f"warm-up: {failure}" for failure in warm_up.failures)
            report.memory_before_mb = resident_mb(server.pid)
            started = time.perf_counter()

            async def everyone() -> None:
                await asyncio.gather(
                    *(
                        one_session(base_url, i, changes, expected, report, think_seconds)
                        for i in range(sessions)
                    )
                )

            _run_in_own_loop(everyone())
            report.wall_seconds = time.perf_counter() - started
            report.memory_after_mb = resident_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=20)
    return report


def _run_in_own_loop(work: Coroutine[Any, Any, None]) -> None:
    """Run ``work`` on a fresh event loop in its own thread.

    The caller may already be inside an event loop (pytest with Playwright's sync API has one
    running), where ``asyncio.run`` refuses to start.
    """
    with ThreadPoolExecutor(max_workers=1) as runner:
        runner.submit(asyncio.run, work).result()
