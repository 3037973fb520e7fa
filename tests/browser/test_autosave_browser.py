"""No work lost in a real browser: a refresh, even after moving between pages, restores it."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import NAV_LINK

pytestmark = pytest.mark.browser

APP_IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def test_a_price_move_survives_page_switches_and_a_refresh(visit):
    page = visit.page
    page.locator(NAV_LINK, has_text="Pricing").click()
    thumb = page.locator(".st-key-price_nova input[type='range']")
    thumb.wait_for(state="attached", timeout=30_000)
    visit.settle()
    before = visit.metric_value("New-product share")

    thumb.focus()
    thumb.press("End")
    # Wait on the share tile itself: any other tile already differs from the share's text.
    share = page.locator("[data-testid='stMetric']", has_text="New-product share").first
    share.locator("[data-testid='stMetricValue']").filter(
        has_not_text=re.compile(f"^{re.escape(before)}$")
    ).wait_for(timeout=30_000)
    visit.settle_fully()
    moved = visit.metric_value("New-product share")
    assert moved != before

    page.locator(NAV_LINK, has_text="Outcomes").click()
    page.locator("h1", has_text="Outcomes").wait_for(timeout=30_000)
    visit.settle()
    page.wait_for_url(re.compile(r"[?&]session=[A-Za-z0-9_-]{40}"), timeout=10_000)

    failed_requests: list[str] = []
    page.on("response", lambda r: failed_requests.append(r.url) if r.status >= 400 else None)
    page.reload()
    page.locator("h1", has_text="Outcomes").wait_for(timeout=30_000)
    visit.settle()
    page.locator(NAV_LINK, has_text="Pricing").click()
    page.locator("h1", has_text="Pricing").wait_for(timeout=30_000)
    visit.settle()

    assert visit.metric_value("New-product share") == moved
    sidebar = page.locator("[data-testid='stSidebar']")
    assert sidebar.get_by_text("Changed from the status quo").count() == 1
    assert sidebar.get_by_text("Saved").count() >= 1
    assert page.locator("[data-testid='stException']").count() == 0
    # Opened at /Outcomes, Streamlit's front end first probes /Outcomes/_stcore/ for its server
    # before falling back to the root; those two 404s are its own, and the only ones allowed.
    assert all(
        re.search(r"/Outcomes/_stcore/(host-config|health)$", url) for url in failed_requests
    ), failed_requests
    assert [e for e in visit.errors if "status of 404" not in e] == []


def test_a_second_browser_on_the_same_address_works_on_its_own_copy(visit, browser_context):
    first_id = visit.session_id()
    other = browser_context.new_page()
    try:
        other.goto(visit.page.url)
        other.wait_for_selector(APP_IDLE, timeout=30_000)
        other.wait_for_url(re.compile(r"[?&]session="), timeout=10_000)
        other.get_by_text("open in another browser").first.wait_for(timeout=30_000)
        second_id = re.search(r"session=([A-Za-z0-9_-]+)", other.url).group(1)
        assert second_id != first_id
    finally:
        other.close()

    # The first browser keeps its address, and a refresh is not mistaken for a second browser.
    visit.page.reload()
    visit.settle_fully()
    assert visit.session_id() == first_id
    assert visit.page.get_by_text("open in another browser").count() == 0


def test_an_address_with_a_made_up_session_id_starts_a_new_session(visit):
    made_up = "A" * 40
    visit.page.goto(f"{visit.url}/?session={made_up}")
    visit.settle_fully()
    visit.page.get_by_text("this server did not start").first.wait_for(timeout=30_000)
    assert visit.session_id() != made_up
