"""Several participants at once: each browser moves its own levers and sees only its own work.

Three people open the app at the same time (three tabs, three sessions on one server) and move
prices and commission on their own pages in interleaved bursts. Each page then shows its own
values, each autosave holds exactly its own session's values, and a proposal one person saves
is on the table for the others.
"""

from __future__ import annotations

import time

import pytest

from alignment.storage import LocalFolderStore
from tests.browser.conftest import NAV_LINK

pytestmark = pytest.mark.browser

APP_IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
PEOPLE = 3


def test_three_participants_moving_levers_at_once_each_keep_their_own_work(open_visit, data_dir):
    visits = [open_visit() for _ in range(PEOPLE)]
    for visit in visits:
        visit.page.locator(NAV_LINK, has_text="Pricing").click()
        visit.page.locator(".st-key-price_nova input[type='range']").wait_for(
            state="attached", timeout=30_000
        )
        visit.settle_fully()
    ids = [visit.session_id() for visit in visits]
    assert len(set(ids)) == PEOPLE

    # Interleaved rounds: person n presses → n+2 times on Nova and ← n+1 times on Pro; within a
    # round all three sessions are busy at once. (Bursts on one page: test_rapid_input.py.)
    for press in range(PEOPLE + 2):
        for n, visit in enumerate(visits):
            if press < n + 2:
                visit.page.locator(".st-key-price_nova input[type='range']").press("ArrowRight")
            if press < n + 1:
                visit.page.locator(".st-key-price_pro input[type='range']").press("ArrowLeft")
        for visit in visits:
            visit.settle_fully()

    store = LocalFolderStore(data_dir)
    novas = []
    for n, visit in enumerate(visits):
        working, status_quo = store.load_draft(visit.session_id())
        nova_step = float(
            visit.page.locator(".st-key-price_nova input[type='range']").get_attribute("step")
        )
        pro_step = float(
            visit.page.locator(".st-key-price_pro input[type='range']").get_attribute("step")
        )
        expected_nova = status_quo.product("nova").price + (n + 2) * nova_step
        expected_pro = status_quo.product("pro").price - (n + 1) * pro_step
        # On a busy machine the last press may still be on its way when the page first looks
        # idle: wait (bounded) for the autosave to hold it; a lost press never arrives.
        deadline = time.monotonic() + 20
        while working.product("nova").price != pytest.approx(expected_nova) or (
            working.product("pro").price != pytest.approx(expected_pro)
        ):
            if time.monotonic() > deadline:
                break
            visit.settle_fully()
            working, _ = store.load_draft(visit.session_id())
        assert working.product("nova").price == pytest.approx(expected_nova)
        assert working.product("pro").price == pytest.approx(expected_pro)
        shown = visit.page.locator(".st-key-price_nova input[type='range']").input_value()
        assert float(shown) == pytest.approx(expected_nova)
        assert visit.page.locator("[data-testid='stException']").count() == 0
        assert visit.errors == []
        novas.append(expected_nova)
    assert len(set(novas)) == PEOPLE  # nobody's price leaked into another session

    # One person proposes; the others see it on the table when they open Compromise.
    first = visits[0]
    first.page.locator(NAV_LINK, has_text="Compromise").click()
    first.page.locator(".st-key-proposal_title input").wait_for(timeout=90_000)
    first.settle_fully(timeout_ms=90_000)
    first.page.locator(".st-key-proposal_title input").fill("Person one's plan")
    first.page.locator(".st-key-proposal_save button").click()
    first.page.get_by_text("Saved the proposal").wait_for(timeout=30_000)
    for other in visits[1:]:
        other.page.locator(NAV_LINK, has_text="Compromise").click()
        # The table draws on a canvas; its cells are kept, hidden, for screen readers.
        other.page.get_by_text("Person one's plan").first.wait_for(state="attached", timeout=90_000)
