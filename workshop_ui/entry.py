"""Every page runs through ``app.py``.

Streamlit serves a folder named ``pages/`` beside the entry script on its own until a session
has run the entry script's ``st.navigation``. In a fresh process, the first person to arrive by
a page's own address (a Room link from a QR code, a shared link to Compromise) would get that
page alone: without ``app.py``'s once-per-process setup (the upload quota, the log limits, the
session reaper, the collector) and under Streamlit's own navigation, which lists the entry
script as "app" and puts Calibrate out of its place.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def through_app() -> None:
    """Where Streamlit still serves the pages folder on its own, hand the process to
    ``app.py``'s navigation and run again: the same page, through ``app.py``."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
