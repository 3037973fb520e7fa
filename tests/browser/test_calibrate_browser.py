"""Calibrate in a real browser: upload the shipped example, map, accept, and see Pricing use it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import NAV_LINK

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "data" / "deal_history_example.csv"


def reps_pick_for_nova(visit) -> str:
    visit.page.locator(NAV_LINK, has_text="Pricing").click()
    visit.page.locator("h1", has_text="Pricing").wait_for(timeout=30_000)
    visit.settle_fully()
    # Nova is the launch scenario's third product: its card is the third on the page.
    text = visit.page.locator("p", has_text="Reps would pick").nth(2).inner_text()
    return re.sub(r"\s+", " ", text)


def test_uploading_the_example_and_accepting_a_fit_changes_the_pricing_page(visit):
    before = reps_pick_for_nova(visit)

    visit.page.locator(NAV_LINK).nth(1).click()
    visit.page.locator("h1", has_text="Calibrate").wait_for(timeout=30_000)
    assert visit.page.url.split("?")[0].endswith("/Calibrate")
    visit.settle_fully()
    visit.page.locator(".st-key-calibrate_upload input[type='file']").set_input_files(EXAMPLE)
    visit.page.locator(".st-key-calibrate_apply button").first.wait_for(timeout=60_000)
    visit.settle_fully()

    visit.page.get_by_text("Products in the file").click()
    nova_box = visit.page.locator(".st-key-calibrate_map_2")
    shown = (nova_box.text_content() or "") + " ".join(
        box.input_value() for box in nova_box.locator("input").all()
    )
    assert "Nova (new)" in shown, shown
    pro_choice = visit.page.locator(".st-key-calibrate_choice_pro")
    pro_choice.locator("button", has_text="Prior").click()
    visit.settle_fully()
    nova_fitted = visit.page.locator(".st-key-calibrate_choice_nova button", has_text="Fitted")
    assert nova_fitted.get_attribute("aria-checked") == "true" or "Active" in (
        nova_fitted.evaluate("b => b.outerHTML + b.parentElement.outerHTML")
    ), nova_fitted.evaluate("b => b.outerHTML")
    visit.screenshot("calibrate_example")
    visit.page.locator(".st-key-calibrate_apply button").first.click()
    visit.page.locator("[data-testid='stAlertContentSuccess']").wait_for(timeout=30_000)
    visit.settle_fully()
    assert visit.page.locator("[data-testid='stException']").count() == 0

    after = reps_pick_for_nova(visit)
    assert after != before, f"the Pricing page still shows {before!r}"
    assert visit.errors == []
