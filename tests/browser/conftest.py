"""A real browser against the running app: the server, Chromium and page helpers.

The app runs as ``streamlit run app.py`` with this interpreter on a free local port, saving
into a temporary folder. Chromium is the system's (``/usr/bin/chromium``); without it these
tests skip, unless ``REQUIRE_BROWSER=1`` (as in CI), when they fail.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}
SERVER_START_SECONDS = 60
APP_IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
NAV_LINK = "[data-testid='stSidebarNavLink']"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def server_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the app under test keeps its log and its data folder (``workshop_data``)."""
    return tmp_path_factory.mktemp("server")


@pytest.fixture(scope="session")
def data_dir(server_folder: Path) -> Path:
    """The app's data folder: saved scenarios, proposals and every session's autosave."""
    return server_folder / "workshop_data"


@contextmanager
def serve_app(folder: Path, data_dir: Path) -> Iterator[str]:
    """``streamlit run app.py`` in a process of its own, saving into ``data_dir`` and logging
    into ``folder``; its address while it runs, stopped by its process id after."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "ALIGNMENT_DATA_DIR": str(data_dir)}
    log_path = folder / "server.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [
                sys.executable, "-m", "streamlit", "run", "app.py",
                "--server.headless", "true", "--server.port", str(port),
                "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
                "--browser.gatherUsageStats", "false",
            ],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while not _healthy(url):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the app did not start; server log:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.25)
        yield url
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


@pytest.fixture(scope="session")
def app_url(chromium: Path, server_folder: Path, data_dir: Path) -> Iterator[str]:
    """The app's address, served for the whole session."""
    with serve_app(server_folder, data_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser_context(chromium: Path, tmp_path_factory: pytest.TempPathFactory):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(chromium),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=VIEWPORT,
        )
        try:
            yield context
        finally:
            context.close()


class Visit:
    """One browser tab on the app, recording console errors and uncaught page errors."""

    def __init__(self, page, url: str) -> None:
        self.page = page
        self.url = url
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self) -> Visit:
        self.page.goto(self.url)
        self.settle()
        return self

    def settle(self, timeout_ms: int = 30_000) -> None:
        """Wait until the script has run and the page shows its title."""
        self.page.wait_for_selector(APP_IDLE, timeout=timeout_ms)
        self.page.wait_for_selector("h1", timeout=timeout_ms)

    def settle_fully(self, quiet_ms: int = 800, timeout_ms: int = 30_000) -> None:
        """Wait until the app has finished every run queued by input, not just the current one.

        Input sent while a run is going starts another run right after it; the app counts as
        settled once it has stayed idle for ``quiet_ms``.
        """
        deadline = time.monotonic() + timeout_ms / 1000
        while time.monotonic() < deadline:
            self.page.wait_for_selector(APP_IDLE, timeout=timeout_ms)
            for _ in range(quiet_ms // 100):
                self.page.wait_for_timeout(100)
                if self.page.locator(APP_IDLE).count() != 1:
                    break
            else:
                return
        raise AssertionError(f"the app was still running after {timeout_ms} ms")

    def session_id(self) -> str:
        """The autosave id in the page address (``?session=...``)."""
        match = re.search(r"[?&]session=([A-Za-z0-9_-]+)", self.page.url)
        assert match, f"no session id in {self.page.url}"
        return match.group(1)

    def metric_value(self, label: str) -> str:
        tile = self.page.locator("[data-testid='stMetric']", has_text=label).first
        return tile.locator("[data-testid='stMetricValue']").inner_text()

    def horizontal_overflow(self) -> int:
        """How many pixels the main area is wider than the window (0: no sideways scrolling)."""
        return self.page.evaluate(
            "() => { const main = document.querySelector(\"[data-testid='stMain']\");"
            " return Math.max(0, main.scrollWidth - main.clientWidth,"
            " document.documentElement.scrollWidth - window.innerWidth); }"
        )

    def screenshot(self, name: str) -> Path:
        """A full-page PNG: Streamlit scrolls inside its main area, so grow the view to fit."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        height = self.page.evaluate(
            "() => document.querySelector(\"[data-testid='stMain']\").scrollHeight"
        )
        self.page.set_viewport_size({"width": VIEWPORT["width"], "height": max(height, 800)})
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.page.set_viewport_size(VIEWPORT)
        return path


@pytest.fixture
def visit(browser_context, app_url) -> Iterator[Visit]:
    """A fresh tab (a new Streamlit session) on the app's first page."""
    page = browser_context.new_page()
    try:
        yield Visit(page, app_url).open()
    finally:
        page.close()


@pytest.fixture
def open_visit(browser_context, app_url):
    """Open another tab (another participant's session) on the app; all are closed after."""
    pages = []

    def open_one() -> Visit:
        page = browser_context.new_page()
        pages.append(page)
        return Visit(page, app_url).open()

    try:
        yield open_one
    finally:
        for page in pages:
            page.close()
