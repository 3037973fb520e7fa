"""The Compromise page's frontier chart: its frames, the named points and the Altair builder.

Leadership's utility (money per period, drawn in millions) against the reps' (in the unit of
the room's measure): every candidate faint, the Pareto frontier as a line, and the named points
(status quo, working plan, proposals, ideals, trade-offs, the deal) on top, each kind with one
colour and one shape that never shift. Nothing here draws: the page hands the chart to
``st.altair_chart``, and tests read it through ``chart.to_dict()``.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import ClassVar

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from alignment import Plans, Scenario
from alignment import compromise as engine
from alignment.compromise import (
    REP_UTILITY_LABELS,
    REP_UTILITY_UNITS,
    Constraints,
    Deal,
    RepUtility,
    SearchResult,
    lever_matrix,
)
from alignment.storage import StoredScenario
from workshop_ui.charts import (
    LEADERSHIP,
    PARTY_COLOURS,
    SALES,
    STATUS_QUO,
    WORKING,
    money_axis,
    padded_domain,
)
from workshop_ui.compromise_proposals import ROLE_LABELS, ROLES, proposal_label
from workshop_ui.compromise_search import (
    SearchRequest,
    bargained,
    lever_unit,
    run_search,
    valued,
)
from workshop_ui.formatting import D3_MONEY, D3_PERCENT, chart_locale, money_axis_labels

__all__ = [
    "CANDIDATE",
    "CHART_KEY",
    "DEAL",
    "FRONTIER",
    "LEADERSHIP_IDEAL",
    "MILLION",
    "PICK",
    "POINT_COLOURS",
    "POINT_SHAPES",
    "POINT_SIZES",
    "PROPOSAL_KINDS",
    "REPS_IDEAL",
    "STATUS_QUO",
    "TRADE_OFF",
    "WORKING",
    "X_TITLE",
    "Y_TITLES",
    "CheckedLayerChart",
    "FrontierFrames",
    "Marker",
    "cached_spec",
    "candidate_frame",
    "frontier_chart",
    "frontier_frames",
    "lever_columns",
    "marker_for_candidate",
    "marker_for_scenario",
    "marker_frame",
    "markers",
    "numbers",
    "picked_index",
    "proposal_kind",
]

# --- Point kinds on the frontier chart: one colour and one shape each, never shifting ---------

CANDIDATE = "Candidate plans"
FRONTIER = "Pareto frontier"
DEAL = "Suggested deal"
LEADERSHIP_IDEAL = "Leadership's ideal"
REPS_IDEAL = "Reps' ideal"
TRADE_OFF = "Closest trade-off"
PROPOSAL_KINDS = {role: f"{ROLE_LABELS[role]} proposal" for role in ROLES}
POINT_COLOURS: dict[str, str] = {
    CANDIDATE: "#B8BEC8",
    FRONTIER: "#1F2937",
    STATUS_QUO: PARTY_COLOURS[STATUS_QUO],
    WORKING: PARTY_COLOURS[WORKING],
    LEADERSHIP_IDEAL: PARTY_COLOURS[LEADERSHIP],
    REPS_IDEAL: PARTY_COLOURS[SALES],
    PROPOSAL_KINDS["leadership"]: PARTY_COLOURS[LEADERSHIP],
    PROPOSAL_KINDS["sales"]: PARTY_COLOURS[SALES],
    PROPOSAL_KINDS["marketing"]: "#7C3AED",
    PROPOSAL_KINDS["facilitator"]: "#374151",
    TRADE_OFF: "#B45309",
    DEAL: "#15803D",
}
POINT_SHAPES: dict[str, str] = {
    CANDIDATE: "circle",
    FRONTIER: "stroke",
    STATUS_QUO: "square",
    WORKING: "circle",
    LEADERSHIP_IDEAL: "triangle-up",
    REPS_IDEAL: "triangle-up",
    **dict.fromkeys(PROPOSAL_KINDS.values(), "diamond"),
    TRADE_OFF: "cross",
    DEAL: "M0,-1L0.24,-0.32L0.95,-0.31L0.38,0.12L0.59,0.81L0,0.4L-0.59,0.81L-0.38,0.12"
    "L-0.95,-0.31L-0.24,-0.32Z",  # a five-pointed star
}
POINT_SIZES: dict[str, int] = {
    STATUS_QUO: 220, WORKING: 200, LEADERSHIP_IDEAL: 260, REPS_IDEAL: 260, TRADE_OFF: 240,
    DEAL: 520, **dict.fromkeys(PROPOSAL_KINDS.values(), 240),
}  # fmt: skip
PICK = "plan_pick"  # the chart's point-selection parameter
CHART_KEY = "compromise_frontier"
# The axes' labels carry the scenario's currency ("€5.8M"), so their titles need not.
X_TITLE = "Leadership's value (per period)"
Y_TITLES: dict[str, str] = {
    "rep_utility": "Reps' utility (per rep per period: earnings less the cost of effort)",
    "motivation": "Reps' utility: motivation (points, 0–100)",
    "expected_earnings": "Reps' utility: expected earnings (per rep per period)",
}
# Leadership's value on the chart's axis, in millions (labelled in money).
MILLION = 1e6
_D3 = {"money": D3_MONEY, "per_unit": D3_MONEY, "rate": ".2~%", "fraction": D3_PERCENT,
       "score": ".1f"}  # fmt: skip


def numbers(rep_utility: RepUtility) -> dict[str, tuple[str, str]]:
    """Headline numbers a plan's tooltip shows, with their units: both utilities first."""
    return {
        "leadership_value": ("Leadership's value", "money"),
        "reps": (REP_UTILITY_LABELS[rep_utility], REP_UTILITY_UNITS[rep_utility]),
        "contribution": ("Contribution", "money"),
        "new_product_share": ("New-product share", "fraction"),
        "gross_margin_pct": ("Gross margin %", "fraction"),
    }


