"""Presenting mode on a 1280 × 720 projector, in a real Chromium; the room's agenda and timer.

Every page opens with ``?present=1`` and a script walks every visible text on it: the text
nodes of the page, the values in its inputs, and the text Vega draws inside each chart's SVG
(presenting mode draws chart text as SVG even for charts whose marks go on a canvas, so chart
text is read as drawn rather than from the spec). Each must be at least 20 px, with a contrast
of at least 4.5 : 1 (WCAG relative luminance) against the colour actually behind it: the
ancestors' backgrounds laid over white, each with its alpha and the opacity above it. Tables
are drawn on a canvas, out of the script's reach: for them the check is the scale they are
drawn at. The same check on a page that is not presenting must find faults, or it checks
nothing.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from alignment.levers import with_values
from alignment.room_store import LocalRoomStore
from tests.browser.conftest import APP_IDLE, Visit
from tests.browser.test_rooms_browser import pick
from workshop_ui.library import default_scenario
from workshop_ui.presenting import MIN_CONTRAST, TABLE_PX, TEXT_PX

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PROJECTOR = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}
FOLD = PROJECTOR["height"]
LIVE_MS = 2_000
START_MS = 60_000
# Each page's address: the file name without its number; the first page is the app's root.
PAGES = [
    "" if page.stem.startswith("0_") else page.stem.split("_", 1)[1]
    for page in sorted((ROOT / "pages").glob("[0-9]*_*.py"))
]

CHARTS_DRAWN = """() => [...document.querySelectorAll("[data-testid='stVegaLiteChart']")]
    .every(chart => chart.querySelector("svg, canvas"))"""

# Every visible text on the page that is under ``minPx`` or below ``minRatio`` : 1.
TEXT_CHECK = r"""
([minPx, minRatio]) => {
  const parse = (text) => {
    const m = text.match(/rgba?\(([^)]+)\)/);
    if (!m) return text === "transparent" ? [0, 0, 0, 0] : null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, under) =>
    [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])).concat([1]);
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const ancestry = (el) => {
    const out = [];
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) out.push(e);
    return out.reverse();
  };
  // The colour behind the text at (x, y): every ancestor's background over white, each with
  // its alpha and the opacity of everything above it. Only ancestors whose box covers the
  // text count: a label drawn outside its parent (a slider's value over its thumb) stands on
  // what is behind that parent.
  const backdrop = (el, x, y) => {
    let colour = [255, 255, 255, 1];
    let opacity = 1;
    for (const e of ancestry(el)) {
      const style = getComputedStyle(e);
      opacity *= Number(style.opacity);
      const bg = parse(style.backgroundColor) || [0, 0, 0, 0];
      const box = e.getBoundingClientRect();
      const covers = x >= box.left && x <= box.right && y >= box.top && y <= box.bottom;
      if (bg[3] > 0 && covers) colour = over([bg[0], bg[1], bg[2], bg[3] * opacity], colour);
    }
    return {colour, opacity};
  };
  // Visually hidden text (for screen readers only) sits in a clipped box of a pixel or less.
  const clippedAway = (el) => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const style = getComputedStyle(e);
      const box = e.getBoundingClientRect();
      if (style.overflow !== "visible" && (box.width <= 1 || box.height <= 1)) return true;
      if (style.clip === "rect(0px, 0px, 0px, 0px)" || style.clipPath === "inset(50%)") {
        return true;
      }
    }
    return false;
  };
  const where = (el) => {
    const parts = [];
    for (let e = el; e && parts.length < 3; e = e.parentElement) {
      const id = e.getAttribute("data-testid") || e.getAttribute("class") || "";
      parts.push(e.tagName.toLowerCase() + (id ? `[${id.slice(0, 40)}]` : ""));
    }
    return parts.join(" < ");
  };
  const faults = [];
  const seen = new Set();
  let checked = 0;
  const check = (el, text, rect) => {
    if (seen.has(el)) return;
    seen.add(el);
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.visibility !== "visible" || box.width < 2 || box.height < 2) return;
    if (clippedAway(el)) return;
    const inSvg = el instanceof SVGElement;
    const px = parseFloat(style.fontSize);
    const {colour: bg, opacity} = backdrop(el, rect.left + rect.width / 2,
                                           rect.top + rect.height / 2);
    const ink = parse(inSvg ? style.fill : style.color);
    if (opacity === 0 || !ink) return;
    const alpha = ink[3] * opacity * (inSvg ? Number(style.fillOpacity) : 1);
    const contrast = ratio(over([ink[0], ink[1], ink[2], alpha], bg), bg);
    // Chart text cut off at the edge of its chart is not readable either. A text's box is its
    // line box, taller than its letters: it may stick out by the leading.
    const chart = inSvg ? el.closest("svg").getBoundingClientRect() : null;
    const slack = 0.4 * px;
    const cut = chart !== null && (rect.left < chart.left - slack ||
                                   rect.right > chart.right + slack ||
                                   rect.top < chart.top - slack ||
                                   rect.bottom > chart.bottom + slack);
    checked += 1;
    if (px < minPx - 0.01 || contrast < minRatio || cut) {
      faults.push({text: text.trim().slice(0, 50), px: Math.round(px * 10) / 10,
                   contrast: Math.round(contrast * 100) / 100, cut, where: where(el)});
    }
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest("script, style, noscript")) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rect = range.getBoundingClientRect();
    if (rect.width >= 2 && rect.height >= 2) check(el, node.textContent, rect);
  }
  const fields = "input:not([type=hidden]):not([type=file]):not([type=range])" +
                 ":not([type=checkbox]):not([type=radio]), textarea";
  for (const field of document.querySelectorAll(fields)) {
    if (field.value) check(field, field.value, field.getBoundingClientRect());
  }
  return {checked, faults};
}
"""

# Each canvas table's type size as drawn: Streamlit's small type times every zoom above it.
TABLE_SIZES = """(px) => [...document.querySelectorAll("[data-testid='stDataFrame']")].map(t => {
  let zoom = 1;
  for (let e = t; e; e = e.parentElement) zoom *= parseFloat(getComputedStyle(e).zoom) || 1;
  return px * zoom;
})"""


@pytest.fixture
def projector(browser_context, app_url):
    """A tab the size of a 1280 × 720 projector (a new session)."""
    page = browser_context.new_page()
    page.set_viewport_size(PROJECTOR)
    try:
        yield Visit(page, app_url)
    finally:
        page.close()


def show(visit: Visit, path: str, present: str = "1") -> None:
    visit.page.goto(f"{visit.url}/{path}?present={present}")
    visit.settle(timeout_ms=START_MS)
    visit.page.wait_for_function(CHARTS_DRAWN, timeout=START_MS)
    visit.settle_fully(timeout_ms=START_MS)


def text_check(page) -> dict:
    return page.evaluate(TEXT_CHECK, [TEXT_PX, MIN_CONTRAST])


@pytest.mark.parametrize("path", PAGES, ids=lambda path: path or "Overview")
def test_no_text_in_presenting_mode_is_under_20_px_or_below_4_5_to_1(projector, path):
    show(projector, path)
    found = text_check(projector.page)
    assert found["checked"] > 20, "the page showed almost no text"
    assert found["faults"] == [], "\n".join(map(str, found["faults"]))
    for size in projector.page.evaluate(TABLE_SIZES, TABLE_PX):
        assert size >= TEXT_PX, f"a table is drawn in {size:.1f} px type"
    # Opening a page by its address, Streamlit first asks for /<page>/_stcore/... (404s).
    assert [e for e in projector.errors if not e.startswith("Failed to load resource")] == []


def test_the_check_finds_small_and_faint_text_when_presenting_is_off(projector):
    show(projector, "Pricing", present="0")
    faults = text_check(projector.page)["faults"]
    assert any(f["px"] < TEXT_PX and "stCaptionContainer" in f["where"] for f in faults)
    assert any(f["contrast"] < MIN_CONTRAST and "role-axis" in f["where"] for f in faults)


KEY_CHARTS = [("Pricing", None), ("Commission_plan", "What one rep earns")]


@pytest.mark.parametrize(("path", "heading"), KEY_CHARTS)
def test_the_key_chart_is_above_the_fold_of_a_1280_by_720_projector(projector, path, heading):
    show(projector, path)
    page = projector.page
    column = page.locator("[data-testid='stColumn']", has=page.locator("h3", has_text=heading))
    chart = (column if heading else page).locator("[data-testid='stVegaLiteChart']").first
    box = chart.bounding_box()
    assert box is not None
    assert box["y"] < FOLD, f"the key chart starts {box['y']:.0f} px down"
    assert FOLD - box["y"] >= min(200, box["height"]), "too little of the key chart shows"


# -- the room ----------------------------------------------------------------------------------


def join(browser_context, app_url: str, code: str, name: str, role: str, viewport=None):
    """Another participant (another tab, another session), joined to room ``code``."""
    page = browser_context.new_page()
    if viewport:
        page.set_viewport_size(viewport)
    page.goto(f"{app_url}/Room?room={code}")
    page.wait_for_selector(APP_IDLE, timeout=START_MS)
    page.locator(".st-key-room_join_name input").fill(name)
    pick(page, ".st-key-room_join_role", role)
    page.locator(".st-key-room_join button").click()
    page.get_by_text("You joined.").wait_for(timeout=START_MS)
    page.wait_for_selector(APP_IDLE, timeout=START_MS)
    return page


def clock_seconds(page) -> int:
    text = page.locator(".room-banner .room-timer").inner_text()
    minutes, seconds = re.fullmatch(r"(\d+):(\d\d) left", text).groups()
    return int(minutes) * 60 + int(seconds)


def test_the_facilitators_agenda_and_timer_reach_another_page_within_two_seconds(
    browser_context, app_url, data_dir
):
    code = LocalRoomStore(data_dir).open_room("Big screen", default_scenario()).code
    pages = []
    try:
        facilitator = join(browser_context, app_url, code, "Fay", "Facilitator")
        pages.append(facilitator)
        screen = join(browser_context, app_url, code, "Projector", "Sales", viewport=PROJECTOR)
        pages.append(screen)
        session = re.search(r"session=([\w-]+)", screen.url).group(1)
        screen.goto(f"{app_url}/Pricing?room={code}&session={session}&present=1")
        banner = screen.locator(".room-banner")
        banner.get_by_text("Step 1 of 5 · The problem today").wait_for(timeout=START_MS)
        screen.wait_for_selector(APP_IDLE, timeout=START_MS)

        pick(facilitator, ".st-key-room_agenda", "3. Put plans on the table")
        facilitator.locator(".room-banner", has_text="Step 3 of 5").wait_for(timeout=START_MS)
        started = time.monotonic()
        banner.get_by_text("Step 3 of 5 · Put plans on the table").wait_for(timeout=LIVE_MS)
        assert time.monotonic() - started < LIVE_MS / 1000

        facilitator.locator(".st-key-room_timer_start button").click()
        facilitator.locator(".room-banner .room-timer").wait_for(timeout=START_MS)
        started = time.monotonic()
        banner.locator(".room-timer").wait_for(timeout=LIVE_MS)
        assert time.monotonic() - started < LIVE_MS / 1000
        assert 9 * 60 < clock_seconds(screen) <= 10 * 60

        # The browser counts down by itself: the same element ticks, nothing is redrawn.
        screen.evaluate("() => { document.querySelector('.room-timer').dataset.mine = 'yes'; }")
        before = clock_seconds(screen)
        screen.wait_for_timeout(2_300)
        assert before - clock_seconds(screen) >= 2
        assert screen.locator(".room-timer[data-mine='yes']").count() == 1

        # On the big screen the banner reads as well as the rest, above the price curves.
        screen.wait_for_function(CHARTS_DRAWN, timeout=START_MS)
        assert text_check(screen)["faults"] == []
        assert screen.locator("[data-testid='stVegaLiteChart']").first.bounding_box()["y"] < FOLD
    finally:
        for page in pages:
            page.close()


def test_a_participant_on_a_phone_sees_no_facilitator_controls(browser_context, app_url, data_dir):
    rooms = LocalRoomStore(data_dir)
    code = rooms.open_room("Phones", default_scenario()).code
    plan = with_values(default_scenario(), {"metadata.name": "Kicker plan"})
    key = rooms.items(code).create("proposals", plan).key
    rooms.agree(code, key)
    phone = join(browser_context, app_url, code, "Sam", "Sales", viewport=PHONE)
    try:
        phone.locator(f".st-key-vote_for_{key}").wait_for(timeout=START_MS)
        phone.get_by_text("Agreed plan").first.wait_for(timeout=START_MS)
        for control in ("room_facilitator", "room_agenda", "room_timer_minutes",
                        "room_timer_start", "room_timer_stop", f"agree_{key}", f"screen_{key}",
                        "room_close", "room_reveal"):  # fmt: skip
            assert phone.locator(f".st-key-{control}").count() == 0, control
    finally:
        phone.close()
