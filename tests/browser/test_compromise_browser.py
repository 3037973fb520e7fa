"""The Compromise page in headless Chromium: propose, search, look closer and adopt the deal."""

from __future__ import annotations

import pytest

from tests.browser.conftest import NAV_LINK

pytestmark = pytest.mark.browser

CHART = ".st-key-compromise_frontier [data-testid='stVegaLiteChart']"
# Points inside the plotted cloud, as fractions of the chart's width and height (the axes sit
# left and below, the legend at the bottom).
CLOUD_SPOTS = [(0.45, 0.40), (0.40, 0.45), (0.50, 0.35), (0.35, 0.50), (0.55, 0.45)]


def open_compromise(visit):
    visit.page.locator(NAV_LINK, has_text="Compromise").click()
    visit.page.locator("h1", has_text="Compromise").wait_for(timeout=30_000)
    settle_with_chart(visit)


def settle_with_chart(visit):
    # The first search samples and optimises every deal: allow for a slow, shared machine.
    visit.settle(timeout_ms=90_000)
    visit.page.locator(f"{CHART} canvas, {CHART} svg").first.wait_for(timeout=60_000)
    visit.page.wait_for_timeout(300)  # the chart draws just after the script finishes
    visit.settle(timeout_ms=90_000)


def click(visit, key: str) -> None:
    visit.page.locator(f".st-key-{key} button").first.click()
    visit.page.wait_for_timeout(200)
    visit.settle(timeout_ms=90_000)
    # Elements of the previous run linger, marked stale, until the new run replaces them.
    visit.page.locator("[data-stale='true']").first.wait_for(state="detached", timeout=30_000)


def assert_clean(visit) -> None:
    exceptions = visit.page.locator("[data-testid='stException']")
    assert exceptions.count() == 0, exceptions.first.inner_text()
    assert visit.errors == []


def test_propose_search_and_adopt_the_deal(visit):
    page = visit.page
    open_compromise(visit)

    page.locator(".st-key-proposal_title input").fill("Nova at 650 with a kicker")
    page.locator(".st-key-proposal_author input").fill("Dana <CMO>")
    page.locator(".st-key-proposal_rationale textarea").fill("Win share; pay reps to sell it.")
    click(visit, "proposal_save")
    page.get_by_text("On the table (1)").wait_for(timeout=30_000)
    assert page.locator("[data-testid='stAlert']", has_text="Saved the proposal").count() == 1

    click(visit, "compromise_search")
    settle_with_chart(visit)
    assert page.get_by_text("Nash bargaining deal, from the status quo").count() == 1

    click(visit, "deal_adopt")
    page.get_by_text("it is now the working scenario").first.wait_for(timeout=30_000)
    sidebar = page.locator("[data-testid='stSidebar']")
    assert "Nash bargaining deal" in sidebar.inner_text()
    assert_clean(visit)
    visit.screenshot("compromise")


def test_hovering_shows_a_plan_and_a_clicked_plan_can_become_the_working_one(visit):
    page = visit.page
    open_compromise(visit)
    page.locator(CHART).scroll_into_view_if_needed()
    box = page.locator(CHART).bounding_box()
    assert box is not None

    picked = False
    for fx, fy in CLOUD_SPOTS:
        page.mouse.move(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
        tooltip = page.locator("#vg-tooltip-element")
        page.wait_for_timeout(400)
        if not tooltip.is_visible():
            continue  # between two dots: try the next spot
        assert "Nova (new) price" in tooltip.inner_text()
        assert "Earnings less the cost of effort" in tooltip.inner_text()
        assert "Leadership's value" in tooltip.inner_text()
        page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
        page.get_by_text("Picked plan").wait_for(timeout=30_000)
        visit.settle(timeout_ms=60_000)
        picked = True
        break

    assert picked, "no candidate under any of the tried spots of the cloud"
    visit.screenshot("compromise_picked")
    click(visit, "picked_adopt")
    page.get_by_text("it is now the working scenario").first.wait_for(timeout=30_000)
    assert "Picked plan" in page.locator("[data-testid='stSidebar']").inner_text()
    assert_clean(visit)


def sent_texts(frames: list) -> list[str]:
    """The headings, Markdown and slider labels the server sent in these websocket frames, in
    order."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    texts = []
    for payload in frames:
        if not isinstance(payload, bytes):
            continue
        message = ForwardMsg()
        message.ParseFromString(payload)
        if message.WhichOneof("type") != "delta":
            continue
        element = message.delta.new_element
        kind = element.WhichOneof("type")
        if kind in ("heading", "markdown"):
            texts.append(getattr(element, kind).body)
        elif kind == "slider":
            texts.append(element.slider.label)
    return texts


def test_a_weight_move_redraws_the_deal_and_leaves_the_rest_of_the_page(visit):
    # The outcome (chart, deal, how sure) runs on its own: the proposals and the report are
    # not sent again, so a room moving the weight is not slowed by the rest of the page.
    page = visit.page
    frames: list = []
    page.on("websocket", lambda socket: socket.on("framereceived", lambda f: frames.append(f)))
    page.goto(visit.url)  # a new session, watched from its first message
    visit.settle()
    open_compromise(visit)
    assert "1. Proposals" in sent_texts(frames)
    frames.clear()

    page.locator(".st-key-deal_weight input[type='range']").press("ArrowRight")
    page.wait_for_timeout(300)
    visit.settle_fully(timeout_ms=90_000)

    sent = sent_texts(frames)
    assert "3. The suggested deal" in sent and "4. How sure are we?" in sent
    assert any(text.startswith("**Weighted Nash deal**, from the status quo") for text in sent)
    assert "1. Proposals" not in sent and "5. Workshop report" not in sent
    # The ranges of section 4 do not move with the weight, so they are not sent again.
    assert "Leadership's bargaining weight" in sent and "Habit, ± points" not in sent
    assert_clean(visit)
