"""The compromise engine: search the negotiable plans for deals both parties prefer (MODEL.md §8).

Leadership's utility is its weighted goal score; the reps' is motivation (or expected earnings).
The status quo is the disagreement point ``d``: what each side gets if the room agrees on
nothing. The search samples the plan space inside the scenario's negotiation bounds, evaluates
every candidate at once, keeps the Pareto frontier and proposes the Nash bargaining solution
beside Kalai–Smorodinsky, an asymmetric Nash product and each party's ideal.

Levers are named as in ``negotiation.locked``: ``price.<product>``, ``kicker.<product>``,
``revenue_rate`` and ``margin_rate``. Everything else in a candidate plan (lead generation,
push content) is the working scenario's.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Literal

import numpy as np
import pandas as pd

from alignment.demand import Demand, calibrate
from alignment.evaluate import Outcomes, Plans, apply_plan, evaluate
from alignment.scenario import Range, Scenario, lever_names

RepUtility = Literal["motivation", "expected_earnings"]
DealRule = Literal[
    "nash", "kalai_smorodinsky", "weighted_nash", "leadership_ideal", "reps_ideal",
    "closest_trade_off",
]  # fmt: skip

RULE_LABELS: dict[str, str] = {
    "nash": "Nash bargaining deal",
    "kalai_smorodinsky": "Kalai–Smorodinsky deal",
    "weighted_nash": "Weighted Nash deal",
    "leadership_ideal": "Leadership's ideal",
    "reps_ideal": "Reps' ideal",
    "closest_trade_off": "Closest trade-off",
}
REP_UTILITY_LABELS: dict[str, str] = {
    "motivation": "Rep motivation",
    "expected_earnings": "Expected earnings per rep",
}
DEFAULT_CANDIDATES = 20_000
# Sampling a few more than asked leaves room to drop duplicate plans and still reach the count.
_OVERSAMPLE = 1.03
_CLOSEST_TRADE_OFFS = 3


# --- Locks and lever bounds -------------------------------------------------------------------


@dataclass(frozen=True)
class Lock:
    """A party's hold on one lever: ``fixed`` at a value, or kept at or above ``floor`` and at
    or below ``ceiling``. A lock with nothing set keeps the working scenario's value.
    """

    fixed: float | None = None
    floor: float | None = None
    ceiling: float | None = None

    def __post_init__(self) -> None:
        if self.fixed is not None and (self.floor is not None or self.ceiling is not None):
            raise ValueError("a lock is either fixed at a value or bounded by a floor/ceiling")
        if self.floor is not None and self.ceiling is not None and self.floor > self.ceiling:
            raise ValueError(
                f"lock floor ({self.floor:g}) must not exceed its ceiling ({self.ceiling:g})"
            )

    @classmethod
    def keep(cls) -> Lock:
        """Keep the working scenario's value."""
        return cls()

    @classmethod
    def at(cls, value: float) -> Lock:
        return cls(fixed=float(value))

    @classmethod
    def within(cls, low: float | None = None, high: float | None = None) -> Lock:
        return cls(
            floor=None if low is None else float(low), ceiling=None if high is None else float(high)
        )


LockSpec = Lock | Range | float | None


@dataclass(frozen=True)
class LeverBound:
    """Where the search may move one lever, and the value it has in the working scenario."""

    lever: str
    label: str
    low: float
    high: float
    current: float
    locked_by: str | None  # "scenario", "party" or None

    @property
    def is_fixed(self) -> bool:
        return self.low == self.high

    @property
    def step(self) -> float:
        """Grid the sampler rounds to: 1, 2 or 5 times a power of ten, about 1/50 of the range."""
        return _grid_step(self.high - self.low)


def _grid_step(width: float) -> float:
    if width <= 0:
        return 0.0
    rough = width / 50.0
    power = 10.0 ** math.floor(math.log10(rough))
    return max(m for m in (1.0, 2.0, 5.0) if m * power <= rough) * power


def _snap(values: np.ndarray, step: float) -> np.ndarray:
    """``values`` rounded to multiples of ``step``, without binary noise (0.065, not 0.0650001)."""
    if step <= 0:
        return values
    decimals = max(0, -math.floor(math.log10(step)))
    return np.round(np.round(values / step) * step, decimals)


def lever_bounds(
    scenario: Scenario, locks: Mapping[str, LockSpec] | None = None
) -> tuple[LeverBound, ...]:
    """Each negotiable lever's search range after the scenario's and the parties' locks.

    A product without a price (kicker) range in ``negotiation`` keeps its current price
    (kicker); a lever in ``negotiation.locked`` keeps the working scenario's value. Extra
    ``locks`` from the parties apply on top: a number or ``Lock.at`` fixes the lever, a
    :class:`~alignment.scenario.Range` or ``Lock.within`` narrows its range, ``None`` or
    ``Lock.keep()`` keeps the working value. A fixed value may lie outside the negotiation
    range (the parties' word wins); a narrowed range must overlap it.

    Raises
    ------
    ValueError
        For an unknown lever name, or a narrowed range that leaves no room inside the
        negotiation bounds; the message names the lever and the fix.
    """
    locks = dict(locks or {})
    ids = scenario.product_ids
    known = lever_names(ids)
    for lever in locks:
        if lever not in known:
            raise ValueError(f"locks: unknown lever {lever!r}; use one of {sorted(known)}")
    negotiation = scenario.negotiation
    bounds = []
    for lever, label, current, allowed in _levers(scenario):
        low, high = (allowed.min, allowed.max) if allowed is not None else (current, current)
        locked_by = None
        if lever in negotiation.locked:
            low = high = current
            locked_by = "scenario"
        if lever in locks:
            low, high = _apply_lock(lever, _as_lock(locks[lever]), low, high, current)
            locked_by = "party"
            _check_domain(lever, low, high)
        bounds.append(LeverBound(lever, label, float(low), float(high), float(current), locked_by))
    return tuple(bounds)


