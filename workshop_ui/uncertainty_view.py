"""How sure are we? The section the Outcomes and Compromise pages share (MODEL.md §10).

The room widens or narrows the ranges of the uncertain inputs (written into the working
scenario's ``uncertainty.spread``, saved like every other change); each plan on show is valued
over seeded draws of those inputs, beside the status quo in the same draw. The page shows, per
plan, the chance that both sides are better off than today as a plain number, a band per
headline figure, and which input decides each side's gain.

The work is cached by the scenarios' content, so moving any other control reuses it.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Sequence

import streamlit as st

from alignment import Scenario
from alignment.compromise import REP_UTILITY_NOUNS, Constraints, RepUtility, lever_moves
from alignment.compromise import deal_scenario as deal_plan
from alignment.evaluate import apply_plan
from alignment.scenario_io import scenario_from_data
from alignment.sensitivity import Ranking, sensitivity_ranking
from alignment.storage import StoredScenario
from alignment.uncertainty import FIGURES, PlanUncertainty, plan_uncertainty
from alignment.uncertainty_inputs import ABSOLUTE_SPREAD, DEFAULT_SPREAD, KIND_HELP, KIND_LABELS
from workshop_ui import charts, controls, layout, presenting
from workshop_ui import compromise_search as search
from workshop_ui import uncertainty_charts as pictures
from workshop_ui.charts import STATUS_QUO, WORKING
from workshop_ui.compromise_search import SearchRequest

# On a page the draws are capped so a change of range answers within a few seconds; the command
# line (``python -m alignment uncertainty``) uses the scenario's own count, 1,000 by default.
PAGE_DRAWS = 300
PAGE_TRAJECTORIES = 10
DEAL = "Suggested deal"
ROBUST = "Robust deal"
_ROBUST_WANTED = "uncertainty_robust_for"  # the search, limits and measure it was asked for
# What each side bargains over and the launch's goal: the bands shown first.
HEADLINE_FIGURES = tuple(
    next(figure for figure in FIGURES if figure[0] == name)
    for name in ("leadership_value", "rep_utility", "new_product_share")
)
_REPS_UNITS = {"rep_utility": "money per rep", "expected_earnings": "money per rep",
               "motivation": "points of motivation"}  # fmt: skip


def spread_controls() -> None:
    """A slider per kind of input: how far either side of its stated value it may be.

    Below the figures they change. On the Compromise page they are outside the part a
    bargaining-weight move redraws: a move leaves them as they are, and a change of range
    redraws the whole page.
    """
    with st.expander("Widen or narrow the ranges", icon=":material/tune:"):
        st.caption(
            "How far each kind of estimate may be from the value stated in the scenario, "
            "either side. 0 means known exactly. A range given in the scenario file for one "
            "input (e.g. fitted from the deal history) replaces its slider."
        )
        columns = st.columns(3)
        for i, kind in enumerate(DEFAULT_SPREAD):
            with columns[i % 3]:
                _spread_slider(kind)


def _spread_slider(kind: str) -> None:
    points = kind in ABSOLUTE_SPREAD
    unit = "points" if points else "%"
    label = f"{KIND_LABELS[kind].capitalize()}, ± {unit}"

    def read(scenario: Scenario) -> float:
        return round(100 * scenario.uncertainty.spread.get(kind, DEFAULT_SPREAD[kind]), 9)

    def write(scenario: Scenario, shown: float) -> Scenario:
        data = scenario.model_dump(mode="python")
        data["uncertainty"]["spread"][kind] = float(shown) / 100
        return scenario_from_data(data, "scenario")

    key = f"uncertainty_spread_{kind}"
    controls._prepare(key, read)
    st.slider(
        label, min_value=0.0, max_value=100.0 if points else 95.0, step=5.0, format="%.0f",
        key=key, on_change=controls._write, args=(key, read, write),
        help=f"{KIND_HELP[kind]} The range is the stated value ± this "
        + ("many percentage points." if points else "share of it."),
    )  # fmt: skip
    controls._show_error(key)


def outcomes_section(working: Scenario, status_quo: Scenario) -> None:
    """The working plan against the status quo: the chance both gain, bands, what decides it."""
    status_quo = status_quo if status_quo.product_ids == working.product_ids else working
    _intro(working)
    draws = page_draws(working)
    if working == status_quo:
        with st.spinner(f"Valuing the plan over {draws:,} draws of the uncertain inputs…"):
            found = bands(working, status_quo, [(STATUS_QUO, status_quo)])
        st.info(
            "The working plan is the status quo, so neither side can be better off. Move a "
            "lever to see how likely a change is to leave both sides better off, and which "
            "estimate decides it.",
            icon=":material/info:",
        )
        band_grid(found, working.metadata.currency, "outcomes")
        spread_controls()
        return
    with st.spinner(f"Valuing the plan over {draws:,} draws of the uncertain inputs…"):
        found = bands(working, status_quo, [(STATUS_QUO, status_quo), (WORKING, working)])
        ranking = ranking_of(working, working, status_quo, "The working plan")
    chance_column, ranking_column = st.columns([1, 2], gap="large")
    with chance_column:
        chance_tile(found[1], WORKING, "rep_utility")
    with ranking_column:
        ranking_section(ranking)
    band_grid(found, working.metadata.currency, "outcomes")
    spread_controls()


def compromise_section(
    working: Scenario,
    status_quo: Scenario,
    rep_utility: RepUtility,
    proposals: Sequence[StoredScenario],
    request: SearchRequest,
    constraints: Constraints,
    rule: str,
    weight: float,
) -> None:
    """The suggested deal (once searched) and the proposals picked for comparison, against
    the status quo."""
    _intro(working)
    plans = [*_deal(request, constraints, rule, weight, rep_utility),
             *((p.scenario.metadata.name, p.scenario) for p in proposals)]  # fmt: skip
    if not plans:
        st.info(
            "Search for a compromise, or pick proposals to compare above, to see how likely "
            "each is to leave both sides better off.",
            icon=":material/info:",
        )
        return
    draws = page_draws(working)
    with st.spinner(f"Valuing {len(plans)} plan(s) over {draws:,} draws…"):
        found = bands(working, status_quo, [(STATUS_QUO, status_quo), *plans], rep_utility)
        label, first = plans[0]
        subject = "The deal" if label == DEAL else label
        ranking = ranking_of(working, first, status_quo, subject, rep_utility)
    for start in range(1, len(found), 3):
        row = found[start : start + 3]
        for column, plan in zip(st.columns(3), row, strict=False):
            with column:
                chance_tile(plan, plan.name, rep_utility)
    named = dict(plans)
    if DEAL in named and ROBUST in named:
        st.caption(layout.literal(robust_note(named[DEAL], named[ROBUST])))
    st.markdown(f"**Which assumption decides it**, for {layout.literal(label)}")
    ranking_section(ranking, rep_utility)
    band_grid(found, working.metadata.currency, "compromise")


def _deal(
    request: SearchRequest, constraints: Constraints, rule: str, weight: float,
    rep_utility: RepUtility,
) -> list[tuple[str, Scenario]]:  # fmt: skip
    """The suggested deal as a scenario, if a search has found one."""
    try:
        result = search.bargained(request, constraints, weight, rep_utility)
    except ValueError:  # a lock cannot hold: the search section says so
        return []
    deal = search.suggested_deal(result, rule, weight)
    if deal is None:
        return []
    found = [(DEAL, deal_plan(result, deal, request.working, request.status_quo))]
    wanted = (request, constraints, rep_utility)
    if st.session_state.get(_ROBUST_WANTED) != wanted:
        st.button(
            "Find the robust deal", key="find_robust_deal", icon=":material/shield:",
            on_click=st.session_state.__setitem__, args=(_ROBUST_WANTED, wanted),
            help="The plan most likely to leave both sides better off across the ranges "
            "below, rather than best at the stated values (takes a few seconds).",
        )  # fmt: skip
        return found
    with st.spinner("Looking for the plan most likely to leave both sides better off…"):
        sturdy = search.robust(request, constraints, rep_utility)
    if sturdy is not None:
        found.append((ROBUST, apply_plan(request.working, sturdy.plans)))
    return found


def robust_note(deal: Scenario, sturdy: Scenario) -> str:
    """How the robust deal differs from the suggested one, in words."""
    moves = lever_moves(deal, sturdy)
    if not moves:
        return "The robust deal is the suggested deal: no other plan is more likely to suit both."
    return (
        "The robust deal is the plan most likely to leave both sides better off across the "
        "ranges, rather than best at the stated values. Against the suggested deal it moves: "
        + "; ".join(m.text for m in moves)
        + "."
    )


def _intro(working: Scenario) -> None:
    draws = page_draws(working)
    st.caption(
        "Elasticities, unassisted demand, the reps' effort response and habit are estimates. "
        f"The figures below are based on {draws:,} draws of them within their ranges (seed "
        f"{working.uncertainty.seed}), each plan beside today's plan in the same draw; widen or "
        "narrow the ranges under the bands."
    )


def page_draws(working: Scenario) -> int:
    return min(working.uncertainty.draws, PAGE_DRAWS)


def chance_words(probability: float) -> str:
    """The chance as people say it: "7 in 10", "under 1 in 10", "none"."""
    if probability <= 0.0:
        return "None"
    if probability >= 1.0:
        return "Every one"
    if probability < 0.05:
        return "Under 1 in 10"
    if probability > 0.95:
        return "Over 9 in 10"
    return f"{round(10 * probability)} in 10"


def chance_sentence(probability: float, draws: int, rep_utility: RepUtility = "rep_utility") -> str:
    """The chance in one plain sentence, with the share of draws behind it."""
    words = chance_words(probability)
    count = round(probability * draws)
    if probability <= 0.0:
        return f"In none of the {draws:,} draws are both sides better off than today."
    if probability >= 1.0:
        return f"In all {draws:,} draws both sides are better off than today."
    return (
        f"{words} chances both sides are better off than today ({count:,} of {draws:,} "
        "draws, where both leadership's value and the reps' "
        f"{REP_UTILITY_NOUNS[rep_utility]} beat today's)."
    )


def chance_tile(plan: PlanUncertainty, label: str, rep_utility: RepUtility) -> None:
    """The chance that both sides gain, big, with the sentence under it."""
    with st.container(border=True):
        st.metric(
            layout.label(label),
            chance_words(plan.both_gain),
            help="The chance both sides are better off than today: the share of the draws in "
            "which leadership's value and the reps' measure are both above what today's plan "
            "gives in the same draw.",
        )
        st.caption(chance_sentence(plan.both_gain, plan.draws, rep_utility))
        if plan.unsettled:
            st.caption(
                f"In {plan.unsettled:,} draws the reps' hours did not fully settle; those "
                "figures use the best mix found."
            )


def ranking_section(ranking: Ranking, rep_utility: RepUtility = "rep_utility") -> None:
    """The sentence, then the chart of what moves each side's gain."""
    st.markdown(f"**{layout.literal(ranking.sentence)}**")
    if ranking.top("leadership") is None and ranking.top("reps") is None:
        return
    charts.show_spec(
        _ranking_spec(_digest(ranking), ranking, _REPS_UNITS[rep_utility], presenting.is_on())
    )
    st.caption(
        "Each bar is an input's share of what moves that side's gain over today when the "
        "inputs move across their ranges (Morris method, "
        f"{ranking.trajectories} paths, {ranking.evaluations:,} draws). The longest bar is "
        "the number most worth measuring before agreeing."
    )


