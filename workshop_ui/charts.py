"""Altair chart builders, readable on a projector and consistent across pages.

Colours carry meaning, pinned with ``alt.Scale(domain=..., range=...)`` so they never shift:

- one colour per **product**, in the scenario's product order (:func:`product_scale`);
- one colour per **party**: leadership, sales, status quo, working (:func:`party_scale`);
- one colour per goal **status**: met, near, missed.

Every builder takes a tidy ``DataFrame`` plus plain values and returns an Altair chart; none
calls Streamlit, so each can be tested through ``chart.to_dict()``. Show one with :func:`show`.

Money is in the scenario's currency, which a builder that shows money takes from its caller
(``currency``, an ISO code): the chart carries that currency's locale (:func:`chart_config`), so
its axes read "€4.8M" and its tooltips "€4,790,000", and percentages "47.2 %".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from contextvars import ContextVar

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st
from altair.vegalite.data import default_data_transformer
from streamlit.dataframe_util import convert_anything_to_arrow_bytes

from workshop_ui.formatting import (
    D3_MONEY,
    D3_PERCENT,
    D3_PERCENT_AXIS,
    chart_locale,
    format_value,
    money_axis_labels,
)
from workshop_ui.presenting import styled

# Altair validates every object against the Vega-Lite schema as it is built, which costs more
# than drawing the chart on every rerun. Each builder's finished spec is validated in
# tests/test_charts.py instead (``to_dict()`` still validates whenever asked to).
alt.utils.schemapi.disable_debug_mode()

# Okabe–Ito, readable by colour-blind viewers, then Tableau for scenarios with many products.
PRODUCT_PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
    "#4E79A7", "#F28E2B", "#59A14F", "#B07AA1", "#76B7B2", "#EDC948", "#FF9DA7",
)  # fmt: skip
LEADERSHIP, SALES, STATUS_QUO, WORKING = "Leadership", "Sales", "Status quo", "Working"
PARTY_COLOURS = {
    LEADERSHIP: "#3A3F9E",
    SALES: "#C2410C",
    STATUS_QUO: "#A3A3A3",
    WORKING: "#0F766E",
}
STATUS_COLOURS = {"met": "#2E7D32", "near": "#E0A000", "missed": "#C62828"}
# The same statuses as Streamlit badge colours, and an icon each so colour is never alone.
STATUS_BADGES = {"met": "green", "near": "orange", "missed": "red"}
STATUS_ICONS = {
    "met": ":material/check_circle:",
    "near": ":material/error:",
    "missed": ":material/cancel:",
}
PUSH_CONTENT = "Push content"
PUSH_CONTENT_COLOUR = "#6B7280"
# Streamlit fits legend, axes and plot into this height, so it is the whole chart's.
CHART_HEIGHT = 340


def product_colours(product_names: Sequence[str]) -> dict[str, str]:
    """The colour of each product, by position in the scenario (the same on every page)."""
    palette = PRODUCT_PALETTE
    return {name: palette[i % len(palette)] for i, name in enumerate(product_names)}


def product_scale(product_names: Sequence[str]) -> alt.Scale:
    colours = product_colours(product_names)
    return alt.Scale(domain=list(colours), range=list(colours.values()))


def party_scale(parties: Sequence[str] = tuple(PARTY_COLOURS)) -> alt.Scale:
    return alt.Scale(domain=list(parties), range=[PARTY_COLOURS[p] for p in parties])


def status_scale() -> alt.Scale:
    return alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values()))


def show(chart: alt.TopLevelMixin) -> None:
    """Draw ``chart`` at the full width of its column.

    The spec is not validated against the Vega-Lite schema here: that costs more than building
    the chart, on every rerun, and every builder's spec is validated in ``tests/test_charts.py``.
    """
    show_spec(spec_of(styled(chart)))


def spec_of(chart: alt.TopLevelMixin) -> dict:
    """``chart``'s Vega-Lite spec, sized by its column (Altair's default theme says 300 px).

    Frames stay frames, as named datasets (Streamlit sends them to the browser as Arrow):
    Altair would first write every row out as JSON-safe values, which costs more than the rest
    of the chart.
    """
    token = _FRAMES.set({})
    try:
        spec = chart.to_dict(validate=False)
        frames = _FRAMES.get()
    finally:
        _FRAMES.reset(token)
    if frames:
        spec["datasets"] = {**spec.get("datasets", {}), **frames}
    spec.get("config", {}).get("view", {}).pop("continuousWidth", None)
    return spec


def padded_domain(values: Sequence[float] | np.ndarray, pad: float = 0.08) -> list[float]:
    """An axis range around ``values`` with ``pad`` of their range either side, out to a power
    of ten (a tenth of the range or less): a small shift of the values keeps the range, so a
    spec kept from an earlier run stays the same and the browser swaps the chart's rows
    instead of drawing it anew."""
    span = np.asarray(values, dtype=float)
    margin = max(float(np.ptp(span)) * pad, abs(float(span.mean())) * 1e-3, 1e-9)
    low, high = float(span.min()) - margin, float(span.max()) + margin
    step = 10.0 ** math.floor(math.log10((high - low) / 10))
    return [math.floor(low / step) * step, math.ceil(high / step) * step]


def arrow_bytes(data: pd.DataFrame | pa.Table) -> bytes:
    """A chart's dataset as the Arrow bytes Streamlit sends to the browser."""
    return convert_anything_to_arrow_bytes(data)


