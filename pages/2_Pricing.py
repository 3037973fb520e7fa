import pandas as pd
import streamlit as st

from alignment.pricing import UNBOUNDED_PRICE_SWING, out_of_reach_spans
from workshop_ui import charts, controls, explain, layout, model, presenting, state, tables
from workshop_ui.charts import LEADERSHIP, SALES, STATUS_QUO, WORKING
from workshop_ui.formatting import currency_symbol, delta, money, percent, printf_money
from workshop_ui.price_charts import price_curve_spec

st.set_page_config(layout="wide", page_title="Pricing · Alignment workshop")
state.ensure_state()
layout.sidebar()


def price_text(price: float | None, edge: str | None, below_cost: bool) -> str:
    """A preferred price as Markdown: "at least" or "at most" where the search range cut it off."""
    if price is None:
        return "any price"
    shown = {"low": "at most ", "high": "at least "}.get(edge or "", "") + money(price)
    return layout.literal(shown + (" (below unit cost)" if below_cost else ""))


st.title("Pricing")
st.caption(
    "Move a price and watch share respond. Each curve shows a product's market share over its "
    "price range with everything else held, reps re-planning their hours at each price."
)
layout.headline_metrics()

scenario, status_quo = state.working(), state.status_quo()
currency = scenario.metadata.currency
symbol = currency_symbol(currency)
names = [p.name for p in scenario.products]
shares = model.products(scenario, status_quo)["share"]
before = model.products(status_quo, status_quo)["share"]
curves = model.price_curves(scenario, status_quo)
preferences = model.price_preferences(scenario, status_quo)
for start in range(0, len(scenario.products), 3):
    row = scenario.products[start : start + 3]
    for column, product in zip(st.columns(3, gap="medium"), row, strict=False):
        with column, st.container(border=True):
            st.subheader(layout.literal(product.name))
            low, high = model.price_range(scenario, product.id)
            agreed = scenario.negotiation.prices.get(product.id)
            note = f"Reference {money(product.reference_price)}, cost {money(product.unit_cost)}."
            if agreed:
                note += f" Negotiation range {money(agreed.min)}–{money(agreed.max)}."
            controls.slider_with_entry(
                f"price_{product.id}", f"products.{product.id}.price",
                f"Price ({symbol} per unit)", f"{product.name} price ({symbol})",
                min_value=low, max_value=high, step=model.price_step(product.reference_price),
                format=printf_money(currency), help=note,
                why="the negotiation range agreed for this price" if agreed
                else f"{percent(UNBOUNDED_PRICE_SWING, 0)} either side of the reference price",
            )  # fmt: skip
            change = delta(shares[product.id] - before[product.id], "fraction")
            preference = preferences[product.id]
            rep_price = preference.rep_preferred_price
            st.metric(
                "Market share", percent(shares[product.id]), delta=change.text,
                delta_color=change.color, help=explain.FIGURES["share"],
                delta_arrow="auto" if change.color != "off" else "off",
            )  # fmt: skip
            reps_pick = price_text(
                rep_price, preference.rep_price_at_edge, preference.rep_price_below_cost
            )
            best = price_text(
                preference.best_price, preference.best_price_at_edge,
                preference.best_price_below_cost,
            )  # fmt: skip
            st.markdown(
                f"Reps would pick **{reps_pick}** · best for leadership **{best}**",
                help=f"{explain.FIGURES['rep_price']} {explain.FIGURES['best_price']} "
                f"{explain.FIGURES['price_edge']}",
            )
            markers = [
                ("Reference price", product.reference_price, STATUS_QUO, "full"),
                ("Current price", product.price, WORKING, "full"),
                ("Leadership's best", preference.best_price, LEADERSHIP, "upper"),
            ]
            if rep_price is not None:
                markers.append(("Reps' pick", rep_price, SALES, "lower"))
            curve = curves[curves["product"] == product.id]
            charts.show_spec(
                price_curve_spec(
                    curve.assign(name=product.name),
                    names,
                    pd.DataFrame(markers, columns=["label", "price", "party", "span"]),
                    currency=currency,
                    presents=presenting.is_on(),
                )
            )
            unreachable = explain.out_of_reach_prices(
                out_of_reach_spans(curve["price"].to_numpy(), curve["out_of_reach"].to_numpy()),
                low, high, hours_respond=scenario.sales_team.effort_response > 0,
            )  # fmt: skip
            if unreachable is not None:
                st.caption(unreachable)

st.subheader("Cannibalisation the model assumes")
st.html(
    tables.cross_elasticity_html(
        model.cross_elasticities(scenario, status_quo), "Cannibalisation the model assumes"
    )
)
st.caption(explain.FIGURES["cross_elasticity"])