def _levers(scenario: Scenario) -> list[tuple[str, str, float, Range | None]]:
    """(lever, label, working value, negotiation range) in the order of the lever matrix."""
    negotiation = scenario.negotiation
    kickers = scenario.commission.kickers
    levers: list[tuple[str, str, float, Range | None]] = []
    for p in scenario.products:
        levers.append((f"price.{p.id}", f"{p.name} price", p.price, negotiation.prices.get(p.id)))
    for p in scenario.products:
        levers.append(
            (f"kicker.{p.id}", f"{p.name} kicker", kickers.get(p.id, 0.0),
             negotiation.kickers.get(p.id))
        )  # fmt: skip
    plan = scenario.commission
    levers.append(("revenue_rate", "Revenue rate", plan.revenue_rate, negotiation.revenue_rate))
    levers.append(("margin_rate", "Margin rate", plan.margin_rate, negotiation.margin_rate))
    return levers


def _as_lock(spec: LockSpec) -> Lock:
    if spec is None:
        return Lock.keep()
    if isinstance(spec, Lock):
        return spec
    if isinstance(spec, Range):
        return Lock.within(spec.min, spec.max)
    return Lock.at(float(spec))


def _apply_lock(
    lever: str, lock: Lock, low: float, high: float, current: float
) -> tuple[float, float]:
    if lock.fixed is not None:
        return lock.fixed, lock.fixed
    if lock.floor is None and lock.ceiling is None:
        return current, current
    new_low = max(low, lock.floor) if lock.floor is not None else low
    new_high = min(high, lock.ceiling) if lock.ceiling is not None else high
    if new_low > new_high:
        raise ValueError(
            f"locks.{lever}: the range {_bound_text(lock.floor)}–{_bound_text(lock.ceiling)} "
            f"does not overlap the negotiation range {low:g}–{high:g}; move the lock inside "
            f"it or widen the negotiation bounds"
        )
    return new_low, new_high


def _check_domain(lever: str, low: float, high: float) -> None:
    """A party's lock may leave the negotiation range, but not what a scenario can hold."""
    if lever.startswith("price.") and low <= 0:
        raise ValueError(f"locks.{lever}: a price must be above 0, got {low:g}")
    if lever.endswith("_rate") and (low < 0.0 or high > 1.0):
        raise ValueError(
            f"locks.{lever}: a rate is a fraction between 0 and 1 (0.08 is 8 %), "
            f"got {low:g}–{high:g}"
        )


def _bound_text(value: float | None) -> str:
    return "…" if value is None else f"{value:g}"


# --- Sampling ---------------------------------------------------------------------------------


def lever_matrix(plans: Plans) -> np.ndarray:
    """The negotiable levers of ``plans`` as one ``(K, L)`` matrix, ordered as
    :func:`lever_bounds`."""
    return np.column_stack(
        [plans.price, plans.kicker, plans.revenue_rate[:, None], plans.margin_rate[:, None]]
    )


def plans_from_levers(scenario: Scenario, levers: np.ndarray) -> Plans:
    """Plans with these lever values and the working scenario's marketing."""
    n = len(scenario.products)
    k = levers.shape[0]
    working = Plans.from_scenario(scenario)
    return Plans(
        price=levers[:, :n].copy(),
        kicker=levers[:, n : 2 * n].copy(),
        lead_gen=np.repeat(working.lead_gen, k, axis=0),
        revenue_rate=levers[:, 2 * n].copy(),
        margin_rate=levers[:, 2 * n + 1].copy(),
        push_content=np.repeat(working.push_content, k),
    )


def sample_plans(
    scenario: Scenario,
    bounds: Sequence[LeverBound],
    count: int = DEFAULT_CANDIDATES,
    *,
    anchors: Sequence[Scenario] = (),
    seed: int = 42,
) -> Plans:
    """``count`` distinct plans drawn uniformly inside ``bounds``, after the ``anchors``' plans.

    Sampled levers are rounded to a grid of about a fiftieth of their range (so a deal reads
    "Nova price 600 → 645", not "→ 644.73"); fixed levers keep their exact value. Each anchor
    (status quo, working plan) comes first, clipped into the bounds so every candidate respects
    the locks; duplicates are dropped, keeping the first.

    Parameters
    ----------
    count : number of sampled plans besides the anchors, ≥ 1.
    seed : seed of the random generator; the same seed gives the same plans.
    """
    if count < 1:
        raise ValueError(f"count: need at least 1 candidate plan, got {count}")
    low = np.array([b.low for b in bounds])
    high = np.array([b.high for b in bounds])
    rng = np.random.default_rng(seed)
    drawn = low + (high - low) * rng.random((math.ceil(count * _OVERSAMPLE), len(bounds)))
    for j, bound in enumerate(bounds):
        drawn[:, j] = _snap(drawn[:, j], bound.step)
    anchor_levers = [lever_matrix(Plans.from_scenario(anchor))[0] for anchor in anchors]
    stacked = np.vstack([*anchor_levers, drawn]) if anchor_levers else drawn
    stacked = np.clip(stacked, low, high)
    _, first = np.unique(stacked, axis=0, return_index=True)
    keep = np.sort(first)[: count + len(anchor_levers)]
    return plans_from_levers(scenario, stacked[keep])