def arrow_datasets(spec: dict) -> dict:
    """``spec`` with its frames as the Arrow bytes Streamlit would send: a spec kept across
    reruns is then not converted again on each one (for thousands of points, the larger part
    of drawing it)."""
    datasets = spec.get("datasets")
    if not datasets:
        return spec
    return {
        **spec,
        "datasets": {
            name: arrow_bytes(data) if isinstance(data, pd.DataFrame) else data
            for name, data in datasets.items()
        },
    }


# The frames of the chart being turned into a spec on this thread (None: Altair's own way).
_FRAMES: ContextVar[dict[str, pd.DataFrame] | None] = ContextVar("chart_frames", default=None)


def _frames_by_name(data: object, **options: object) -> object:
    """Altair's data step: a frame of a chart in :func:`spec_of` becomes a named dataset;
    anything else goes Altair's default way."""
    frames = _FRAMES.get()
    if frames is None or not isinstance(data, pd.DataFrame):
        return default_data_transformer(data, **options)
    name = next((n for n, frame in frames.items() if frame is data), f"frame-{len(frames)}")
    frames[name] = data
    return {"name": name}


alt.data_transformers.register("frames_by_name", _frames_by_name)
alt.data_transformers.enable("frames_by_name")


def show_spec(spec: dict) -> None:
    """Draw a spec from :func:`spec_of` (kept from an earlier run) at its column's width."""
    st.vega_lite_chart(spec, width="stretch")


def _product_axis(count: int) -> alt.Axis:
    """Product names under bars: level while four fit, slanted beyond, never dropped."""
    return alt.Axis(labelAngle=0 if count <= 4 else -30, labelLimit=160, labelOverlap=False)


def money_axis(**properties: object) -> alt.Axis:
    """An axis of money in the chart's currency, scaled as the pages write money: "€4.8M",
    "$600", "CHF 250k" (d3's own short format would write a billion "1G")."""
    return alt.Axis(format=D3_MONEY, labelExpr=money_axis_labels(), **properties)


def _axis(kind: str, **properties: object) -> alt.Axis:
    if kind == "money":
        return money_axis(**properties)
    return alt.Axis(format=D3_PERCENT_AXIS if kind == "fraction" else ",.0f", **properties)


def _tooltip_format(kind: str) -> str:
    return {"money": D3_MONEY, "fraction": D3_PERCENT}.get(kind, ",.0f")


