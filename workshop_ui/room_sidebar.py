"""The room on every page: the sidebar's line about it, and the facilitator's agenda and timer.

In a room every page opens with a banner: the facilitator's agenda step ("Step 2 of 5 ·
Explore prices and pay") and, while one runs, the countdown. The browser counts the timer
down by itself from the seconds left when the page was drawn, so no server work is spent on
the ticking (and a phone whose clock is wrong still shows the right time).

When the facilitator moves the agenda or starts or stops a timer, every screen follows within
about a second, and only then: votes and proposals do not redraw the other pages. The server's
room watcher (:mod:`workshop_ui.room_push`) reruns a screen whose banner changed; where it
cannot reach the sessions, a fragment checks the room from the browser instead.
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime
from html import escape

import streamlit as st

from alignment.room_store import default_rooms
from alignment.rooms import AGENDA, Room
from alignment.safe_text import markdown_literal
from alignment.storage import StorageError
from workshop_ui import presenting, room_push, rooms
from workshop_ui.rooms import ROLE_LABELS

FOLLOW_SECONDS = 1.0
_SHOWN = "room_banner_shown"

# Counts every room timer on the page down to zero, four times a second, in the browser. One
# interval per tab, however often the banner is redrawn; each redraw resets the seconds left.
_COUNTDOWN = """
<script>
(() => {
  const two = (n) => String(n).padStart(2, "0");
  const tick = () => {
    for (const el of document.querySelectorAll("[data-room-timer]")) {
      if (!el.dataset.deadline) {
        el.dataset.deadline = String(Date.now() + Number(el.dataset.left) * 1000);
      }
      const left = Math.max(0, Math.ceil((Number(el.dataset.deadline) - Date.now()) / 1000));
      const text = left > 0
        ? `${two(Math.floor(left / 60))}:${two(left % 60)} left`
        : "Time's up";
      if (el.textContent !== text) el.textContent = text;
      el.classList.toggle("room-timer-up", left === 0);
    }
  };
  if (!window.roomTimerTicks) window.roomTimerTicks = setInterval(tick, 250);
  tick();
})();
</script>
"""

_BANNER_STYLE = """
<style>
/* Clear of the app's header bar, which covers the page's top edge on a phone. */
.room-banner { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.25rem 1.5rem;
  margin-top: 1.25rem;
  padding: 0.4rem 0.9rem; border: 2px solid #0F766E; border-radius: 0.5rem;
  background: #ffffff; color: #1a1a1a; font-size: 1rem; line-height: 1.3; }
.room-banner .room-step { font-weight: 600; }
.room-banner .room-clock { font-variant-numeric: tabular-nums; font-weight: 700; }
.room-banner .room-timer-up { color: #9A1B1B; }
.room-banner.presenting { font-size: 28px; padding: 0.1rem 1rem; margin-top: 0; }
.room-banner.presenting .room-clock { font-size: 40px; }
</style>
"""


def sidebar_panel(*, follows_room: bool = False) -> None:
    """Follow the room in the address, say in the sidebar which room this is, and show the
    room's agenda step and timer over the page.

    ``follows_room``: the page reruns by itself whenever the room changes
    (``room_live.watch``), so the banner needs no check of its own.
    """
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
    if where.room.is_default or where.room.read_only:
        return
    st.html(banner_html(where.room, datetime.now(UTC), big=presenting.is_on()),
            unsafe_allow_javascript=True)  # fmt: skip
    if not follows_room:
        _follow(where.room)


def step_text(room: Room) -> str:
    """``Step 2 of 5 · Explore prices and pay``."""
    return f"Step {room.agenda_step + 1} of {len(AGENDA)} · {room.agenda}"


def clock_text(seconds_left: float) -> str:
    """``09:59 left``, rounded up to the second, or ``Time's up``."""
    whole = int(-(-seconds_left // 1))
    if whole <= 0:
        return "Time's up"
    minutes, seconds = divmod(whole, 60)
    return f"{minutes:02d}:{seconds:02d} left"


def banner_html(room: Room, now: datetime, *, big: bool = False) -> str:
    """The banner: the agenda step and, while a timer runs, the countdown that the browser
    ticks on from the seconds left at ``now``."""
    step = f"<span class='room-step'>{escape(step_text(room))}</span>"
    left = room.seconds_left(now)
    clock = ""
    if left is not None:
        ended = " room-timer-up" if left <= 0 else ""
        clock = (
            f"<span class='room-clock keeps-size' role='timer'>Timer "
            f"<span class='room-timer{ended}' data-room-timer data-left='{left:.1f}'>"
            f"{clock_text(left)}</span></span>"
        )
    size = " presenting" if big else ""
    return (
        f"{_BANNER_STYLE}<div class='room-banner keeps-size{size}' role='status' "
        f"aria-live='polite'>{step}{clock}</div>{_COUNTDOWN if clock else ''}"
    )


def banner_stamp(room: Room) -> int:
    """A number that changes exactly when the banner does: agenda step, timer or status."""
    return zlib.crc32(f"{room.agenda_step}|{room.timer_ends_at}|{room.status}".encode())


def _follow(room: Room) -> None:
    stamp = banner_stamp(room)
    if _pushed(room.code, stamp):
        return
    st.session_state[_SHOWN] = stamp
    _check(room.code)


@st.fragment(run_every=FOLLOW_SECONDS)
def _check(code: str) -> None:
    """From the browser: redraw the page when the banner changed; otherwise draw nothing."""
    try:
        stamp = banner_stamp(rooms.store().room(code))
    except StorageError:
        return  # the page says what is wrong when it next reads the room
    if stamp != st.session_state.get(_SHOWN):
        st.rerun(scope="app")


def _pushed(code: str, stamp: int) -> bool:
    """Have the server's room watcher rerun this screen when the banner changes; False when
    it cannot reach the server's sessions."""
    return room_push.follow_value("banner", _banner_stamp_of, code, stamp)


def _banner_stamp_of(code: str) -> int:
    return banner_stamp(default_rooms().room(code))