# --- Utilities, constraints and the frontier --------------------------------------------------


@dataclass(frozen=True)
class Utilities:
    """A point in the bargaining space: leadership's score and the reps' utility."""

    leadership: float
    reps: float


@dataclass(frozen=True)
class Constraints:
    """Hard limits a candidate must meet before it can be on the frontier (``None``: no limit).

    Shares and margin % are fractions; contribution is money per period; motivation 0–100.
    """

    min_gross_margin_pct: float | None = None
    min_new_product_share: float | None = None
    min_contribution: float | None = None
    min_motivation: float | None = None

    def satisfied(self, outcomes: Outcomes) -> np.ndarray:
        """Which plans meet every limit, ``(K,)`` bool."""
        ok = np.ones(outcomes.contribution.shape[0], dtype=bool)
        for name, outcome in _CONSTRAINT_FIELDS.items():
            minimum = getattr(self, name)
            if minimum is not None:
                ok &= getattr(outcomes, outcome) >= minimum
        return ok

    def describe(self) -> list[str]:
        """Each active limit in words, e.g. ``"Gross margin % ≥ 40.0 %"``."""
        return [
            f"{label} ≥ {format_value(getattr(self, name), unit)}"
            for name, (label, unit) in _CONSTRAINT_LABELS.items()
            if getattr(self, name) is not None
        ]


_CONSTRAINT_FIELDS = {
    "min_gross_margin_pct": "gross_margin_pct",
    "min_new_product_share": "new_product_share",
    "min_contribution": "contribution",
    "min_motivation": "motivation",
}
_CONSTRAINT_LABELS = {
    "min_gross_margin_pct": ("Gross margin %", "fraction"),
    "min_new_product_share": ("New-product share", "fraction"),
    "min_contribution": ("Contribution", "money"),
    "min_motivation": ("Rep motivation", "score"),
}


def party_utilities(
    outcomes: Outcomes, rep_utility: RepUtility = "motivation"
) -> tuple[np.ndarray, np.ndarray]:
    """``(U_L, U_S)``: leadership score (0–150) and motivation (0–100) or earnings (money)."""
    _check_rep_utility(rep_utility)
    return outcomes.leadership_score, getattr(outcomes, rep_utility)


def pareto_frontier(
    leadership: np.ndarray, reps: np.ndarray, candidates: np.ndarray | None = None
) -> np.ndarray:
    """Indices of the non-dominated plans, by leadership utility descending.

    A plan is dominated when another is at least as good for both parties and better for one.
    Sorting by leadership's utility (ties: reps' utility) descending, a plan is on the frontier
    when the reps get more from it than from every plan before it; plans with exactly the
    utilities of a frontier plan are on the frontier too.

    Parameters
    ----------
    candidates : bool mask ``(K,)`` of the plans to consider (e.g. those meeting constraints).
    """
    pool = np.arange(leadership.shape[0]) if candidates is None else np.flatnonzero(candidates)
    if pool.size == 0:
        return pool
    order = pool[np.lexsort((-reps[pool], -leadership[pool]))]
    best_before = np.concatenate(([-np.inf], np.maximum.accumulate(reps[order])[:-1]))
    strict = order[reps[order] > best_before]
    point = leadership + 1j * reps
    return order[np.isin(point[order], point[strict])]


# --- Deals ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deal:
    """One candidate plan proposed by a bargaining ``rule``, with both parties' utilities."""

    rule: DealRule
    index: int
    leadership: float
    reps: float
    leadership_gain: float  # over the status quo
    reps_gain: float

    @property
    def label(self) -> str:
        return RULE_LABELS[self.rule]


