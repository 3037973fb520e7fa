"""A bounded load test of the workshop app: N real sessions over the websocket, in parallel.

The app runs as a hosted workshop does (``hosted/run.sh``: P app processes behind HAProxy, over
TLS), and every session goes through the proxy. Sessions may be spread over R rooms, and some
may sit on the Compromise page instead of Pricing.

A Pricing session moves the new product's price to values of its own a fixed number of times.
After every rerun it checks that what the server sent back is its own state: the headline
new-product share is the one the model gives for its own price; any other session's value
showing up is state bleeding. At the end its autosave in the store must hold the last price it
set: a write the app acknowledged and then lost is a lost write. A Compromise session moves the
bargaining weight, and checks that the page lists its own room's proposals and no other room's.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import random
import socket
import ssl
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs

from streamlit.proto.Common_pb2 import DoubleArray
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit_ws_client import StreamlitSession, find_widget

PROJECT = Path(__file__).resolve().parents[2]
T = TypeVar("T")
PRICE_KEY = "price_nova"
WEIGHT_KEY = "deal_weight"
PRICING_PAGE = "Pricing"
COMPROMISE_PAGE = "Compromise"
ROLES = ("leadership", "sales", "marketing")


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
    processes: int = 1
    rooms: int = 0
    compromise_sessions: int = 0
    compromise_latencies: list[float] = field(default_factory=list)
    lost_writes: list[str] = field(default_factory=list)
    last_price: dict[str, float] = field(default_factory=dict)  # autosave id → last price set
    join_latencies: list[float] = field(default_factory=list)  # connect → own page shown
    join_seconds: float = 0.0  # the first connect → the last participant on their page

    @property
    def all_latencies(self) -> list[float]:
        return self.latencies + self.compromise_latencies

    @property
    def median_ms(self) -> float:
        return _median_ms(self.all_latencies)

    @property
    def p95_ms(self) -> float:
        return _p95_ms(self.all_latencies)

    def summary(self) -> str:
        pricing = self.sessions - self.compromise_sessions
        where = f"{self.processes} app process{'es' if self.processes > 1 else ''} behind the proxy"
        rooms = f" in {self.rooms} rooms" if self.rooms else ""
        think = (
            f"{0.5 * self.think_seconds:g}–{1.5 * self.think_seconds:g} s between moves"
            if self.think_seconds else "no pause between moves"
        )  # fmt: skip
        lines = [
            f"{self.sessions} sessions{rooms} ({pricing} on Pricing, {self.compromise_sessions} on "
            f"Compromise) × {self.changes_per_session} moves, {think}; {where}",
            f"  {len(self.failures)} failures, {len(self.bleeds)} state bleeds, "
            f"{len(self.lost_writes)} lost writes",
            f"  rerun latency: all median {self.median_ms:.0f} ms, p95 {self.p95_ms:.0f} ms over "
            f"{len(self.all_latencies)} reruns; Pricing p95 {_p95_ms(self.latencies):.0f} ms; "
            f"Compromise p95 {_p95_ms(self.compromise_latencies):.0f} ms",
            f"  joining (everyone at once, before the first move): all in {self.join_seconds:.1f}"
            f" s; to one's page median {_median_ms(self.join_latencies):.0f} ms, p95 "
            f"{_p95_ms(self.join_latencies):.0f} ms",
            f"  app memory (all processes) {self.memory_before_mb:.0f} → "
            f"{self.memory_after_mb:.0f} MB (+{self.memory_after_mb - self.memory_before_mb:.0f}"
            f" MB); wall {self.wall_seconds:.1f} s",
        ]
        return "\n".join(lines)


def _median_ms(values: list[float]) -> float:
    return 1000 * statistics.median(values) if values else float("nan")


def _p95_ms(values: list[float]) -> float:
    return 1000 * statistics.quantiles(values, n=20)[18] if len(values) >= 2 else float("nan")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    """One app process with a hosted workshop's settings, on loopback, without the proxy."""
    env = {**os.environ, "ALIGNMENT_DATA_DIR": str(data_dir),
           "ALIGNMENT_FACILITATOR_PASSCODE": "load-test-passcode"}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--server.fileWatcherType", "none", "--server.runOnSave", "false",
         "--client.showErrorDetails", "none", "--browser.gatherUsageStats", "false"],
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


