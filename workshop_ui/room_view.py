"""The Room page's parts: joining, opening and closing a room, and the invitation to show.

The invitation is the join code in large type, the join link (``?room=CODE``) and a QR code of
the link, drawn as SVG by ``segno`` so a phone can scan it off the projector.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import segno
import streamlit as st

from alignment.rooms import AGENDA, DEFAULT_ROOM, MAX_TIMER_MINUTES, ROOM_ROLES, Room
from alignment.safe_text import markdown_literal
from alignment.storage import StorageError
from workshop_ui import access, rooms
from workshop_ui.rooms import ROLE_LABELS

_OUTCOME = "room_page_outcome"


def outcome() -> None:
    kind, message = st.session_state.pop(_OUTCOME, (None, ""))
    if kind == "error":
        st.error(markdown_literal(message), icon=":material/block:")
    elif kind == "done":
        st.success(markdown_literal(message))


def join_form(room_code: str) -> None:
    """Name and role; the facilitator role only with the passcode (in a hosted workshop)."""
    with st.form("room_join_form", border=True):
        st.markdown(f"**Join room {room_code}**" if room_code != DEFAULT_ROOM else
                    "**Say who you are** to vote on the proposals")  # fmt: skip
        name, role = st.columns(2)
        name.text_input("Your name", key="room_join_name", max_chars=60)
        role.selectbox("Your role", ROOM_ROLES, format_func=ROLE_LABELS.get, key="room_join_role")
        st.form_submit_button("Join", key="room_join", type="primary", on_click=_join)


def _join() -> None:
    s = st.session_state
    problem = rooms.join(s.get("room_join_name", ""), s.get("room_join_role", ""))
    s[_OUTCOME] = ("error", f"Not joined: {problem}") if problem else ("done", "You joined.")


def code_form() -> None:
    """Type a join code to go to that room."""
    with st.form("room_code_form", border=True):
        st.text_input("Join code", key="room_code_input", max_chars=12,
                      placeholder="e.g. K7QM2P")  # fmt: skip
        st.form_submit_button("Go to the room", key="room_go", on_click=_go)


def _go() -> None:
    typed = st.session_state.get("room_code_input", "")
    st.query_params[rooms.ROOM_PARAM] = str(typed)[:24]
    rooms.follow_address()


def open_form() -> None:
    """Facilitator: open a room from the working scenario."""
    with st.form("room_open_form", border=True):
        st.markdown("**Open a room** from the working scenario")
        room_name, your_name = st.columns(2)
        room_name.text_input("Room name", key="room_open_name", max_chars=120,
                             placeholder="e.g. Nova pricing, 12 March")  # fmt: skip
        your_name.text_input("Your name", key="room_open_you", max_chars=60)
        st.form_submit_button("Open the room", key="room_open", type="primary", on_click=_open)


def _open() -> None:
    s = st.session_state
    problem = rooms.open_room(s.get("room_open_name", ""), s.get("room_open_you", ""))
    s[_OUTCOME] = ("error", f"No room opened: {problem}") if problem else ("done", "Room open.")


def join_link(code: str) -> str:
    """The room's address on this server, from the address the browser used."""
    url = st.context.url or ""
    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    return f"{base}/Room?{rooms.ROOM_PARAM}={code}"


def invitation(code: str) -> None:
    """The join code, link and QR code, sized for a projector."""
    link = join_link(code)
    words, picture = st.columns([3, 2])
    with words:
        st.markdown(f"Join code: **:blue[{' '.join([code[:3], code[3:]])}]**")
        st.html(f"<div class='room-code keeps-size' style='font-size:64px;font-weight:700;"
                f"letter-spacing:0.15em'>{code}</div>")  # fmt: skip
        st.markdown("Join link:")
        st.code(link, language=None)
    qr = segno.make(link, error="m").svg_inline(scale=8, dark="#000", light="#fff")
    picture.image(qr, caption="Scan to join", width=280)