@dataclass(frozen=True, eq=False)
class SearchResult:
    """Every candidate the search evaluated, the frontier, and the deals it proposes.

    ``leadership``, ``reps`` and ``feasible`` are ``(K,)`` arrays over ``plans``; ``frontier``
    holds indices into them, by leadership utility descending.
    """

    plans: Plans
    outcomes: Outcomes
    levers: tuple[LeverBound, ...]
    rep_utility: RepUtility
    leadership: np.ndarray
    reps: np.ndarray
    feasible: np.ndarray
    frontier: np.ndarray
    status_quo: Utilities
    status_quo_index: int  # the status quo's plan among the candidates (clipped to the locks)
    working_index: int  # the working scenario's plan among the candidates
    constraints: Constraints
    bargaining_weight: float
    nash: Deal | None
    kalai_smorodinsky: Deal | None
    weighted_nash: Deal | None
    leadership_ideal: Deal | None
    reps_ideal: Deal | None
    closest_trade_offs: tuple[Deal, ...]
    no_deal_reason: str | None
    feasible_count: int
    improving_count: int
    elapsed_seconds: float

    @property
    def has_deal(self) -> bool:
        return self.nash is not None

    @property
    def deals(self) -> tuple[Deal, ...]:
        """The proposed deals that exist, compromises first, then each party's ideal."""
        found = (
            self.nash, self.kalai_smorodinsky, self.weighted_nash, self.leadership_ideal,
            self.reps_ideal,
        )  # fmt: skip
        return tuple(d for d in found if d is not None)

    def utilities(self, index: int) -> Utilities:
        return Utilities(float(self.leadership[index]), float(self.reps[index]))


def search(
    working: Scenario,
    status_quo: Scenario,
    *,
    locks: Mapping[str, LockSpec] | None = None,
    constraints: Constraints = Constraints(),
    rep_utility: RepUtility = "motivation",
    bargaining_weight: float = 0.5,
    count: int = DEFAULT_CANDIDATES,
    seed: int = 42,
    demand: Demand | None = None,
) -> SearchResult:
    """Sample, evaluate and bargain: the compromise search of MODEL.md §8.

    Parameters
    ----------
    working : the scenario whose market, team, goals and negotiation bounds the search uses.
    status_quo : the disagreement point; same products, possibly another plan.
    locks : the parties' extra locks by lever name (see :func:`lever_bounds`).
    constraints : limits every proposed plan must meet.
    rep_utility : the reps' utility, motivation (0–100) or expected earnings (money per rep).
    bargaining_weight : leadership's weight ``w`` in the weighted Nash product, in (0, 1).
    count : plans sampled besides the status quo's and the working plan.
    seed : the sampler's seed; the same inputs and seed give the same result.
    demand : ``calibrate(working)``, precomputed to save a calibration.
    """
    started = time.perf_counter()
    _check_same_products(working, status_quo)
    _check_rep_utility(rep_utility)
    _check_weight(bargaining_weight)
    bounds = lever_bounds(working, locks)
    plans = sample_plans(working, bounds, count, anchors=(status_quo, working), seed=seed)
    outcomes = evaluate(working, plans, demand if demand is not None else calibrate(working))
    d_l, d_s = party_utilities(evaluate(status_quo), rep_utility)
    # Dropping duplicates keeps the first of equal plans: the status quo's.
    same_anchor = np.array_equal(
        _clipped_levers(status_quo, bounds), _clipped_levers(working, bounds)
    )
    leadership, reps = party_utilities(outcomes, rep_utility)
    return _bargain(
        plans=plans,
        outcomes=outcomes,
        levers=bounds,
        rep_utility=rep_utility,
        leadership=leadership,
        reps=reps,
        status_quo=Utilities(float(d_l[0]), float(d_s[0])),
        status_quo_index=0,
        working_index=0 if same_anchor else 1,
        constraints=constraints,
        weight=bargaining_weight,
        started=started,
    )


def bargain(
    result: SearchResult,
    *,
    constraints: Constraints | None = None,
    bargaining_weight: float | None = None,
) -> SearchResult:
    """The same candidates bargained again under new constraints or a new weight.

    Cheap (no evaluation), so a page can move the weight or a constraint interactively.
    """
    weight = result.bargaining_weight if bargaining_weight is None else bargaining_weight
    _check_weight(weight)
    return _bargain(
        plans=result.plans,
        outcomes=result.outcomes,
        levers=result.levers,
        rep_utility=result.rep_utility,
        leadership=result.leadership,
        reps=result.reps,
        status_quo=result.status_quo,
        status_quo_index=result.status_quo_index,
        working_index=result.working_index,
        constraints=result.constraints if constraints is None else constraints,
        weight=weight,
        started=time.perf_counter() - result.elapsed_seconds,
    )


