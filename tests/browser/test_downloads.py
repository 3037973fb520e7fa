"""Every download button delivers its own file, on the first click, whatever the order."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from alignment import load_scenario
from alignment.storage import LocalFolderStore
from tests.browser.conftest import NAV_LINK

pytestmark = pytest.mark.browser

REPORT_BUTTONS = ("report_pdf", "report_html", "report_markdown", "report_xlsx", "report_yaml")
# Every button first, last and in between across the orders, each in a fresh session.
ORDERS = [
    REPORT_BUTTONS,
    tuple(reversed(REPORT_BUTTONS)),
    ("report_xlsx", "report_yaml", "report_pdf", "report_markdown", "report_html"),
]


def open_page(visit, title: str, ready: str) -> None:
    visit.page.locator(NAV_LINK, has_text=title).click()
    visit.page.locator("h1", has_text=title).wait_for(timeout=30_000)
    visit.page.locator(ready).wait_for(timeout=90_000)
    visit.settle_fully(timeout_ms=90_000)


def download(visit, key: str) -> tuple[str, bytes]:
    """Click the download button ``key`` once; the file's name and bytes."""
    button = visit.page.locator(f".st-key-{key} button")
    with visit.page.expect_download(timeout=15_000) as started:
        button.click()
    file = started.value
    assert file.failure() is None, f"{key}: {file.failure()}"
    return file.suggested_filename, file.path().read_bytes()


def check_report_file(key: str, name: str, body: bytes, working) -> None:
    if key == "report_pdf":
        assert name.endswith(".pdf"), name
        assert body.startswith(b"%PDF-"), body[:20]
        return
    if key == "report_xlsx":
        assert name.endswith(".xlsx"), name
        book = load_workbook(io.BytesIO(body))
        assert book.sheetnames == ["Summary", "Outcomes per product", "Proposals", "Assumptions"]
        return
    text = body.decode("utf-8")
    if key == "report_html":
        assert name.endswith(".html"), name
        assert text.lstrip().lower().startswith("<!doctype html"), text[:80]
        assert "Executive summary" in text
    elif key == "report_markdown":
        assert name.endswith(".md"), name
        assert text.startswith("# Workshop agreement") and "<html" not in text.lower(), text[:80]
    else:
        assert name.endswith(".yaml"), name
        assert load_scenario(body) == working


@pytest.mark.parametrize("order", ORDERS)
def test_each_report_button_delivers_its_own_file_on_the_first_click(visit, data_dir, order):
    # ``visit`` is a new tab, so a new session: the first click on each button is a first.
    open_page(visit, "Compromise", ".st-key-report_yaml button")
    working, _ = LocalFolderStore(data_dir).load_draft(visit.session_id())
    assert visit.page.locator(".st-key-report_pdf").count() == 0  # written only when asked
    visit.page.locator(".st-key-write_report button").click()
    visit.page.locator(".st-key-report_pdf button").wait_for(timeout=90_000)
    visit.settle_fully(timeout_ms=90_000)

    for key in order:
        name, body = download(visit, key)
        check_report_file(key, name, body, working)

    assert visit.page.locator("[data-testid='stException']").count() == 0
    assert visit.errors == []


def test_the_scenarios_page_downloads_the_working_scenario(visit, data_dir):
    open_page(visit, "Scenarios", ".st-key-download_scenario button")
    working, _ = LocalFolderStore(data_dir).load_draft(visit.session_id())

    name, body = download(visit, "download_scenario")

    assert name.endswith(".yaml")
    assert load_scenario(body) == working
    assert visit.errors == []
