"""The Compromise page's parts: proposals, the cached search, the frontier chart and the deal.

The page (``pages/7_Compromise.py``) reads top to bottom and calls one function per section;
the model work is :mod:`alignment.compromise` (search, bargain, explain, compare) and
:mod:`alignment.report`. Everything here that does not draw (frames, chart builders, lock and
constraint values, file names) is plain Python, testable without a running page.

Leadership's utility is its value in money per period; the reps' is, by default, their expected
earnings less the cost of effort, money per rep per period (the room may count motivation or
expected earnings instead). Every plan on the page — the status quo, proposals, candidates — is
valued in the working scenario of the search, so all sit on the same axes.

The search samples and evaluates 20,000 plans (about a second), so it runs only when the room
asks for it and is cached by everything it depends on: the working scenario, the status quo,
the locks and the seed. Moving the bargaining weight, a constraint, the reps' measure or any
other widget reuses the cached candidates through :func:`alignment.compromise.bargain`.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar, Literal, get_args

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from alignment import Outcomes, Plans, Scenario, ScenarioError, apply_plan, dump_scenario
from alignment import compromise as engine
from alignment.compromise import (
    CONSTRAINT_LABELS,
    REP_UTILITY_LABELS,
    REP_UTILITY_UNITS,
    Constraints,
    Deal,
    Lock,
    RepUtility,
    SearchResult,
    format_value,
    lever_bounds,
    lever_matrix,
)
from alignment.levers import with_values
from alignment.report import build_report
from alignment.safe_text import download_name as safe_download_name
from alignment.scenario import Role
from alignment.storage import Listing, StorageError, Store, StoredScenario
from workshop_ui import access, explain, layout, state
from workshop_ui.charts import LEADERSHIP, PARTY_COLOURS, SALES, STATUS_QUO, WORKING
from workshop_ui.formatting import D3_MONEY, D3_PERCENT, money
from workshop_ui.formatting import delta as ui_delta
from workshop_ui.formatting import format_value as ui_format

CANDIDATES = 20_000
DEFAULT_SEED = 42
ROLES: tuple[str, ...] = get_args(Role)
ROLE_LABELS = {
    "leadership": "Leadership",
    "sales": "Sales",
    "marketing": "Marketing",
    "facilitator": "Facilitator",
}
RULE_CHOICES: dict[str, str] = {
    "nash": "Nash bargaining (largest product of both gains)",
    "kalai_smorodinsky": "Kalai–Smorodinsky (equal share of each side's best gain)",
}

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
X_TITLE = "Leadership's value ($M per period)"
Y_TITLES: dict[str, str] = {
    "rep_utility": "Reps' utility ($ per rep per period: earnings less the cost of effort)",
    "motivation": "Reps' utility: motivation (points, 0–100)",
    "expected_earnings": "Reps' utility: expected earnings ($ per rep per period)",
}
# The reps' measures the room may pick, as the page offers them.
REP_UTILITY_CHOICES: dict[str, str] = {
    "rep_utility": "Earnings less the cost of effort ($ per rep)",
    "motivation": "Motivation (0–100)",
    "expected_earnings": "Expected earnings ($ per rep)",
}
# Leadership's value on the chart's axis, in millions.
MILLION = 1e6
# The deal's numbers as metric tiles: (field, label, kind of number).
DEAL_TILES = (
    ("leadership_value", "Leadership's value", "money"),
    ("rep_utility", "Reps' earnings less effort", "money"),
    ("motivation", "Rep motivation", "score"),
    ("contribution", "Contribution", "money"),
    ("new_product_share", "New-product share", "fraction"),
    ("gross_margin_pct", "Gross margin %", "fraction"),
)
PLAN_NUMBERS = (
    ("leadership_value", "Leadership's value", "money"),
    ("rep_utility", "Earnings less cost of effort, per rep", "money"),
    ("motivation", "Rep motivation", "score"),
    ("expected_earnings", "Earnings per rep", "money"),
    *DEAL_TILES[3:],
)
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


# --- Locks and constraints as values ----------------------------------------------------------


LockMode = Literal["fixed", "floor", "ceiling"]
LOCK_MODES: dict[str, str] = {"fixed": "Fixed at", "floor": "At least", "ceiling": "At most"}


@dataclass(frozen=True)
class LockChoice:
    """One party's lock as the page holds it: a lever, how it is held, and the value.

    Rates are fractions (0.08 is 8 %), prices and kickers money per unit.
    """

    lever: str
    mode: LockMode
    value: float

    def as_lock(self) -> Lock:
        if self.mode == "floor":
            return Lock.within(low=self.value)
        if self.mode == "ceiling":
            return Lock.within(high=self.value)
        return Lock.at(self.value)

    def describe(self, label: str, unit: str) -> str:
        shown = format_value(self.value, unit)
        return {"fixed": f"{label} fixed at {shown}", "floor": f"{label} at least {shown}",
                "ceiling": f"{label} at most {shown}"}[self.mode]  # fmt: skip


def lever_unit(lever: str) -> str:
    """``money`` for prices, ``per_unit`` for kickers, ``rate`` for commission rates."""
    if lever.startswith("price."):
        return "money"
    if lever.startswith("kicker."):
        return "per_unit"
    return "rate"


def negotiable_levers(scenario: Scenario) -> dict[str, str]:
    """Lever name → label (``"price.nova"`` → ``"Nova price"``) of the levers the search moves."""
    return {b.lever: b.label for b in lever_bounds(scenario) if not b.is_fixed}


def held_levers(scenario: Scenario) -> list[str]:
    """Labels of the levers the search holds at the working value (no range, or locked)."""
    return [b.label for b in lever_bounds(scenario) if b.is_fixed]


def engine_locks(choices: Sequence[LockChoice]) -> dict[str, Lock]:
    return {choice.lever: choice.as_lock() for choice in choices}


def constraints_from(
    min_margin_pct: float | None = None,
    min_new_share_pct: float | None = None,
    min_contribution: float | None = None,
    min_motivation: float | None = None,
) -> Constraints:
    """Hard constraints from the page's inputs; percentages as typed (42 means 42 %)."""
    return Constraints(
        min_gross_margin_pct=None if min_margin_pct is None else min_margin_pct / 100,
        min_new_product_share=None if min_new_share_pct is None else min_new_share_pct / 100,
        min_contribution=min_contribution,
        min_motivation=min_motivation,
    )


