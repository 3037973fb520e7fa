import streamlit as st

from alignment.tables import GOAL_LABELS
from workshop_ui import charts, controls, explain, layout, model, state

st.set_page_config(layout="wide", page_title="Goals · Alignment workshop")
state.ensure_state()
layout.sidebar()

st.title("Goals")
st.caption(
    "Clear C-suite goals come first. Weights say how much each goal counts in leadership's "
    "score (only their proportions matter); targets say what counts as met."
)

scenario = state.working()
weights = {name: getattr(scenario.goals, name).weight for name in GOAL_LABELS}
for column, (name, label) in zip(st.columns(3, gap="medium"), GOAL_LABELS.items(), strict=True):
    with column, st.container(border=True):
        st.subheader(label)
        controls.slider(
            f"goal_{name}_weight", f"goals.{name}.weight", "Weight", min_value=0.0,
            max_value=1.0, step=0.05, format="%.2f",
            help="How much this goal counts in leadership's score, relative to the others.",
        )  # fmt: skip
        st.caption(f"{weights[name] / sum(weights.values()):.0%} of leadership's score")
        if name == "contribution":
            controls.number(
                "goal_contribution_target", "goals.contribution.target",
                "Target ($ million per period)", min_value=0.1, max_value=10_000.0, step=0.1,
                format="%.1f", scale=1e-6, help=explain.FIGURES["contribution"],
                why="a target must be positive and within what one company can earn",
            )  # fmt: skip
        else:
            controls.slider(
                f"goal_{name}_target", f"goals.{name}.target", "Target", min_value=1.0,
                max_value=90.0, step=0.5, format="%.1f%%", scale=100.0,
                help=explain.FIGURES[name],
            )  # fmt: skip

card = model.goal_scorecard(scenario)
left, right = st.columns([1, 3], gap="large")
with left:
    layout.headline_metrics((layout.Headline("leadership_score", "Leadership score", "score"),))
with right:
    st.subheader("Scorecard")
    charts.show(charts.scorecard_chart(card))
    st.caption(
        f"Met: at or above target. Near: within {scenario.goals.near_band:.0%} below it. "
        "Missed: further below. The black line marks the target."
    )
