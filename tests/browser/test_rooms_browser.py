"""Rooms in a real browser: several participants, each in a browser context of their own.

Every participant is a separate Chromium context (own cookies, storage and Streamlit session)
on one server. The rooms are opened in the server's data folder; everything after that (joining,
proposing, voting, the screen) is done by clicking. Nothing waits a fixed time: each step waits
for what it expects, with a timeout.

Playwright's sync API allows one instance per thread and ``conftest.browser_context`` may hold
one already, so these tests drive their own Chromium from a worker thread.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from alignment.levers import with_values
from alignment.room_store import LocalRoomStore
from workshop_ui.library import default_scenario

pytestmark = pytest.mark.browser

APP_IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
LIVE_MS = 2_000  # the room must show a change within 2 s, without a click
START_MS = 60_000
ROLE_LABELS = {"leadership": "Leadership", "sales": "Sales", "marketing": "Marketing",
               "facilitator": "Facilitator"}  # fmt: skip


@pytest.fixture
def in_browser(chromium) -> Callable[[Callable[[Any], None]], None]:
    """Run ``scenario(browser)`` against a Chromium of its own, on a worker thread."""

    def run(scenario: Callable[[Any], None]) -> None:
        def body() -> None:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS
                )
                try:
                    scenario(browser)
                finally:
                    browser.close()

        with ThreadPoolExecutor(1) as pool:
            pool.submit(body).result()

    return run


@pytest.fixture
def rooms(data_dir) -> LocalRoomStore:
    return LocalRoomStore(data_dir)


def open_room(rooms: LocalRoomStore, name: str, *, revealed: bool = False) -> str:
    code = rooms.open_room(name, default_scenario()).code
    if revealed:
        rooms.reveal_tally(code, True)
    return code


def plan(title: str, nova_price: float):
    scenario = with_values(default_scenario(), {"metadata.name": title})
    products = [p.model_copy(update={"price": nova_price}) if p.id == "nova" else p
                for p in scenario.products]  # fmt: skip
    return scenario.model_copy(update={"products": products})


def join(browser, app_url: str, code: str, name: str, role: str):
    """A new participant in a context of their own, joined to room ``code``."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{app_url}/Room?room={code}")
    page.wait_for_selector(APP_IDLE, timeout=START_MS)
    page.locator(".st-key-room_join_name input").fill(name)
    pick(page, ".st-key-room_join_role", ROLE_LABELS[role])
    page.locator(".st-key-room_join button").click()
    page.get_by_text("You joined.").wait_for(timeout=START_MS)
    return page


def pick(page, selectbox: str, option: str, attempts: int = 5) -> None:
    """Choose ``option``; a live rerun may close the list as it opens, so open it again."""
    for _ in range(attempts):
        page.wait_for_selector(APP_IDLE, timeout=START_MS)
        page.locator(selectbox).click()
        choice = page.get_by_role("option", name=option, exact=True)
        try:
            choice.wait_for(timeout=3_000)
            choice.click(timeout=3_000)
        except PlaywrightTimeout:
            continue
        box = page.locator(selectbox)
        if option in box.inner_text() or option in _input_values(box):
            return
    raise AssertionError(f"could not pick {option!r} in {selectbox}")


def _input_values(box) -> str:
    return " ".join(field.input_value() for field in box.locator("input").all())


def card(page, key: str):
    return page.locator(f".st-key-card_{key}")


def propose(page, title: str) -> None:
    form = page.locator(".st-key-proposal_title input")
    if not form.is_visible():
        page.get_by_text("Put your working plan on the table").click()
    form.fill(title)
    page.locator(".st-key-proposal_save button").click()
    page.get_by_text("Saved the proposal").wait_for(timeout=START_MS)


