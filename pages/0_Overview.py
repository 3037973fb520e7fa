from pathlib import Path

import streamlit as st

from alignment import Scenario
from workshop_ui import layout, library, state

st.set_page_config(layout="wide", page_title="Overview · Alignment workshop")
state.ensure_state()
layout.sidebar()

AGENDA = (  # (page file, title, what the room does there)
    ("pages/8_Calibrate.py", "Calibrate", "fit price elasticities from your won and lost deals"),
    ("pages/1_Goals.py", "Goals", "targets, hard limits, what a new-product unit is worth"),
    ("pages/2_Pricing.py", "Pricing", "share, cannibalisation, who wants which price"),
    ("pages/3_Commission_plan.py", "Commission plan", "what reps are paid to sell, how hard"),
    ("pages/4_Outcomes.py", "Outcomes", "share, margin, leadership's value, motivation"),
    ("pages/5_Marketing.py", "Marketing", "deals sourced and influenced, ROI"),
    ("pages/6_Scenarios.py", "Scenarios", "save, load and compare"),
    ("pages/7_Compromise.py", "Compromise", "a plan both sides prefer"),
)


def shipped() -> dict[str, Scenario]:
    return {layout.plain(item.name): item.scenario for item in library.shipped_scenarios()}


def load_shipped() -> None:
    state.load(shipped()[st.session_state["shipped_choice"]])


st.title("Pricing & commission alignment workshop")
st.markdown(
    "Leadership prices the new product for market share while reps are paid for margin; this "
    "tool shows, live, what each price, commission and marketing choice does to share, margin "
    "and rep motivation. Move the levers together until leadership and sales agree on a plan."
)
layout.headline_metrics()

agenda, picker = st.columns([5, 4], gap="large")
with agenda:
    st.subheader("Agenda")
    pages = [item for item in AGENDA if (Path(__file__).parents[1] / item[0]).exists()]
    for number, (path, title, line) in enumerate(pages, start=1):
        st.page_link(path, label=f"{number}. {title} — {line}", width="stretch")

with picker:
    st.subheader("Scenario")
    st.selectbox(
        "Start from a shipped scenario", list(shipped()), key="shipped_choice",
        help="Loading replaces the working scenario and makes it the new status quo.",
    )  # fmt: skip
    st.button(
        "Load scenario", key="load_shipped", on_click=load_shipped, icon=":material/upload_file:"
    )
    layout.scenario_uploader("scenario_upload", "…or upload a scenario file (YAML)")
    with st.container(border=True):
        st.caption("About this scenario")
        layout.user_text(state.working().metadata.description or "No description.")