def picked_index(event: object, candidates: int) -> int | None:
    """The candidate clicked on the chart, from ``st.altair_chart``'s selection event."""
    try:
        points = event.selection[PICK]  # type: ignore[attr-defined]
    except (AttributeError, KeyError, TypeError):
        return None
    for point in points or ():
        index = point.get("index") if isinstance(point, dict) else None
        if isinstance(index, int | float) and 0 <= int(index) < candidates:
            return int(index)
    return None


def lever_columns(result: SearchResult) -> dict[str, tuple[str, str]]:
    """Column name → (label, unit) for each lever the search could move."""
    return {
        f"lever_{j}": (bound.label, lever_unit(bound.lever))
        for j, bound in enumerate(result.levers)
        if not bound.is_fixed
    }


def candidate_frame(result: SearchResult) -> pd.DataFrame:
    """One row per candidate: ``index``, both utilities (``leadership`` in millions for the
    axis, ``leadership_value`` in money for the tooltip), ``eligible`` (meets the constraints
    and its hours settled), the moving levers and the headline numbers. Column names are fixed
    (``lever_0`` …) because product names are typed by people and may hold characters a
    chart's field names cannot.
    """
    levers = lever_matrix(result.plans)
    frame = pd.DataFrame(
        {
            "index": np.arange(len(result.plans), dtype=np.int32),
            "leadership": (result.leadership / MILLION).astype(np.float32),
            "leadership_value": result.leadership.astype(np.float32),
            "reps": result.reps.astype(np.float32),
            "eligible": result.eligible,
            **{
                column: levers[:, int(column.removeprefix("lever_"))].astype(np.float32)
                for column in lever_columns(result)
            },
            **{
                name: getattr(result.outcomes, name).astype(np.float32)
                for name in ("contribution", "new_product_share", "gross_margin_pct")
            },
        }
    )
    return frame


@dataclass(frozen=True)
class Marker:
    """One named point on the chart: a kind (legend entry), a label, and where it sits.

    ``leadership`` is money per period; ``reps`` is in the unit of the search's reps' measure.
    """

    kind: str
    label: str
    leadership: float
    reps: float
    index: int  # the candidate it is, or -1 for a plan outside the candidates
    levers: tuple[float, ...]  # every lever, ordered as ``result.levers``
    contribution: float
    new_product_share: float
    gross_margin_pct: float


def marker_for_candidate(result: SearchResult, index: int, kind: str, label: str) -> Marker:
    outcomes = result.outcomes
    return Marker(
        kind, label, float(result.leadership[index]), float(result.reps[index]), int(index),
        tuple(float(v) for v in lever_matrix(result.plans)[index]),
        float(outcomes.contribution[index]), float(outcomes.new_product_share[index]),
        float(outcomes.gross_margin_pct[index]),
    )  # fmt: skip


