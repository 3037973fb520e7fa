"""The sidebar's line about the room: which one this is, and who the person is in it."""

from __future__ import annotations

import streamlit as st

from alignment.safe_text import markdown_literal
from workshop_ui import rooms
from workshop_ui.rooms import ROLE_LABELS


def sidebar_panel() -> None:
    """Follow the room in the address, and say in the sidebar which room this is."""
    rooms.follow_address()
    where = rooms.here()
    with st.sidebar:
        if where.room.is_default:
            st.caption("Room: none chosen (the default room). Join or open one on the Room page.")
        else:
            who = where.participant
            you = f" · you: {markdown_literal(who.name)} ({ROLE_LABELS[who.role]})" if who else ""
            closed = " · closed, read-only" if where.room.read_only else ""
            st.caption(f"Room **{where.code}**{closed}{you}")
    refused = rooms.problem()
    if refused:
        st.error(markdown_literal(refused), icon=":material/block:")
