"""The Compromise page's outcome: the chart with a closer look at a clicked plan, the
suggested deal in words, and making either the working scenario.

Adopting a plan is the facilitator's, in a hosted workshop; a refused click says so where it was
made. The words and tables (a plan's levers and numbers, each side's gains) are plain Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import pandas as pd
import streamlit as st

from alignment import Plans, Scenario, apply_plan
from alignment import compromise as engine
from alignment.compromise import (
    REP_UTILITY_UNITS,
    Deal,
    RepUtility,
    SearchResult,
    format_value,
    lever_matrix,
)
from alignment.storage import StoredScenario
from workshop_ui import access, explain, layout, presenting, state
from workshop_ui.compromise_charts import (
    CHART_KEY,
    PICK,
    TRADE_OFF,
    Marker,
    cached_spec,
    picked_index,
)
from workshop_ui.compromise_controls import _ADOPTED
from workshop_ui.compromise_search import SearchRequest, explanation, lever_unit
from workshop_ui.formatting import delta as ui_delta
from workshop_ui.formatting import format_value as ui_format

__all__ = [
    "DEAL_TILES",
    "PLAN_NUMBERS",
    "adopt_deal",
    "deal_section",
    "frontier_section",
    "gains_text",
    "numbers_table",
    "plan_table",
    "search_summary",
]

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


def frontier_section(
    result: SearchResult,
    found: Sequence[Marker],
    deal: Deal | None,
    request: SearchRequest,
    status_quo: Scenario,
) -> None:
    """The chart, and beside it the clicked plan (or the deal) for a closer look."""
    chart_column, look_column = st.columns([5, 4], gap="medium")
    with chart_column:
        event = st.vega_lite_chart(
            cached_spec(
                request, result.constraints, result.bargaining_weight, result.rep_utility,
                tuple(found), presenting.is_on(),
            ),
            key=CHART_KEY, on_select="rerun", selection_mode=PICK, width="stretch",
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
        st.table(plan_table(result, index, status_quo), hide_index=True)
        st.table(numbers_table(result, index), hide_index=True)
        if held:
            st.caption("Held as in the working scenario: " + layout.literal(", ".join(held)))
        if picked is None:
            return  # the deal: adopted below, with its explanation
        st.button(
            "Make this the working scenario", key="picked_adopt", width="stretch",
            icon=":material/input:", on_click=_adopt,
            args=(request, result.plans.take(index), "picked"),
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


def _adopt(request: SearchRequest, plan: Plans, source: str) -> None:
    """Make the candidate ``plan`` (one plan) the working scenario, if this session may."""
    if not access.is_facilitator():
        st.session_state["compromise_refused"] = source
        return
    working = request.working
    picked = apply_plan(working, plan)
    moves = engine.lever_moves(state.status_quo(), picked)
    metadata = picked.metadata.model_copy(
        update={
            "name": _short(f"Picked plan: {working.metadata.name}"),
            "notes": _short("Moves from the status quo: "
                            + ("; ".join(m.text for m in moves) or "none") + ".", 5000),
        }
    )  # fmt: skip
    _make_working(picked.model_copy(update={"metadata": metadata}), source)


def adopt_deal(request: SearchRequest, deal: Deal, result: SearchResult) -> None:
    """Make the suggested deal the working scenario (the facilitator, in a hosted workshop).

    ``result`` is the search as shown (bargained under the page's limits and weight): the
    deal's index points into its plans."""
    if not access.is_facilitator():
        st.session_state["compromise_refused"] = "deal"
        return
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


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
            told = explanation(result, request, trade_off, status_quo)
            st.markdown(
                f"**{TRADE_OFF} {i}**: "
                + layout.literal(gains_text(trade_off, result.rep_utility) + " — ")
                + layout.literal(", ".join(told.lines) or "no lever moves")
            )
        return
    told = explanation(result, request, deal, status_quo)
    # Three tiles a row: six would cut off labels and values on a 1280 px screen.
    for start in range(0, len(DEAL_TILES), 3):
        row = DEAL_TILES[start : start + 3]
        for column, (field, label, kind) in zip(st.columns(3), row, strict=False):
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
            moves = explanation(result, request, deal, p.scenario)
            st.markdown(
                f"From **{layout.literal(p.scenario.metadata.name)}**: "
                + layout.literal(", ".join(moves.lines) or "no lever moves")
                + "."
            )
    with adopt:
        st.button(
            "Adopt this deal", key="deal_adopt", type="primary", width="stretch",
            icon=":material/handshake:", on_click=adopt_deal, args=(request, deal, result),
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
