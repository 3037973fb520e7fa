"""A proposal's card in a room: what the plan changes, what each side gets, and the votes.

Everything on the card but the title, author and rationale is computed from the plan itself,
against the room's status quo, so a title that says one thing while the plan does another
cannot mislead: the levers the plan moves are shown first, in the plan's own numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from alignment import Scenario
from alignment import compromise as engine
from alignment.rooms import ROOM_ROLES, SIDES, Room, Tally
from alignment.safe_text import markdown_literal, plain_text
from alignment.storage import StorageError, StoredScenario
from workshop_ui import access, layout, rooms
from workshop_ui.compromise_search import _scenario
from workshop_ui.rooms import ROLE_LABELS

_OUTCOME = "room_vote_outcome"


@dataclass(frozen=True)
class CardFigures:
    """A plan against the status quo: the levers it moves and what each side gets, in money."""

    moves: tuple[str, ...]
    leadership: float
    leadership_change: float
    reps: float
    reps_change: float
    summary: str


@st.cache_data(max_entries=256, show_spinner=False)
def _figures(status_quo_json: str, plan_json: str) -> CardFigures | None:
    status_quo, plan = _scenario(status_quo_json), _scenario(plan_json)
    if plan.product_ids != status_quo.product_ids:
        return None
    change = engine.compare(status_quo, [plan], working=status_quo).changes[0]
    after = engine.headline(engine.value_in_working(status_quo, plan, status_quo))
    return CardFigures(
        moves=tuple(move.text for move in engine.lever_moves(status_quo, plan)),
        leadership=after.leadership_value,
        leadership_change=change.leadership,
        reps=after.rep_utility,
        reps_change=change.reps,
        summary=change.summary,
    )


def figures(status_quo: Scenario, plan: Scenario) -> CardFigures | None:
    """The card's figures; None for a plan about other products than the status quo's."""
    return _figures(status_quo.model_dump_json(), plan.model_dump_json())


def proposal_card(
    item: StoredScenario,
    status_quo: Scenario,
    room: Room,
    tally: Tally,
    *,
    big: bool = False,
    slot: str = "screen",
) -> None:
    """One proposal: title, the plan's moves, both sides' values, rationale and votes.

    ``big``: the card in a slot at the top of the Room page (``slot``: ``screen`` for what is
    on screen, ``agreed`` for the agreed plan), without buttons.
    """
    meta = item.scenario.metadata
    with st.container(border=True, key=f"card_{slot if big else item.key}"):
        title = markdown_literal(plain_text(meta.name, 200)) or "Untitled"
        st.markdown(f"{'##' if big else '####'} {title}")
        if room.agreed == item.key:
            st.badge("Agreed plan", icon=":material/check_circle:", color="green")
        who = ", ".join(x for x in (markdown_literal(meta.author), ROLE_LABELS[meta.role]) if x)
        st.caption(f"Proposed by {who} at {item.saved_at:%H:%M} UTC")
        found = figures(status_quo, item.scenario)
        if found is None:
            st.info("This plan is about other products than the room's, so it is not compared.")
        else:
            _plan_figures(found)
        if meta.notes:
            st.markdown(f"**Why:** {markdown_literal(meta.notes)}")
        _votes(item, room, tally, big)


def _plan_figures(found: CardFigures) -> None:
    moves = "\n".join(f"- {markdown_literal(text)}" for text in found.moves)
    st.markdown(
        "**What the plan changes** (from the plan's own numbers):\n\n"
        + (moves or "- Nothing: the same plan as the status quo")
    )
    lead, reps = st.columns(2)
    lead.metric(
        "Leadership's value", engine.format_value(found.leadership, "money"),
        **_delta(found.leadership_change),
        help="Contribution plus what leadership says strategic units are worth, per period.",
    )  # fmt: skip
    reps.metric(
        "Reps: earnings less effort", engine.format_value(found.reps, "money"),
        **_delta(found.reps_change),
        help="Expected earnings less the cost of effort, per rep per period.",
    )  # fmt: skip
    st.markdown(markdown_literal(found.summary))


def _delta(change: float) -> dict[str, str]:
    """The change against the status quo for ``st.metric``: its arrow and, in words, whether
    it is better or worse (never colour alone); "no change" in grey when it rounds to nothing."""
    if abs(change) < 0.5:
        return {"delta": "no change", "delta_color": "off", "delta_arrow": "off"}
    # Streamlit colours a delta by a leading ASCII minus; the formatter writes a true minus.
    text = engine.format_value(change, "money", signed=True).replace("\u2212", "-")
    return {"delta": layout.verdict(text) or text}


def _votes(item: StoredScenario, room: Room, tally: Tally, big: bool) -> None:
    where = rooms.here()
    me = where.participant
    mine = tally.choice_of(me.id) if me is not None else None
    if me is not None and not room.read_only and not big:
        yes, no = st.columns(2)
        for column, choice, icon in ((yes, "for", "thumb_up"), (no, "against", "thumb_down")):
            column.button(
                f"{'✓ ' if mine == choice else ''}Vote {choice}", key=f"vote_{choice}_{item.key}",
                icon=f":material/{icon}:", type="primary" if mine == choice else "secondary",
                on_click=_vote, args=(room.code, item.key, choice), width="stretch",
            )  # fmt: skip
        if access.is_facilitator() and me.role == "facilitator":
            _facilitator_buttons(item, room)
    if mine is not None:
        st.caption(f"Your vote: {mine}. You can change it until the room closes.")
    if room.tally_revealed or (me is not None and me.role == "facilitator"):
        _tally(tally, hidden=not room.tally_revealed)
    else:
        st.caption(f"{len(tally.votes)} vote(s) so far; the facilitator reveals the tally.")


def _facilitator_buttons(item: StoredScenario, room: Room) -> None:
    screen, agree = st.columns(2)
    on = room.on_screen == item.key
    screen.button(
        "Take off screen" if on else "Put on screen", key=f"screen_{item.key}",
        icon=":material/cast:", on_click=_show, args=(room.code, None if on else item.key),
        width="stretch",
    )  # fmt: skip
    agreed = room.agreed == item.key
    agree.button(
        "Agreed ✓" if agreed else "Mark as agreed", key=f"agree_{item.key}",
        icon=":material/handshake:", type="primary" if agreed else "secondary",
        on_click=_agree, args=(room.code, None if agreed else item.key), width="stretch",
        help="The room's agreed plan: select again to take it back." if agreed else
        "Record this plan as the one the room agreed on; it shows at the top of the Room page.",
    )  # fmt: skip


def _tally(tally: Tally, *, hidden: bool) -> None:
    parts = [
        f"{ROLE_LABELS[role]} {tally.count(role, 'for')} for · {tally.count(role, 'against')} "
        "against"
        for role in ROOM_ROLES
        if role in SIDES or tally.count(role, "for") + tally.count(role, "against")
    ]
    note = " (hidden from the room)" if hidden else ""
    st.markdown(f"**Votes{note}:** " + " | ".join(parts))
    if tally.both_sides_agree:
        st.success("Both sides agree: leadership and sales lean for.", icon=":material/handshake:")


def _vote(code: str, key: str, choice: str) -> None:
    try:
        rooms.store().vote(code, key, rooms.participant_id(), choice)
    except StorageError as error:
        st.session_state[_OUTCOME] = f"Your vote was not counted: {error}"


def _show(code: str, key: str | None) -> None:
    try:
        rooms.store().show(code, key)
    except StorageError as error:
        st.session_state[_OUTCOME] = f"The screen did not change: {error}"


def _agree(code: str, key: str | None) -> None:
    try:
        rooms.store().agree(code, key)
    except StorageError as error:
        st.session_state[_OUTCOME] = f"The agreed plan did not change: {error}"


def outcome() -> None:
    """Say why the last vote or screen change failed, once."""
    problem = st.session_state.pop(_OUTCOME, None)
    if problem:
        st.error(markdown_literal(problem))
