"""The Compromise page's search as values: locks, constraints, the request and its caches.

The search samples plans, then optimises the frontier and every deal (a second or a few), so
it runs only when the room asks for it and is cached by everything it depends on: the working
scenario, the status quo, the locks and the seed. Moving the bargaining weight, a constraint or
the reps' measure reuses the cached candidates through :func:`alignment.compromise.bargain`,
which optimises again only the deals the change moves.
Nothing here draws: it is plain Python, testable without a running page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import streamlit as st

from alignment import Outcomes, Scenario
from alignment import compromise as engine
from alignment.compromise import (
    CONSTRAINT_LABELS,
    DEFAULT_CANDIDATES,
    Constraints,
    Deal,
    Lock,
    RepUtility,
    SearchResult,
    format_value,
    lever_bounds,
)
from alignment.compromise.robust import RobustDeal, robust_deal
from workshop_ui.formatting import format_value as ui_format

__all__ = [
    "CANDIDATES",
    "DEFAULT_SEED",
    "LOCK_MODES",
    "LockChoice",
    "LockMode",
    "SearchRequest",
    "bargained",
    "cached_search",
    "constraints_from",
    "engine_locks",
    "explanation",
    "held_levers",
    "lever_unit",
    "limit_lines",
    "negotiable_levers",
    "run_search",
    "suggested_deal",
    "valued",
]

CANDIDATES = DEFAULT_CANDIDATES
DEFAULT_SEED = 42


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


def valued(request: SearchRequest, scenario: Scenario) -> Outcomes:
    """``scenario``'s plan valued in the search's working scenario, hours relative to its
    status quo's motivation (cached; one plan)."""
    return _valued(request.working_json, request.status_quo_json, scenario.model_dump_json())


@st.cache_data(max_entries=64, show_spinner=False)
def _valued(working_json: str, status_quo_json: str, scenario_json: str) -> Outcomes:
    return engine.value_in_working(
        _scenario(working_json), _scenario(scenario_json), _scenario(status_quo_json)
    )


def explanation(
    result: SearchResult, request: SearchRequest, deal: Deal, baseline: Scenario
) -> engine.Explanation:
    """The plan ``deal`` points at in ``result`` (the search as shown, bargained under the
    page's limits and weight), as moves from ``baseline`` (cached per search and plan)."""
    levers = tuple(engine.lever_matrix(result.plans.take(deal.index))[0].tolist())
    return _explanation(result, request, deal, levers, baseline.model_dump_json())


@st.cache_resource(max_entries=64, show_spinner=False)
def _explanation(
    _result: SearchResult, request: SearchRequest, deal: Deal, levers: tuple[float, ...],
    baseline_json: str,
) -> engine.Explanation:  # fmt: skip
    # Keyed by the deal's own levers: the same index may name another plan in another bargain.
    return engine.explain_deal(_result, deal, request.working, _scenario(baseline_json))


def robust(
    request: SearchRequest, constraints: Constraints, rep_utility: RepUtility = "rep_utility"
) -> RobustDeal | None:
    """The plan most likely to leave both sides better off, beside the Nash deal (cached by
    the search, the limits and the reps' measure; a few seconds on a miss)."""
    return _robust(request, constraints, rep_utility)


@st.cache_resource(max_entries=12, show_spinner=False)
def _robust(
    request: SearchRequest, constraints: Constraints, rep_utility: RepUtility
) -> RobustDeal | None:
    result = bargained(request, constraints, 0.5, rep_utility)
    return robust_deal(result, request.status_quo)