def chart_config(currency: str | None = None) -> alt.Config:
    """The shared configuration, in the locale of ``currency`` (None for a chart without money):
    large type for the back of the room, legends on top so charts fit narrow columns."""
    return alt.Config(
        axis=alt.AxisConfig(labelFontSize=13, titleFontSize=14, grid=True, gridOpacity=0.4),
        legend=alt.LegendConfig(labelFontSize=13, titleFontSize=13, orient="top", symbolSize=120),
        view=alt.ViewConfig(strokeWidth=0),
        locale=chart_locale(currency),
    )


def _readable(
    chart: alt.TopLevelMixin, height: int = CHART_HEIGHT, currency: str | None = None
) -> alt.TopLevelMixin:
    """``chart`` with the shared configuration and a whole-chart ``height`` in pixels."""
    return chart.properties(height=height, config=chart_config(currency))


def layered(
    *layers: alt.Chart,
    height: int,
    currency: str | None = None,
    independent_colours: bool = False,
) -> alt.LayerChart:
    """Layers as one chart with the shared configuration, built in one step: every chained
    ``resolve_scale`` or ``properties`` call would copy the whole chart again."""
    resolve = alt.Resolve(scale=alt.ScaleResolveMap(color="independent"))
    return alt.LayerChart(
        layer=list(layers),
        height=height,
        config=chart_config(currency),
        resolve=resolve if independent_colours else alt.Undefined,
    )


def payout_curve_chart(
    curve: pd.DataFrame, cap: float | None, target_variable_pay: float, *, currency: str
) -> alt.TopLevelMixin:
    """Variable pay of one rep against quota attainment, with quota, cap and target pay marked.

    ``curve``: ``attainment`` (fraction, 1.0 = quota) and ``pay`` (money per rep per period, in
    ``currency``).
    """
    line = (
        alt.Chart(curve)
        .mark_line(strokeWidth=3, color=PARTY_COLOURS[SALES])
        .encode(
            x=alt.X(
                "attainment:Q", title="Quota attainment", axis=alt.Axis(format=D3_PERCENT_AXIS)
            ),
            y=alt.Y(
                "pay:Q", title="Variable pay per rep (per period)", axis=money_axis(),
            ),
            tooltip=[
                alt.Tooltip("attainment:Q", title="Attainment", format=D3_PERCENT_AXIS),
                alt.Tooltip("pay:Q", title="Variable pay", format=D3_MONEY),
            ],
        )
    )  # fmt: skip
    at_quota = pd.DataFrame({"label": ["Quota"], "attainment": [1.0]})
    quota = (
        alt.Chart(at_quota)
        .mark_rule(strokeDash=[6, 3], color="#555555")
        .encode(x=alt.X("attainment:Q"), tooltip=[alt.Tooltip("label:N", title="Marker")])
    )
    quota_label = (
        alt.Chart(at_quota)
        .mark_text(align="left", baseline="bottom", dx=4, dy=-4, fontSize=13, color="#333333")
        .encode(x=alt.X("attainment:Q"), y=alt.YValue(0), text=alt.Text("label:N"))
    )
    levels = [{"label": "Target variable pay (OTE − base)", "pay": target_variable_pay}]
    if cap is not None:
        levels.append({"label": "Cap", "pay": cap})
    level_rules = (
        alt.Chart(pd.DataFrame(levels))
        .mark_rule(strokeDash=[2, 3], color="#555555")
        .encode(
            y=alt.Y("pay:Q"),
            tooltip=[
                alt.Tooltip("label:N", title="Marker"),
                alt.Tooltip("pay:Q", title="Pay", format=D3_MONEY),
            ],
        )
    )
    labels = (
        alt.Chart(pd.DataFrame(levels))
        .mark_text(align="left", dx=4, dy=-8, fontSize=13, color="#333333")
        .encode(x=alt.XValue(0), y=alt.Y("pay:Q"), text=alt.Text("label:N"))
    )
    return layered(line, quota, quota_label, level_rules, labels, height=340, currency=currency)


