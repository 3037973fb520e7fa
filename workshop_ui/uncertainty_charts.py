"""Charts of how sure we are: a band per figure, and which input decides each side's gain.

Builders take tidy frames and plain values and return Altair charts; none calls Streamlit, so
each is tested through ``chart.to_dict()``. Colours are pinned: one per plan (the status quo
grey, as everywhere) and one per party.
"""

from __future__ import annotations

import copy
import functools
import math
from collections.abc import Callable, Sequence

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa

from alignment.sensitivity import Ranking
from alignment.uncertainty import FIGURES, PlanUncertainty
from workshop_ui.charts import (
    LEADERSHIP,
    PARTY_COLOURS,
    PRODUCT_PALETTE,
    SALES,
    STATUS_QUO,
    arrow_bytes,
    chart_config,
    money_axis,
    padded_domain,
    spec_of,
)
from workshop_ui.formatting import D3_MONEY, D3_PERCENT, D3_PERCENT_AXIS

# The inputs the ranking chart shows, most decisive first; the rest are named in words.
TOP_INPUTS = 8
_ROW = 34  # pixels per plan in a band chart
_FRAME = 80  # title and axis of a band chart, pixels
# Bands are narrow: a fraction needs its tenth of a point for the ticks to differ.
_AXIS_FORMATS = {"fraction": D3_PERCENT, "score": ".0f"}
_TIP_FORMATS = {"money": D3_MONEY, "fraction": D3_PERCENT, "score": ".1f"}
# Plans other than the status quo, in the order they are listed.
PLAN_PALETTE = (PARTY_COLOURS["Working"], *PRODUCT_PALETTE[1:])


def plan_colours(names: Sequence[str]) -> dict[str, str]:
    """The status quo grey; every other plan a colour of its own, by position."""
    others = iter(PLAN_PALETTE)
    return {
        name: PARTY_COLOURS[STATUS_QUO] if name == STATUS_QUO else next(others) for name in names
    }


def band_frame(found: Sequence[PlanUncertainty], field: str) -> pd.DataFrame:
    """One row per plan: ``plan``, ``low``, ``median``, ``high``, ``central`` of ``field``."""
    return pd.DataFrame(_band_rows(found, field))


def dot_frame(found: Sequence[PlanUncertainty], field: str) -> pd.DataFrame:
    """Twenty dots per plan at evenly spaced quantiles: each is one chance in twenty."""
    return pd.DataFrame(_dot_rows(found, field))


def _band_rows(found: Sequence[PlanUncertainty], field: str) -> list[dict[str, object]]:
    return [
        {"plan": plan.name, "low": plan.bands[field].low, "median": plan.bands[field].median,
         "high": plan.bands[field].high, "central": plan.bands[field].central}
        for plan in found
    ]  # fmt: skip


def _dot_rows(found: Sequence[PlanUncertainty], field: str) -> list[dict[str, object]]:
    return [
        {"plan": plan.name, "value": float(value)}
        for plan in found
        for value in plan.quantiles[field]
    ]


def band_chart(
    found: Sequence[PlanUncertainty], field: str, title: str, kind: str, *, currency: str
) -> alt.LayerChart:
    """One figure for every plan: the 10–90 % band as a bar, a dot for each twentieth of the
    draws (a quantile dot plot), and the median as a dark tick; the tooltip adds the figure at
    the stated values. Money is in ``currency``."""
    bands, dots = band_frame(found, field), dot_frame(found, field)
    return _band_layers(
        bands, dots, tuple(plan.name for plan in found), band_domain(bands, dots), title, kind,
        currency,
    )  # fmt: skip


def band_spec(
    found: Sequence[PlanUncertainty],
    field: str,
    title: str,
    kind: str,
    *,
    currency: str,
    styled: Callable[[alt.LayerChart], alt.LayerChart] | None = None,
) -> dict:
    """:func:`band_chart`'s Vega-Lite spec, ``styled`` (e.g. for the big screen), built from a
    template kept per figure and set of plans: only the data and the axis range are new, so
    a new set of bands costs no Altair chart."""
    names = tuple(plan.name for plan in found)
    spec = copy.deepcopy(_band_template(field, title, kind, names, currency, styled))
    # The rows of band_frame and dot_frame, without a frame's cost on a rerun.
    bands, dots = _band_rows(found, field), _dot_rows(found, field)
    # As the Arrow bytes Streamlit sends, made straight from the rows (through a frame they
    # cost a few milliseconds each, eighteen times a rerun).
    spec["datasets"] = {
        _BANDS: arrow_bytes(pa.Table.from_pylist(bands)),
        _DOTS: arrow_bytes(pa.Table.from_pylist(dots)),
    }
    span = [row[key] for row in bands for key in ("low", "high", "central")]
    domain = padded_domain([*span, *(row["value"] for row in dots)])
    for layer in spec["layer"]:
        layer["encoding"]["x"]["scale"]["domain"] = domain
    return spec


def band_domain(bands: pd.DataFrame, dots: pd.DataFrame) -> list[float]:
    """The axis range of a band chart: every band, median and dot, with a little room."""
    span = np.concatenate([bands[["low", "high", "central"]].to_numpy().ravel(), dots["value"]])
    return padded_domain(span)


_BANDS, _DOTS = "bands", "dots"


@functools.lru_cache(maxsize=256)
def _band_template(
    field: str,
    title: str,
    kind: str,
    names: tuple[str, ...],
    currency: str,
    styled: Callable[[alt.LayerChart], alt.LayerChart] | None,
) -> dict:
    chart = _band_layers(
        alt.Data(name=_BANDS), alt.Data(name=_DOTS), names, [0.0, 1.0], title, kind, currency
    )
    return spec_of(styled(chart) if styled is not None else chart)