def _bargain(
    *,
    plans: Plans,
    outcomes: Outcomes,
    levers: tuple[LeverBound, ...],
    rep_utility: RepUtility,
    leadership: np.ndarray,
    reps: np.ndarray,
    status_quo: Utilities,
    status_quo_index: int,
    working_index: int,
    constraints: Constraints,
    weight: float,
    started: float,
) -> SearchResult:
    feasible = constraints.satisfied(outcomes)
    frontier = pareto_frontier(leadership, reps, feasible)
    gain_l = leadership - status_quo.leadership
    gain_s = reps - status_quo.reps
    improving = feasible & (gain_l > 0) & (gain_s > 0)

    def deal(rule: DealRule, index: int) -> Deal:
        return Deal(
            rule, int(index), float(leadership[index]), float(reps[index]),
            float(gain_l[index]), float(gain_s[index]),
        )  # fmt: skip

    nash = kalai = weighted = None
    closest: tuple[Deal, ...] = ()
    reason = None
    if improving.any():
        pool = np.flatnonzero(improving)
        nash = deal("nash", pool[np.argmax(gain_l[pool] * gain_s[pool])])
        weighted_log = weight * np.log(gain_l[pool]) + (1.0 - weight) * np.log(gain_s[pool])
        weighted = deal("weighted_nash", pool[np.argmax(weighted_log)])
        on_frontier = frontier[improving[frontier]]
        share_of_ideal = np.minimum(
            gain_l[on_frontier] / gain_l[pool].max(), gain_s[on_frontier] / gain_s[pool].max()
        )
        kalai = deal("kalai_smorodinsky", on_frontier[np.argmax(share_of_ideal)])
    else:
        reason = _no_deal_reason(feasible.any(), status_quo, rep_utility, constraints)
        closest = tuple(
            deal("closest_trade_off", i)
            for i in _nearest(frontier, leadership, reps, feasible, status_quo)
        )
    return SearchResult(
        plans=plans,
        outcomes=outcomes,
        levers=levers,
        rep_utility=rep_utility,
        leadership=leadership,
        reps=reps,
        feasible=feasible,
        frontier=frontier,
        status_quo=status_quo,
        status_quo_index=status_quo_index,
        working_index=working_index,
        constraints=constraints,
        bargaining_weight=weight,
        nash=nash,
        kalai_smorodinsky=kalai,
        weighted_nash=weighted,
        leadership_ideal=deal("leadership_ideal", frontier[0]) if frontier.size else None,
        reps_ideal=deal("reps_ideal", frontier[-1]) if frontier.size else None,
        closest_trade_offs=closest,
        no_deal_reason=reason,
        feasible_count=int(feasible.sum()),
        improving_count=int(improving.sum()),
        elapsed_seconds=time.perf_counter() - started,
    )


def _nearest(
    frontier: np.ndarray,
    leadership: np.ndarray,
    reps: np.ndarray,
    feasible: np.ndarray,
    status_quo: Utilities,
) -> np.ndarray:
    """Frontier plans nearest the status quo, each utility scaled by its spread."""
    if frontier.size == 0:
        return frontier
    scale_l = np.ptp(leadership[feasible]) or 1.0
    scale_s = np.ptp(reps[feasible]) or 1.0
    distance = np.hypot(
        (leadership[frontier] - status_quo.leadership) / scale_l,
        (reps[frontier] - status_quo.reps) / scale_s,
    )
    return frontier[np.argsort(distance, kind="stable")[:_CLOSEST_TRADE_OFFS]]


def _no_deal_reason(
    any_feasible: bool, status_quo: Utilities, rep_utility: RepUtility, constraints: Constraints
) -> str:
    if not any_feasible:
        return (
            "No candidate plan meets the constraints ("
            + "; ".join(constraints.describe())
            + "). Relax a constraint or widen the negotiation bounds."
        )
    rep_label = REP_UTILITY_LABELS[rep_utility].lower()
    rep_unit = "money" if rep_utility == "expected_earnings" else "score"
    return (
        "No candidate plan within the negotiation bounds leaves both parties better off than "
        f"the status quo (leadership score {format_value(status_quo.leadership, 'score')}, "
        f"{rep_label} {format_value(status_quo.reps, rep_unit)}). The closest trade-offs are "
        "shown: widen the negotiation bounds, unlock a lever or relax a constraint."
    )


def _check_rep_utility(rep_utility: str) -> None:
    if rep_utility not in REP_UTILITY_LABELS:
        raise ValueError(
            f"rep_utility: unknown {rep_utility!r}; use one of {sorted(REP_UTILITY_LABELS)}"
        )


def _check_weight(weight: float) -> None:
    if not 0.0 < weight < 1.0:
        raise ValueError(
            f"bargaining_weight: leadership's weight must be strictly between 0 and 1, "
            f"got {weight:g}"
        )


def _check_same_products(working: Scenario, other: Scenario, name: str = "status_quo") -> None:
    if working.product_ids != other.product_ids:
        raise ValueError(
            f"{name}: its products {other.product_ids} differ from the working scenario's "
            f"{working.product_ids}; compare scenarios of the same products"
        )


def _clipped_levers(scenario: Scenario, bounds: Sequence[LeverBound]) -> np.ndarray:
    levers = lever_matrix(Plans.from_scenario(scenario))[0]
    return np.clip(levers, [b.low for b in bounds], [b.high for b in bounds])


# --- Explaining a deal ------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    """The numbers a room looks at first. Money per period; shares as fractions."""

    leadership_score: float
    motivation: float
    expected_earnings: float
    contribution: float
    new_product_share: float
    gross_margin_pct: float

    def minus(self, other: Headline) -> Headline:
        """Signed differences, ``self − other``."""
        return Headline(
            **{f.name: getattr(self, f.name) - getattr(other, f.name) for f in fields(self)}
        )


HEADLINE_LABELS: dict[str, tuple[str, str]] = {
    "leadership_score": ("Leadership goal score", "score"),
    "motivation": ("Rep motivation", "score"),
    "expected_earnings": ("Expected earnings per rep", "money"),
    "contribution": ("Contribution", "money"),
    "new_product_share": ("New-product share", "fraction"),
    "gross_margin_pct": ("Gross margin %", "fraction"),
}


def headline(outcomes: Outcomes, plan: int = 0) -> Headline:
    """The headline numbers of one evaluated plan."""
    return Headline(**{name: float(getattr(outcomes, name)[plan]) for name in HEADLINE_LABELS})


