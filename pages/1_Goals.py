import streamlit as st

from alignment.goals import share_point_value
from alignment.levers import with_value
from alignment.tables import GOAL_LABELS
from workshop_ui import charts, controls, explain, layout, model, state
from workshop_ui.charts import STATUS_BADGES, STATUS_ICONS
from workshop_ui.formatting import currency_symbol, format_value, money

st.set_page_config(layout="wide", page_title="Goals · Alignment workshop")
state.ensure_state()
layout.sidebar()


st.title("Goals")
st.caption(
    "Clear C-suite goals come first. Each goal has a target that counts as met; a hard goal is "
    "one every proposed deal must meet. What a strategic unit is worth is stated in money below."
)

scenario, status_quo = state.working(), state.status_quo()
symbol = currency_symbol(scenario.metadata.currency)
card = model.goal_scorecard(scenario, status_quo)
for column, (name, label) in zip(st.columns(3, gap="medium"), GOAL_LABELS.items(), strict=True):
    with column, st.container(border=True):
        st.subheader(label)
        if name == "contribution":
            controls.number(
                "goal_contribution_target", "goals.contribution.target",
                f"Target ({symbol} million per period)", min_value=0.1, max_value=10_000.0,
                step=0.1, format="%.1f", scale=1e-6, help=explain.FIGURES["contribution"],
                why="a target must be positive and within what one company can earn",
            )  # fmt: skip
        else:
            controls.slider(
                f"goal_{name}_target", f"goals.{name}.target", "Target (%)", min_value=1.0,
                max_value=90.0, step=0.5, format="%.1f%%", scale=100.0,
                help=explain.FIGURES[name],
            )  # fmt: skip
        controls.toggle(
            f"goal_{name}_hard", "Hard constraint on deals", help=explain.FIGURES["hard_goal"],
            read=lambda s, goal=name: getattr(s.goals, goal).hard,
            write=lambda s, on, goal=name: with_value(s, f"goals.{goal}.hard", on),
        )  # fmt: skip
        goal = card.loc[name]
        kind = "money" if name == "contribution" else "fraction"
        st.badge(goal.status.capitalize(), icon=STATUS_ICONS[goal.status],
                 color=STATUS_BADGES[goal.status])  # fmt: skip
        st.caption(
            layout.literal(
                f"Now {format_value(goal.value, kind)} against a target of "
                f"{format_value(goal.target, kind)}."
            )
        )

left, right = st.columns([1, 3], gap="large")
with left:
    layout.headline_metrics((layout.LEADERSHIP_VALUE,))
    now = model.total(scenario, status_quo)
    st.caption(
        layout.literal(
            f"Contribution {money(now['contribution'])} plus the strategic units' value "
            f"{money(now['leadership_value'] - now['contribution'])}, per period."
        )
    )
with right:
    st.subheader("Scorecard")
    charts.show(charts.scorecard_chart(card, currency=scenario.metadata.currency))
    st.caption(
        f"Met: at or above target. Near: within {scenario.goals.near_band:.0%} below it. "
        "Missed: further below. The black line marks the target."
    )

st.subheader("What leadership values")
st.caption(
    "Beyond this period's margin, what is one more unit of a strategic product worth to the "
    "company? Leadership's value counts it, and the compromise search weighs it against pay."
)
strategic = [p for p in scenario.products if p.strategic]
if not strategic:
    st.info("No product is marked strategic in this scenario, so there is nothing to value.")
sizes = {segment.id: segment.size for segment in scenario.segments}
for column, product in zip(st.columns(max(len(strategic), 2)), strategic, strict=False):
    with column, st.container(border=True):
        controls.number(
            f"strategic_value_{product.id}", f"goals.strategic_value.{product.id}",
            f"Value of one more {layout.label(product.name)} unit beyond its margin "
            f"({symbol} per unit)",
            min_value=0.0, max_value=20 * product.reference_price,
            step=model.price_step(product.reference_price), help=explain.FIGURES["strategic_value"],
            why="no negative value; the top is twenty times today's price",
        )  # fmt: skip
        point = share_point_value(
            scenario.goals.strategic_value.get(product.id, 0.0), sizes[product.segment]
        )
        st.markdown(layout.literal(explain.exchange_rate(product.name, float(point))))
controls.text_area(
    "strategic_value_reason", "goals.strategic_value_reason",
    "Why a strategic unit is worth that much", max_chars=5000, height=90,
    help=explain.FIGURES["strategic_value_reason"],
    placeholder="e.g. each new customer renews for three years and buys add-ons",
)  # fmt: skip