def _band_layers(
    bands: pd.DataFrame | alt.Data, dots: pd.DataFrame | alt.Data, names: tuple[str, ...],
    domain: list[float], title: str, kind: str, currency: str,
) -> alt.LayerChart:  # fmt: skip
    colours = plan_colours(names)
    x_scale = alt.Scale(domain=domain, nice=False)
    axis = (
        money_axis(tickCount=4, title=None) if kind == "money"
        else alt.Axis(format=_AXIS_FORMATS.get(kind, ",.0f"), tickCount=4, title=None)
    )  # fmt: skip
    y = alt.Y("plan:N", sort=list(names), title=None, axis=alt.Axis(labelLimit=140))
    colour = alt.Color(
        "plan:N", scale=alt.Scale(domain=list(names), range=list(colours.values())), legend=None
    )
    tip = _TIP_FORMATS.get(kind, ",.0f")
    tooltip = [
        alt.Tooltip("plan:N", title="Plan"),
        alt.Tooltip("median:Q", title="Median", format=tip),
        alt.Tooltip("low:Q", title="10 % of draws below", format=tip),
        alt.Tooltip("high:Q", title="10 % of draws above", format=tip),
        alt.Tooltip("central:Q", title="At the stated values", format=tip),
    ]
    bar = (
        alt.Chart(bands)
        .mark_bar(height=14, opacity=0.35, cornerRadius=3)
        .encode(x=alt.X("low:Q", scale=x_scale, axis=axis), x2="high:Q", y=y, color=colour,
                tooltip=tooltip)
    )  # fmt: skip
    points = (
        alt.Chart(dots)
        .mark_circle(size=38, opacity=0.8)
        .encode(x=alt.X("value:Q", scale=x_scale), y=y, color=colour,
                tooltip=[alt.Tooltip("plan:N", title="Plan"),
                         alt.Tooltip("value:Q", title="One draw in twenty near", format=tip)])
    )  # fmt: skip
    median = (
        alt.Chart(bands)
        .mark_tick(thickness=3, size=22, color="#111827")
        .encode(x=alt.X("median:Q", scale=x_scale), y=y, tooltip=tooltip)
    )
    return alt.LayerChart(
        layer=[bar, points, median],
        height=_ROW * len(names) + _FRAME,
        title=alt.TitleParams(title, anchor="start", fontSize=14),
        config=chart_config(currency),
    )


def ranking_frame(ranking: Ranking, top: int = TOP_INPUTS) -> pd.DataFrame:
    """The most decisive inputs: ``input``, ``party``, ``share`` (0–1), ``mu_star``, ``rank``.

    Inputs that move neither side's gain are left out.
    """
    rows = []
    moving = [i for i in ranking.influences if i.leadership > 0.0 or i.reps > 0.0][:top]
    for rank, influence in enumerate(moving):
        for party, share, mu in (
            (LEADERSHIP, influence.leadership_share, influence.leadership),
            (SALES, influence.reps_share, influence.reps),
        ):
            rows.append({"input": influence.parameter.label, "party": party, "share": share,
                         "mu_star": mu, "rank": rank})  # fmt: skip
    return pd.DataFrame(rows, columns=["input", "party", "share", "mu_star", "rank"])


def _share_axis_end(shares: pd.Series) -> float:
    """Up to the next 5 %: a ranking that shifts a little keeps its axis (and its spec)."""
    return max(1, math.ceil(round(float(shares.max() or 0) / 0.05, 9))) * 0.05


def ranking_chart(ranking: Ranking, reps_unit: str = "money per rep") -> alt.Chart:
    """One horizontal bar per input and side: its share of all the inputs' influence on that
    side's gain (Morris μ*), the most decisive input on top."""
    frame = ranking_frame(ranking)
    order = list(dict.fromkeys(frame["input"]))
    parties = [LEADERSHIP, SALES]
    labels = {LEADERSHIP: "Leadership", SALES: "Reps"}
    frame = frame.assign(side=frame["party"].map(labels))
    return (
        alt.Chart(frame)
        .mark_bar(cornerRadiusEnd=3)
        .encode(
            # Long input names are cut (the tooltip holds them) so a phone keeps room for bars.
            y=alt.Y("input:N", sort=order, title=None, axis=alt.Axis(labelLimit=140)),
            yOffset=alt.YOffset("side:N", sort=[labels[p] for p in parties]),
            # The title ends where the bars do: centred, it ran off a phone's screen.
            x=alt.X("share:Q", title="Share of the swing in each gain",
                    axis=alt.Axis(format=D3_PERCENT_AXIS, tickCount=4, titleAnchor="end"),
                    scale=alt.Scale(domain=[0, _share_axis_end(frame["share"])])),
            color=alt.Color(
                "side:N", title=None,
                scale=alt.Scale(domain=[labels[p] for p in parties],
                                range=[PARTY_COLOURS[p] for p in parties]),
                legend=alt.Legend(orient="top", direction="horizontal"),
            ),
            tooltip=[
                alt.Tooltip("input:N", title="Input"),
                alt.Tooltip("side:N", title="Side"),
                alt.Tooltip("share:Q", title="Share of the influence", format=D3_PERCENT_AXIS),
                alt.Tooltip("mu_star:Q", title=f"Typical change in the gain ({reps_unit} for "
                            "reps, money per period for leadership)", format=",.0f"),
            ],
        )
        .properties(height=max(120, 44 * len(order)), config=chart_config())
    )  # fmt: skip


FIGURE_KINDS = {name: kind for name, _, kind in FIGURES}
