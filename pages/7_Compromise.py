import streamlit as st

from workshop_ui import compromise_view as view
from workshop_ui import layout, proposal_actions, room_live, rooms, state, uncertainty_view
from workshop_ui.compromise_outcome import outcome_sections
from workshop_ui.unreadable import unreadable_warning

st.set_page_config(layout="wide", page_title="Compromise · Alignment workshop")
state.ensure_state()
layout.sidebar()

st.title("Compromise")
st.caption(
    "Put each side's proposal on the table, search the plans both sides could accept, and "
    "adopt the deal that leaves leadership and the reps better off than the status quo."
)
working, status_quo = state.working(), state.status_quo()
here = rooms.here()
room_live.watch(here.code)
store = rooms.items()  # the room's proposals; None until this person joins the room
with st.container(border=True):
    rep_utility = view.utility_controls(working)

st.header("1. Proposals", divider="gray")
listing = view.list_proposals(store)  # None when they cannot be read (it says why) or joined
stored = list(listing.items) if listing is not None else []
usable = view.comparable(stored, working)
form_column, list_column = st.columns([2, 3], gap="large")
with form_column, st.container(border=True):
    view.proposal_form(store, here)
with list_column:
    st.subheader(f"On the table ({len(stored)})")
    if listing is not None:
        unreadable_warning(listing.unreadable, "proposal")
    proposal_actions.proposal_notices(listing)
    if stored:
        st.dataframe(view.proposals_table(stored), hide_index=True, width="stretch",
                     key="proposal_list", column_config=view.PROPOSAL_COLUMNS)  # fmt: skip
        with st.expander("Load, overwrite or delete a proposal"):
            proposal_actions.manage_proposal(store, stored, read_only=here.room.read_only)
    elif listing is not None and not listing.unreadable:
        st.info("No proposals yet. Save the working scenario as the first one.")
    by_key, labels = {p.key: p for p in usable}, view.proposal_labels(usable)
    view.forget_missing("proposal_compare", by_key)
    picked_keys = st.multiselect(
        "Compare side by side, and explain the deal against", list(by_key),
        format_func=labels.get, key="proposal_compare",
        placeholder="Pick one or more proposals", disabled=not usable,
    )  # fmt: skip
    chosen = [by_key[key] for key in picked_keys]
    if len(stored) > len(usable):
        st.caption(f"{len(stored) - len(usable)} proposal(s) are about other products: left out.")
if chosen:
    view.show_comparison(working, status_quo, chosen, rep_utility)

st.header("2. Search for a compromise", divider="gray")
locks_column, limits_column, rule_column = st.columns(3, gap="large")
with locks_column:
    st.subheader("Locks")
    locks = view.lock_controls(working)
with limits_column:
    st.subheader("Hard constraints")
    constraints = view.constraint_controls(working)
with rule_column:
    st.subheader("Bargaining")
    rule = view.rule_control()
request = view.search_controls(working, status_quo, locks)
outcome_sections(request, constraints, rule, rep_utility, chosen, usable, state.revision())
uncertainty_view.spread_controls()  # the ranges of section 4: not redrawn by a weight move

st.header("5. Workshop report", divider="gray")
record = view.room_record(here, usable, chosen)
agreed = record.agreed.scenario if record.agreed is not None else working
st.caption(
    (f"The room's agreed plan, **{layout.literal(record.agreed.scenario.metadata.name)}**"
     if record.agreed is not None else "The working scenario (no plan is marked as agreed on "
     "the Room page yet)")
    + ", against the status quo and the proposals (those picked above, or all on the table), "
    "with the votes and who took part, for the board: a PDF, the same as an HTML page that "
    "opens offline and as Markdown, the figures as an Excel workbook, and the scenario to load "
    "again."
)  # fmt: skip
view.report_downloads(agreed, status_quo, [p.scenario for p in record.proposals],
                      record.votes, record.participants)  # fmt: skip