# Specs are kept as they are, not copied on each use: Streamlit copies a spec before changing it.
@st.cache_resource(max_entries=64, show_spinner=False)
def _ranking_spec(digest: str, _ranking: Ranking, reps_unit: str, presents: bool) -> dict:
    """The ranking chart's spec, kept by the ranking's content (``digest``): a rerun that does
    not change the ranking builds no chart."""
    chart = pictures.ranking_chart(_ranking, reps_unit)
    return charts.arrow_datasets(charts.spec_of(presenting.presented(chart) if presents else chart))


@st.cache_resource(max_entries=64, show_spinner=False)
def _band_specs(
    digest: str,
    _found: Sequence[PlanUncertainty],
    currency: str,
    presents: bool,
    figures: tuple[tuple[str, str, str], ...],
) -> tuple[dict, ...]:
    """The band charts' specs, kept by the plans' content (``digest``): a weight move back to
    a deal seen before builds none."""
    styled = presenting.presented if presents else None
    return tuple(
        pictures.band_spec(_found, field, title, kind, currency=currency, styled=styled)
        for field, title, kind in figures
    )


def _digest(value: object) -> str:
    return hashlib.blake2b(pickle.dumps(value), digest_size=16).hexdigest()


def band_grid(found: Sequence[PlanUncertainty], currency: str, page: str) -> None:
    """A band for what each side bargains over and the launch's goal, three to a row, and on
    request for every figure; money in ``currency``.

    Three by default: each band is a chart the browser redraws whenever the plans move (a
    bargaining-weight move on the Compromise page), and nine stacked bands are a long scroll on
    a phone.
    """
    st.caption(
        "Each bar holds 80 % of the draws (10 % fall below it, 10 % above); the dark tick is "
        "the median and each dot one chance in twenty."
    )
    every = st.toggle(
        f"All {len(FIGURES)} figures", key=f"{page}_every_band",
        help="Add contribution, revenue, gross margin, earnings per rep, motivation and team "
        "selling hours to leadership's value, the reps' earnings less the cost of effort and "
        "the new product's share.",
    )  # fmt: skip
    figures = FIGURES if every else HEADLINE_FIGURES
    specs = _band_specs(_digest(found), found, currency, presenting.is_on(), figures)
    for start in range(0, len(figures), 3):
        for column, spec in zip(st.columns(3), specs[start : start + 3], strict=False):
            with column:
                charts.show_spec(spec)


