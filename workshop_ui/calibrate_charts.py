"""The Calibrate page's chart: a product's win rate against its price relative to list."""

from __future__ import annotations

import altair as alt
import pandas as pd

from workshop_ui.charts import PARTY_COLOURS, STATUS_QUO, layered

PRIOR_COLOUR = PARTY_COLOURS[STATUS_QUO]
PRIOR_LABEL = "Prior (stated elasticity)"


def win_rate_chart(
    curve: pd.DataFrame, binned: pd.DataFrame, colour: str, today: float | None
) -> alt.TopLevelMixin:
    """Fitted win probability with its 90 % band, the prior's curve (dashed) through the same
    point at today's price, and the deals behind it in groups of similar price (dots sized by
    deals).

    ``curve``: ``relative_price``, ``fitted``, ``low``, ``high``, ``prior`` (fractions; may be
    empty when the product was not fitted). ``binned``: ``relative_price``, ``win_rate``,
    ``deals``. ``today``: today's price relative to list, marked with a rule.
    """
    x = alt.X("relative_price:Q", title="Price relative to list", scale=alt.Scale(zero=False),
              axis=alt.Axis(format=".0%", tickCount=5))  # fmt: skip
    y = alt.Y("win_rate:Q", title="Win rate", axis=alt.Axis(format=".0%", tickCount=5))
    layers = []
    if not curve.empty:
        lines = curve.melt(
            id_vars=["relative_price"], value_vars=["fitted", "prior"], var_name="curve",
            value_name="win_rate",
        ).replace({"curve": {"fitted": "Fitted", "prior": PRIOR_LABEL}})  # fmt: skip
        band = (
            alt.Chart(curve)
            .mark_area(opacity=0.2, color=colour)
            .encode(x=x, y=alt.Y("low:Q"), y2=alt.Y2("high:Q"))
        )
        line = (
            alt.Chart(lines)
            .mark_line(strokeWidth=3)
            .encode(
                x=x, y=y,
                color=alt.Color("curve:N", title=None, scale=alt.Scale(
                    domain=["Fitted", PRIOR_LABEL], range=[colour, PRIOR_COLOUR]
                )),
                strokeDash=alt.StrokeDash("curve:N", legend=None, scale=alt.Scale(
                    domain=["Fitted", PRIOR_LABEL], range=[[1, 0], [6, 4]]
                )),
                tooltip=[
                    alt.Tooltip("curve:N", title="Curve"),
                    alt.Tooltip("relative_price:Q", title="Price / list", format=".1%"),
                    alt.Tooltip("win_rate:Q", title="Win rate", format=".1%"),
                ],
            )
        )  # fmt: skip
        layers += [band, line]
    if not binned.empty:
        dots = (
            alt.Chart(binned)
            .mark_circle(color="#222222", opacity=0.75)
            .encode(
                x=x, y=y,
                size=alt.Size("deals:Q", title="Deals", legend=None,
                              scale=alt.Scale(range=[30, 220])),
                tooltip=[
                    alt.Tooltip("relative_price:Q", title="Mean price / list", format=".1%"),
                    alt.Tooltip("win_rate:Q", title="Win rate in the group", format=".1%"),
                    alt.Tooltip("deals:Q", title="Deals", format=","),
                ],
            )
        )  # fmt: skip
        layers.append(dots)
    if today is not None:
        marker = pd.DataFrame({"relative_price": [today], "label": ["Today's price"]})
        layers.append(
            alt.Chart(marker)
            .mark_rule(strokeDash=[2, 3], color="#555555", strokeWidth=2)
            .encode(x=alt.X("relative_price:Q"), tooltip=[alt.Tooltip("label:N", title="Marker"),
                    alt.Tooltip("relative_price:Q", title="Price / list", format=".1%")])
        )  # fmt: skip
    return layered(*layers, height=300)
