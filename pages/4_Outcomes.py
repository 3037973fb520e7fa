import pandas as pd
import streamlit as st

from workshop_ui import charts, explain, layout, model, state
from workshop_ui.charts import STATUS_QUO, WORKING
from workshop_ui.layout import Headline

st.set_page_config(layout="wide", page_title="Outcomes · Alignment workshop")
state.ensure_state()
layout.sidebar()

st.title("Outcomes")
st.caption("What the working scenario does, per product and in total, against the status quo.")

layout.headline_metrics(
    (
        Headline("total_revenue", "Revenue", "money"),
        Headline("total_gross_margin", "Gross margin", "money"),
        Headline("gross_margin_pct", "Gross margin %", "fraction"),
        Headline("contribution", "Contribution", "money"),
        Headline("cost_of_sales_pct", "Cost of sales", "fraction", higher_is_better=False),
    )
)

before, after = model.products(state.status_quo()), model.products(state.working())
for row in (
    (("share", "Market share", "fraction", "Share of segment"),
     ("gross_margin", "Gross margin", "money", "Gross margin per period")),
    (("commission", "Commission paid", "money", "Commission per period"),
     ("hours", "Selling hours", "hours", "Hours per period")),
):  # fmt: skip
    for column, (field, title, kind, axis) in zip(st.columns(2, gap="large"), row, strict=True):
        with column:
            st.subheader(title)
            charts.show(charts.comparison_chart(before, after, field, axis, kind))

st.subheader("Rep motivation")
st.caption(
    "Motivation = 100 × expectancy × instrumentality × coherence (Vroom's expectancy theory): "
    "being multiplicative, any one factor near zero sinks it."
)
tiles, factors = st.columns([2, 3], gap="large")
with tiles:
    layout.headline_metrics(
        (
            Headline("motivation", "Motivation", "score"),
            Headline("expectancy", "Expectancy", "fraction"),
        )
    )
    layout.headline_metrics(
        (
            Headline("instrumentality", "Instrumentality", "fraction"),
            Headline("coherence", "Coherence", "fraction"),
        )
    )
with factors:
    now, then = model.total(state.working()), model.total(state.status_quo())
    names = {
        "expectancy": "Expectancy",
        "instrumentality": "Instrumentality",
        "coherence": "Coherence",
    }
    charts.show(
        charts.factor_chart(
            pd.DataFrame(
                [
                    {"factor": label, "group": group, "value": totals[field]}
                    for field, label in names.items()
                    for group, totals in ((STATUS_QUO, then), (WORKING, now))
                ]
            )
        )
    )

st.subheader("Per product, working scenario")
st.dataframe(
    after[
        ["name", "price", "share", "units", "revenue", "gross_margin", "commission", "hours"]
    ].assign(share=after["share"] * 100),
    hide_index=True,
    width="stretch",
    key="outcome_products",
    column_config={
        "name": "Product",
        "price": st.column_config.NumberColumn("Price", format="$%,.0f"),
        "share": st.column_config.NumberColumn(
            "Market share", format="%.1f%%", help=explain.FIGURES["share"]
        ),
        "units": st.column_config.NumberColumn("Units", format="%,.0f"),
        "revenue": st.column_config.NumberColumn("Revenue", format="$%,.0f"),
        "gross_margin": st.column_config.NumberColumn("Gross margin", format="$%,.0f"),
        "commission": st.column_config.NumberColumn("Commission paid", format="$%,.0f"),
        "hours": st.column_config.NumberColumn("Selling hours", format="%,.0f"),
    },
)
