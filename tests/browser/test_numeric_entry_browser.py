"""On a phone (390 × 844) a price can be typed: the number input under each price slider sets the
same price the slider does, the page follows, and the slider and the input stay in step.

Also the currency: a scenario in euros shows euros on its charts (read from a chart's tooltip;
the axes are drawn on a canvas).
"""

from __future__ import annotations

import pytest

from alignment.levers import with_value
from alignment.storage import LocalFolderStore
from tests.browser.conftest import NAV_LINK
from workshop_ui import library

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SLIDER = "input[type='range']"
NUMBER = "input[type='number']"
CHART = "[data-testid='stVegaLiteChart']"
TOOLTIP = "#vg-tooltip-element"


def open_on_phone(visit, title: str, session: str | None = None):
    """The page titled ``title`` at phone size, in the visit's session or in ``session``.

    The page is reached through the navigation, as a person does: opening a page's own address
    makes Streamlit probe ``/<page>/_stcore/...`` first, which the console reports as errors.
    """
    if session is not None:
        visit.page.goto(f"{visit.url}/?session={session}")
        visit.settle()
    visit.page.locator(NAV_LINK, has_text=title).click()
    visit.page.locator("h1", has_text=title).wait_for(timeout=30_000)
    visit.page.set_viewport_size(PHONE)
    visit.settle_fully()
    return visit.page


def nova_price_in_autosave(visit, data_dir) -> float:
    working, _ = LocalFolderStore(data_dir).load_draft(visit.session_id())
    return working.product("nova").price


def test_a_typed_price_moves_the_page_and_the_slider_then_the_slider_moves_the_input(
    visit, data_dir
):
    page = open_on_phone(visit, "Pricing")
    entry = page.locator(f".st-key-price_nova_entry {NUMBER}")
    slider = page.locator(f".st-key-price_nova {SLIDER}")
    entry.scroll_into_view_if_needed()
    share_before = visit.metric_value("New-product share")
    nova_chart = page.locator(CHART).nth(2)  # the products' curves, in the scenario's order
    chart_before = nova_chart.screenshot()
    box = entry.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]  # fits the phone
    assert entry.get_attribute("aria-label") == "Nova (new) price ($)"  # its label, hidden

    entry.fill("655")
    entry.press("Enter")
    visit.settle_fully()

    assert float(slider.input_value()) == 655
    assert nova_price_in_autosave(visit, data_dir) == 655
    assert visit.metric_value("New-product share") != share_before  # dearer Nova, less share
    assert nova_chart.screenshot() != chart_before  # the current-price marker moved

    step = float(slider.get_attribute("step"))
    slider.focus()
    for _ in range(3):
        page.keyboard.press("ArrowLeft")
    visit.settle_fully()

    assert float(entry.input_value()) == pytest.approx(655 - 3 * step)
    assert nova_price_in_autosave(visit, data_dir) == pytest.approx(655 - 3 * step)
    assert page.locator("[data-testid='stException']").count() == 0
    assert visit.errors == []


def test_a_typed_price_outside_the_range_is_refused_and_changes_nothing(visit, data_dir):
    page = open_on_phone(visit, "Pricing")
    entry = page.locator(f".st-key-price_nova_entry {NUMBER}")
    before = nova_price_in_autosave(visit, data_dir)

    entry.fill("5000")
    entry.press("Enter")
    visit.settle_fully()

    problem = page.get_by_text("is outside the allowed range").first
    problem.wait_for(timeout=10_000)
    assert "Nova (new) price ($): 5000 is outside the allowed range 450 to 800" in (
        problem.inner_text()
    )
    assert float(entry.input_value()) == before
    assert float(page.locator(f".st-key-price_nova {SLIDER}").input_value()) == before
    assert nova_price_in_autosave(visit, data_dir) == before


def test_a_euro_scenarios_price_chart_shows_euros(visit, data_dir):
    in_euros = with_value(library.default_scenario(), "metadata.currency", "EUR")
    session = "numeric-entry-euro-session-01"
    LocalFolderStore(data_dir).save_draft(session, in_euros, in_euros)
    page = open_on_phone(visit, "Pricing", session)
    assert page.locator(".st-key-price_nova [data-testid='stWidgetLabel']").inner_text() == (
        "Price (€ per unit)"
    )

    chart = page.locator(CHART).nth(2)
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box is not None
    shown = ""
    # Sweep across the middle of the plot until a tooltip shows (the price markers span it).
    for step in range(160):
        page.mouse.move(box["x"] + box["width"] * (0.1 + step * 0.005), box["y"] + 120)
        tooltip = page.locator(TOOLTIP)
        if tooltip.count() and tooltip.is_visible() and "Price" in tooltip.inner_text():
            shown = tooltip.inner_text()
            break
    assert "€" in shown, f"no tooltip in euros over the price chart: {shown!r}"
    assert "$" not in shown


def test_a_burst_on_a_slider_leaves_the_input_beside_it_showing_the_same_rate(visit, data_dir):
    """Each move sends the new rate to the input, and until the browser has drawn it, the
    input's old value rides along with the next move: that echo must not undo the moves."""
    page = open_on_phone(visit, "Commission plan")
    slider = page.locator(f".st-key-margin_rate {SLIDER}")
    entry = page.locator(f".st-key-margin_rate_entry {NUMBER}")
    before, step = float(slider.input_value()), float(slider.get_attribute("step"))

    slider.focus()
    for _ in range(7):
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(30)
    visit.settle_fully()

    working, _ = LocalFolderStore(data_dir).load_draft(visit.session_id())
    assert float(slider.input_value()) == pytest.approx(before + 7 * step)
    assert float(entry.input_value()) == pytest.approx(before + 7 * step)
    assert 100 * working.commission.margin_rate == pytest.approx(before + 7 * step)
    assert visit.errors == []