def limit_lines(constraints: Constraints) -> list[str]:
    """Each active limit as the page shows it, e.g. ``"Contribution ≥ $5.50M"``."""
    return [
        f"{label} ≥ {ui_format(value, kind)}"  # type: ignore[arg-type]
        for name, value in constraints.limits().items()
        for label, kind in [CONSTRAINT_LABELS[name]]
    ]


# --- The cached search ------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchRequest:
    """Everything a search depends on; the key of its cache entry."""

    working_json: str
    status_quo_json: str
    locks: tuple[LockChoice, ...]
    seed: int = DEFAULT_SEED

    @classmethod
    def of(
        cls, working: Scenario, status_quo: Scenario, locks: Sequence[LockChoice], seed: int
    ) -> SearchRequest:
        return cls(working.model_dump_json(), status_quo.model_dump_json(), tuple(locks), int(seed))

    @property
    def working(self) -> Scenario:
        return _scenario(self.working_json)

    @property
    def status_quo(self) -> Scenario:
        return _scenario(self.status_quo_json)


def run_search(request: SearchRequest) -> SearchResult:
    """The candidates, frontier and default deals for ``request`` (cached; ~1 s on a miss).

    Raises
    ------
    ValueError
        A lock the scenario cannot hold; the message names the lever and the fix.
    """
    return cached_search(request.working_json, request.status_quo_json, request.locks, request.seed)


@st.cache_resource(max_entries=4, show_spinner=False)
def cached_search(
    working_json: str, status_quo_json: str, locks: tuple[LockChoice, ...], seed: int
) -> SearchResult:
    # cache_resource hands back the same object, not a pickled copy: a result holds ~20 MB of
    # arrays, and the page only reads it.
    return engine.search(
        _scenario(working_json),
        _scenario(status_quo_json),
        locks=engine_locks(locks),
        count=CANDIDATES,
        seed=seed,
    )


def bargained(
    request: SearchRequest,
    constraints: Constraints,
    weight: float,
    rep_utility: RepUtility = "rep_utility",
) -> SearchResult:
    """The cached candidates bargained under these constraints, weight and reps' measure (no
    evaluation). The working scenario's hard goals apply on top of ``constraints``."""
    return _bargained(
        request.working_json, request.status_quo_json, request.locks, request.seed,
        constraints, weight, rep_utility,
    )  # fmt: skip


# Each entry shares its search's arrays, so it keeps them alive: bound it like the searches.
@st.cache_resource(max_entries=12, show_spinner=False)
def _bargained(
    working_json: str,
    status_quo_json: str,
    locks: tuple[LockChoice, ...],
    seed: int,
    constraints: Constraints,
    weight: float,
    rep_utility: RepUtility,
) -> SearchResult:
    result = cached_search(working_json, status_quo_json, locks, seed)
    return engine.bargain(
        result, constraints=constraints, bargaining_weight=weight, rep_utility=rep_utility
    )


@st.cache_resource(max_entries=64, show_spinner=False)
def _scenario(scenario_json: str) -> Scenario:
    return Scenario.model_validate_json(scenario_json)


def suggested_deal(result: SearchResult, rule: str, weight: float) -> Deal | None:
    """The deal the page suggests: Nash (weighted when ``weight`` is not ½) or K–S."""
    if rule == "kalai_smorodinsky":
        return result.kalai_smorodinsky
    return result.nash if abs(weight - 0.5) < 1e-9 else result.weighted_nash


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


# --- Frames for the chart ---------------------------------------------------------------------


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


def valued(request: SearchRequest, scenario: Scenario) -> Outcomes:
    """``scenario``'s plan valued in the search's working scenario, hours relative to its
    status quo's motivation (cached; one plan)."""
    return _valued(request.working_json, request.status_quo_json, scenario.model_dump_json())


@st.cache_data(max_entries=64, show_spinner=False)
def _valued(working_json: str, status_quo_json: str, scenario_json: str) -> Outcomes:
    return engine.value_in_working(
        _scenario(working_json), _scenario(scenario_json), _scenario(status_quo_json)
    )


def proposal_kind(scenario: Scenario) -> str:
    return PROPOSAL_KINDS[scenario.metadata.role]


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


