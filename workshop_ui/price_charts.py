"""The Pricing page's chart: one product's market share against its price, with the prices of
interest marked, and its spec made from a template kept per shape.

A price move changes the rows and the share axis's top, never the chart's shape: building the
Altair chart and turning it into a spec each time cost more than the model's evaluation, so the
page fills a kept spec instead (:func:`price_curve_spec`).
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd
import pyarrow as pa

from workshop_ui.charts import (
    PARTY_COLOURS,
    arrow_bytes,
    layered,
    money_axis,
    product_scale,
    spec_of,
)
from workshop_ui.formatting import D3_MONEY, D3_PERCENT, D3_PERCENT_AXIS
from workshop_ui.presenting import presented
from workshop_ui.spec_templates import KeptSpecs

__all__ = ["price_curve_chart", "price_curve_spec"]

_CURVE, _MARKS = "curve", "marks"
_TEMPLATES = KeptSpecs(64)


def price_curve_chart(
    curve: pd.DataFrame,
    product_names: Sequence[str],
    markers: pd.DataFrame,
    *,
    currency: str,
) -> alt.TopLevelMixin:
    """One product's market share against its price (in ``currency``), with prices of interest
    marked.

    ``curve``: ``name``, ``price``, ``share`` (fraction) for one product. ``markers``: ``label``,
    ``price``, ``party`` (a key of :data:`PARTY_COLOURS`) and optionally ``span``: ``full``
    (default), ``lower`` or ``upper`` half of the chart, so two markers at one price both show
    (e.g. the reps' price below, leadership's above).
    """
    marks, top = _marks(curve, markers)
    return _chart(curve, marks, top, product_names, currency)


def price_curve_spec(
    curve: pd.DataFrame,
    product_names: Sequence[str],
    markers: pd.DataFrame,
    *,
    currency: str,
    presents: bool = False,
) -> dict:
    """:func:`price_curve_chart`'s spec (``presents``: styled for the big screen), its rows as
    Arrow bytes, from a template kept per products, markers, currency and style: only the rows
    and the share axis's top are new."""
    top = _top(curve)
    shape = (
        tuple(product_names), tuple(markers["label"]), tuple(markers["party"]), currency,
        presents,
    )  # fmt: skip
    template = _TEMPLATES.get(shape)
    if template is None:
        template = _template(curve, _marks(curve, markers)[0], top, shape)
    # The rows straight to Arrow: through a frame, its text columns cost more than the chart.
    spec = _TEMPLATES.filled(template, {
        _CURVE: arrow_bytes(pa.table({
            "name": pa.array(curve["name"].tolist(), pa.string()),
            "price": curve["price"].to_numpy(dtype=float),
            "share": curve["share"].to_numpy(dtype=float),
        })),
        _MARKS: arrow_bytes(_marks_table(markers, top)),
    })  # fmt: skip
    for layer in spec["layer"]:
        layer["encoding"]["y"]["scale"]["domain"] = [0, top]
    return spec


def _template(curve: pd.DataFrame, marks: pd.DataFrame, top: float, shape: tuple) -> dict:
    """The spec of the chart of this shape, its datasets named :data:`_CURVE` and
    :data:`_MARKS` and left out (they are filled per call)."""
    product_names, _, _, currency, presents = shape
    chart = _chart(curve, marks, top, product_names, currency)
    spec = spec_of(presented(chart) if presents else chart)
    # Restyling copies the chart (its frames too, maybe): tell them apart by their columns.
    frames = spec.pop("datasets")
    names = {name: _CURVE if "share" in frame else _MARKS for name, frame in frames.items()}
    for layer in spec["layer"]:
        layer["data"] = {"name": names[layer["data"]["name"]]}
    return _TEMPLATES.keep(shape, spec)


def _top(curve: pd.DataFrame) -> float:
    """The share axis's top: a little above the curve's highest share."""
    return float(curve["share"].max()) * 1.08


def _spans(markers: pd.DataFrame) -> list[str]:
    return list(markers["span"]) if "span" in markers else ["full"] * len(markers)


def _marks(curve: pd.DataFrame, markers: pd.DataFrame) -> tuple[pd.DataFrame, float]:
    """The markers with where each rule starts and ends, and the share axis's top."""
    top = _top(curve)
    table = _marks_table(markers, top)
    return markers.assign(**{name: table[name].to_pylist() for name in _RULE_COLUMNS}), top


_RULE_COLUMNS = ("y0", "y1", "dash")


def _marks_table(markers: pd.DataFrame, top: float) -> pa.Table:
    """The markers' rows for the chart: label, price, party, and where each rule runs."""
    ends = {"full": (0.0, top, "solid"), "lower": (0.0, top / 2, "dashed"),
            "upper": (top / 2, top, "dashed")}  # fmt: skip
    rules = [ends[span] for span in _spans(markers)]
    columns = {
        "label": pa.array(markers["label"].tolist(), pa.string()),
        "price": pa.array(markers["price"].to_numpy(dtype=float)),
        "party": pa.array(markers["party"].tolist(), pa.string()),
    }
    if "span" in markers:
        columns["span"] = pa.array(markers["span"].tolist(), pa.string())
    for index, name in enumerate(_RULE_COLUMNS):
        columns[name] = pa.array([rule[index] for rule in rules])
    return pa.table(columns)


def _chart(
    curve: pd.DataFrame,
    marks: pd.DataFrame,
    top: float,
    product_names: Sequence[str],
    currency: str,
) -> alt.LayerChart:
    x = alt.X(
        "price:Q",
        title="Price (per unit)",
        axis=money_axis(tickCount=5),
        scale=alt.Scale(zero=False, nice=False),
    )
    y_scale = alt.Scale(domain=[0, top], nice=False)
    line = (
        alt.Chart(curve)
        .mark_line(strokeWidth=3)
        .encode(
            x=x,
            y=alt.Y(
                "share:Q", title="Market share", scale=y_scale,
                axis=alt.Axis(format=D3_PERCENT_AXIS, tickCount=4),
            ),
            color=alt.Color("name:N", scale=product_scale(product_names), legend=None),
            tooltip=[
                alt.Tooltip("name:N", title="Product"),
                alt.Tooltip("price:Q", title="Price", format=D3_MONEY),
                alt.Tooltip("share:Q", title="Market share", format=D3_PERCENT),
            ],
        )
    )  # fmt: skip
    rules = (
        alt.Chart(marks)
        .mark_rule(strokeWidth=3)
        .encode(
            x=alt.X("price:Q"),
            y=alt.Y("y0:Q", scale=y_scale),
            y2=alt.Y2("y1"),
            color=alt.Color(
                "label:N",
                title=None,
                scale=alt.Scale(
                    domain=list(marks["label"]),
                    range=[PARTY_COLOURS[p] for p in marks["party"]],
                ),
                legend=alt.Legend(
                    columns=1, symbolType="stroke", symbolStrokeWidth=3, labelLimit=200,
                    orient="bottom",
                ),
            ),
            strokeDash=alt.StrokeDash(
                "dash:N",
                scale=alt.Scale(domain=["solid", "dashed"], range=[[1, 0], [6, 3]]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("label:N", title="Marker"),
                alt.Tooltip("price:Q", title="Price", format=D3_MONEY),
            ],
        )
    )  # fmt: skip
    return layered(line, rules, height=380, currency=currency, independent_colours=True)
