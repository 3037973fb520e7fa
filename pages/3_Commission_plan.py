import numpy as np
import pandas as pd
import streamlit as st

from alignment.levers import rep_pay_at_attainment, with_value
from workshop_ui import charts, controls, explain, layout, model, state
from workshop_ui.formatting import currency_symbol, money, percent, printf_money
from workshop_ui.layout import Headline

st.set_page_config(layout="wide", page_title="Commission plan · Alignment workshop")
state.ensure_state()
layout.sidebar()

st.title("Commission plan")
st.caption(
    "Reps put their hours where the plan pays most, and put in more hours when the plan "
    "motivates them. Pay per unit = revenue rate × price + margin rate × (price − cost) + "
    "kicker; quota, accelerator and cap shape how much they earn."
)
layout.headline_metrics()

scenario, status_quo = state.working(), state.status_quo()
currency = scenario.metadata.currency
symbol = currency_symbol(currency)
team, plan = scenario.sales_team, scenario.commission
target_pay = team.on_target_earnings - team.base_salary
rates, kickers, quota = st.columns(3, gap="medium")
with rates, st.container(border=True):
    st.subheader("Rates")
    controls.slider_with_entry(
        "revenue_rate", "commission.revenue_rate", "Revenue rate", "Revenue rate (%)",
        min_value=0.0, max_value=15.0, step=0.25, format="%.2f %%", entry_format="%.2f",
        scale=100.0, help=explain.FIGURES["revenue_rate"],
    )  # fmt: skip
    controls.slider_with_entry(
        "margin_rate", "commission.margin_rate", "Margin rate", "Margin rate (%)",
        min_value=0.0, max_value=30.0, step=0.5, format="%.1f %%", entry_format="%.2f",
        scale=100.0, help=explain.FIGURES["margin_rate"],
    )  # fmt: skip
with kickers, st.container(border=True):
    st.subheader(f"Kickers ({symbol} per unit)")
    for product in scenario.products:
        agreed = scenario.negotiation.kickers.get(product.id)
        controls.number(
            f"kicker_{product.id}", f"commission.kickers.{product.id}",
            layout.label(product.name),
            min_value=agreed.min if agreed else -product.price / 2,
            max_value=agreed.max if agreed else product.price / 2, step=5.0,
            help=explain.FIGURES["kicker"],
            why="the negotiation range agreed for this kicker" if agreed
            else "at most half the product's price either way",
        )  # fmt: skip
with quota, st.container(border=True):
    st.subheader("Quota and payout")
    controls.choice(
        "quota_basis", "commission.quota.basis", "Quota measured on", ["revenue", "gross_margin"],
        format_func=lambda basis: basis.replace("_", " ").capitalize(),
    )  # fmt: skip
    controls.number(
        "quota_per_rep", "commission.quota.per_rep",
        f"Quota per rep ({symbol} thousand per period)", min_value=1.0, max_value=100_000.0,
        step=10.0, scale=1e-3,
        why=f"a quota below {money(1_000)} would pay the accelerator on almost nothing sold",
    )  # fmt: skip
    controls.slider(
        "accelerator", "commission.accelerator", "Accelerator above quota", min_value=1.0,
        max_value=3.0, step=0.1, format="×%.1f",
        help=explain.FIGURES["accelerator"],
    )  # fmt: skip
    no_cap = controls.toggle(
        "no_cap", "No cap on variable pay", read=lambda s: s.commission.cap is None,
        write=lambda s, on: with_value(s, "commission.cap", None if on else 2.0 * target_pay),
    )  # fmt: skip
    if not no_cap:
        controls.number(
            "cap", "commission.cap", f"Cap ({symbol} per rep per period)", min_value=0.0,
            max_value=10_000_000.0, step=1_000.0, help=explain.FIGURES["cap"],
            why="no negative pay; turn on 'No cap' for unlimited pay",
        )  # fmt: skip

st.subheader("How hard reps sell")
motivation, effort = st.columns([3, 2], gap="large")
with motivation:
    layout.motivation_factors()
with effort:
    layout.headline_metrics((Headline("team_hours", "Team selling hours", "hours"),))
    st.caption(explain.team_hours(team, model.total(scenario, status_quo)["team_hours"]))
    controls.slider(
        "effort_response", "sales_team.effort_response", "Effort response (ζ, 0–1)",
        min_value=0.0, max_value=1.0, step=0.05, format="%.2f",
        help=explain.FIGURES["effort_response"],
    )  # fmt: skip

outcomes = model.outcomes(scenario, status_quo)
table = model.products(scenario, status_quo)
payout, mix = st.columns(2, gap="large")
with payout:
    st.subheader("What one rep earns")
    attainment = np.linspace(0.0, 2.0, 201)
    curve = pd.DataFrame(
        {"attainment": attainment, "pay": rep_pay_at_attainment(scenario, outcomes, attainment)}
    )
    charts.show(
        charts.payout_curve_chart(curve, plan.cap, target_pay, currency=scenario.metadata.currency)
    )
    st.caption(
        f"Variable pay per rep against quota attainment, for a rep selling the team's mix. "
        f"Target variable pay (OTE − base) is {money(target_pay)}."
    )
with mix:
    st.subheader("Hours: paid for vs asked for")
    charts.show(charts.hours_mix_chart(table))
    conflict = model.total(scenario, status_quo)["goal_conflict"]
    st.caption(
        f"Sales: {explain.FIGURES['pay_hours']} Leadership: {explain.FIGURES['asked_hours']} "
        f"**Goal conflict {percent(conflict)} of selling time**: what reps would have to move "
        f"against their pay to reach the new-product share they are held to "
        f"({percent(scenario.reps_new_product_target)})."
    )

st.subheader("Per product under this plan")
st.dataframe(
    table[
        ["name", "commission_per_unit", "expected_marginal_pay", "hours", "time_share", "share"]
    ].assign(time_share=table["time_share"] * 100, share=table["share"] * 100),
    hide_index=True,
    width="stretch",
    key="plan_products",
    column_config={
        "name": "Product",
        "commission_per_unit": st.column_config.NumberColumn(
            "Pay per unit",
            format=printf_money(currency, ".2f"),
            help=explain.FIGURES["commission_per_unit"],
        ),
        "expected_marginal_pay": st.column_config.NumberColumn(
            "Expected marginal pay",
            format=printf_money(currency, ".2f"),
            help=explain.FIGURES["expected_marginal_pay"],
        ),
        "hours": st.column_config.NumberColumn("Selling hours", format="%,.0f"),
        "time_share": st.column_config.NumberColumn("Share of time", format="%.1f %%"),
        "share": st.column_config.NumberColumn("Market share", format="%.1f %%"),
    },
)