def grouped_bars(
    data: pd.DataFrame,
    value_title: str,
    kind: str,
    groups: Sequence[str],
    group_title: str = "",
    *,
    currency: str | None = None,
) -> alt.TopLevelMixin:
    """Bars per product, side by side per party (e.g. status quo against working).

    ``data``: ``name`` (product), ``group`` (a key of :data:`PARTY_COLOURS`), ``value``.
    ``kind`` is ``money``, ``fraction``, ``units`` or ``hours`` and sets axis formats; money
    is in ``currency``, which money bars need.
    """
    if kind == "money" and currency is None:
        raise ValueError("bars of money need the scenario's currency")
    names = list(dict.fromkeys(data["name"]))
    return _readable(
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("name:N", title=None, sort=names, axis=_product_axis(len(names))),
            xOffset=alt.XOffset("group:N", sort=list(groups)),
            y=alt.Y("value:Q", title=value_title, axis=_axis(kind, tickCount=5)),
            color=alt.Color("group:N", title=group_title or None, scale=party_scale(groups)),
            tooltip=[
                alt.Tooltip("name:N", title="Product"),
                alt.Tooltip("group:N", title=group_title or "Scenario"),
                alt.Tooltip("value:Q", title=value_title, format=_tooltip_format(kind)),
            ],
        ),
        currency=currency,
    )


def compared(before: pd.DataFrame, after: pd.DataFrame, column: str) -> pd.DataFrame:
    """One ``column`` of two product tables, long: ``name``, ``group``, ``value`` for bars.

    ``before`` is the status quo, ``after`` the working scenario; products are matched by id,
    so a product only one of them has still shows (with no bar for the other).
    """
    return pd.concat(
        [
            pd.DataFrame({"name": before["name"], "group": STATUS_QUO, "value": before[column]}),
            pd.DataFrame({"name": after["name"], "group": WORKING, "value": after[column]}),
        ],
        ignore_index=True,
    )


def comparison_chart(
    before: pd.DataFrame,
    after: pd.DataFrame,
    column: str,
    title: str,
    kind: str,
    *,
    currency: str | None = None,
) -> alt.TopLevelMixin:
    """Status quo beside working, per product, for one column of the product tables; money
    (``kind="money"``) in ``currency``."""
    return grouped_bars(
        compared(before, after, column), title, kind, (STATUS_QUO, WORKING), currency=currency
    )


def hours_mix_chart(products: pd.DataFrame) -> alt.TopLevelMixin:
    """The hours mix the plan pays for (sales) beside the mix leadership asks for, per product.

    ``products``: ``alignment.tables.product_table`` (``name``, ``pay_hours``, ``asked_hours``).
    """
    data = pd.concat(
        [
            pd.DataFrame(
                {"name": products["name"], "group": SALES, "value": products["pay_hours"]}
            ),
            pd.DataFrame(
                {"name": products["name"], "group": LEADERSHIP, "value": products["asked_hours"]}
            ),
        ],
        ignore_index=True,
    )
    return grouped_bars(
        data, "Selling hours per period", "hours", (SALES, LEADERSHIP), "Mix wanted by"
    )