def marker_for_scenario(
    request: SearchRequest, scenario: Scenario, rep_utility: RepUtility, kind: str, label: str
) -> Marker:
    """A scenario's plan valued in the search's working scenario, like every candidate, so it
    sits on the same axes; the status quo's sits at the disagreement point. A plan whose
    selling hours did not settle says so in its label."""
    outcomes = valued(request, scenario)
    leadership, reps = engine.party_utilities(outcomes, rep_utility)
    if not outcomes.converged[0]:
        label = f"{label} (hours did not settle)"
    return Marker(
        kind, label, float(leadership[0]), float(reps[0]), -1,
        tuple(float(v) for v in lever_matrix(Plans.from_scenario(scenario))[0]),
        float(outcomes.contribution[0]), float(outcomes.new_product_share[0]),
        float(outcomes.gross_margin_pct[0]),
    )  # fmt: skip


def proposal_kind(scenario: Scenario) -> str:
    return PROPOSAL_KINDS[scenario.metadata.role]


def markers(
    result: SearchResult,
    deal: Deal | None,
    request: SearchRequest,
    working: Scenario,
    proposals: Sequence[StoredScenario],
) -> list[Marker]:
    """The named points: the status quo (at the disagreement point), the working plan when it
    differs, the proposals, each party's ideal, the closest trade-offs and the deal."""
    status_quo, measure = request.status_quo, result.rep_utility

    def plan(scenario: Scenario, kind: str, label: str) -> Marker:
        return marker_for_scenario(request, scenario, measure, kind, label)

    found = [plan(status_quo, STATUS_QUO, status_quo.metadata.name)]
    if working != status_quo:
        found.append(plan(working, WORKING, working.metadata.name))
    found += [plan(p.scenario, proposal_kind(p.scenario), proposal_label(p)) for p in proposals]
    if result.leadership_ideal is not None and result.reps_ideal is not None:
        found.append(
            marker_for_candidate(
                result, result.leadership_ideal.index, LEADERSHIP_IDEAL, LEADERSHIP_IDEAL
            )
        )
        found.append(marker_for_candidate(result, result.reps_ideal.index, REPS_IDEAL, REPS_IDEAL))
    for i, trade_off in enumerate(result.closest_trade_offs, start=1):
        found.append(marker_for_candidate(result, trade_off.index, TRADE_OFF, f"{TRADE_OFF} {i}"))
    if deal is not None:
        found.append(marker_for_candidate(result, deal.index, DEAL, deal.label))
    return found  # fmt: skip


def marker_frame(result: SearchResult, markers: Sequence[Marker]) -> pd.DataFrame:
    """One row per named point: ``kind``, ``label``, ``index``, the numbers and the levers."""
    columns = lever_columns(result)
    rows = [
        {
            "kind": m.kind, "label": m.label, "index": m.index,
            "leadership": m.leadership / MILLION, "leadership_value": m.leadership,
            "reps": m.reps, "contribution": m.contribution,
            "new_product_share": m.new_product_share, "gross_margin_pct": m.gross_margin_pct,
            **{column: m.levers[int(column.removeprefix("lever_"))] for column in columns},
        }
        for m in markers
    ]  # fmt: skip
    fields = ["kind", "label", "index", "leadership", *numbers(result.rep_utility), *columns]
    return pd.DataFrame(rows, columns=fields)


def _tooltips(result: SearchResult, *, named: bool) -> list[alt.Tooltip]:
    tips = (
        [alt.Tooltip("label:N", title="Point"), alt.Tooltip("kind:N", title="Kind")]
        if named
        else []
    )
    for field, (title, unit) in numbers(result.rep_utility).items():
        tips.append(alt.Tooltip(f"{field}:Q", title=title, format=_D3.get(unit, ".1f")))
    for column, (title, unit) in lever_columns(result).items():
        tips.append(alt.Tooltip(f"{column}:Q", title=title, format=_D3[unit]))
    return tips


def _kind_scales(kinds: Sequence[str]) -> tuple[alt.Scale, alt.Scale]:
    return (
        alt.Scale(domain=list(kinds), range=[POINT_COLOURS[k] for k in kinds]),
        alt.Scale(domain=list(kinds), range=[POINT_SHAPES[k] for k in kinds]),
    )


