"""What each party gets from a plan, in money (MODEL.md §4, §5), and one yardstick for both.

Leadership's utility is its value: contribution plus what it says each strategic unit is worth
beyond its margin (``λ``), money per period. The reps' utility is by default their expected
earnings net of the cost of the effort they put in, money per rep per period; the room may
count motivation (0–100) or expected earnings instead.

Every plan the compromise weighs — the status quo, proposals, candidates — is valued in the
working scenario: its market, team, goals and ``λ``, with total selling hours responding to
motivation relative to the status quo's. The status quo's own goals never enter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from alignment.demand import Demand, calibrate
from alignment.evaluate import Outcomes, Plans, apply_plan, calibrated, evaluate
from alignment.goals import share_point_value
from alignment.scenario import Scenario

RepUtility = Literal["rep_utility", "motivation", "expected_earnings"]
REP_UTILITY_LABELS: dict[str, str] = {
    "rep_utility": "Earnings less the cost of effort, per rep",
    "motivation": "Rep motivation",
    "expected_earnings": "Expected earnings per rep",
}
# The same measures as nouns in a sentence: "reps gain 1,200 of earnings less ...".
REP_UTILITY_NOUNS: dict[str, str] = {
    "rep_utility": "earnings less the cost of effort",
    "motivation": "motivation",
    "expected_earnings": "expected earnings",
}
REP_UTILITY_UNITS: dict[str, str] = {
    "rep_utility": "money",
    "motivation": "score",
    "expected_earnings": "money",
}
LEADERSHIP_LABEL = "Leadership's value"


@dataclass(frozen=True)
class Utilities:
    """A point in the bargaining space: leadership's value (money per period) and the reps'
    utility (money per rep per period, or motivation 0–100)."""

    leadership: float
    reps: float


def party_utilities(
    outcomes: Outcomes, rep_utility: RepUtility = "rep_utility"
) -> tuple[np.ndarray, np.ndarray]:
    """``(U_L, U_S)`` per plan: leadership's value, and the reps' chosen utility.

    ``U_L`` is money per period; ``U_S`` is money per rep per period (``rep_utility``,
    ``expected_earnings``) or 0–100 (``motivation``).
    """
    check_rep_utility(rep_utility)
    return outcomes.leadership_value, getattr(outcomes, rep_utility)


def plan_in_working(working: Scenario, plan_of: Scenario) -> Scenario:
    """The working scenario with another scenario's whole plan: prices, the commission plan
    (rates, kickers, quota, accelerator, cap) and the marketing budget.

    Market, team, goals and ``λ`` stay the working scenario's, so the plan is valued on the
    same terms as every candidate.
    """
    check_same_products(working, plan_of, "plan")
    with_commission = working.model_copy(update={"commission": plan_of.commission})
    return apply_plan(with_commission, Plans.from_scenario(plan_of))


def value_in_working(
    working: Scenario,
    plan_of: Scenario,
    status_quo: Scenario | None = None,
    demand: Demand | None = None,
) -> Outcomes:
    """``plan_of``'s plan valued in the working scenario, hours relative to the status quo's
    motivation; one plan's outcomes.

    Pass ``demand`` (``calibrated(working, status_quo)``) to save a calibration; without it
    the status quo (default: the working scenario) is calibrated here.
    """
    if demand is None or demand.reference_motivation is None:
        demand = calibrated(working, status_quo)
    return evaluate(plan_in_working(working, plan_of), demand=demand)


@dataclass(frozen=True)
class ExchangeRate:
    """What leadership says one more unit, and one point of share, of a strategic product is
    worth beyond its margin."""

    product: str
    name: str
    per_unit: float  # λ, money per unit
    per_share_point: float  # λ × segment size / 100, money per period


def exchange_rates(scenario: Scenario) -> tuple[ExchangeRate, ...]:
    """Leadership's stated exchange rates, one per product with a strategic value above 0."""
    strategic_value = np.array(
        [scenario.goals.strategic_value.get(p.id, 0.0) for p in scenario.products]
    )
    per_point = share_point_value(strategic_value, calibrate(scenario).segment_size)
    return tuple(
        ExchangeRate(p.id, p.name, float(strategic_value[i]), float(per_point[i]))
        for i, p in enumerate(scenario.products)
        if strategic_value[i] > 0
    )


def exchange_rate_sentences(scenario: Scenario, money: Callable[[float], str]) -> list[str]:
    """Leadership's exchange rate for strategic share in words, one sentence per product.

    ``money`` formats an amount of the scenario's currency. With no strategic value stated,
    one sentence says leadership counts only contribution.
    """
    rates = exchange_rates(scenario)
    if not rates:
        return [
            "Leadership counts only contribution: no strategic value is stated "
            "(set it on the Goals page)."
        ]
    reason = scenario.goals.strategic_value_reason.strip()
    why = f" — {reason}" if reason else ""
    return [
        f"Leadership values one point of {rate.name} share at {money(rate.per_share_point)} "
        f"per period beyond its margin (goals: strategic value {money(rate.per_unit)} per "
        f"unit{why})."
        for rate in rates
    ]


def check_rep_utility(rep_utility: str) -> None:
    if rep_utility not in REP_UTILITY_LABELS:
        raise ValueError(
            f"rep_utility: unknown {rep_utility!r}; use one of {sorted(REP_UTILITY_LABELS)}"
        )


def check_same_products(working: Scenario, other: Scenario, name: str = "status_quo") -> None:
    if working.product_ids != other.product_ids:
        raise ValueError(
            f"{name}: its products {other.product_ids} differ from the working scenario's "
            f"{working.product_ids}; compare scenarios of the same products"
        )
