"""The hosted stack for real: ``hosted/run.sh``'s app processes behind HAProxy, over TLS.

The module starts ``hosted/run.sh`` with two app processes on free ports and a fresh data
folder, exactly as a company would run it (a self-signed certificate for ``localhost``), and
talks to it only through the proxy. Without HAProxy these tests skip, unless
``REQUIRE_PROXY=1`` (as in CI), when they fail.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import CHROMIUM_ARGS, NAV_LINK, ROOT, VIEWPORT, Visit

sys.path.insert(0, str(ROOT / "tests" / "load"))
from streamlit_ws_client import StreamlitSession, upload_file

pytestmark = pytest.mark.browser

PROCESSES = 2
REQUEST_TIMEOUT_S = 2
UPLOAD_MB = 1
UPLOADS_PER_MINUTE = 5
UPLOADS_PER_SESSION_MINUTE = 3
RESTART_DELAY_S = 20
START_SECONDS = 120


@dataclass(frozen=True)
class Hosted:
    url: str
    port: int
    run_dir: Path
    log: Path

    @property
    def certificate(self) -> Path:
        return self.run_dir / "tls.crt"

    def pid(self, process: str) -> int:
        return int((self.run_dir / f"{process}.pid").read_text())

    def tls(self) -> ssl.SSLContext:
        """A client that trusts only the stack's own certificate, and checks the name."""
        return ssl.create_default_context(cafile=str(self.certificate))

    def get(self, path: str, host: str | None = None, method: str = "GET",
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str]]:  # fmt: skip
        request = urllib.request.Request(f"{self.url}{path}", method=method,
                                         headers={**({"Host": host} if host else {}),
                                                  **(headers or {})})  # fmt: skip
        try:
            with urllib.request.urlopen(request, context=self.tls(), timeout=10) as response:
                return response.status, {k.lower(): v for k, v in response.headers.items()}
        except urllib.error.HTTPError as error:
            return error.code, {k.lower(): v for k, v in error.headers.items()}


def _free_ports(count: int) -> int:
    """The first of ``count`` consecutive free local ports."""
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


def _healthy(url: str, context: ssl.SSLContext | None = None) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", context=context, timeout=2) as r:
            return r.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, ssl.SSLError):
        return False


@pytest.fixture(scope="module")
def hosted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hosted]:
    missing = [tool for tool in ("haproxy", "openssl") if shutil.which(tool) is None]
    if missing:
        message = f"{', '.join(missing)} missing: install Debian's haproxy and openssl"
        if os.environ.get("REQUIRE_PROXY") == "1":
            pytest.fail(message)
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("hosted")
    port, backend = _free_ports(1), _free_ports(PROCESSES)
    stack = Hosted(f"https://localhost:{port}", port, folder / "run", folder / "hosted.log")
    env = {
        **os.environ,
        "ALIGNMENT_FACILITATOR_PASSCODE": "lantern-orbit-42",
        "ALIGNMENT_DATA_DIR": str(folder / "workshop_data"),
        "RUN_DIR": str(stack.run_dir),
        "PYTHON": sys.executable,
        "PROCESSES": str(PROCESSES),
        "PORT": str(port),
        "ADDRESS": "127.0.0.1",
        "BACKEND_PORT": str(backend),
        "HOSTS": "localhost",
        "REQUEST_TIMEOUT": f"{REQUEST_TIMEOUT_S}s",
        "UPLOAD_MB": str(UPLOAD_MB),
        "UPLOADS_PER_MINUTE": str(UPLOADS_PER_MINUTE),
        "UPLOADS_PER_SESSION_MINUTE": str(UPLOADS_PER_SESSION_MINUTE),
        # A dead process stays down this long, so its browsers must go to the other one.
        "RESTART_DELAY": str(RESTART_DELAY_S),
    }
    with stack.log.open("wb") as log:
        process = subprocess.Popen(["bash", "hosted/run.sh"], cwd=ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    try:
        backends = [f"http://127.0.0.1:{backend + i}" for i in range(PROCESSES)]
        deadline = time.monotonic() + START_SECONDS
        while not (
            stack.certificate.exists()
            and all(_healthy(url) for url in backends)
            and _healthy(stack.url, stack.tls())
        ):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"hosted/run.sh did not come up:\n{stack.log.read_text()[-3000:]}")
            time.sleep(0.5)
        time.sleep(2.5)  # the proxy's health checks see every process up
        yield stack
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def test_the_app_is_served_over_verified_tls_with_the_security_headers(hosted):
    status, headers = hosted.get("/")
    assert status == 200
    assert headers["x-frame-options"] == "DENY"
    assert headers["content-security-policy"] == "frame-ancestors 'none'"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["strict-transport-security"].startswith("max-age=")
    assert re.match(r"WORKSHOP_PROCESS=app[12]; .*HttpOnly; Secure", headers["set-cookie"])
    assert "server" not in headers


def test_another_host_name_gets_nothing(hosted):
    """A page elsewhere whose name points at this server (DNS rebinding) is refused."""
    assert hosted.get("/_stcore/health", host="attacker.example")[0] == 421
    assert hosted.get("/_stcore/health", host=f"localhost:{hosted.port}")[0] == 200


def test_server_metrics_are_closed_to_the_room(hosted):
    assert hosted.get("/_stcore/metrics")[0] == 404


