"""Entry point (``streamlit run app.py``): every file in ``pages/`` is a page, in file-name order.

Declaring the pages here, rather than leaving them to Streamlit's folder discovery, lets the first
one be called "Overview" in the navigation instead of after this file.
"""

from pathlib import Path

import streamlit as st

from workshop_ui import (
    allocator,
    collector,
    housekeeping,
    log_limits,
    session_reaper,
    upload_quota,
)

log_limits.install()  # once per process: an error loop cannot fill the server's log
housekeeping.start()  # once per process: old autosaves are deleted on a schedule
allocator.tune()  # once per process: memory the app lets go of goes back to the system
session_reaper.start()  # once per process: sessions gone past a grace period are closed
upload_quota.install()  # once per process: a session holds at most a few uploaded files

PAGES = sorted((Path(__file__).parent / "pages").glob("[0-9]*_*.py"))
# Calibrate follows Overview: the room fits its elasticities before it argues over them.
PAGES.sort(key=lambda page: (page.stem != "0_Overview", page.stem != "8_Calibrate"))

navigation = st.navigation([st.Page(page, default=index == 0) for index, page in enumerate(PAGES)])
# Once per process, after the navigation is in place: the collector no longer walks the app's
# own code. On a machine's first start this compiles the solvers, so the room is told why it waits.
FIRST_START = "Getting the model ready: the first start on a new machine takes about half a minute."
if not collector.tuned():  # a spinner would add a placeholder to every rerun
    with st.spinner(FIRST_START):
        collector.tune()
navigation.run()
