"""What idle participants cost: N sessions on one room's page, doing nothing but their live check.

Starts the app (``streamlit run app.py``) on a free port with a fresh data folder, opens a room
with a few proposals, and connects N protocol-level sessions (``tests/load/streamlit_ws_client``):
each joins the room and opens the Room page. The page's live check is a fragment with
``run_every``; a browser reruns it on that timer, so each client here sends the same auto-rerun
request (``fragment_id``, ``is_auto_rerun``) at the interval the server asked for. Nothing in the
room changes, so every check finds the version unchanged.

Over the idle window the server process's CPU time (``/proc/<pid>/stat``, user + system) is
divided by the wall time: the share of one core the idle room costs. The check itself (one read
of the room's version record) is also timed on its own.

    .venv/bin/python benchmarks/bench_room_idle.py               # 100 participants, 30 s
    .venv/bin/python benchmarks/bench_room_idle.py -n 30 --seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "load"))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ClientState_pb2 import ClientState  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetStates  # noqa: E402
from streamlit_ws_client import StreamlitSession  # noqa: E402

from alignment.levers import with_values  # noqa: E402
from alignment.room_store import LocalRoomStore  # noqa: E402
from workshop_ui.library import default_scenario  # noqa: E402

LIMIT = 0.10  # of one core


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(data: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, "ALIGNMENT_DATA_DIR": str(data)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return server, url
        except OSError:
            time.sleep(0.25)
    server.kill()
    raise SystemExit("the app did not start")


class Participant:
    """One session on the Room page that answers its live-check timer like a browser."""

    def __init__(self, url: str, code: str) -> None:
        self.session = StreamlitSession(url, query_string=f"room={code}", timeout=120)
        self.code = code
        self.fragment_id = ""
        self.interval = 0.0
        self.checks = 0

    async def open(self, rooms: LocalRoomStore, index: int) -> None:
        await self.session.__aenter__()
        await self.session.run()  # the first page; the server issues the autosave id
        draft_id = parse_qs(self.session.query_string)["session"][0]
        participant = hashlib.sha256(f"participant:{draft_id}".encode()).hexdigest()[:32]
        role = ("leadership", "sales", "marketing")[index % 3]
        rooms.join(self.code, participant, f"Person {index}", role)
        self.session.page_script_hash = next(
            h for name, h in self.session.pages.items() if "Room" in name
        )
        self.session.widget_values.clear()
        await self._send(fragment="")
        await self._read_until_finished()
        if not self.fragment_id:
            raise SystemExit("the Room page asked for no live check")

    async def _send(self, fragment: str) -> None:
        state = ClientState(
            query_string=self.session.query_string,
            widget_states=WidgetStates(widgets=list(self.session.widget_values.values())),
            page_script_hash=self.session.page_script_hash,
            fragment_id=fragment,
            is_auto_rerun=bool(fragment),
        )
        await self.session._socket.send(BackMsg(rerun_script=state).SerializeToString())

    async def _read_until_finished(self) -> None:
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await self.session._socket.recv())
            kind = forward.WhichOneof("type")
            if kind == "auto_rerun":
                self.fragment_id = forward.auto_rerun.fragment_id
                self.interval = forward.auto_rerun.interval
            elif kind == "script_finished":
                return

    async def idle(self, until: float) -> None:
        await asyncio.sleep(self.interval * (hash(self) % 1000) / 1000)  # spread the ticks
        while time.monotonic() < until:
            started = time.monotonic()
            await self._send(self.fragment_id)
            await self._read_until_finished()
            self.checks += 1
            await asyncio.sleep(max(0.0, self.interval - (time.monotonic() - started)))


def time_check(rooms: LocalRoomStore, code: str, calls: int = 20_000) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        rooms.version(code)
    return (time.perf_counter() - started) / calls


async def main(participants: int, seconds: float) -> int:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "workshop_data"
        rooms = LocalRoomStore(data)
        code = rooms.open_room("Benchmark", default_scenario()).code
        for i, price in enumerate((590, 620, 650)):
            plan = with_values(default_scenario(), {"metadata.name": f"Plan {i + 1}"})
            products = [p.model_copy(update={"price": price}) if p.id == "nova" else p
                        for p in plan.products]  # fmt: skip
            rooms.items(code).create("proposals", plan.model_copy(update={"products": products}))
        server, url = start_server(data)
        try:
            people = [Participant(url, code) for _ in range(participants)]
            started = time.monotonic()
            for batch in range(0, participants, 10):
                await asyncio.gather(
                    *(p.open(rooms, batch + i) for i, p in enumerate(people[batch : batch + 10]))
                )
            print(f"{participants} participants joined room {code} and opened the Room page "
                  f"in {time.monotonic() - started:.1f} s; live check every "
                  f"{people[0].interval:.1f} s")  # fmt: skip
            await asyncio.sleep(2)  # let the joins' reruns settle
            before_cpu, before = cpu_seconds(server.pid), time.monotonic()
            await asyncio.gather(*(p.idle(before + seconds) for p in people))
            used, wall = cpu_seconds(server.pid) - before_cpu, time.monotonic() - before
            checks = sum(p.checks for p in people)
            per_check = time_check(rooms, code)
            share = used / wall
            print(
                f"idle window {wall:.1f} s: {checks} live checks ({checks / wall:.0f} per s), "
                f"server CPU {used:.2f} s = {100 * share:.1f} % of one core "
                f"({1000 * used / max(checks, 1):.2f} ms per check, fragment rerun included)"
            )
            print(
                f"the check alone (read the room's version record): {1e6 * per_check:.1f} µs; "
                f"at {checks / wall:.0f} calls/s that is "
                f"{100 * per_check * checks / wall:.2f} % of one core"
            )
            verdict = "PASS" if share < LIMIT else "FAIL"
            print(f"{verdict}: {100 * share:.1f} % of one core (limit {100 * LIMIT:.0f} %)")
            for p in people:
                await p.session.__aexit__()
            return 0 if share < LIMIT else 1
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--participants", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    raise SystemExit(asyncio.run(main(args.participants, args.seconds)))
