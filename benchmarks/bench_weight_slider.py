"""Time a keypress on the Compromise page's bargaining-weight slider until its charts settle,
in headless Chromium against a real app process.

    .venv/bin/python benchmarks/bench_weight_slider.py [--moves 20]

Opens the Compromise page (its first search runs by itself), focuses "Leadership's bargaining
weight" and presses → and ← in turn. For each key: the time from the keypress until the
app's run has finished and no chart has changed for 300 ms, measured on the page's own clock
(the last chart change counts, not the quiet wait). Target: median < 200 ms. Needs Debian's
Chromium at /usr/bin/chromium and the Playwright package (requirements-dev.txt).
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "load"))

from load_harness import free_port, start_server  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
TARGET_MS = 200.0
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
RUNNING = "[data-testid='stApp'][data-test-script-state='running']"
QUIET_MS = 300
# Records the page-clock time of every change inside a chart.
WATCH_CHARTS = """() => {
  window.__chartChanged = 0;
  new MutationObserver((changes) => {
    for (const change of changes) {
      const node = change.target.nodeType === 1 ? change.target : change.target.parentElement;
      if (node && node.closest('[data-testid="stVegaLiteChart"]')) {
        window.__chartChanged = performance.now();
        return;
      }
    }
  }).observe(document.body, {subtree: true, childList: true, attributes: true,
                             characterData: true});
}"""


def measure(url: str, moves: int) -> tuple[list[float], list[float]]:
    """Per keypress: until the last chart change, and until the app's run had finished."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    latencies: list[float] = []
    finished: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{url}/Compromise")
        page.locator("h1", has_text="Compromise").wait_for(timeout=60_000)
        page.wait_for_selector(IDLE, timeout=120_000)
        page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=120_000)
        page.wait_for_timeout(1000)
        page.evaluate(WATCH_CHARTS)
        thumb = page.locator(".st-key-deal_weight input[type='range']")
        for move in range(moves):
            thumb.focus()
            pressed = page.evaluate("performance.now()")
            thumb.press("ArrowRight" if move % 2 == 0 else "ArrowLeft")
            # A run this quick may be over before the first look.
            with contextlib.suppress(PlaywrightTimeout):
                page.wait_for_selector(RUNNING, timeout=2_000)
            page.wait_for_selector(IDLE, timeout=30_000)
            finished.append(page.evaluate("performance.now()") - pressed)
            page.wait_for_function(
                "(quiet) => performance.now() - window.__chartChanged > quiet",
                arg=QUIET_MS, polling=20, timeout=30_000,
            )  # fmt: skip
            changed = page.evaluate("window.__chartChanged")
            if changed < pressed:
                raise RuntimeError(f"move {move + 1}: no chart changed after the keypress")
            latencies.append(changed - pressed)
        browser.close()
    return latencies, finished


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=20, help="keypresses to time")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as data_dir:
        server = start_server(Path(data_dir), free_port())
        port = server.args[server.args.index("--server.port") + 1]
        try:
            latencies, finished = measure(f"http://127.0.0.1:{port}", args.moves)
        finally:
            server.terminate()
            server.wait(timeout=30)
    ordered = sorted(latencies)
    median = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    verdict = "met" if median <= TARGET_MS else f"missed by {median / TARGET_MS:.1f}x"
    print(f"bargaining weight keypress -> charts settled, {len(ordered)} moves")
    print(f"  median {median:7.0f} ms   (target < {TARGET_MS:.0f} ms: {verdict})")
    print(f"  p95    {p95:7.0f} ms   slowest {ordered[-1]:.0f} ms")
    print(
        f"  the app's run finished (seen from the page): median "
        f"{statistics.median(finished):.0f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