@dataclass(frozen=True)
class Move:
    """One lever that differs between two scenarios."""

    lever: str
    label: str
    unit: str  # "money", "per_unit", "rate", "multiple"
    before: float | None  # None: no value (e.g. no cap)
    after: float | None

    @property
    def text(self) -> str:
        """E.g. ``"Nova price 600 → 650"`` or ``"Margin rate 8.0 % → 6.5 %"``."""
        suffix = " per unit" if self.unit == "per_unit" else ""
        return f"{self.label} {_move_value(self.before, self.unit)} → " + (
            f"{_move_value(self.after, self.unit)}{suffix}"
        )


@dataclass(frozen=True)
class Explanation:
    """A deal in plain words: the levers that moved, and the headline numbers before and after."""

    moves: tuple[Move, ...]
    before: Headline
    after: Headline

    @property
    def lines(self) -> list[str]:
        return [move.text for move in self.moves]

    @property
    def change(self) -> Headline:
        return self.after.minus(self.before)


# Smallest change worth telling the room about, by unit: money, money per unit, rates, ×.
_MEANINGFUL = {"money": 0.5, "per_unit": 0.5, "rate": 0.0005, "multiple": 0.005}


def lever_moves(before: Scenario, after: Scenario) -> tuple[Move, ...]:
    """Every plan lever that moved meaningfully from ``before`` to ``after``.

    Prices (moves under 0.2 % are left out), kickers, commission rates (under 0.05 points),
    quota, accelerator, cap, lead generation and push content.
    """
    return tuple(term for term in plan_terms(before, after) if _is_meaningful(term))


def _is_meaningful(move: Move) -> bool:
    if move.before is None or move.after is None:
        return move.before != move.after
    threshold = _MEANINGFUL[move.unit]
    if move.lever.startswith("price."):
        threshold = max(threshold, 0.002 * abs(move.before))
    return abs(move.after - move.before) >= threshold


def plan_terms(before: Scenario, after: Scenario) -> tuple[Move, ...]:
    """Every plan lever of two scenarios of the same products, moved or not.

    Prices, kickers, commission rates, quota, accelerator, cap, lead generation, push content.
    """
    _check_same_products(before, after, "after")
    return tuple(Move(*term) for term in _plan_terms(before, after))


def _plan_terms(
    before: Scenario, after: Scenario
) -> list[tuple[str, str, str, float | None, float | None]]:
    terms: list[tuple[str, str, str, float | None, float | None]] = []
    for old, new in zip(before.products, after.products, strict=True):
        terms.append((f"price.{new.id}", f"{new.name} price", "money", old.price, new.price))
    for p in after.products:
        terms.append(
            (f"kicker.{p.id}", f"{p.name} kicker", "per_unit",
             before.commission.kickers.get(p.id, 0.0), after.commission.kickers.get(p.id, 0.0))
        )  # fmt: skip
    b, a = before.commission, after.commission
    terms += [
        ("revenue_rate", "Revenue rate", "rate", b.revenue_rate, a.revenue_rate),
        ("margin_rate", "Margin rate", "rate", b.margin_rate, a.margin_rate),
        ("quota.per_rep", "Quota per rep", "money", b.quota.per_rep, a.quota.per_rep),
        ("accelerator", "Accelerator", "multiple", b.accelerator, a.accelerator),
        ("cap", "Pay cap per rep", "money", b.cap, a.cap),
    ]
    for p in after.products:
        terms.append(
            (f"lead_generation.{p.id}", f"{p.name} lead generation", "money",
             before.marketing.lead_generation.get(p.id, 0.0),
             after.marketing.lead_generation.get(p.id, 0.0))
        )  # fmt: skip
    terms.append(
        ("push_content", "Push content", "money", before.marketing.push_content,
         after.marketing.push_content)
    )  # fmt: skip
    return terms


def _move_value(value: float | None, unit: str) -> str:
    if value is None:
        return "none"
    if unit == "rate":
        return format_value(value, "rate")
    if unit == "multiple":
        return f"{_trim(value, 2)}×"
    return format_value(value, "money")


def explain(before: Scenario, after: Scenario) -> Explanation:
    """How ``after`` differs from ``before``: the moved levers and both headlines."""
    return Explanation(
        moves=lever_moves(before, after),
        before=headline(evaluate(before)),
        after=headline(evaluate(after)),
    )


def explain_deal(
    result: SearchResult, deal: Deal, working: Scenario, baseline: Scenario
) -> Explanation:
    """The deal as moves from ``baseline`` (the status quo or a proposal), with headlines."""
    return Explanation(
        moves=lever_moves(baseline, apply_plan(working, result.plans, deal.index)),
        before=headline(evaluate(baseline)),
        after=headline(result.outcomes, deal.index),
    )