def test_a_slow_client_is_cut_off_while_everyone_else_is_served(hosted):
    slow = []
    for _ in range(30):  # each sends half a request and stalls
        connection = hosted.tls().wrap_socket(
            socket.create_connection(("127.0.0.1", hosted.port)), server_hostname="localhost"
        )
        connection.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        slow.append(connection)
    try:
        assert hosted.get("/_stcore/health")[0] == 200  # nobody else waits for them
        for connection in slow:
            connection.settimeout(REQUEST_TIMEOUT_S + 10)
            answer = connection.recv(100)  # the proxy answers and closes, not the app
            assert answer == b"" or answer.startswith(b"HTTP/1.1 408"), answer
    finally:
        for connection in slow:
            connection.close()


def test_uploads_are_refused_when_too_big_or_too_many_from_one_address(hosted):
    too_big = {"Content-Length": str(UPLOAD_MB * 1024 * 1024 + 1)}
    status, _ = hosted.get("/_stcore/upload_file/s/f", method="PUT", headers=too_big)
    assert status == 413
    seen = [  # each to a session of its own, so only the address's count applies
        hosted.get(f"/_stcore/upload_file/s{n}/f", method="PUT", headers={"Content-Length": "0"})[0]
        for n in range(UPLOADS_PER_MINUTE + 1)
    ]
    assert 429 not in seen[:UPLOADS_PER_MINUTE]  # these reach the app (which refuses them)
    assert seen[-1] == 429


def test_one_sessions_upload_flood_is_refused_while_another_sessions_upload_goes_through(hosted):
    """Two real sessions on one process; their uploads come from an address of their own
    (127.0.0.2), so no other test's uploads count against it."""
    process = hosted.get("/")[1]["set-cookie"].split(";")[0]  # WORKSHOP_PROCESS=app1 or app2
    pinned = {"Cookie": process}

    def upload(session_id: str) -> tuple[int, bytes]:
        return upload_file(hosted.url, session_id, b"deal,price\n1,500\n", tls=hosted.tls(),
                           headers=pinned, source_address="127.0.0.2")  # fmt: skip

    async def two_sessions() -> tuple[list[tuple[int, bytes]], tuple[int, bytes]]:
        async with (
            StreamlitSession(hosted.url, tls=hosted.tls(), headers=pinned) as flooding,
            StreamlitSession(hosted.url, tls=hosted.tls(), headers=pinned) as calm,
        ):
            await flooding.run()
            await calm.run()
            flood = [await asyncio.to_thread(upload, flooding.session_id)
                     for _ in range(UPLOADS_PER_SESSION_MINUTE + 2)]  # fmt: skip
            return flood, await asyncio.to_thread(upload, calm.session_id)

    flood, calm = _in_own_loop(two_sessions())
    assert [status for status, _ in flood] == [204] * UPLOADS_PER_SESSION_MINUTE + [429, 429]
    assert b"Too many uploads from this browser tab" in flood[-1][1]
    assert calm[0] == 204  # the same address, another session: its upload is taken in


def _in_own_loop(work):
    """Run a coroutine on a fresh event loop in a thread of its own (Playwright's sync API may
    already run one in this thread)."""
    with ThreadPoolExecutor(1) as runner:
        return runner.submit(asyncio.run, work).result()


def test_a_process_that_dies_loses_nobodys_work(hosted, chromium, tmp_path):
    def scenario() -> None:
        # A Chromium of its own on a worker thread: the session's browser (and its event
        # loop) stays untouched, and this one accepts the stack's self-signed certificate.
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                str(tmp_path / "profile"), executable_path=str(chromium), headless=True,
                args=CHROMIUM_ARGS, viewport=VIEWPORT, ignore_https_errors=True,
            )  # fmt: skip
            try:
                _survive_a_dead_process(hosted, Visit(context.new_page(), hosted.url).open(),
                                        context)  # fmt: skip
            finally:
                context.close()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(scenario).result()


def _survive_a_dead_process(hosted: Hosted, visit: Visit, context) -> None:
    page = visit.page
    process = next(c["value"] for c in context.cookies() if c["name"] == "WORKSHOP_PROCESS")
    page.locator(NAV_LINK, has_text="Pricing").click()
    page.locator("h1", has_text="Pricing").wait_for(timeout=30_000)
    visit.settle()
    before = visit.metric_value("New-product share")
    thumb = page.locator(".st-key-price_nova input[type='range']")
    thumb.focus()
    thumb.press("End")
    share = page.locator("[data-testid='stMetric']", has_text="New-product share").first
    share.locator("[data-testid='stMetricValue']").filter(
        has_not_text=re.compile(f"^{re.escape(before)}$")
    ).wait_for(timeout=30_000)
    visit.settle_fully()
    moved = visit.metric_value("New-product share")
    page.locator("[data-testid='stSidebar']").get_by_text("Saved").first.wait_for(timeout=10_000)

    killed = hosted.pid(process)
    os.kill(killed, signal.SIGKILL)
    # The browser reconnects by itself; the proxy sends it to the process still up, which
    # restores the work from the store.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        cookies = {c["name"]: c["value"] for c in context.cookies()}
        if cookies.get("WORKSHOP_PROCESS") not in (None, process):
            break
        page.wait_for_timeout(500)
    else:
        pytest.fail("the browser never reached another process")
    page.locator("h1", has_text="Pricing").wait_for(timeout=30_000)
    visit.settle_fully()
    assert visit.metric_value("New-product share") == moved
    assert page.locator("[data-testid='stException']").count() == 0

    deadline = time.monotonic() + RESTART_DELAY_S + 30  # and the dead process is started again
    while hosted.pid(process) == killed and time.monotonic() < deadline:
        time.sleep(0.5)
    assert hosted.pid(process) != killed
    assert f"app process {process[3:]} (port" in hosted.log.read_text()