def frontier_chart(
    result: SearchResult,
    markers: Sequence[Marker],
    *,
    height: int = 560,
) -> alt.LayerChart:
    """Leadership's utility against the reps': every candidate faint, the Pareto frontier as a
    line, and the named points (status quo, working, proposals, ideals, the deal) on top.

    Clicking any point selects it (parameter :data:`PICK`, by candidate ``index``); named
    points that are not candidates (index −1) show but select nothing.
    """
    cloud_data = candidate_frame(result)
    on_frontier = np.zeros(len(cloud_data), dtype=bool)
    on_frontier[result.frontier] = True
    points = marker_frame(result, markers)
    kinds = [k for k in POINT_COLOURS if k in {CANDIDATE, FRONTIER, *points["kind"]}]
    colour, shape = _kind_scales(kinds)
    pick = alt.selection_point(name=PICK, fields=["index"], on="click", empty=False)
    x = alt.X("leadership:Q", title=X_TITLE, scale=alt.Scale(zero=False, nice=True))
    y = alt.Y(
        "reps:Q", title=Y_TITLES[result.rep_utility], scale=alt.Scale(zero=False, nice=True),
        axis=alt.Axis(format=",.0f") if REP_UTILITY_UNITS[result.rep_utility] == "money"
        else alt.Axis(),
    )  # fmt: skip
    # The candidates are the chart's one large dataset, shared by the cloud, the frontier
    # (a filter) and the ring around a picked plan, so it is serialised once per draw.
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
        alt.Chart()
        .transform_filter("datum.frontier")
        .mark_line(
            color=POINT_COLOURS[FRONTIER], strokeWidth=2.5,
            point=alt.OverlayMarkDef(size=40, color=POINT_COLOURS[FRONTIER], filled=True),
        )
        .encode(x=x, y=y, order="leadership:Q", tooltip=_tooltips(result, named=False))
    )  # fmt: skip
    legend = alt.Legend(
        orient="bottom", direction="horizontal", columns=3, symbolSize=110, labelOffset=8,
        columnPadding=18, symbolStrokeWidth=2.5,
    )  # fmt: skip
    named = (
        alt.Chart(points.assign(size=points["kind"].map(POINT_SIZES)))
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
        CheckedLayerChart(
            layer=[cloud, line, named, ring], data=cloud_data.assign(frontier=on_frontier)
        )
        .properties(height=height)
        .configure_axis(labelFontSize=13, titleFontSize=14, grid=True, gridOpacity=0.4)
        .configure_legend(labelFontSize=13, labelLimit=260)
        .configure_view(strokeWidth=0)
    )
    # Everything in the spec but the rows follows from these: charts alike in them are alike.
    shape_of_spec = (
        tuple(kinds), tuple(lever_columns(result).values()), result.rep_utility, height,
    )  # fmt: skip
    return chart.checked(shape_of_spec)


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


@st.cache_resource(max_entries=12, show_spinner=False)
def cached_chart(
    request: SearchRequest,
    constraints: Constraints,
    weight: float,
    rep_utility: RepUtility,
    found: tuple[Marker, ...],
) -> alt.LayerChart:
    """The frontier chart, built once per search, constraints, weight, reps' measure and set
    of points.

    Building the layers costs tens of milliseconds; a rerun for an unrelated widget reuses
    the chart (Streamlit only reads it).
    """
    return frontier_chart(bargained(request, constraints, weight, rep_utility), found)


def explanation(request: SearchRequest, deal: Deal, baseline: Scenario) -> engine.Explanation:
    """The plan ``deal`` points at, as moves from ``baseline`` (cached per search and plan)."""
    return _explanation(request, deal, baseline.model_dump_json())


@st.cache_resource(max_entries=64, show_spinner=False)
def _explanation(request: SearchRequest, deal: Deal, baseline_json: str) -> engine.Explanation:
    return engine.explain_deal(run_search(request), deal, request.working, _scenario(baseline_json))


# --- Words and tables -------------------------------------------------------------------------


def plan_table(result: SearchResult, index: int, status_quo: Scenario) -> pd.DataFrame:
    """The levers the search moves, for one candidate beside the status quo (text)."""
    values = lever_matrix(result.plans)[index]
    before = lever_matrix(Plans.from_scenario(status_quo))[0]
    rows = [
        (bound.label, format_value(float(values[j]), lever_unit(bound.lever)),
         format_value(float(before[j]), lever_unit(bound.lever)))
        for j, bound in enumerate(result.levers)
        if not bound.is_fixed
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["Lever", "This plan", "Status quo"])


def numbers_table(result: SearchResult, index: int) -> pd.DataFrame:
    """Headline numbers of one candidate and their change against the status quo (text)."""
    picked = engine.headline(result.outcomes, index)
    before = engine.headline(result.status_quo_outcomes)
    rows = []
    for field, label, kind in PLAN_NUMBERS:
        after = getattr(picked, field)
        change = ui_delta(after - getattr(before, field), kind)
        rows.append((label, ui_format(after, kind), change.text))
    return pd.DataFrame(rows, columns=["Figure", "This plan", "vs status quo"])


def comparison_frame(comparison: engine.Comparison) -> pd.DataFrame:
    """The side-by-side table as text: each party's utility first, then outcomes, then inputs."""
    table = comparison.table()
    order = {"Utility": 0, "Outcomes": 1, "Inputs": 2}
    table = table.iloc[np.argsort([order[s] for s in table["section"]], kind="stable")]
    # The reps' utility row says it already.
    table = table.drop(index=comparison.rep_utility, errors="ignore")
    shown = pd.DataFrame({"": table["label"].to_numpy()})
    for i, name in enumerate(comparison.names):
        shown["Status quo" if i == 0 else name] = [
            format_value(None if pd.isna(v) else float(v), unit)
            for v, unit in zip(table[name], table["unit"], strict=True)
        ]
    return shown


