import streamlit as st

from alignment.rooms import Tally
from alignment.safe_text import markdown_literal
from alignment.storage import StorageError
from workshop_ui import (
    access,
    compromise_proposals,
    layout,
    room_cards,
    room_live,
    room_view,
    rooms,
    state,
)

st.set_page_config(layout="wide", page_title="Room · Alignment workshop")
state.ensure_state()
layout.sidebar(follows_room=True)

where = rooms.here()
room = where.room
st.title("Room" if room.is_default else f"Room {room.code}")
st.caption(
    "Everyone explores on their own copy of the scenario, puts a plan on the table, and votes; "
    "this page follows the room live, without a reload."
)
room_live.watch(room.code)
room_view.outcome()
room_cards.outcome()

if room.read_only:
    st.info(f"Room {room.code} is closed and archived: you can look, but nothing can be added "
            "or changed.", icon=":material/lock:")  # fmt: skip
if room.is_default:
    join, open_one = st.columns(2, gap="large")
    with join:
        room_view.code_form()
    with open_one:
        if access.is_facilitator():
            room_view.open_form()
        else:
            st.info("The facilitator opens a room (after unlocking Facilitator in the sidebar) "
                    "and shows its join code.")  # fmt: skip
    if access.is_facilitator():
        room_view.archive()
else:
    st.subheader(markdown_literal(room.name))
    if where.participant is not None and where.participant.role == "facilitator":
        room_view.invitation(room.code)
        room_view.archive()
    else:
        st.caption(f"Join code {room.code} · join link {room_view.join_link(room.code)}")
    if where.participant is not None:
        st.button("Leave the room", key="room_leave", on_click=rooms.leave)
if where.participant is None and not room.read_only:
    room_view.join_form(room.code)
if not where.may_see:
    st.stop()

try:
    items = rooms.store().items(room.code)
    listing = items.listing("proposals")
    tallies = rooms.store().tallies(room.code)
    status_quo = rooms.store().scenario(room.code) or state.status_quo()
except StorageError as error:  # the data folder cannot be read: say so, keep the page
    st.error(layout.literal(f"The room's proposals cannot be read: {error}"),
             icon=":material/error:")  # fmt: skip
    st.stop()
by_key = {p.key: p for p in listing.items}

agreed = by_key.get(room.agreed) if room.agreed else None
if agreed is not None:
    st.header("Agreed plan", divider="green")
    room_cards.proposal_card(agreed, status_quo, room, tallies.get(agreed.key, Tally()),
                             big=True, slot="agreed")  # fmt: skip
st.header("On screen", divider="gray")
shown = by_key.get(room.on_screen) if room.on_screen else None
if shown is None:
    st.caption("Nothing on screen: the facilitator puts a proposal here for the whole room.")
else:
    room_cards.proposal_card(shown, status_quo, room, tallies.get(shown.key, Tally()),
                             big=True)  # fmt: skip
if where.participant is not None and where.participant.role == "facilitator":
    room_view.facilitator_controls(room)

st.header(f"On the table ({len(listing.items)})", divider="gray")
if not room.read_only:
    with st.expander("Put your working plan on the table", expanded=True):
        compromise_proposals.proposal_form(items, where)
if not listing.items:
    st.info("No proposals yet: adjust the levers on any page, then propose your plan on the "
            "Compromise page.")  # fmt: skip
columns = st.columns(2, gap="medium")
for index, item in enumerate(listing.items):
    with columns[index % 2]:
        room_cards.proposal_card(item, status_quo, room, tallies.get(item.key, Tally()))