def bands(
    working: Scenario,
    status_quo: Scenario,
    plans: Sequence[tuple[str, Scenario]],
    rep_utility: RepUtility = "rep_utility",
) -> tuple[PlanUncertainty, ...]:
    """Each plan over the page's draws (cached by the scenarios' content)."""
    return _bands(
        working.model_dump_json(), status_quo.model_dump_json(),
        tuple(p.model_dump_json() for _, p in plans), tuple(name for name, _ in plans),
        page_draws(working), rep_utility,
    )  # fmt: skip


@st.cache_data(max_entries=32, show_spinner=False)
def _bands(
    working_json: str,
    status_quo_json: str,
    plan_jsons: tuple[str, ...],
    names: tuple[str, ...],
    draws: int,
    rep_utility: RepUtility,
) -> tuple[PlanUncertainty, ...]:
    return plan_uncertainty(
        Scenario.model_validate_json(working_json),
        [Scenario.model_validate_json(p) for p in plan_jsons],
        Scenario.model_validate_json(status_quo_json),
        draws=draws, rep_utility=rep_utility, names=names,
    )  # fmt: skip


def ranking_of(
    working: Scenario,
    plan: Scenario,
    status_quo: Scenario,
    subject: str,
    rep_utility: RepUtility = "rep_utility",
) -> Ranking:
    """The sensitivity ranking of ``plan``'s gains (cached by the scenarios' content)."""
    return _ranking(
        working.model_dump_json(), plan.model_dump_json(), status_quo.model_dump_json(),
        subject, rep_utility,
    )  # fmt: skip


@st.cache_data(max_entries=32, show_spinner=False)
def _ranking(
    working_json: str, plan_json: str, status_quo_json: str, subject: str, rep_utility: RepUtility
) -> Ranking:
    return sensitivity_ranking(
        Scenario.model_validate_json(working_json),
        Scenario.model_validate_json(plan_json),
        Scenario.model_validate_json(status_quo_json),
        trajectories=PAGE_TRAJECTORIES, rep_utility=rep_utility, subject=subject,
    )  # fmt: skip
