import pandas as pd
import streamlit as st

from workshop_ui import charts, controls, layout, state
from workshop_ui.charts import PUSH_CONTENT, STATUS_QUO, WORKING
from workshop_ui.formatting import currency_symbol, money
from workshop_ui.layout import Headline

st.set_page_config(layout="wide", page_title="Marketing · Alignment workshop")
state.ensure_state()
layout.sidebar()

st.title("Marketing")
st.caption(
    "Tie marketing to sales: lead generation creates demand for a product, push content (case "
    "studies, testimonials) makes every selling hour go further. Judge both by the deals they "
    "source and influence."
)

scenario = state.working()
layout.headline_metrics(
    (
        Headline("deals_sourced", "Deals sourced", "units"),
        Headline("deals_influenced", "Deals influenced", "units"),
        Headline("lead_gen_roi", "Lead-generation ROI", "ratio"),
        Headline("content_roi", "Push-content ROI", "ratio"),
        Headline("marketing_roi", "Marketing ROI (both)", "ratio"),
    )
)
budget, results = st.columns([2, 3], gap="large")
with budget, st.container(border=True):
    symbol = currency_symbol(scenario.metadata.currency)
    st.subheader(layout.literal(f"Budget ({symbol} thousand per period)"))
    for product in scenario.products:
        controls.number(
            f"lead_gen_{product.id}", f"marketing.lead_generation.{product.id}",
            f"Lead generation: {layout.label(product.name)}", min_value=0.0, step=25.0,
            max_value=100_000.0, scale=1e-3, help=f"Diminishing returns: the first "
            f"{money(product.lead_gen_scale)} buys as much reach as the next "
            f"{money(2 * product.lead_gen_scale)}.",
            why=f"spend cannot be negative; the top is {money(100e6)} per period",
        )  # fmt: skip
    controls.number(
        "push_content", "marketing.push_content", "Push content", min_value=0.0,
        max_value=100_000.0, step=25.0, scale=1e-3,
        help=f"Reaches 63% of deals at {money(scenario.marketing.push_content_scale)}; makes "
        f"selling hours up to {scenario.marketing.push_content_productivity:.0%} more productive.",
        why=f"spend cannot be negative; the top is {money(100e6)} per period",
    )  # fmt: skip
with results:
    spend = []
    for group, source in ((STATUS_QUO, state.status_quo()), (WORKING, scenario)):
        for product in source.products:
            spend.append(
                (group, product.name, source.marketing.lead_generation.get(product.id, 0.0))
            )
        spend.append((group, PUSH_CONTENT, source.marketing.push_content))
    st.subheader("Where the budget goes")
    charts.show(
        charts.budget_chart(
            pd.DataFrame(spend, columns=["group", "use", "spend"]),
            [p.name for p in scenario.products],
            currency=scenario.metadata.currency,
        )
    )
    st.caption(
        "Deals are counted in units per period. Deals sourced: units that exist only because "
        "of lead generation. Deals influenced: the units push content adds, not every unit it "
        "touches. ROI: the contribution marketing adds (net of the commission paid on the extra "
        "units), less its cost, per unit of money spent; for lead generation, content and both "
        "together."
    )
    layout.headline_metrics(
        (
            Headline("marketing_spend", "Marketing spend", "money", higher_is_better=False),
            Headline("content_reach", "Content reach", "fraction"),
            Headline("new_product_share", "New-product share", "fraction"),
            Headline("contribution", "Contribution", "money"),
        ),
        per_row=2,
    )
