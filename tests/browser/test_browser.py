"""The app in headless Chromium: every page renders cleanly, and the levers move the numbers."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import NAV_LINK

pytestmark = pytest.mark.browser

TITLES = {"Overview": "Pricing & commission alignment workshop"}


def test_every_page_renders_without_an_exception_or_console_error(visit):
    links = visit.page.locator(NAV_LINK)
    count = links.count()
    assert count >= 8, f"expected the overview and seven pages in the navigation, found {count}"

    for index in range(count):
        link = visit.page.locator(NAV_LINK).nth(index)
        name = link.inner_text().strip()
        link.click()
        try:
            visit.page.locator("h1", has_text=TITLES.get(name, name)).wait_for(timeout=30_000)
            visit.settle()
            visit.page.wait_for_timeout(300)  # charts draw just after the script finishes
            visit.settle()
        except PlaywrightTimeout as error:
            pytest.fail(f"{name} was still running or untitled after 30 s: {error.message}")

        exceptions = visit.page.locator("[data-testid='stException']")
        assert exceptions.count() == 0, f"{name}: {exceptions.first.inner_text()}"
        assert visit.horizontal_overflow() == 0, f"{name} scrolls sideways at 1280 px"
        visit.screenshot(f"{index:02d}_{name.replace(' ', '_')}")

    assert visit.errors == []


def test_moving_a_price_changes_a_headline_number(visit):
    visit.page.locator(NAV_LINK, has_text="Pricing").click()
    thumb = visit.page.locator(".st-key-price_nova input[type='range']")
    thumb.wait_for(state="attached", timeout=30_000)
    visit.settle()
    before = visit.metric_value("New-product share")

    thumb.focus()
    thumb.press("End")

    share = visit.page.locator("[data-testid='stMetric']", has_text="New-product share").first
    share.locator("[data-testid='stMetricValue']").filter(
        has_not_text=re.compile(f"^{re.escape(before)}$")
    ).wait_for(timeout=30_000)
    visit.settle()
    assert visit.metric_value("New-product share") != before
    assert visit.page.locator("[data-testid='stException']").count() == 0
    assert visit.errors == []
