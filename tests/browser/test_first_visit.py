"""The first visit to a fresh process, by a page's own address, runs through app.py.

Streamlit serves ``pages/`` on its own until a session has run app.py's navigation; the first
person in by a shared link or a Room QR code then got the page without app.py (its setup, its
navigation). Each test here starts a process of its own, so its visit is that process's first.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import NAV_LINK, Visit, serve_app

APP_ORDER = [
    "Overview", "Calibrate", "Goals", "Pricing", "Commission plan", "Outcomes", "Marketing",
    "Scenarios", "Compromise", "Room",
]  # fmt: skip


PROBES = ("health", "host-config")
FAILED_LOAD = "Failed to load resource"


@pytest.mark.parametrize("address", ["Compromise", "Room?room=first-visit"])
def test_a_first_visit_by_a_page_address_gets_the_apps_navigation_and_that_page(
    address: str, chromium: Path, browser_context, tmp_path: Path
) -> None:
    with serve_app(tmp_path, tmp_path / "workshop_data") as url:
        page = browser_context.new_page()
        failed: list[str] = []
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        try:
            visit = Visit(page, f"{url}/{address}").open()
            page.wait_for_selector(NAV_LINK)
            names = [name.strip() for name in page.locator(NAV_LINK).all_inner_texts()]
            assert names == APP_ORDER
            assert page.locator("h1").first.inner_text().strip() == address.split("?")[0]
            assert not page.locator("[data-testid='stException']").count()
            # Streamlit's page looks for its server under the page's own path first, and those
            # two probes fail on every visit by a page address; nothing else may.
            probes = [f"{url}/{address.split('?')[0]}/_stcore/{end}" for end in PROBES]
            assert set(failed) <= set(probes)
            assert [e for e in visit.errors if not e.startswith(FAILED_LOAD)] == []
        finally:
            page.close()