def download_name(name: str, extension: str) -> str:
    """A safe file name from a scenario's name: ``nova-launch.html``."""
    return safe_download_name(name, extension)


# --- Proposals --------------------------------------------------------------------------------


def proposal_label(item: StoredScenario) -> str:
    """``Title (author, role, 14:05)``: short enough for a chip, distinct for equal titles."""
    meta = item.scenario.metadata
    who = ", ".join(x for x in (layout.plain(meta.author), ROLE_LABELS[meta.role]) if x)
    return f"{layout.plain(meta.name)} ({who}, {item.saved_at:%H:%M})"


def proposal_labels(proposals: Sequence[StoredScenario]) -> dict[str, str]:
    """Key → :func:`proposal_label`, each one different.

    A select box tells its options apart by their labels, so two proposals with the same title,
    author, role and minute would be one option: the second gets its key appended.
    """
    labels = {p.key: proposal_label(p) for p in proposals}
    counts = Counter(labels.values())
    return {
        key: label if counts[label] == 1 else f"{label} #{key}" for key, label in labels.items()
    }


def as_proposal(scenario: Scenario, title: str, author: str, role: str, rationale: str) -> Scenario:
    """The scenario named and annotated as a proposal (raises ScenarioError naming the field)."""
    return with_values(
        scenario,
        {"metadata.name": title.strip(), "metadata.author": author.strip(),
         "metadata.role": role, "metadata.notes": rationale},
    )  # fmt: skip


def list_proposals(store: Store) -> Listing | None:
    """Every proposal on file (readable newest first, and those that cannot be read); None,
    and a warning saying why, when the folder itself cannot be read.
    """
    try:
        return store.listing("proposals")
    except StorageError as error:
        st.warning(f"The proposals cannot be listed: {layout.literal(str(error))}")
        return None


_LAST_SAVED = "proposal_last_saved"
DOUBLE_CLICK_SECONDS = 10.0


def _just_saved(proposal: Scenario) -> bool:
    """Whether this session saved exactly this proposal a moment ago."""
    last = st.session_state.get(_LAST_SAVED)
    return (
        last is not None
        and last[0] == proposal.model_dump_json()
        and time.monotonic() - last[1] < DOUBLE_CLICK_SECONDS
    )


def _save_proposal(store: Store) -> None:
    s = st.session_state
    try:
        proposal = as_proposal(
            state.working(), s["proposal_title"], s["proposal_author"], s["proposal_role"],
            s["proposal_rationale"],
        )  # fmt: skip
        if _just_saved(proposal):  # a double click: the first click already saved it
            s["proposal_outcome"] = ("saved", [proposal.metadata.name])
            return
        saved = store.create("proposals", proposal)
    except ScenarioError as error:
        s["proposal_outcome"] = ("error", error.problems)
        return
    except StorageError as error:
        s["proposal_outcome"] = ("error", [str(error)])
        return
    s["proposal_outcome"] = ("saved", [saved.scenario.metadata.name])
    s[_LAST_SAVED] = (proposal.model_dump_json(), time.monotonic())
    # Saved: empty the form for the next proposal (a refused one keeps what was typed).
    for key in ("proposal_title", "proposal_rationale"):
        s[key] = ""


def proposal_form(store: Store) -> None:
    """Turn the working scenario into a proposal: title, author, role and rationale."""
    st.subheader("Propose the working scenario")
    with st.form("proposal_form", border=False):
        st.text_input("Title", key="proposal_title", max_chars=200,
                      placeholder="e.g. Nova at 650 with a 25 kicker")  # fmt: skip
        author, role = st.columns(2)
        author.text_input("Author", key="proposal_author", max_chars=200)
        role.selectbox("Role", ROLES, format_func=ROLE_LABELS.get, key="proposal_role")
        st.text_area(
            "Rationale",
            key="proposal_rationale",
            max_chars=5000,
            height=90,
            placeholder="Why this plan works for your side, and what you would trade",
        )
        st.form_submit_button(
            "Save as a proposal", key="proposal_save", icon=":material/how_to_vote:",
            on_click=_save_proposal, args=(store,), type="primary",
        )  # fmt: skip
    outcome, details = st.session_state.pop("proposal_outcome", (None, []))
    if outcome == "saved":
        st.success(f"Saved the proposal “{layout.literal(details[0])}” for everyone to compare.")
    elif outcome == "error":
        layout.show_problems("Not saved; fix this and save again:", details)


def comparable(proposals: Sequence[StoredScenario], working: Scenario) -> list[StoredScenario]:
    """The proposals about the working scenario's products (others cannot be compared)."""
    return [p for p in proposals if p.scenario.product_ids == working.product_ids]


# Narrow columns for the short fields, so the rationale keeps room at 1280 px.
PROPOSAL_COLUMNS = {
    "Title": st.column_config.TextColumn(width="medium"),
    "Author": st.column_config.TextColumn(width="small"),
    "Role": st.column_config.TextColumn(width="small"),
    "Rationale": st.column_config.TextColumn(width="large"),
}