def deal_scenario(
    result: SearchResult, deal: Deal, working: Scenario, baseline: Scenario | None = None
) -> Scenario:
    """The working scenario with the deal's plan, named and annotated for the room.

    The notes list the moves from ``baseline`` (default: the working scenario) and both
    parties' utilities.
    """
    scenario = apply_plan(working, result.plans, deal.index)
    moves = lever_moves(baseline if baseline is not None else working, scenario)
    rep_label = REP_UTILITY_LABELS[result.rep_utility]
    rep_unit = "money" if result.rep_utility == "expected_earnings" else "score"
    notes = [
        f"{deal.label} found among {len(result.plans):,} candidate plans.",
        f"Leadership goal score {format_value(deal.leadership, 'score')} "
        f"(status quo {format_value(result.status_quo.leadership, 'score')}); "
        f"{rep_label.lower()} {format_value(deal.reps, rep_unit)} "
        f"(status quo {format_value(result.status_quo.reps, rep_unit)}).",
        "Moves: " + ("; ".join(m.text for m in moves) if moves else "none") + ".",
    ]
    metadata = scenario.metadata.model_copy(
        update={
            "name": _short(f"{deal.label}: {working.metadata.name}", 200),
            "notes": _short("\n".join(notes), 5000),
        }
    )
    return scenario.model_copy(update={"metadata": metadata})


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- Comparing proposals ----------------------------------------------------------------------


Section = Literal["Inputs", "Outcomes", "Utility"]


@dataclass(frozen=True)
class ComparisonRow:
    key: str
    label: str
    section: Section
    unit: str  # "money", "per_unit", "rate", "fraction", "score", "units"
    values: tuple[float | None, ...]  # one per scenario, status quo first


@dataclass(frozen=True)
class PartyChange:
    """What each party gains (positive) or gives up (negative) in a proposal vs the status quo."""

    name: str
    leadership: float  # change in leadership goal score
    reps: float  # change in the reps' utility
    difference: Headline  # every headline number, proposal − status quo
    summary: str


@dataclass(frozen=True, eq=False)
class Comparison:
    """The status quo and proposals side by side: inputs, outcomes and each party's utility."""

    names: tuple[str, ...]  # status quo first; made unique
    rep_utility: RepUtility
    rows: tuple[ComparisonRow, ...]
    headlines: tuple[Headline, ...]
    outcomes: tuple[Outcomes, ...]  # one plan each, status quo first
    changes: tuple[PartyChange, ...]  # one per proposal

    def table(self) -> pd.DataFrame:
        """One row per input or outcome (index: key), one column per scenario, plus labels."""
        frame = pd.DataFrame(
            [[row.section, row.label, row.unit, *row.values] for row in self.rows],
            columns=["section", "label", "unit", *self.names],
            index=pd.Index([row.key for row in self.rows], name="item"),
        )
        return frame

    def changes_table(self) -> pd.DataFrame:
        """One row per proposal: each party's signed change and every headline difference."""
        return pd.DataFrame(
            [
                {"leadership": c.leadership, "reps": c.reps, **c.difference.__dict__}
                for c in self.changes
            ],
            index=pd.Index([c.name for c in self.changes], name="proposal"),
        )


def compare(
    status_quo: Scenario,
    proposals: Sequence[Scenario],
    rep_utility: RepUtility = "motivation",
) -> Comparison:
    """Lay the status quo and each proposal side by side and say who gains what.

    Each scenario is evaluated on its own terms (its own goals and market).
    """
    _check_rep_utility(rep_utility)
    scenarios = [status_quo, *proposals]
    for i, proposal in enumerate(proposals):
        _check_same_products(status_quo, proposal, f"proposals[{i}]")
    outcomes = [evaluate(s) for s in scenarios]
    names = _unique_names([s.metadata.name for s in scenarios])
    rows = _input_rows(scenarios) + _outcome_rows(outcomes, rep_utility)
    headlines = tuple(headline(o) for o in outcomes)
    rep_unit = "money" if rep_utility == "expected_earnings" else "score"
    changes = []
    for name, after in zip(names[1:], headlines[1:], strict=True):
        difference = after.minus(headlines[0])
        reps = getattr(difference, rep_utility)
        changes.append(
            PartyChange(
                name=name,
                leadership=difference.leadership_score,
                reps=reps,
                difference=difference,
                summary=_change_summary(difference.leadership_score, reps, rep_utility, rep_unit),
            )
        )
    return Comparison(
        names=tuple(names),
        rep_utility=rep_utility,
        rows=tuple(rows),
        headlines=headlines,
        outcomes=tuple(outcomes),
        changes=tuple(changes),
    )


def _input_rows(scenarios: list[Scenario]) -> list[ComparisonRow]:
    def row(key: str, label: str, unit: str, value: Callable[[Scenario], float]) -> ComparisonRow:
        return ComparisonRow(key, label, "Inputs", unit, tuple(value(s) for s in scenarios))

    products = scenarios[0].products
    rows = [
        *(row(f"price.{p.id}", f"{p.name} price", "money", _price_of(p.id)) for p in products),
        *(
            row(f"kicker.{p.id}", f"{p.name} kicker", "per_unit", _kicker_of(p.id))
            for p in products
        ),
        row("revenue_rate", "Revenue rate", "rate", lambda s: s.commission.revenue_rate),
        row("margin_rate", "Margin rate", "rate", lambda s: s.commission.margin_rate),
        row("quota.per_rep", "Quota per rep", "money", lambda s: s.commission.quota.per_rep),
        *(
            row(f"lead_generation.{p.id}", f"{p.name} lead generation", "money", _leads_of(p.id))
            for p in products
        ),
        row("push_content", "Push content", "money", lambda s: s.marketing.push_content),
    ]
    # A kicker or lead-generation budget no scenario uses is noise in the table.
    optional = ("kicker.", "lead_generation.")
    return [r for r in rows if not r.key.startswith(optional) or any(r.values)]