def facilitator_controls(room: Room) -> None:
    """The facilitator's box: the agenda step and timer every screen shows, the vote tally,
    and closing the room."""
    if room.read_only or not access.is_facilitator() or room.is_default:
        return
    code = room.code
    with st.container(border=True, key="room_facilitator"):
        st.markdown("**Facilitator**")
        agenda_controls(room)
        st.toggle("Show the vote tally to the room", value=room.tally_revealed,
                  key="room_reveal", on_change=_reveal, args=(code,))  # fmt: skip
        if st.session_state.get("room_close_asked"):
            st.warning(f"Close room {code} for everyone? It is archived: nothing can be added "
                       "or changed after, though it can be opened read-only.")  # fmt: skip
            yes, no = st.columns(2)
            yes.button("Yes, close it", key="room_close_yes", type="primary", on_click=_close,
                       args=(code,))  # fmt: skip
            no.button("Cancel", key="room_close_no", on_click=st.session_state.pop,
                      args=("room_close_asked", None))  # fmt: skip
        else:
            st.button("Close and archive the room", key="room_close", on_click=_ask_close)


def agenda_controls(room: Room) -> None:
    """Pick the agenda step and start or stop the timer: every screen in the room follows."""
    code = room.code
    st.session_state["room_agenda"] = room.agenda_step  # another facilitator may have moved it
    st.selectbox(
        "Agenda step (every screen shows it)", range(len(AGENDA)), key="room_agenda",
        format_func=lambda step: f"{step + 1}. {AGENDA[step]}", on_change=_set_agenda,
        args=(code,),
    )  # fmt: skip
    running = room.timer_ends_at is not None
    minutes, start, stop = st.columns([2, 2, 2], vertical_alignment="bottom")
    minutes.number_input("Timer (minutes)", min_value=1, max_value=MAX_TIMER_MINUTES, value=10,
                         step=1, key="room_timer_minutes")  # fmt: skip
    start.button("Restart the timer" if running else "Start the timer", key="room_timer_start",
                 icon=":material/timer:", on_click=_start_timer, args=(code,),
                 width="stretch")  # fmt: skip
    if running:
        stop.button("Stop the timer", key="room_timer_stop", icon=":material/timer_off:",
                    on_click=_stop_timer, args=(code,), width="stretch")  # fmt: skip


def _set_agenda(code: str) -> None:
    step = st.session_state.get("room_agenda")
    _change(lambda: rooms.store().set_agenda(code, step), "The agenda did not move")


def _start_timer(code: str) -> None:
    minutes = st.session_state.get("room_timer_minutes", 10)
    _change(lambda: rooms.store().start_timer(code, minutes), "The timer did not start")


def _stop_timer(code: str) -> None:
    _change(lambda: rooms.store().start_timer(code, None), "The timer did not stop")


def _change(action: Callable[[], object], failed: str) -> None:
    try:
        action()
    except StorageError as error:
        st.session_state[_OUTCOME] = ("error", f"{failed}: {error}")


def _ask_close() -> None:
    st.session_state["room_close_asked"] = True


def _reveal(code: str) -> None:
    try:
        rooms.store().reveal_tally(code, bool(st.session_state.get("room_reveal")))
    except StorageError as error:
        st.session_state[_OUTCOME] = ("error", f"The tally did not change: {error}")


def _close(code: str) -> None:
    st.session_state.pop("room_close_asked", None)
    try:
        rooms.store().close(code)
    except StorageError as error:
        st.session_state[_OUTCOME] = ("error", f"The room is still open: {error}")
    else:
        st.session_state[_OUTCOME] = ("done", f"Room {code} is closed and archived.")


def archive() -> None:
    """Facilitator: every room on the server, each to open (closed ones read-only)."""
    try:
        every = rooms.store().rooms()
    except StorageError as error:
        st.warning(markdown_literal(f"The rooms cannot be listed: {error}"))
        return
    if not every:
        return
    with st.expander(f"Rooms on this server ({len(every)})"):
        for room in every:
            state = "closed, opens read-only" if room.read_only else "open"
            left, right = st.columns([3, 1])
            left.markdown(f"**{room.code}** · {markdown_literal(room.name)} · {state}")
            right.button("Open", key=f"room_enter_{room.code}", on_click=rooms.enter,
                         args=(room.code,))  # fmt: skip