def test_two_rooms_never_see_each_others_proposals_or_votes(in_browser, app_url, rooms):
    a, b = open_room(rooms, "Room A", revealed=True), open_room(rooms, "Room B", revealed=True)

    def scenario(browser) -> None:
        alice = join(browser, app_url, a, "Alice", "sales")
        bob = join(browser, app_url, b, "Bob", "leadership")
        propose(alice, "Alpha plan")
        propose(bob, "Beta plan")
        (alpha,) = rooms.items(a).list("proposals")
        (beta,) = rooms.items(b).list("proposals")
        bob.locator(f".st-key-vote_for_{beta.key} button").click()
        bob.get_by_text("Your vote: for").wait_for(timeout=START_MS)
        for page in (alice, bob):
            page.wait_for_selector(APP_IDLE, timeout=START_MS)
        assert alice.get_by_text("Beta plan").count() == 0
        assert bob.get_by_text("Alpha plan").count() == 0
        assert card(alice, beta.key).count() == 0 and card(bob, alpha.key).count() == 0
        assert "Leadership 0 for" in card(alice, alpha.key).inner_text()
        assert rooms.tallies(a) == {}

        # Alice edits the address: another room's code, then one that does not exist.
        alice.goto(re.sub(r"room=[A-Z0-9]+", f"room={b}", alice.url))
        alice.locator(".st-key-room_join_name").wait_for(timeout=START_MS)
        alice.wait_for_selector(APP_IDLE, timeout=START_MS)
        assert alice.get_by_text("Beta plan").count() == 0
        assert alice.locator(f".st-key-vote_for_{beta.key}").count() == 0
        alice.goto(re.sub(r"room=[A-Z0-9]+", "room=ZZZZZZ", alice.url))
        alice.get_by_text("no room has the code ZZZZZZ").wait_for(timeout=START_MS)
        assert alice.get_by_text("Beta plan").count() == 0

    in_browser(scenario)


def test_a_proposal_appears_on_another_screen_within_two_seconds(in_browser, app_url, rooms):
    code = open_room(rooms, "Live")

    def scenario(browser) -> None:
        proposer = join(browser, app_url, code, "Pat", "sales")
        watcher = join(browser, app_url, code, "Wen", "leadership")
        watcher.wait_for_selector(APP_IDLE, timeout=START_MS)
        assert watcher.get_by_text("On the table (0)").count() == 1
        propose(proposer, "Nova kicker plan")
        started = time.monotonic()
        watcher.get_by_text("On the table (1)").wait_for(timeout=LIVE_MS)
        watcher.get_by_text("Nova kicker plan").first.wait_for(timeout=LIVE_MS)
        assert time.monotonic() - started < LIVE_MS / 1000

    in_browser(scenario)


def test_votes_tally_by_role_on_every_screen(in_browser, app_url, rooms):
    code = open_room(rooms, "Votes", revealed=True)
    key = rooms.items(code).create("proposals", plan("Nova at 620", 620)).key

    def scenario(browser) -> None:
        screen = join(browser, app_url, code, "Big screen", "marketing")
        voters = [
            (join(browser, app_url, code, "Lin", "leadership"), "for"),
            (join(browser, app_url, code, "Sam", "sales"), "for"),
            (join(browser, app_url, code, "Sue", "sales"), "against"),
        ]
        for page, choice in voters:
            page.locator(f".st-key-vote_{choice}_{key} button").click()
            page.get_by_text(f"Your vote: {choice}").wait_for(timeout=START_MS)
        expected = "Leadership 1 for · 0 against | Sales 1 for · 1 against"
        screen.wait_for_function(
            "([sel, text]) => document.querySelector(sel)?.innerText.includes(text)",
            arg=[f".st-key-card_{key}", expected], timeout=LIVE_MS * 2,
        )  # fmt: skip
        assert "Marketing 0 for · 0 against" in card(screen, key).inner_text()
        # Sue changes her mind: one vote each, so sales now lean for and both sides agree.
        sue = voters[2][0]
        sue.locator(f".st-key-vote_for_{key} button").click()
        card(screen, key).get_by_text("Both sides agree").wait_for(timeout=START_MS)
        assert rooms.tallies(code)[key].count("sales", "for") == 2

    in_browser(scenario)


def test_the_facilitators_on_screen_choice_follows_on_the_big_screen(in_browser, app_url, rooms):
    code = open_room(rooms, "Screen")
    first = rooms.items(code).create("proposals", plan("First plan", 610)).key
    second = rooms.items(code).create("proposals", plan("Second plan", 640)).key

    def scenario(browser) -> None:
        facilitator = join(browser, app_url, code, "Fay", "facilitator")
        screen = join(browser, app_url, code, "Projector", "marketing")
        big = screen.locator(".st-key-card_screen")
        assert big.count() == 0
        for key, title in ((first, "First plan"), (second, "Second plan")):
            facilitator.locator(f".st-key-screen_{key} button").click()
            facilitator.locator(".st-key-card_screen").get_by_text(title).wait_for(timeout=START_MS)
            started = time.monotonic()
            big.get_by_text(title).wait_for(timeout=LIVE_MS)
            assert time.monotonic() - started < LIVE_MS / 1000
        assert "Nova (new) price $600 → $640" in big.inner_text()

    in_browser(scenario)