@dataclass
class Stack:
    """``hosted/run.sh`` running: P app processes behind HAProxy on ``url``."""

    process: subprocess.Popen[bytes]
    url: str
    run_dir: Path
    tls: ssl.SSLContext

    def app_pids(self) -> list[int]:
        return [int(path.read_text()) for path in sorted(self.run_dir.glob("app*.pid"))]

    def memory_mb(self) -> float:
        return sum(resident_mb(pid) for pid in self.app_pids())

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_stack(data_dir: Path, scratch: Path, processes: int) -> Stack:
    """The hosted stack as ``hosted/run.sh`` starts it, on free local ports."""
    port, backend = free_port(), _free_ports(processes)
    run_dir = scratch / "run"
    env = {
        **os.environ,
        "ALIGNMENT_DATA_DIR": str(data_dir),
        "ALIGNMENT_FACILITATOR_PASSCODE": "load-test-passcode",
        "PYTHON": sys.executable,
        "PROCESSES": str(processes),
        "ADDRESS": "127.0.0.1",
        "PORT": str(port),
        "BACKEND_PORT": str(backend),
        "HOSTS": "localhost",
        "RUN_DIR": str(run_dir),
        # Every simulated participant comes from 127.0.0.1.
        "CONNECTIONS_PER_ADDRESS": "5000",
        "MAX_CONNECTIONS": "5000",
    }
    process = subprocess.Popen(
        ["bash", str(PROJECT / "hosted" / "run.sh")], cwd=PROJECT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"https://localhost:{port}"
    backends = [f"http://127.0.0.1:{backend + i}" for i in range(processes)]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        certificate = run_dir / "tls.crt"
        if certificate.exists():
            tls = ssl.create_default_context(cafile=str(certificate))
            if all(_answers(b) for b in backends) and _answers(url, tls):
                time.sleep(2.5)  # the proxy's health checks see every process up
                return Stack(process, url, run_dir, tls)
        time.sleep(0.5)
    process.kill()
    raise RuntimeError("hosted/run.sh did not come up within 120 s (is haproxy installed?)")


def _answers(url: str, tls: ssl.SSLContext | None = None) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", context=tls, timeout=2) as r:
            return r.status == 200
    except (OSError, ssl.SSLError):
        return False


def _free_ports(count: int) -> int:
    for _ in range(200):
        first = random.randint(20_000, 60_000)
        try:
            for port in range(first, first + count):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", port))
        except OSError:
            continue
        return first
    raise RuntimeError("no free ports")


def resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def price_for(session: int, change: int) -> float:
    """A price unique to each (session, change) inside the new product's negotiation range."""
    return 460.0 + 10.0 * ((session * 7 + change * 3) % 34)


@dataclass(frozen=True)
class Participant:
    index: int
    page: str  # PRICING_PAGE or COMPROMISE_PAGE
    room: str | None  # a join code; None for the default room


async def one_session(
    stack: Stack,
    who: Participant,
    changes: int,
    expected_share: dict[float, str],
    report: LoadReport,
    think_seconds: float = 0.0,
    other_rooms: tuple[str, ...] = (),
    room_ready: _Roll | None = None,
) -> None:
    """One participant: open the app, join the room, go to the page; once everyone has (the
    facilitator starts the exercise with the whole room in), make ``changes`` moves."""
    index = who.index
    query = f"room={who.room}" if who.room else ""
    roll, joined = room_ready or _Roll(1), False
    try:
        async with StreamlitSession(stack.url, query_string=query, tls=stack.tls) as session:
            arrived = time.perf_counter()
            first = await session.run()
            if first.exceptions:
                report.failures.append(f"session {index}: {first.exceptions[0]}")
                return
            draft_id = parse_qs(session.query_string)["session"][0]
            if who.room:
                _join(who, draft_id)
            page = await session.switch_page(who.page)
            report.join_latencies.append(time.perf_counter() - arrived)
            joined = True
            await roll.present()
            pause = random.Random(index)
            if who.page == COMPROMISE_PAGE:
                _check_room(report, who, page.texts, other_rooms)
                control, values = find_widget(page, WEIGHT_KEY), (0.3, 0.4, 0.5, 0.6, 0.7)
            else:
                control, values = find_widget(page, PRICE_KEY), ()
            for change in range(changes):
                if think_seconds:  # a person looks at the result before moving again
                    await asyncio.sleep(think_seconds * pause.uniform(0.5, 1.5))
                if who.page == COMPROMISE_PAGE:
                    value = values[(index + change) % len(values)]
                else:
                    value = price_for(index, change)
                state = WidgetState(id=control.id, double_array_value=DoubleArray(data=[value]))
                result = await session.run({control.id: state}, control.fragment_id)
                if result.exceptions or result.errors:
                    report.failures.append(
                        f"session {index}: {(result.exceptions + result.errors)[0][:200]}"
                    )
                    continue
                if who.page == COMPROMISE_PAGE:
                    report.compromise_latencies.append(result.seconds)
                    # The weight reruns the outcome only, which lists no proposals: it must
                    # still name no other room's.
                    _check_room(report, who, result.texts, other_rooms, listed=False)
                    continue
                report.latencies.append(result.seconds)
                report.last_price[draft_id] = value
                share_text = expected_share[value]
                if not any(share_text in text for text in result.texts):
                    report.bleeds.append(
                        f"session {index} set {value}; expected new-product share {share_text} "
                        "is not on its page"
                    )
    except Exception as error:  # a load test counts every failure instead of stopping at one
        report.failures.append(f"session {index}: {type(error).__name__}: {error}")
    finally:
        roll.gone(joined)


class _Roll:
    """The room's roll call: released once every participant is on their page (or failed)."""

    def __init__(self, expected: int) -> None:
        self.expected, self.counted = expected, 0
        self.everyone = asyncio.Event()
        self.all_in_at = 0.0

    def _count(self) -> None:
        self.counted += 1
        if self.counted >= self.expected and not self.everyone.is_set():
            self.all_in_at = time.perf_counter()
            self.everyone.set()

    async def present(self) -> None:
        self._count()
        await self.everyone.wait()

    def gone(self, joined: bool) -> None:
        """A participant who failed before joining is not waited for."""
        if not joined:
            self._count()


def _join(who: Participant, draft_id: str) -> None:
    """Join the room as the app's Room page would, under the id the app derives."""
    from alignment.room_store import default_rooms

    participant = hashlib.sha256(f"participant:{draft_id}".encode()).hexdigest()[:32]
    assert who.room is not None
    default_rooms().join(who.room, participant, f"Person {who.index}", ROLES[who.index % 3])


def _check_room(report: LoadReport, who: Participant, texts: list[str],
                others: tuple[str, ...], listed: bool = True) -> None:  # fmt: skip
    """No other room's proposals on the page, and (``listed``) the participant's own room's."""
    shown = " ".join(texts)
    for code in others:
        if f"Room {code} plan" in shown:
            report.bleeds.append(f"session {who.index} in room {who.room} sees room {code}")
    if listed and who.room and f"Room {who.room} plan" not in shown:
        report.failures.append(f"session {who.index}: its room's proposals are not listed")


def _seed_rooms(count: int) -> list[str]:
    """Open ``count`` rooms, each with two proposals named after it."""
    from alignment.levers import with_values
    from alignment.room_store import default_rooms
    from workshop_ui.library import default_scenario

    rooms, codes = default_rooms(), []
    for number in range(count):
        code = rooms.open_room(f"Load room {number + 1}", default_scenario()).code
        for plan in (1, 2):
            named = with_values(default_scenario(), {"metadata.name": f"Room {code} plan {plan}"})
            rooms.items(code).create("proposals", named)
        codes.append(code)
    return codes


def _lost_writes(report: LoadReport, nova: int) -> None:
    """Each Pricing session's autosave must hold the last price it set."""
    from alignment.storage import default_store

    store = default_store()
    for draft_id, price in report.last_price.items():
        saved = store.load_draft(draft_id)
        kept = None if saved is None else saved[0].products[nova].price
        if kept is None or abs(kept - price) > 1e-9:
            report.lost_writes.append(f"autosave {draft_id[:8]}…: set {price}, store has {kept}")


def run_load(
    sessions: int = 30,
    changes: int = 5,
    data_dir: Path | None = None,
    think_seconds: float = 0.0,
    *,
    processes: int = 1,
    rooms: int = 0,
    compromise: int = 0,
) -> LoadReport:
    """Start the hosted stack, drive ``sessions`` concurrent sessions through its proxy, stop
    it, and return the figures.

    ``processes`` app processes run behind the proxy. With ``rooms`` the sessions are spread
    over that many rooms (each joins its room); the first ``compromise`` sessions sit on the
    Compromise page, the rest on Pricing. With ``think_seconds`` 0 every session sends its next
    change the moment the last one is drawn (a worst case); otherwise each waits 0.5–1.5 × that
    long first, as a person would.
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

    report = LoadReport(sessions, changes, think_seconds=think_seconds, processes=processes,
                        rooms=rooms, compromise_sessions=compromise)  # fmt: skip
    with tempfile.TemporaryDirectory() as scratch:
        data = data_dir or Path(scratch) / "workshop_data"
        previous = os.environ.get("ALIGNMENT_DATA_DIR")
        os.environ["ALIGNMENT_DATA_DIR"] = str(data)  # the harness reads the stack's store
        try:
            codes = _seed_rooms(rooms)
            stack = start_stack(data, Path(scratch), processes)
        except BaseException:
            _restore_env(previous)
            raise
        try:
            people = [
                Participant(i, COMPROMISE_PAGE if i < compromise else PRICING_PAGE,
                            codes[i % rooms] if rooms else None)
                for i in range(sessions)
            ]  # fmt: skip
            # One session first, so imports and caches warmed by any first visitor are not
            # counted as growth caused by the crowd.
            warm_up = LoadReport(1, 1)
            run_in_own_loop(
                one_session(stack, Participant(sessions, PRICING_PAGE, None), 1, expected, warm_up)
            )
            report.failures.extend(f"warm-up: {failure}" for failure in warm_up.failures)
            report.memory_before_mb = stack.memory_mb()
            started = time.perf_counter()

            async def everyone() -> None:
                roll = _Roll(len(people))
                await asyncio.gather(*(
                    one_session(stack, who, changes, expected, report, think_seconds,
                                tuple(c for c in codes if c != who.room), roll)
                    for who in people
                ))  # fmt: skip
                report.join_seconds = roll.all_in_at - started

            run_in_own_loop(everyone())
            report.wall_seconds = time.perf_counter() - started
            report.memory_after_mb = stack.memory_mb()
            _lost_writes(report, nova)
        finally:
            stack.stop()
            _restore_env(previous)
    return report


def _restore_env(previous: str | None) -> None:
    if previous is None:
        os.environ.pop("ALIGNMENT_DATA_DIR", None)
    else:
        os.environ["ALIGNMENT_DATA_DIR"] = previous


def run_in_own_loop(work: Coroutine[Any, Any, T]) -> T:
    """Run ``work`` on a fresh event loop in its own thread, and return what it returns.

    The caller may already be inside an event loop (pytest with Playwright's sync API has one
    running), where ``asyncio.run`` refuses to start.
    """
    with ThreadPoolExecutor(max_workers=1) as runner:
        return runner.submit(asyncio.run, work).result()