def _range_of(frames: Sequence[pd.DataFrame], column: str) -> list[float]:
    values = np.concatenate([frame[column].to_numpy(dtype=float) for frame in frames])
    finite = values[np.isfinite(values)]
    return padded_domain(finite if finite.size else np.zeros(1), pad=0.04)


def frontier_chart(
    result: SearchResult,
    markers: Sequence[Marker],
    *,
    currency: str,
    height: int = 560,
    cloud_rows: int | None = None,
) -> alt.LayerChart:
    """Leadership's utility against the reps': every sampled candidate faint, the Pareto
    frontier as a line, and the named points (status quo, working, proposals, ideals, the
    deal) on top; money in ``currency``.

    ``cloud_rows`` (default: all) candidates make the cloud.

    Clicking any point selects it (parameter :data:`PICK`, by candidate ``index``); named
    points that are not candidates (index −1) show but select nothing.
    """
    frames = frontier_frames(result, markers, cloud_rows)
    cloud_data, frontier_data, points = frames.cloud, frames.frontier, frames.points
    colour, shape = _kind_scales(frames.kinds)
    pick = alt.selection_point(name=PICK, fields=["index"], on="click", empty=False)
    # Axis ranges stated, not left to the browser: with ranges drawn from the data, a moved
    # deal would make the browser re-measure and redraw every candidate, and it stays put.
    x = alt.X(
        "leadership:Q", title=X_TITLE,
        scale=alt.Scale(domain=frames.x_domain, nice=False, zero=False),
        axis=alt.Axis(labelExpr=money_axis_labels(MILLION)),
    )  # fmt: skip
    y = alt.Y(
        "reps:Q", title=Y_TITLES[result.rep_utility],
        scale=alt.Scale(domain=frames.y_domain, nice=False, zero=False),
        axis=money_axis() if REP_UTILITY_UNITS[result.rep_utility] == "money" else alt.Axis(),
    )  # fmt: skip
    # The candidates are the chart's one large dataset, shared by the cloud and the ring
    # around a picked plan, so it is serialised once per draw.
    cloud = (
        alt.Chart()
        .mark_circle(size=14, color=POINT_COLOURS[CANDIDATE])
        .encode(
            x=x, y=y,
            opacity=alt.condition("datum.eligible", alt.value(0.35), alt.value(0.08)),
            tooltip=_tooltips(result, named=False),
        )
        .add_params(pick)
    )  # fmt: skip
    line = (
        alt.Chart(frontier_data)
        .mark_line(
            color=POINT_COLOURS[FRONTIER], strokeWidth=2.5,
            point=alt.OverlayMarkDef(size=40, color=POINT_COLOURS[FRONTIER], filled=True),
        )
        .encode(x=x, y=y, order="leadership:Q", tooltip=_tooltips(result, named=False))
    )  # fmt: skip
    # Two to a row: three ran off a phone's screen, the deal's entry among them.
    legend = alt.Legend(
        orient="bottom", direction="horizontal", columns=2, symbolSize=110, labelOffset=6,
        columnPadding=8, symbolStrokeWidth=2.5,
    )  # fmt: skip
    named = (
        alt.Chart(points)
        # A dark outline keeps each point readable on the grey cloud, and draws the legend's
        # frontier entry (a "stroke" symbol has no fill).
        .mark_point(filled=True, opacity=1, stroke=POINT_COLOURS[FRONTIER], strokeWidth=1)
        .encode(
            x=x,
            y=y,
            # One legend: colour and shape share the field and the (empty) title.
            color=alt.Color("kind:N", title=None, scale=colour, legend=legend),
            shape=alt.Shape("kind:N", title=None, scale=shape, legend=legend),
            size=alt.Size("size:Q", scale=None, legend=None),
            tooltip=_tooltips(result, named=True),
        )
    )
    ring = (
        alt.Chart()
        .transform_filter(pick)
        .mark_point(size=700, color="#111827", strokeWidth=2.5, filled=False)
        .encode(x=x, y=y)
    )
    chart = (
        CheckedLayerChart(layer=[cloud, line, named, ring], data=cloud_data)
        .properties(height=height, config=alt.Config(locale=chart_locale(currency)))
        .configure_axis(labelFontSize=13, titleFontSize=14, grid=True, gridOpacity=0.4)
        .configure_legend(labelFontSize=13, labelLimit=260)
        .configure_view(strokeWidth=0)
    )
    return chart.checked(frames.shape(result, height, currency))


