import pandas as pd
import streamlit as st

from workshop_ui import charts, explain, layout, model, state, uncertainty_view
from workshop_ui.charts import STATUS_QUO, WORKING
from workshop_ui.formatting import money, percent, printf_money
from workshop_ui.layout import Headline

st.set_page_config(layout="wide", page_title="Outcomes · Alignment workshop")
state.ensure_state()
layout.sidebar()

st.title("Outcomes")
st.caption(
    "What the working scenario does, per product and in total, against the status quo. "
    "Money is per period; earnings and rep utility are per rep."
)

scenario, status_quo = state.working(), state.status_quo()
currency = scenario.metadata.currency
layout.headline_metrics(
    (
        Headline("total_revenue", "Revenue", "money"),
        Headline("total_gross_margin", "Gross margin", "money"),
        Headline("gross_margin_pct", "Gross margin %", "fraction"),
        Headline("contribution", "Contribution", "money"),
        Headline("cost_of_sales_pct", "Cost of sales", "fraction", higher_is_better=False),
    )
)
layout.headline_metrics(
    (
        layout.LEADERSHIP_VALUE,
        Headline("team_hours", "Team selling hours", "hours"),
        Headline("expected_earnings", "Expected earnings per rep", "money"),
        Headline("rep_utility", "Rep utility per rep", "money"),
        Headline("motivation", "Rep motivation", "score"),
    )
)
now, then = model.total(scenario, status_quo), model.total(status_quo, status_quo)
team = scenario.sales_team
st.caption(
    layout.literal(
        f"A rep can expect {money(now['expected_earnings'])} against on-target earnings of "
        f"{money(team.on_target_earnings)} ({percent(now['valence'], 0)}); net of the cost of "
        f"the effort they put in ({money(now['effort_cost'])}), that is "
        f"{money(now['rep_utility'])} per rep. {explain.team_hours(team, now['team_hours'])}"
    )
)

before, after = model.products(status_quo, status_quo), model.products(scenario, status_quo)
for row in (
    (("share", "Market share", "fraction", "Share of segment"),
     ("gross_margin", "Gross margin", "money", "Gross margin per period")),
    (("commission", "Commission paid", "money", "Commission per period"),
     ("hours", "Selling hours", "hours", "Hours per period")),
):  # fmt: skip
    for column, (field, title, kind, axis) in zip(st.columns(2, gap="large"), row, strict=True):
        with column:
            st.subheader(title)
            charts.show(
                charts.comparison_chart(before, after, field, axis, kind, currency=currency)
            )

st.subheader("Rep motivation")
st.caption(
    "Motivation = 100 × expectancy × instrumentality × valence (Vroom's expectancy theory), "
    "on a 0–100 scale: being multiplicative, any one factor near zero sinks it."
)
tiles, factors = st.columns([3, 2], gap="large")
with tiles:
    layout.motivation_factors()
with factors:
    charts.show(
        charts.factor_chart(
            pd.DataFrame(
                [
                    {"factor": item.label, "group": group, "value": totals[item.field]}
                    for item in layout.MOTIVATION_FACTORS
                    for group, totals in ((STATUS_QUO, then), (WORKING, now))
                ]
            )
        )
    )

st.subheader("Per product, working scenario")
whole_money = printf_money(currency, ",.0f")
st.dataframe(
    after[
        ["name", "price", "share", "units", "revenue", "gross_margin", "commission", "hours"]
    ].assign(share=after["share"] * 100),
    hide_index=True,
    width="stretch",
    key="outcome_products",
    column_config={
        "name": "Product",
        "price": st.column_config.NumberColumn("Price", format=whole_money),
        "share": st.column_config.NumberColumn(
            "Market share", format="%.1f %%", help=explain.FIGURES["share"]
        ),
        "units": st.column_config.NumberColumn("Units", format="%,.0f"),
        "revenue": st.column_config.NumberColumn("Revenue", format=whole_money),
        "gross_margin": st.column_config.NumberColumn("Gross margin", format=whole_money),
        "commission": st.column_config.NumberColumn("Commission paid", format=whole_money),
        "hours": st.column_config.NumberColumn("Selling hours", format="%,.0f"),
    },
)

# Last: the rest of the page shows while the draws are valued.
st.subheader("How sure are we?")
uncertainty_view.outcomes_section(scenario, status_quo)
