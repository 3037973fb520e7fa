"""The Compromise page's outcome: the bargaining weight, the frontier chart, the suggested deal
and how sure the room can be of it, redrawn on their own.

A move of the bargaining weight, a click on the chart or a robust-deal search changes only this
part of the page, so only it runs again (a Streamlit fragment): the proposals above and the
report below stay as they were, and the browser takes in about half as many elements. Anything
here that changes the working scenario (adopting a plan, widening a range) runs the whole page
again, so the sidebar, the proposals and the report follow it.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from alignment.compromise import Constraints, RepUtility
from alignment.storage import StoredScenario
from workshop_ui import compromise_view as view
from workshop_ui import state, uncertainty_view

__all__ = ["outcome_sections"]


@st.fragment
def outcome_sections(
    request: view.SearchRequest,
    constraints: Constraints,
    rule: str,
    rep_utility: RepUtility,
    proposals: Sequence[StoredScenario],
    usable: Sequence[StoredScenario],
    revision: int,
) -> None:
    """Sections 2 (from the weight on) to 4 of the page, for the scenario at ``revision``."""
    if state.revision() != revision:  # changed here: every part of the page must follow
        st.rerun()
    working, status_quo = state.working(), state.status_quo()
    weight_column, _ = st.columns([1, 2])
    with weight_column:
        weight = view.weight_control(rule)
    if view.search_result(request) is not None:
        result = view.bargained(request, constraints, weight, rep_utility)
        deal = view.suggested_deal(result, rule, weight)
        found = view.markers(result, deal, request, working, usable)
        view.frontier_section(result, found, deal, request, status_quo)

        st.header("3. The suggested deal", divider="gray")
        view.deal_section(result, deal, request, status_quo, proposals)

    st.header("4. How sure are we?", divider="gray")
    uncertainty_view.compromise_section(
        working, status_quo, rep_utility, proposals, request, constraints, rule, weight
    )