def _price_of(product_id: str) -> Callable[[Scenario], float]:
    return lambda s: s.product(product_id).price


def _kicker_of(product_id: str) -> Callable[[Scenario], float]:
    return lambda s: s.commission.kickers.get(product_id, 0.0)


def _leads_of(product_id: str) -> Callable[[Scenario], float]:
    return lambda s: s.marketing.lead_generation.get(product_id, 0.0)


_OUTCOME_ROWS: dict[str, tuple[str, str]] = {
    "total_revenue": ("Revenue", "money"),
    "total_gross_margin": ("Gross margin", "money"),
    "gross_margin_pct": ("Gross margin %", "fraction"),
    "commission_cost": ("Commission cost", "money"),
    "contribution": ("Contribution", "money"),
    "new_product_share": ("New-product share", "fraction"),
    "goal_conflict": ("Goal conflict", "fraction"),
    "expected_earnings": ("Expected earnings per rep", "money"),
    "motivation": ("Rep motivation", "score"),
}


def _outcome_rows(outcomes: list[Outcomes], rep_utility: RepUtility) -> list[ComparisonRow]:
    rows = [
        ComparisonRow(key, label, "Outcomes", unit, tuple(_first(o, key) for o in outcomes))
        for key, (label, unit) in _OUTCOME_ROWS.items()
    ]
    rep_label, rep_unit = HEADLINE_LABELS[rep_utility]
    rows += [
        ComparisonRow(
            "utility.leadership", "Leadership utility (goal score)", "Utility", "score",
            tuple(float(o.leadership_score[0]) for o in outcomes),
        ),
        ComparisonRow(
            "utility.reps", f"Reps' utility ({rep_label.lower()})", "Utility", rep_unit,
            tuple(float(getattr(o, rep_utility)[0]) for o in outcomes),
        ),
    ]  # fmt: skip
    return rows


def _first(outcomes: Outcomes, name: str) -> float:
    return float(getattr(outcomes, name)[0])


def _change_summary(leadership: float, reps: float, rep_utility: RepUtility, unit: str) -> str:
    rep_noun = "motivation" if rep_utility == "motivation" else "expected earnings"

    def phrase(party: str, change: float, what: str, unit: str) -> str:
        amount = format_value(abs(change), unit)
        if abs(change) < 0.05 if unit == "score" else abs(change) < 0.5:
            return f"{party} are unchanged" if party == "reps" else f"{party} is unchanged"
        singular = party == "leadership"
        if change > 0:
            verb = "gains" if singular else "gain"
        else:
            verb = "gives up" if singular else "give up"
        return f"{party} {verb} {amount} {what}"

    lead = phrase("leadership", leadership, "points of goal score", "score")
    rep = phrase("reps", reps, rep_noun if unit == "money" else f"points of {rep_noun}", unit)
    return f"{lead[0].upper()}{lead[1:]}; {rep}."


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return unique


# --- Formatting -------------------------------------------------------------------------------


def format_value(value: float | None, unit: str, *, signed: bool = False) -> str:
    """A number as the room reads it, by unit.

    ``money`` and ``per_unit``: thousands separators, cents only below 100; ``fraction``:
    percent with one decimal; ``rate``: percent with one or two decimals as needed; ``score``:
    one decimal; ``units`` and ``hours``: whole numbers; ``multiple``: ``1.5×``. With
    ``signed=True`` the value is a change: a plus sign when positive, and fractions and rates
    in percentage points (``+8.8 pts``).
    """
    if value is None:
        return "none"
    magnitude = _magnitude(abs(value), unit, signed)
    if not any(c in "123456789" for c in magnitude):
        return magnitude  # no "-0.0" or "+0.0"
    if value < 0:
        return "-" + magnitude
    return ("+" if signed else "") + magnitude


def _magnitude(value: float, unit: str, change: bool) -> str:
    if unit in {"money", "per_unit"}:
        whole = value >= 100 or float(value).is_integer()
        return f"{value:,.0f}" if whole else f"{value:,.2f}"
    if unit == "fraction":
        return f"{100 * value:.1f}" + (" pts" if change else " %")
    if unit == "rate":
        return _trim(100 * value, 2, minimum=1) + (" pts" if change else " %")
    if unit == "score":
        return f"{value:.1f}"
    if unit in {"units", "hours"}:
        return f"{value:,.0f}"
    if unit == "multiple":
        return f"{_trim(value, 2)}×"
    return f"{value:,.4g}"


def _trim(value: float, decimals: int, minimum: int = 0) -> str:
    """Fixed-point with at most ``decimals`` and at least ``minimum`` decimals."""
    text = f"{value:.{decimals}f}"
    if "." in text:
        whole, fraction = text.split(".")
        fraction = fraction.rstrip("0").ljust(minimum, "0")
        text = f"{whole}.{fraction}" if fraction else whole
    return text