def proposals_table(proposals: Sequence[StoredScenario]) -> pd.DataFrame:
    """One row per proposal: title, author, role and rationale, as typed."""
    return pd.DataFrame(
        [
            {
                "Title": layout.plain(p.scenario.metadata.name),
                "Author": layout.plain(p.scenario.metadata.author) or "—",
                "Role": ROLE_LABELS[p.scenario.metadata.role],
                "Rationale": layout.plain(p.scenario.metadata.notes) or "—",
            }
            for p in proposals
        ],
        columns=["Title", "Author", "Role", "Rationale"],
    )


@st.cache_resource(max_entries=32, show_spinner=False)
def _comparison(
    working_json: str, status_quo_json: str, proposal_jsons: tuple[str, ...], rep_utility: str
) -> engine.Comparison:
    return engine.compare(
        _scenario(status_quo_json), [_scenario(p) for p in proposal_jsons],
        rep_utility,  # type: ignore[arg-type]
        working=_scenario(working_json),
    )  # fmt: skip


def comparison(
    working: Scenario,
    status_quo: Scenario,
    proposals: Sequence[Scenario],
    rep_utility: RepUtility = "rep_utility",
) -> engine.Comparison:
    """The status quo and ``proposals`` side by side, every plan valued in ``working``."""
    return _comparison(
        working.model_dump_json(), status_quo.model_dump_json(),
        tuple(p.model_dump_json() for p in proposals), rep_utility,
    )  # fmt: skip


def show_comparison(
    working: Scenario,
    status_quo: Scenario,
    chosen: Sequence[StoredScenario],
    rep_utility: RepUtility,
) -> None:
    """The chosen proposals beside the status quo, and what each side gains or gives up."""
    result = comparison(working, status_quo, [p.scenario for p in chosen], rep_utility)
    frame = comparison_frame(result)
    table, gains = st.columns([3, 2], gap="large")
    table.dataframe(
        frame, hide_index=True, width="stretch", key="proposal_comparison",
        height=38 + 35 * len(frame),
    )  # fmt: skip
    with gains:
        st.subheader("Who gains, who gives up")
        st.caption(
            "Each proposal against the status quo, on each side's own measure; every plan "
            "valued in the working scenario (its market, team, goals and strategic values)."
        )
        for change in result.changes:
            with st.container(border=True):
                st.markdown(f"**{layout.literal(change.name)}**")
                st.markdown(change.summary)


def forget_missing(key: str, options: Collection[str]) -> None:
    """Drop from widget ``key``'s value the proposals someone deleted since the last run."""
    value = st.session_state.get(key)
    if isinstance(value, list):
        st.session_state[key] = [v for v in value if v in options]
    elif value is not None and value not in options:
        del st.session_state[key]


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- Locks, constraints and bargaining controls -----------------------------------------------


def _widget_key(prefix: str, lever: str) -> str:
    return f"{prefix}_{lever.replace('.', '_')}"


def lock_controls(working: Scenario) -> list[LockChoice]:
    """A party locks levers: fixed at a value, or (prices) a floor or ceiling."""
    levers = negotiable_levers(working)
    forget_missing("lock_levers", levers)  # another scenario may not have them
    chosen = st.multiselect(
        "Locked levers", list(levers), format_func=lambda lever: layout.plain(levers[lever]),
        key="lock_levers",
        placeholder="No locks",
        help="The search keeps a locked lever at the value you set. A price can also be a "
        "floor or a ceiling, e.g. leadership keeps the new product at or above a price.",
    )  # fmt: skip
    values = {b.lever: b.current for b in lever_bounds(working)}
    choices = []
    for lever in chosen:
        unit = lever_unit(lever)
        scale = 100.0 if unit == "rate" else 1.0
        label = layout.label(levers[lever])
        mode: LockMode = "fixed"
        if unit == "money":
            mode = st.segmented_control(
                label, list(LOCK_MODES), format_func=LOCK_MODES.get, default="fixed",
                key=_widget_key("lock_mode", lever), width="stretch",
            ) or "fixed"  # fmt: skip
        shown = st.number_input(
            f"{label}, locked at" + (" (%)" if unit == "rate" else ""),
            value=round(values[lever] * scale, 6), min_value=0.0,
            step=0.5 if unit == "rate" else 5.0, key=_widget_key("lock_value", lever),
            format="%.2f" if unit == "rate" else "%.0f",
            label_visibility="collapsed" if unit == "money" else "visible",
        )  # fmt: skip
        choices.append(LockChoice(lever, mode, float(shown) / scale))
    held = held_levers(working)
    if held:
        st.caption("Always held at the working value: " + layout.literal(", ".join(held)) + ".")
    return choices