def scorecard_chart(card: pd.DataFrame, *, currency: str) -> alt.TopLevelMixin:
    """Each leadership goal as a share of its target, coloured met / near / missed.

    ``card``: ``alignment.tables.scorecard`` (index: goal; ``label``, ``target``, ``value``,
    ``status``). Contribution is money (in ``currency``), the other goals fractions.
    """
    kinds = ["money" if goal == "contribution" else "fraction" for goal in card.index]
    data = pd.DataFrame(
        {
            "label": card["label"].to_numpy(),
            "attainment": (card["value"] / card["target"]).to_numpy(),
            "status": card["status"].to_numpy(),
            "value_text": [
                f"{format_value(v, k, currency)} vs target {format_value(t, k, currency)}: {status}"
                for v, t, k, status in zip(
                    card["value"], card["target"], kinds, card["status"], strict=True
                )
            ],
        }
    )
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", title=None, sort=list(data["label"]), axis=alt.Axis(labelLimit=220))
    )
    bars = base.mark_bar(height=28).encode(
        x=alt.X(
            "attainment:Q",
            title="Achieved, as a share of target",
            axis=alt.Axis(format=D3_PERCENT_AXIS, tickCount=8),
            scale=alt.Scale(domain=[0, max(1.6, float(data["attainment"].max()) * 1.05)]),
        ),
        color=alt.Color("status:N", title="Status", scale=status_scale()),
        tooltip=[
            alt.Tooltip("label:N", title="Goal"),
            alt.Tooltip("value_text:N", title="Achieved"),
            alt.Tooltip("attainment:Q", title="Share of target", format=D3_PERCENT_AXIS),
            alt.Tooltip("status:N", title="Status"),
        ],
    )
    # The target as a mark across each bar only, so it never strikes through the words below.
    target = base.mark_tick(color="#222222", thickness=2, size=32).encode(x=alt.datum(1.0))
    # Under its bar, from the axis: beside the bar's end the words ran off a phone's screen.
    text = base.mark_text(align="left", baseline="top", dy=17, fontSize=14, color="#222222").encode(
        x=alt.value(0), text=alt.Text("value_text:N")
    )
    return layered(bars, target, text, height=72 * len(data) + 130, currency=currency)


def factor_chart(data: pd.DataFrame) -> alt.TopLevelMixin:
    """Motivation's three factors (0–1), status quo beside working.

    ``data``: ``factor``, ``group`` (``Status quo`` / ``Working``), ``value`` (fraction).
    """
    factors = list(dict.fromkeys(data["factor"]))
    groups = [g for g in (STATUS_QUO, WORKING) if g in set(data["group"])]
    return _readable(
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("factor:N", title=None, sort=factors, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("group:N", sort=groups),
            y=alt.Y(
                "value:Q", title="Factor (1 = full)", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format=D3_PERCENT_AXIS),
            ),
            color=alt.Color("group:N", title=None, scale=party_scale(groups)),
            tooltip=[
                alt.Tooltip("factor:N", title="Factor"),
                alt.Tooltip("group:N", title="Scenario"),
                alt.Tooltip("value:Q", title="Value", format=D3_PERCENT),
            ],
        )
    )  # fmt: skip


def budget_chart(
    data: pd.DataFrame, product_names: Sequence[str], *, currency: str
) -> alt.TopLevelMixin:
    """The marketing budget per scenario, stacked by use: lead generation per product, content.

    ``data``: ``group`` (``Status quo`` / ``Working``), ``use`` (a product name or
    :data:`PUSH_CONTENT`), ``spend`` (money per period, in ``currency``). Only uses with spend
    in either scenario appear in the legend; each keeps its product colour.
    """
    colours = product_colours(product_names)
    colours[PUSH_CONTENT] = PUSH_CONTENT_COLOUR
    funded = set(data.loc[data["spend"] > 0, "use"])
    uses = [use for use in colours if use in funded] or [PUSH_CONTENT]
    spent = data[data["use"].isin(uses)]
    ordered = spent.assign(order=spent["use"].map({u: i for i, u in enumerate(uses)}))
    return _readable(
        alt.Chart(ordered)
        .mark_bar(height=34)
        .encode(
            y=alt.Y("group:N", title=None, sort=[STATUS_QUO, WORKING]),
            x=alt.X("spend:Q", title="Marketing spend (per period)", axis=money_axis()),
            color=alt.Color(
                "use:N", title="Spent on",
                scale=alt.Scale(domain=uses, range=[colours[use] for use in uses]),
                legend=alt.Legend(columns=3, labelLimit=200),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("group:N", title="Scenario"),
                alt.Tooltip("use:N", title="Spent on"),
                alt.Tooltip("spend:Q", title="Spend", format=D3_MONEY),
            ],
        ),
        height=260,
        currency=currency,
    )  # fmt: skip
