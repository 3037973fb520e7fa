from typing import get_args

import streamlit as st

from alignment import ScenarioError, dump_scenario
from alignment.levers import with_values
from alignment.scenario import Role
from alignment.storage import Listing, StorageError
from workshop_ui import compare_view, layout, library, rooms, state
from workshop_ui.unreadable import unreadable_warning

st.set_page_config(layout="wide", page_title="Scenarios · Alignment workshop")
state.ensure_state()
layout.sidebar()

st.title("Scenarios")
st.caption("Save what the room has agreed so far, share it as a file, or compare any two plans.")
scenario = state.working()
room_items = rooms.items()  # the room's library; None until this person joins the room


def save() -> None:
    fields = ("name", "author", "role", "notes")
    changes = {f"metadata.{f}": st.session_state[f"save_{f}"] for f in fields}
    try:
        named = with_values(scenario, changes)
        if room_items is None:
            raise StorageError("join the room on the Room page first, then save")
        room_items.create("scenarios", named)
    except ScenarioError as error:
        st.session_state["save_outcome"] = ("error", error.problems)
        return
    except StorageError as error:
        st.session_state["save_outcome"] = ("error", [str(error)])
        return
    state.set_working(named)
    st.session_state["save_outcome"] = ("saved", [])


save_column, library_column = st.columns(2, gap="large")
with save_column, st.container(border=True):
    st.subheader("Save the working scenario")
    with st.form("save_form", border=False):
        meta = scenario.metadata
        for key in ("save_name", "save_author", "save_role", "save_notes"):
            state.bind_widget(key)
        st.text_input("Name", value=meta.name, key="save_name", max_chars=200)
        author, role = st.columns(2)
        author.text_input("Author", value=meta.author, key="save_author", max_chars=200)
        roles = list(get_args(Role))
        role.selectbox("Role", roles, index=roles.index(meta.role), key="save_role")
        st.text_area("Notes", value=meta.notes, key="save_notes", max_chars=5000, height=100)
        st.form_submit_button("Save to the room's library", key="save_scenario", on_click=save)
    outcome, problems = st.session_state.pop("save_outcome", (None, []))
    if outcome == "saved":
        st.success("Saved. It is in the library on the right for everyone in this room.")
    elif outcome == "error":
        layout.show_problems("Not saved; the working scenario is unchanged.", problems)
    st.download_button(
        "Download as YAML", dump_scenario(scenario), file_name=layout.download_name(scenario),
        mime="application/x-yaml", key="download_scenario", icon=":material/download:",
        on_click="ignore",
    )  # fmt: skip
    layout.scenario_uploader("scenarios_upload")

try:
    listing = room_items.listing("scenarios") if room_items is not None else Listing()
except StorageError as error:
    listing = Listing()
    st.warning(f"The saved scenarios cannot be listed: {layout.literal(str(error))}")
saved = listing.items
entries = {f"Shipped: {layout.plain(s.name)}": s.scenario for s in library.shipped_scenarios()}
for s in saved:
    label = (
        f"Saved: {layout.plain(s.scenario.metadata.name)} "
        f"({layout.plain(s.scenario.metadata.author) or 'no author'}, {s.saved_at:%d %b %H:%M})"
    )
    entries[label if label not in entries else f"{label} #{s.key[-6:]}"] = s.scenario
with library_column, st.container(border=True):
    st.subheader("Library")
    unreadable_warning(listing.unreadable, "scenario")
    st.selectbox("Scenario", list(entries), key="library_choice")
    chosen = entries[st.session_state["library_choice"]]
    st.caption(
        f"{len(saved)} saved in this room, {len(entries) - len(saved)} shipped."
        if saved or listing.unreadable
        else "Nothing saved in this room yet: save the working scenario to share it here."
    )
    layout.user_text(chosen.metadata.description or "No description.")
    st.button(
        "Load as the new status quo", key="load_library", icon=":material/upload_file:",
        on_click=state.load, args=(chosen,),
        help="Replaces the working scenario; every figure is then compared with this one.",
    )  # fmt: skip

st.header("Before and after", divider="gray")
st.caption(
    "Put any two plans side by side: the status quo, your working plan, a proposal, a saved or "
    "shipped scenario (the remedies). Picking one changes neither the status quo nor your "
    "working plan. Hours follow motivation against the status quo's, as on every other page."
)
compare_view.before_after(scenario, state.status_quo(), room_items, saved)