@dataclass(frozen=True)
class FrontierFrames:
    """The frontier chart's rows and axis ranges: all that changes between charts of one
    shape (a weight move changes the frontier, the deal and maybe the ranges)."""

    cloud: pd.DataFrame
    frontier: pd.DataFrame
    points: pd.DataFrame  # with each point's size
    kinds: tuple[str, ...]
    x_domain: list[float]
    y_domain: list[float]

    def shape(self, result: SearchResult, height: int, currency: str) -> tuple:
        """Everything in the spec but the rows and ranges: charts alike in it are alike."""
        levers = tuple(lever_columns(result).values())
        return (self.kinds, levers, result.rep_utility, height, currency)


def frontier_frames(
    result: SearchResult, markers: Sequence[Marker], cloud_rows: int | None = None
) -> FrontierFrames:
    """:func:`frontier_chart`'s rows: the first ``cloud_rows`` candidates (default: all), the
    frontier and the named points."""
    every = candidate_frame(result)
    # The cloud is the first ``cloud_rows`` candidates, the search's own: the plans a later
    # bargain optimises (at another weight) show as the frontier and the deal. A weight move
    # then leaves the large dataset byte for byte as it was, and the browser keeps it.
    cloud = every.iloc[: len(every) if cloud_rows is None else cloud_rows]
    frontier = every.iloc[np.sort(result.frontier)]
    points = marker_frame(result, markers)
    points = points.assign(size=points["kind"].map(POINT_SIZES))
    kinds = tuple(k for k in POINT_COLOURS if k in {CANDIDATE, FRONTIER, *points["kind"]})
    shown = (cloud, frontier, points)
    return FrontierFrames(
        cloud, frontier, points, kinds,
        _range_of(shown, "leadership"), _range_of(shown, "reps"),
    )  # fmt: skip


class CheckedLayerChart(alt.LayerChart):
    """A layered chart checked against the Vega-Lite schema once, when it is built.

    Streamlit converts a chart to a spec on every rerun, and Altair re-validates the whole
    spec each time: most of a rerun's cost for this chart. The spec of a built chart cannot
    change, so after :meth:`checked` the conversion skips validation.
    """

    _checked_shapes: ClassVar[set[Hashable]] = set()

    def checked(self, shape_of_spec: Hashable | None = None) -> CheckedLayerChart:
        """Validate the spec (raising on a fault) unless a chart of the same ``shape_of_spec``
        (everything but the data rows) has passed already.
        """
        if shape_of_spec is not None and shape_of_spec in self._checked_shapes:
            return self
        sample = self.copy(deep=False)
        if isinstance(sample.data, pd.DataFrame):
            sample.data = sample.data.head(20)  # the spec, not the rows, is what is checked
        sample.to_dict(validate=True)
        if shape_of_spec is not None:
            if len(self._checked_shapes) > 256:
                self._checked_shapes.clear()
            self._checked_shapes.add(shape_of_spec)
        return self

    def to_dict(self, validate: bool = False, **kwargs):  # type: ignore[override]
        return super().to_dict(validate=validate, **kwargs)


@st.cache_resource(max_entries=24, show_spinner=False)
def cached_spec(
    request: SearchRequest,
    constraints: Constraints,
    weight: float,
    rep_utility: RepUtility,
    found: tuple[Marker, ...],
    presents: bool,
) -> dict:
    """The frontier chart's Vega-Lite spec (``presents``: styled for the big screen) for one
    search, constraints, weight, reps' measure and set of points, in the currency of the
    search's working scenario: a rerun for an unrelated widget does not turn thousands of points
    into a spec again. Streamlit copies a spec before changing it, so one spec serves every
    session."""
    from workshop_ui.frontier_spec import frontier_spec  # it builds on this module's chart

    return frontier_spec(
        bargained(request, constraints, weight, rep_utility), found,
        currency=request.working.metadata.currency, cloud_rows=len(run_search(request).plans),
        presents=presents,
    )  # fmt: skip
