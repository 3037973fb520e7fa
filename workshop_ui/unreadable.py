"""Saved files the workshop store cannot read, shown so that no one's work disappears silently."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from alignment.storage import UnreadableItem
from workshop_ui import layout

SHOWN = 12  # beyond this the server log names the rest


def unreadable_warning(unreadable: Sequence[UnreadableItem], noun: str) -> None:
    """A warning naming each saved ``noun`` file that cannot be read, why, and the fix."""
    if not unreadable:
        return
    count = len(unreadable)
    header = (
        f"**{count} saved {noun}{'s' if count > 1 else ''} cannot be read**, so "
        f"{'they are' if count > 1 else 'it is'} not listed here. Nothing was deleted: "
        "whoever runs the server can get "
        f"{'each' if count > 1 else 'it'} back as follows (paths are inside the data folder)."
    )
    bullets = [
        f"- {_one_line(item.file)}: {_one_line(item.reason)} — {_one_line(item.fix)}."
        for item in unreadable[:SHOWN]
    ]
    if count > SHOWN:
        bullets.append(f"- and {count - SHOWN} more, each named in the server log.")
    st.warning(header + "\n\n" + "\n".join(bullets), icon=":material/report:")


def _one_line(text: str) -> str:
    return layout.literal(" ".join(layout.plain(text).split()))
