"""The Compromise page's controls: how each side counts, locks, limits, the bargaining rule
and the search button.

Each control returns a value (a lock, the constraints, the rule and weight, the search
request) for the page to hand on; only :func:`search_controls` decides when a new search runs.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from alignment import Scenario
from alignment import compromise as engine
from alignment.compromise import Constraints, RepUtility, SearchResult, format_value, lever_bounds
from workshop_ui import layout
from workshop_ui.compromise_proposals import forget_missing
from workshop_ui.compromise_search import (
    CANDIDATES,
    DEFAULT_SEED,
    LOCK_MODES,
    LockChoice,
    LockMode,
    SearchRequest,
    constraints_from,
    held_levers,
    lever_unit,
    limit_lines,
    negotiable_levers,
    run_search,
)
from workshop_ui.formatting import currency_symbol, money

__all__ = [
    "REP_UTILITY_CHOICES",
    "RULE_CHOICES",
    "constraint_controls",
    "lock_controls",
    "rule_control",
    "search_controls",
    "search_result",
    "utility_controls",
    "weight_control",
]

RULE_CHOICES: dict[str, str] = {
    "nash": "Nash bargaining (largest product of both gains)",
    "kalai_smorodinsky": "Kalai–Smorodinsky (equal share of each side's best gain)",
}
# The reps' measures the room may pick, as the page offers them.
REP_UTILITY_CHOICES: dict[str, str] = {
    "rep_utility": "Earnings less the cost of effort ({symbol} per rep)",
    "motivation": "Motivation (0–100)",
    "expected_earnings": "Expected earnings ({symbol} per rep)",
}
# Session keys: the search on show, and a scenario adopted from it (see compromise_deal).
_REQUEST = "compromise_request"
_ADOPTED = "compromise_adopted_json"


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
            f"Min contribution ({currency_symbol()})", "constraint_contribution", -1e12, 1e12,
            100_000.0,
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
            "**Leadership's value** ("
            + layout.literal(f"{currency_symbol(working.metadata.currency)} per period")
            + "): contribution plus what leadership says each strategic unit is worth beyond "
            "its margin."
        )
        for sentence in engine.exchange_rate_sentences(working, money):
            st.markdown(layout.literal(sentence))
    with reps:
        symbol = currency_symbol(working.metadata.currency)
        chosen = st.radio(
            "Reps' utility", list(REP_UTILITY_CHOICES),
            format_func=lambda key: REP_UTILITY_CHOICES[key].format(symbol=symbol),
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


def rule_control() -> str:
    """How the deal is picked from the frontier: Nash (weighted) or Kalai–Smorodinsky."""
    rule = st.radio(
        "Rule", list(RULE_CHOICES), format_func=RULE_CHOICES.get, key="deal_rule",
        help="Nash picks the plan with the largest product of both sides' gains over the "
        "status quo; Kalai–Smorodinsky gives each side the same share of the most it could gain.",
    )  # fmt: skip
    return str(rule)


def weight_control(rule: str) -> float:
    """Leadership's bargaining weight in the Nash product (used by the Nash rule only)."""
    weight = st.slider(
        "Leadership's bargaining weight", min_value=0.1, max_value=0.9, value=0.5, step=0.05,
        key="deal_weight", disabled=rule != "nash",
        help="½ treats both sides alike; more gives leadership's gains more weight "
        "(asymmetric Nash: (gain of leadership)^w × (gain of reps)^(1−w)). Used by the Nash "
        "rule; Kalai–Smorodinsky has no weight.",
    )  # fmt: skip
    return float(weight)


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
        "Random start", min_value=0, max_value=2**31 - 1, value=DEFAULT_SEED, step=1,
        key="compromise_seed",
        help="Where the search's random sample and optimisers start. The same number gives "
        "the same result; another number finds the same deals to within a fraction of a "
        "percent (a check that the optimum does not hang on luck).",
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
            "The working scenario, the locks or the random start changed since this search: press "
            "the button to search again.",
            icon=":material/update:",
        )
    else:
        held = [lock.describe(_lever_label(shown, lock.lever), lever_unit(lock.lever))
                for lock in shown.locks]  # fmt: skip
        note.caption(
            "Each deal is the best plan within the negotiation bounds, found by optimisers "
            f"started from {CANDIDATES:,} sampled plans (shown faint)."
            + (" Locks: " + layout.literal("; ".join(held)) + "." if held else "")
        )
    return shown


def _lever_label(request: SearchRequest, lever: str) -> str:
    return {b.lever: b.label for b in lever_bounds(request.working)}[lever]


def search_result(request: SearchRequest) -> SearchResult | None:
    """The cached search, with a spinner on a miss; None (and the reason) if a lock is refused."""
    try:
        with st.spinner("Searching for the best deals within the bounds…", show_time=True):
            return run_search(request)
    except ValueError as error:
        layout.show_problems("The search did not run: a lock cannot hold.", [str(error)])
        return None
