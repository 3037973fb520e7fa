"""User text renders literally in a real browser: no links, markup or emoji, and nothing hidden.

One small Streamlit app shows every text of ``tests/test_safe_text.py`` through the helpers the
pages use: hostile text must show as typed, everyday text must copy as typed (no invisible word
joiners), and a widget label must read to a screen reader exactly as the name.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_safe_text import DEAL_SENTENCE, HOSTILE_TEXTS, PLAIN_TEXTS, WORD_JOINER

ROOT = Path(__file__).resolve().parents[2]
EVERYDAY_TEXTS = [*PLAIN_TEXTS, DEAL_SENTENCE]
LABEL_NAMES = ["Nova (new)", "Analyser Pro, 2nd gen.", "Q3 2026 – plan B.", "R&D 10:30"]
HOSTILE_LABELS = [
    "**Nova** _new_ `x`",
    "[Nova](https://evil.example) ![x](y.png)",
    ":red[Nova] :smile: :material/home: $x$",
    "- Nova -> Pro www.evil.example me@evil.example",
    "# 2026. Nova > Pro",
]

APP = """
import sys
sys.path.insert(0, {root!r})
import streamlit as st
from alignment.safe_text import markdown_label, markdown_literal
for group, texts in (("text", {hostile!r}), ("plain", {everyday!r})):
    for i, text in enumerate(texts):
        with st.container(key=f"{{group}}{{i}}"):
            st.markdown(markdown_literal(text))
for group, names in (("label", {labels!r}), ("hostile_label", {hostile_labels!r})):
    for i, name in enumerate(names):
        st.number_input(markdown_label(name), key=f"{{group}}{{i}}")
"""
APP_IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def page(browser_context, tmp_path_factory) -> Iterator:
    """The app above, served on a free port and open in one tab; stopped by its process id."""
    folder = tmp_path_factory.mktemp("literal_text")
    app = folder / "app.py"
    app.write_text(
        APP.format(
            root=str(ROOT), hostile=HOSTILE_TEXTS, everyday=EVERYDAY_TEXTS,
            labels=LABEL_NAMES, hostile_labels=HOSTILE_LABELS,
        ),
        encoding="utf-8",
    )  # fmt: skip
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless=true",
         f"--server.port={port}", "--browser.gatherUsageStats=false"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=folder,
    )  # fmt: skip
    tab = browser_context.new_page()
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                tab.goto(f"http://127.0.0.1:{port}")
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        tab.wait_for_selector(f".st-key-hostile_label{len(HOSTILE_LABELS) - 1}", timeout=60_000)
        tab.wait_for_selector(APP_IDLE, timeout=60_000)
        yield tab
    finally:
        tab.close()
        server.terminate()
        server.wait(timeout=30)


def shown_markdown(page, key: str):
    return page.locator(f".st-key-{key} [data-testid='stMarkdownContainer']")


@pytest.mark.browser
@pytest.mark.parametrize("index", range(len(HOSTILE_TEXTS)))
def test_streamlit_renders_hostile_text_literally_with_no_links_or_markup(page, index):
    text = HOSTILE_TEXTS[index]
    shown = shown_markdown(page, f"text{index}")
    html = shown.inner_html()
    assert set(re.findall(r"<(\w+)", html)) <= {"p", "br"}, text
    rendered = shown.inner_text().replace(WORD_JOINER, "").replace("\u00a0", " ")
    assert rendered.strip() == text.replace("\u00a0", " ").strip()


@pytest.mark.browser
@pytest.mark.parametrize("index", range(len(EVERYDAY_TEXTS)))
def test_a_name_or_a_deal_sentence_copies_as_typed_with_no_hidden_characters(page, index):
    text = EVERYDAY_TEXTS[index]
    shown = shown_markdown(page, f"plain{index}")
    assert shown.inner_text() == text
    assert WORD_JOINER not in shown.inner_html()


@pytest.mark.browser
@pytest.mark.parametrize("index", range(len(LABEL_NAMES)))
def test_a_widget_label_reads_exactly_as_the_name(page, index):
    name = LABEL_NAMES[index]
    widget = page.locator(f".st-key-label{index}")
    assert widget.locator("input").get_attribute("aria-label") == name
    assert widget.locator("[data-testid='stWidgetLabel']").inner_text() == name


@pytest.mark.browser
@pytest.mark.parametrize("index", range(len(HOSTILE_LABELS)))
def test_a_widget_label_shows_hostile_text_literally(page, index):
    name = HOSTILE_LABELS[index]
    label = page.locator(f".st-key-hostile_label{index} [data-testid='stWidgetLabel']")
    html = label.locator("[data-testid='stMarkdownContainer']").inner_html()
    assert set(re.findall(r"<(\w+)", html)) <= {"p"}, name
    assert label.inner_text().replace(WORD_JOINER, "") == name
