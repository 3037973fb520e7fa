"""What a session costs the server in memory, and what the server gives back when it leaves.

Starts one app process as the load test does (``tests/load/load_harness.start_server``: a
hosted workshop's settings, loopback, a fresh data folder) and reads its resident memory
(``VmRSS`` in ``/proc/<pid>/status``) at each step:

1. **Sessions.** One session visits every heavy page first (imports and shared caches warm
   up, and are not counted), then N protocol-level sessions (``tests/load/streamlit_ws_client``)
   each set a price of its own on Pricing (so its scenario is its own, as a person's is, and
   no two sessions share a cached figure; prices repeat past 34 sessions), then visit
   Compromise (whose first visit runs the search for that scenario) and Outcomes, and stay
   connected. Memory is read before they
   connect, with all of them connected, and ``--after`` seconds after every one has gone.
   With ``--one-scenario`` every session keeps the warm-up's scenario instead, so every
   cached figure is shared and what is left is the sessions' own state.
2. **Oversized widget state.** N sessions each send one rerun carrying ``--widget-mb`` MB in
   the passcode field (a text input), as the earlier attack did, and stay connected; memory
   before, with all of them connected, and ``--after`` seconds after they have gone.
3. **Upload flood.** One session uploads ``--uploads`` files of ``--upload-kb`` KB each over
   HTTP, as a browser's file uploader does (``PUT /_stcore/upload_file/<session>/<file>``,
   straight to the app, without the proxy that limits uploads per address and per session).
   Memory before, after the flood, and ``--after`` seconds after the session has gone.

    .venv/bin/python benchmarks/bench_session_memory.py          # 20 sessions, 24 MB, 300 uploads
    .venv/bin/python benchmarks/bench_session_memory.py -n 5 --uploads 50 --after 10
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "load"))

from load_harness import (  # noqa: E402
    COMPROMISE_PAGE,
    PRICE_KEY,
    PRICING_PAGE,
    free_port,
    price_for,
    resident_mb,
    start_server,
)
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ClientState_pb2 import ClientState  # noqa: E402
from streamlit.proto.Common_pb2 import DoubleArray  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates  # noqa: E402
from streamlit_ws_client import StreamlitSession, find_widget, upload_file  # noqa: E402

HEAVY_PAGES = (PRICING_PAGE, COMPROMISE_PAGE, "Outcomes")
PASSCODE_KEY = "facilitator_passcode_input"  # a text input on every page, with no length limit
# Page visits at once: more only queue on a 2-core machine, and a session whose page takes
# longer than its timeout would be counted as a failure instead of as memory.
CONCURRENT_VISITS = 4


@dataclass(frozen=True)
class Figures:
    """Resident memory of the app process (MB) around one experiment."""

    before: float
    loaded: float
    after: float
    count: int
    failures: tuple[str, ...] = ()

    @property
    def per_item(self) -> float:
        return (self.loaded - self.before) / self.count

    @property
    def freed(self) -> float:
        return self.loaded - self.after

    @property
    def kept(self) -> float:
        return self.after - self.before


async def visit_heavy_pages(session: StreamlitSession, index: int) -> list[str]:
    """Open the app, set price number ``index`` on Pricing, and open each heavy page in turn;
    the exceptions and errors they showed."""
    shown = await session.run()
    problems = shown.exceptions + shown.errors
    for page in HEAVY_PAGES:
        result = await session.switch_page(page)
        if page == PRICING_PAGE:
            price = find_widget(result, PRICE_KEY).id
            moved = WidgetState(
                id=price, double_array_value=DoubleArray(data=[price_for(index, 0)])
            )
            result = await session.run({price: moved})
        problems += [f"{page}: {text}" for text in result.exceptions + result.errors]
    return problems


async def sessions_experiment(url: str, read: Callable[[], float], sessions: int,
                              after: float, one_scenario: bool = False) -> Figures:  # fmt: skip
    async with StreamlitSession(url, timeout=300) as warm_up:
        await visit_heavy_pages(warm_up, sessions)
    await asyncio.sleep(2)
    before = read()
    gate = asyncio.Semaphore(CONCURRENT_VISITS)
    everyone_in = asyncio.Event()
    failures: list[str] = []
    arrived = 0

    def arrive() -> None:
        nonlocal arrived
        arrived += 1
        if arrived == sessions:
            everyone_in.set()

    async def participant(index: int) -> None:
        here = False
        try:
            async with StreamlitSession(url, timeout=300) as session:
                async with gate:
                    problems = await visit_heavy_pages(session, sessions if one_scenario else index)
                    failures.extend(f"session {index}: {problem}" for problem in problems)
                here = True
                arrive()
                await everyone_in.wait()
                await asyncio.sleep(3)  # every session connected while memory is read
        except Exception as error:  # counted, so a crowd that partly failed says so
            failures.append(f"session {index}: {type(error).__name__}: {error}")
            if not here:
                arrive()

    reader = asyncio.create_task(_read_when(everyone_in, read, delay=1.5))
    await asyncio.gather(*(participant(i) for i in range(sessions)))
    loaded = await reader
    await asyncio.sleep(after)
    return Figures(before, loaded, read(), sessions, tuple(failures))


async def _read_when(event: asyncio.Event, read: Callable[[], float], delay: float) -> float:
    await event.wait()
    await asyncio.sleep(delay)
    return read()


async def widget_experiment(url: str, read: Callable[[], float], sessions: int, megabytes: int,
                            after: float) -> Figures:  # fmt: skip
    """Each session sends one rerun with ``megabytes`` MB typed into the passcode field."""
    failures: list[str] = []
    connected: list[StreamlitSession] = []
    before = read()
    for index in range(sessions):
        session = StreamlitSession(url, timeout=120)
        await session.__aenter__()
        connected.append(session)
        first = await session.run()
        field = find_widget(first, PASSCODE_KEY).id
        typed = WidgetState(id=field, string_value="x" * (megabytes * 1_000_000))
        message = BackMsg(rerun_script=ClientState(
            query_string=session.query_string, page_script_hash=session.page_script_hash,
            widget_states=WidgetStates(widgets=[typed]),
        ))  # fmt: skip
        try:
            await session._socket.send(message.SerializeToString())
            await session.run()  # the server has taken it in once the rerun it asked for ends
        except Exception as error:  # the server closing the connection is its refusal
            failures.append(f"session {index}: {type(error).__name__}: {error}")
    await asyncio.sleep(2)
    loaded = read()
    for session in connected:
        with contextlib.suppress(Exception):  # the server may have closed it already
            await session.__aexit__(None, None, None)
    await asyncio.sleep(after)
    return Figures(before, loaded, read(), sessions, tuple(failures))


async def upload_experiment(url: str, read: Callable[[], float], uploads: int, kilobytes: int,
                            after: float) -> Figures:  # fmt: skip
    payload = os.urandom(kilobytes * 1024)
    failures: list[str] = []
    async with StreamlitSession(url, timeout=300) as session:
        await session.run()
        await asyncio.sleep(1)
        before = read()
        started = time.perf_counter()
        for index in range(uploads):
            status, body = await asyncio.to_thread(
                upload_file, url, session.session_id, payload, name=f"flood-{index}.csv"
            )
            if status != 204:
                failures.append(f"upload {index}: {status} {body[:80]!r}")
        seconds = time.perf_counter() - started
        await asyncio.sleep(1)
        loaded = read()
    print(f"  ({uploads} uploads in {seconds:.1f} s, {len(failures)} refused)")
    await asyncio.sleep(after)
    return Figures(before, loaded, read(), uploads, tuple(failures[:5]))


def report(title: str, figures: Figures, unit: str, after: float) -> None:
    print(title)
    print(f"  RSS before {figures.before:.0f} MB, loaded {figures.loaded:.0f} MB, "
          f"{after:.0f} s after disconnect {figures.after:.0f} MB")  # fmt: skip
    print(f"  {figures.per_item:.1f} MB per {unit} held; {figures.freed:.0f} MB freed on "
          f"disconnect; {figures.kept:+.0f} MB still held after")  # fmt: skip
    for failure in figures.failures[:3]:
        print(f"  refused or failed: {failure[:200]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--sessions", type=_positive, default=20)
    parser.add_argument(
        "--one-scenario",
        action="store_true",
        help="every session keeps the same scenario (shared cached figures)",
    )
    parser.add_argument("--widget-mb", type=_positive, default=24)
    parser.add_argument("--uploads", type=_positive, default=300)
    parser.add_argument("--upload-kb", type=_positive, default=1000)
    parser.add_argument("--after", type=float, default=45.0,
                        help="seconds after the sessions leave to read memory again")  # fmt: skip
    args = parser.parse_args()
    if not 0 <= args.after <= 3600:
        parser.error("--after: from 0 to 3600 seconds")
    with tempfile.TemporaryDirectory() as scratch:
        server = start_server(Path(scratch) / "workshop_data", port := free_port())
        url = f"http://127.0.0.1:{port}"
        try:

            def read() -> float:
                return resident_mb(server.pid)

            print(f"app process {server.pid}; {_malloc_settings()}")
            sessions = asyncio.run(
                sessions_experiment(url, read, args.sessions, args.after, args.one_scenario)
            )
            scenarios = "one scenario" if args.one_scenario else "a scenario each"
            report(f"{args.sessions} sessions on {', '.join(HEAVY_PAGES)}, {scenarios}:",
                   sessions, "session", args.after)  # fmt: skip
            widgets = asyncio.run(
                widget_experiment(url, read, args.sessions, args.widget_mb, args.after)
            )
            report(f"{args.sessions} sessions sending {args.widget_mb} MB of widget state each "
                   f"({len(widgets.failures)} refused by the server):", widgets, "session",
                   args.after)  # fmt: skip
            flood = asyncio.run(
                upload_experiment(url, read, args.uploads, args.upload_kb, args.after)
            )
            report(f"{args.uploads} uploads of {args.upload_kb} KB from one session:", flood,
                   "upload", args.after)  # fmt: skip
        finally:
            server.terminate()
            server.wait(timeout=30)


def _malloc_settings() -> str:
    shown = [f"{name}={value}" for name, value in os.environ.items() if name.startswith("MALLOC_")]
    return f"MALLOC_* in the environment: {', '.join(shown) or 'none'}"


def _positive(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 10_000:
        raise argparse.ArgumentTypeError("use a whole number from 1 to 10,000")
    return value


if __name__ == "__main__":
    main()
