"""User text with markup, links and emoji codes renders literally in a real browser."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_safe_text import HOSTILE_TEXTS, WORD_JOINER

ROOT = Path(__file__).resolve().parents[2]

APP = """
import sys
sys.path.insert(0, {root!r})
import streamlit as st
from alignment.safe_text import markdown_literal
TEXTS = {texts!r}
for i, text in enumerate(TEXTS):
    with st.container(key=f"text{{i}}"):
        st.markdown(markdown_literal(text))
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.browser
def test_streamlit_renders_hostile_text_literally_with_no_links_or_markup(
    tmp_path, browser_context
):
    app = tmp_path / "app.py"
    app.write_text(APP.format(root=str(ROOT), texts=HOSTILE_TEXTS), encoding="utf-8")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless=true",
         f"--server.port={port}", "--browser.gatherUsageStats=false"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=tmp_path,
    )  # fmt: skip
    page = browser_context.new_page()
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                page.goto(f"http://127.0.0.1:{port}")
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        page.wait_for_selector(f".st-key-text{len(HOSTILE_TEXTS) - 1}", timeout=60_000)
        for i, text in enumerate(HOSTILE_TEXTS):
            shown = page.locator(f".st-key-text{i} [data-testid='stMarkdownContainer']")
            html = shown.inner_html()
            assert set(re.findall(r"<(\w+)", html)) <= {"p", "br"}, text
            rendered = shown.inner_text().replace(WORD_JOINER, "").replace("\u00a0", " ")
            assert rendered.strip() == text.strip()
    finally:
        page.close()
        server.terminate()
        server.wait(timeout=30)