def constraint_controls(working: Scenario) -> Constraints:
    """Hard limits every deal must meet: the goals marked hard (shown, applied by the search)
    and the room's own (returned); an empty input means no limit."""
    goals = working.goals
    from_goals = limit_lines(engine.hard_goal_constraints(working))
    if from_goals:
        st.markdown(
            ":material/flag: **From the goals:** " + layout.literal("; ".join(from_goals)),
            help="Goals marked hard on the Goals page: every deal meets them, on top of the "
            "limits below.",
        )  # fmt: skip
    else:
        st.caption("No goal is marked hard on the Goals page. Add limits of your own:")
    margin, share = st.columns(2)
    with margin:
        gm = _limit_input(
            "Min gross margin %", "constraint_margin", 0.0, 99.0, 1.0, "a margin is below 100 %",
            f"Leadership's target is {format_value(goals.gross_margin_pct.target, 'fraction')}.",
        )  # fmt: skip
    with share:
        nps = _limit_input(
            "Min new-product share %", "constraint_share", 0.0, 99.0, 1.0,
            "a share is below 100 %",
            f"Leadership's target is {format_value(goals.new_product_share.target, 'fraction')}.",
        )  # fmt: skip
    contribution, motivation = st.columns(2)
    with contribution:
        con = _limit_input(
            "Min contribution ($)", "constraint_contribution", -1e12, 1e12, 100_000.0,
            "the model's money range",
            f"Leadership's target is {format_value(goals.contribution.target, 'money')}.",
        )  # fmt: skip
    with motivation:
        mot = _limit_input(
            "Min rep motivation (0–100)", "constraint_motivation", 0.0, 100.0, 1.0,
            "motivation is scored 0–100", "Motivation is scored 0–100.",
        )  # fmt: skip
    return constraints_from(gm, nps, con, mot)


def _limit_input(
    label: str, key: str, low: float, high: float, step: float, why: str, help: str
) -> float | None:
    """An optional number; one outside ``[low, high]`` is refused out loud and means no limit.

    The input takes any number, so the browser never holds back a typed value silently.
    """
    value = st.number_input(label, value=None, step=step, key=key, placeholder="none", help=help)
    if value is None or low <= value <= high:
        return value
    st.error(
        f"{label}: {value:,.10g} is outside {low:,.10g} to {high:,.10g} ({why}); this limit is "
        "not applied until it is in that range.",
        icon=":material/block:",
    )
    return None


def utility_controls(working: Scenario) -> RepUtility:
    """How each side counts: leadership's exchange rate for strategic share in words, and the
    reps' measure the room picks (default: earnings less the cost of effort)."""
    leadership, reps = st.columns(2, gap="large")
    with leadership:
        st.markdown(
            "**Leadership's value** ($ per period): contribution plus what leadership says each "
            "strategic unit is worth beyond its margin."
        )
        for sentence in engine.exchange_rate_sentences(working, money):
            st.markdown(layout.literal(sentence))
    with reps:
        chosen = st.radio(
            "Reps' utility", list(REP_UTILITY_CHOICES), format_func=REP_UTILITY_CHOICES.get,
            key="rep_utility", horizontal=True,
            help="Earnings less the cost of effort: expected earnings per rep net of what the "
            "hours they put in cost them (the default). Motivation: 100 × expectancy × "
            "instrumentality × valence. Expected earnings: base plus expected variable pay.",
        )  # fmt: skip
        st.caption(
            "Every plan on this page is valued in the working scenario (its market, team, "
            "goals and strategic values), with selling hours responding to motivation "
            "relative to the status quo's."
        )
    return chosen  # type: ignore[return-value]


def bargaining_controls() -> tuple[str, float]:
    rule = st.radio(
        "Rule", list(RULE_CHOICES), format_func=RULE_CHOICES.get, key="deal_rule",
        help="Nash picks the plan with the largest product of both sides' gains over the "
        "status quo; Kalai–Smorodinsky gives each side the same share of the most it could gain.",
    )  # fmt: skip
    weight = st.slider(
        "Leadership's bargaining weight", min_value=0.1, max_value=0.9, value=0.5, step=0.05,
        key="deal_weight", disabled=rule != "nash",
        help="½ treats both sides alike; more gives leadership's gains more weight "
        "(asymmetric Nash: (gain of leadership)^w × (gain of reps)^(1−w)).",
    )  # fmt: skip
    return str(rule), float(weight)


# --- The search, the chart and the closer look ------------------------------------------------


_REQUEST = "compromise_request"
_ADOPTED = "compromise_adopted_json"


def search_controls(
    working: Scenario, status_quo: Scenario, locks: Sequence[LockChoice]
) -> SearchRequest:
    """The search button and the sampler's seed; returns the search to show.

    The first search runs by itself, and so does one after another scenario is loaded (a new
    status quo or other products): the previous search cannot describe it. Otherwise a new
    search waits for the button, and the page says when the shown one is out of date.
    """
    s = st.session_state
    button, seed_column, note = st.columns([2, 1, 5], vertical_alignment="bottom")
    pressed = button.button(
        "Search for a compromise", key="compromise_search", type="primary",
        icon=":material/travel_explore:", width="stretch",
    )  # fmt: skip
    seed = seed_column.number_input(
        "Seed", min_value=0, max_value=2**31 - 1, value=DEFAULT_SEED, step=1,
        key="compromise_seed",
        help="Another seed draws other candidate plans; the same seed, the same plans.",
    )  # fmt: skip
    wanted = SearchRequest.of(working, status_quo, locks, int(seed))
    shown: SearchRequest | None = s.get(_REQUEST)
    if (
        pressed
        or shown is None
        or shown.status_quo_json != wanted.status_quo_json
        or shown.working.product_ids != working.product_ids
    ):
        s[_REQUEST] = shown = wanted
        s.pop(_ADOPTED, None)
    stale = (shown.locks, shown.seed) != (wanted.locks, wanted.seed)
    stale |= working.model_dump_json() not in {shown.working_json, s.get(_ADOPTED)}
    if stale:
        note.info(
            "The working scenario, the locks or the seed changed since this search: press "
            "the button to search again.",
            icon=":material/update:",
        )
    else:
        held = [lock.describe(_lever_label(shown, lock.lever), lever_unit(lock.lever))
                for lock in shown.locks]  # fmt: skip
        note.caption(
            f"{CANDIDATES:,} candidate plans sampled inside the negotiation bounds, each "
            "evaluated for both parties."
            + (" Locks: " + layout.literal("; ".join(held)) + "." if held else "")
        )
    return shown


