"""Leadership's goals: the mix it asks for, the goal conflict, its score and scorecard (§4, §7)."""

from __future__ import annotations

from typing import Literal

import numpy as np

from alignment.scenario import Goals

GOAL_NAMES = ("contribution", "new_product_share", "gross_margin_pct")
GoalStatus = Literal["met", "near", "missed"]
# A goal beyond 150 % of target adds nothing more to leadership's score.
SCORE_CEILING = 1.5


def _normalised_weights(goals: Goals) -> dict[str, float]:
    weights = {name: getattr(goals, name).weight for name in GOAL_NAMES}
    total = sum(weights.values())
    return {name: w / total for name, w in weights.items()}


def leadership_value_per_unit(
    goals: Goals,
    price: np.ndarray,
    unit_cost: np.ndarray,
    commission_per_unit: np.ndarray,
    strategic: np.ndarray,
    segment_size: np.ndarray,
    reference_revenue: float,
) -> np.ndarray:
    """What one more unit of each product is worth to leadership's weighted goals.

    Each goal's term is scaled so that reaching its target is worth that goal's weight:
    contribution per unit (net of commission) over the contribution target; one strategic unit
    over the units the share target needs; a unit's margin above the margin-% target over the
    margin the target implies on today's revenue.
    """
    w = _normalised_weights(goals)
    profit = (price - unit_cost - commission_per_unit) / goals.contribution.target
    share = strategic / (segment_size * goals.new_product_share.target)
    target_pct = goals.gross_margin_pct.target
    margin_pct = ((price - unit_cost) - target_pct * price) / (target_pct * reference_revenue)
    return (
        w["contribution"] * profit
        + w["new_product_share"] * share
        + w["gross_margin_pct"] * margin_pct
    )


def goal_conflict(pay_hours: np.ndarray, asked_hours: np.ndarray) -> np.ndarray:
    """``½ Σ |e_pay − e_ask| / H``: share of selling time reps must move against their pay.

    0 means pay and leadership ask for the same mix, 1 the opposite mix.
    """
    team_hours = pay_hours.sum(axis=-1)
    moved = 0.5 * np.abs(pay_hours - asked_hours).sum(axis=-1) / team_hours
    return np.clip(moved, 0.0, 1.0)  # rounding can push opposite mixes a hair past 1


def goal_metrics(
    contribution: np.ndarray, new_product_share: np.ndarray, gross_margin_pct: np.ndarray
) -> dict[str, np.ndarray]:
    return {
        "contribution": contribution,
        "new_product_share": new_product_share,
        "gross_margin_pct": gross_margin_pct,
    }


def leadership_score(goals: Goals, metrics: dict[str, np.ndarray]) -> np.ndarray:
    """Leadership's utility, 0–150: weighted attainment of each goal, capped at 150 % of target."""
    w = _normalised_weights(goals)
    score = sum(
        w[name] * np.clip(metrics[name] / getattr(goals, name).target, 0.0, SCORE_CEILING)
        for name in GOAL_NAMES
    )
    return 100.0 * np.asarray(score)


def goal_status(value: float, target: float, near_band: float) -> GoalStatus:
    """Met at or above target, near within ``near_band`` of it, missed below that."""
    if value >= target:
        return "met"
    if value >= (1.0 - near_band) * target:
        return "near"
    return "missed"
