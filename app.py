from pathlib import Path

import streamlit as st

from alignment import ScenarioError, load_scenario
from workshop_ui import layout, library, state

st.set_page_config(layout="wide", page_title="Overview · Alignment workshop")
state.ensure_state()
layout.sidebar()

AGENDA = (  # (page file, title, what the room does there)
    ("pages/1_Goals.py", "Goals", "Leadership states its goals, weights and targets."),
    ("pages/2_Pricing.py", "Pricing", "Prices, share, cannibalisation; who wants which price."),
    ("pages/3_Commission_plan.py", "Commission plan", "What the plan pays reps to sell."),
    ("pages/4_Outcomes.py", "Outcomes", "Share, margin, contribution and motivation."),
    ("pages/5_Marketing.py", "Marketing", "Leads and push content; deals sourced, influenced."),
    ("pages/6_Scenarios.py", "Scenarios", "Save, share, load and compare scenarios."),
    ("pages/7_Compromise.py", "Compromise", "A plan both sides prefer to the status quo."),
)


def load_upload() -> None:
    upload = st.session_state.get("scenario_upload")
    if upload is None:
        return
    try:
        scenario = load_scenario(upload.getvalue())
    except ScenarioError as error:
        st.session_state["upload_problems"] = error.problems
        return
    st.session_state.pop("upload_problems", None)
    state.load(scenario)


def load_shipped() -> None:
    chosen = st.session_state["shipped_choice"]
    state.load(next(s.scenario for s in library.shipped_scenarios() if s.name == chosen))
    st.session_state.pop("upload_problems", None)


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
    pages = [item for item in AGENDA if (Path(__file__).parent / item[0]).exists()]
    for number, (path, title, line) in enumerate(pages, start=1):
        st.page_link(path, label=f"{number}. {title} — {line}", width="stretch")

with picker:
    st.subheader("Scenario")
    shipped = library.shipped_scenarios()
    st.selectbox(
        "Start from a shipped scenario", [s.name for s in shipped], key="shipped_choice",
        help="Loading replaces the working scenario and makes it the new status quo.",
    )  # fmt: skip
    st.button(
        "Load scenario", key="load_shipped", on_click=load_shipped, icon=":material/upload_file:"
    )
    st.file_uploader(
        "…or upload a scenario file (YAML)", type=["yaml", "yml"], key="scenario_upload",
        on_change=load_upload, help="A file saved from the Scenarios page, or written by hand.",
    )  # fmt: skip
    refused = st.session_state.get("upload_problems")
    if refused:
        st.error(
            f"The file was not loaded ({len(refused)} problem(s)); the working scenario is "
            "unchanged. Fix these lines and upload it again:"
        )
        st.code("\n".join(refused), language=None, wrap_lines=True)
    with st.container(border=True):
        st.caption("About this scenario")
        layout.user_text(state.working().metadata.description or "No description.")