def _lever_label(request: SearchRequest, lever: str) -> str:
    return {b.lever: b.label for b in lever_bounds(request.working)}[lever]


def search_result(request: SearchRequest) -> SearchResult | None:
    """The cached search, with a spinner on a miss; None (and the reason) if a lock is refused."""
    try:
        with st.spinner(f"Evaluating {CANDIDATES:,} candidate plans…", show_time=True):
            return run_search(request)
    except ValueError as error:
        layout.show_problems("The search did not run: a lock cannot hold.", [str(error)])
        return None


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


def frontier_section(
    result: SearchResult,
    found: Sequence[Marker],
    deal: Deal | None,
    request: SearchRequest,
    status_quo: Scenario,
) -> None:
    """The chart, and beside it the clicked plan (or the deal) for a closer look."""
    chart_column, look_column = st.columns([3, 2], gap="medium")
    with chart_column:
        event = st.altair_chart(
            cached_chart(
                request, result.constraints, result.bargaining_weight, result.rep_utility,
                tuple(found),
            ),
            key=CHART_KEY, on_select="rerun",
            selection_mode=PICK, width="stretch",
        )  # fmt: skip
        st.caption(search_summary(result))
        if not result.status_quo_converged:
            st.warning(
                "The status quo's selling hours did not settle in the working scenario: the "
                "disagreement point is approximate.",
                icon=":material/warning:",
            )
    picked = picked_index(event, len(result.plans))
    with look_column, st.container(border=True):
        if picked is None and deal is None:
            st.markdown("**Click a point** on the chart to see its plan here.")
            return
        index = picked if picked is not None else deal.index  # type: ignore[union-attr]
        st.markdown("**Picked plan**" if picked is not None else f"**{deal.label}**")  # type: ignore[union-attr]
        if picked is None:
            st.caption("Click any point on the chart to look at it instead.")
        held = [b.label for b in result.levers if b.is_fixed]
        st.dataframe(plan_table(result, index, status_quo), hide_index=True, width="stretch",
                     key="picked_plan")  # fmt: skip
        st.dataframe(numbers_table(result, index), hide_index=True, width="stretch",
                     key="picked_numbers")  # fmt: skip
        if held:
            st.caption("Held as in the working scenario: " + layout.literal(", ".join(held)))
        if picked is None:
            return  # the deal: adopted below, with its explanation
        st.button(
            "Make this the working scenario", key="picked_adopt", width="stretch",
            icon=":material/input:", on_click=_adopt, args=(request, index, "picked"),
        )  # fmt: skip
        _adoption_refused("picked")


def search_summary(result: SearchResult) -> str:
    """The chart's caption: how many candidates, how many count, and what the dots mean."""
    unsettled = result.unconverged_count
    flagged = (
        f" {unsettled:,} {'plan' if unsettled == 1 else 'plans'} whose selling hours did not "
        f"settle {'is' if unsettled == 1 else 'are'} left out of the frontier and the deals."
        if unsettled else ""
    )  # fmt: skip
    return (
        f"{len(result.plans):,} candidates, {result.feasible_count:,} meeting the "
        f"constraints, {result.improving_count:,} better for both sides than the status quo; "
        f"{len(result.frontier)} on the frontier.{flagged} Faint dots fail a constraint or did "
        "not settle. Hover a point for its plan; click one to look closer. Proposals are "
        "plotted at their plans, valued in the working scenario."
    )


def _adopt(request: SearchRequest, index: int, source: str) -> None:
    """Make candidate ``index`` the working scenario, if this session may."""
    if not access.is_facilitator():
        st.session_state["compromise_refused"] = source
        return
    result = run_search(request)
    working = request.working
    picked = apply_plan(working, result.plans, index)
    moves = engine.lever_moves(state.status_quo(), picked)
    metadata = picked.metadata.model_copy(
        update={
            "name": _short(f"Picked plan: {working.metadata.name}"),
            "notes": _short("Moves from the status quo: "
                            + ("; ".join(m.text for m in moves) or "none") + ".", 5000),
        }
    )  # fmt: skip
    _make_working(picked.model_copy(update={"metadata": metadata}), source)


def adopt_deal(request: SearchRequest, deal: Deal) -> None:
    """Make the suggested deal the working scenario (the facilitator, in a hosted workshop)."""
    if not access.is_facilitator():
        st.session_state["compromise_refused"] = "deal"
        return
    result = run_search(request)
    _make_working(engine.deal_scenario(result, deal, request.working, state.status_quo()), "deal")


def _make_working(scenario: Scenario, source: str) -> None:
    state.set_working(scenario)
    # The search still describes this scenario's plan space: do not call it out of date.
    st.session_state[_ADOPTED] = scenario.model_dump_json()
    st.session_state["compromise_adopted"] = source


