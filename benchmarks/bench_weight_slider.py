"""Time a keypress on the Compromise page's bargaining-weight slider until its charts settle,
in headless Chromium against a real app process.

    .venv/bin/python benchmarks/bench_weight_slider.py [--moves 20]

Opens the Compromise page (its first search runs by itself), focuses "Leadership's bargaining
weight" and presses → and ← in turn. For each key, on the page's own clock, once the app's run
has ended and nothing has changed for 300 ms (the quiet wait is not counted), it reports the
time from the key event (its own time stamp, as the page received it) to:

- the frontier chart's last change (the chart the weight moves the deal along; target: median
  < 200 ms);
- the last change of any chart on the page (the uncertainty bands below follow the deal too);
- the end of the app's run.

Needs Debian's Chromium at /usr/bin/chromium and the Playwright package (requirements-dev.txt).
"""

from __future__ import annotations

import argparse
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
# Records the page-clock time of the last change of each chart (by its order on the page) and
# of the last time the app's run ended. A chart changes when its elements do (an SVG chart, or
# one drawn anew) or when its canvas is repainted (a chart whose rows were swapped in place
# changes no element); a repaint is timed when it starts and again once it has run.
WATCH_PAGE = """() => {
  window.__runEnded = 0;
  window.__keydown = 0;
  document.addEventListener('keydown', (event) => { window.__keydown = event.timeStamp; }, true);
  const CHART = '[data-testid="stVegaLiteChart"]';
  // Kept cheap: a fragment rerun changes thousands of elements, and an observer that looked
  // up every chart on each change held up the page it was timing.
  const changed = new Map();
  window.__readCharts = () => {
    const charts = [...document.querySelectorAll(CHART)];
    const times = {};
    for (const [chart, time] of changed) {
      const index = charts.indexOf(chart);
      if (index >= 0) times[index] = time;
    }
    return times;
  };
  const mark = (node) => {
    const chart = node && node.closest && node.closest(CHART);
    if (!chart) return false;
    changed.set(chart, performance.now());
    return true;
  };
  const clear = CanvasRenderingContext2D.prototype.clearRect;
  CanvasRenderingContext2D.prototype.clearRect = function (...args) {
    const canvas = this.canvas;
    if (mark(canvas)) setTimeout(() => mark(canvas), 0);
    return clear.apply(this, args);
  };
  new MutationObserver((changes) => {
    const now = performance.now();
    const seen = new Set();
    for (const change of changes) {
      if (change.attributeName === 'data-test-script-state') {
        if (change.target.getAttribute('data-test-script-state') === 'notRunning') {
          window.__runEnded = now;
        }
        continue;
      }
      const node = change.target.nodeType === 1 ? change.target : change.target.parentElement;
      if (node && !seen.has(node)) {
        seen.add(node);
        mark(node);
      }
    }
  }).observe(document.body, {subtree: true, childList: true, attributes: true,
                             characterData: true});
}"""


def measure(url: str, moves: int) -> dict[str, list[float]]:
    """Per keypress, in ms: until the frontier chart (the page's first chart) last changed,
    until the last change of any chart, and until the app's run ended."""
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {"frontier": [], "every chart": [], "run ended": []}
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
        page.evaluate(WATCH_PAGE)
        thumb = page.locator(".st-key-deal_weight input[type='range']")
        for move in range(moves):
            thumb.focus()
            before = page.evaluate("performance.now()")
            thumb.press("ArrowRight" if move % 2 == 0 else "ArrowLeft")
            # The page's own time of the key event, not of the driver's call before it.
            pressed = page.evaluate("window.__keydown")
            if pressed < before:
                raise RuntimeError(f"move {move + 1}: the page saw no keypress")
            page.wait_for_function(
                "(pressed) => window.__runEnded > pressed", arg=pressed, polling=20,
                timeout=30_000,
            )  # fmt: skip
            page.wait_for_function(
                """(quiet) => performance.now() - Math.max(
                       window.__runEnded, ...Object.values(window.__readCharts())) > quiet""",
                arg=QUIET_MS, polling=20, timeout=30_000,
            )  # fmt: skip
            changed = page.evaluate("window.__readCharts()")
            frontier = changed.get("0", 0.0)
            if frontier < pressed:
                raise RuntimeError(f"move {move + 1}: the frontier chart did not change")
            times["frontier"].append(frontier - pressed)
            times["every chart"].append(max(changed.values()) - pressed)
            times["run ended"].append(page.evaluate("window.__runEnded") - pressed)
        browser.close()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=20, help="keypresses to time")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as data_dir:
        server = start_server(Path(data_dir), free_port())
        port = server.args[server.args.index("--server.port") + 1]
        try:
            times = measure(f"http://127.0.0.1:{port}", args.moves)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"bargaining weight keypress -> settled, {args.moves} moves (ms)")
    print(f"  {'':<34}{'median':>8}{'p95':>8}{'slowest':>9}")
    for label, values in (
        ("frontier chart (target < 200 ms)", times["frontier"]),
        ("every chart on the page", times["every chart"]),
        ("the app's run ended", times["run ended"]),
    ):
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        print(f"  {label:<34}{statistics.median(ordered):8.0f}{p95:8.0f}{ordered[-1]:9.0f}")
    median = statistics.median(times["frontier"])
    verdict = "met" if median <= TARGET_MS else f"missed by {median / TARGET_MS:.1f}x"
    print(f"  frontier chart: target < {TARGET_MS:.0f} ms median: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