def _adoption_refused(source: str) -> None:
    if st.session_state.get("compromise_refused") == source:
        st.session_state.pop("compromise_refused")
        access.require_facilitator("make a plan the working scenario")
    if st.session_state.get("compromise_adopted") == source:
        st.session_state.pop("compromise_adopted")
        st.success("Done: it is now the working scenario on every page.")


# --- The deal in words ------------------------------------------------------------------------


def deal_section(
    result: SearchResult,
    deal: Deal | None,
    request: SearchRequest,
    status_quo: Scenario,
    proposals: Sequence[StoredScenario],
) -> None:
    """The suggested deal as moves from the status quo and each chosen proposal, and adopt."""
    if deal is None:
        st.warning(layout.literal(result.no_deal_reason or "No deal found."),
                   icon=":material/handshake:")  # fmt: skip
        for i, trade_off in enumerate(result.closest_trade_offs, start=1):
            told = explanation(request, trade_off, status_quo)
            st.markdown(
                f"**{TRADE_OFF} {i}**: "
                + layout.literal(gains_text(trade_off, result.rep_utility) + " — ")
                + layout.literal(", ".join(told.lines) or "no lever moves")
            )
        return
    told = explanation(request, deal, status_quo)
    for column, (field, label, kind) in zip(st.columns(len(DEAL_TILES)), DEAL_TILES, strict=True):
        change = ui_delta(getattr(told.change, field), kind)
        column.metric(
            label, ui_format(getattr(told.after, field), kind), delta=change.text,
            delta_color=change.color,
            delta_arrow="auto" if change.color != "off" else "off",
            help=explain.FIGURES.get(field), border=True,
        )  # fmt: skip
    words, adopt = st.columns([3, 1], gap="medium")
    with words:
        st.markdown(
            f"**{deal.label}**, from the status quo: "
            + layout.literal(", ".join(told.lines) or "no lever moves")
            + "."
        )
        for p in proposals:
            moves = explanation(request, deal, p.scenario)
            st.markdown(
                f"From **{layout.literal(p.scenario.metadata.name)}**: "
                + layout.literal(", ".join(moves.lines) or "no lever moves")
                + "."
            )
    with adopt:
        st.button(
            "Adopt this deal", key="deal_adopt", type="primary", width="stretch",
            icon=":material/handshake:", on_click=adopt_deal, args=(request, deal),
            help="Makes the deal the working scenario on every page. In a hosted workshop "
            "only the facilitator can adopt it.",
        )  # fmt: skip
        _adoption_refused("deal")


def gains_text(deal: Deal, rep_utility: RepUtility) -> str:
    """Each side's gain over the status quo in words: ``"leadership +$120k per period, reps
    +$4,184 per rep"`` (motivation in points)."""

    def gain(change: float, kind: Literal["money", "score"], unit: str) -> str:
        shown = ui_delta(change, kind)
        return "unchanged" if shown.color == "off" else f"{shown.text}{unit}"

    if REP_UTILITY_UNITS[rep_utility] == "money":
        reps = gain(deal.reps_gain, "money", " per rep")
    else:
        reps = "motivation " + gain(deal.reps_gain, "score", " points")
    return f"leadership {gain(deal.leadership_gain, 'money', ' per period')}, reps {reps}"


# --- The workshop report ----------------------------------------------------------------------


def report_files(
    agreed: Scenario, status_quo: Scenario, proposals: Sequence[Scenario]
) -> tuple[str, str, str]:
    """``(html, markdown, yaml)`` of the workshop report, stamped now."""
    report = build_report(agreed, status_quo, proposals, datetime.now(UTC))
    return report.html, report.markdown, report.yaml


@st.cache_data(max_entries=16, show_spinner=False)
def _report_files(
    agreed_json: str, status_quo_json: str, proposal_jsons: tuple[str, ...]
) -> tuple[str, str, str]:
    return report_files(
        _scenario(agreed_json), _scenario(status_quo_json), [_scenario(p) for p in proposal_jsons]
    )


def report_downloads(agreed: Scenario, status_quo: Scenario, proposals: Sequence[Scenario]) -> None:
    """The agreed (working) scenario against the status quo and the chosen proposals.

    Every file is built before its button is drawn (about 15 ms, cached per content), so the
    first click on any button delivers that button's file. Files built on click proved
    unreliable with several such buttons on one page: a click could deliver another button's
    file, or nothing.
    """
    html, markdown, _ = _report_files(
        agreed.model_dump_json(), status_quo.model_dump_json(),
        tuple(p.model_dump_json() for p in proposals),
    )  # fmt: skip
    name = agreed.metadata.name
    html_column, markdown_column, yaml_column = st.columns(3)
    html_column.download_button(
        "Report (HTML, opens offline)", html, file_name=download_name(name, "html"),
        mime="text/html", key="report_html", icon=":material/download:", width="stretch",
        on_click="ignore",
    )  # fmt: skip
    markdown_column.download_button(
        "Report (Markdown)", markdown, file_name=download_name(name, "md"),
        mime="text/markdown", key="report_markdown", icon=":material/download:",
        width="stretch", on_click="ignore",
    )  # fmt: skip
    yaml_column.download_button(
        "Agreed scenario (YAML)", dump_scenario(agreed), file_name=download_name(name, "yaml"),
        mime="application/x-yaml", key="report_yaml", icon=":material/download:",
        width="stretch", on_click="ignore",
    )  # fmt: skip
