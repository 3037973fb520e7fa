"""Rep motivation as expectancy × instrumentality × coherence (Vroom 1964; MODEL.md §5)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Motivation:
    expectancy: np.ndarray  # can I make quota? 0–1
    instrumentality: np.ndarray  # does effort pay? 0–1
    coherence: np.ndarray  # do my goals agree? 0–1
    score: np.ndarray  # 100 · E · I · V, 0–100


def rep_motivation(
    share_at_quota: np.ndarray,
    attainment_target: float,
    variable_pay_per_rep: np.ndarray,
    target_variable_pay: float,
    goal_conflict: np.ndarray,
) -> Motivation:
    """Motivation on 0–100; any factor near zero sinks it, which is the theory's point.

    Expectancy maps the share of reps at quota onto [0, 1], ``attainment_target`` (e.g. 65 %)
    and above counting as 1. Instrumentality is expected variable pay over target variable pay
    (on-target earnings minus base), capped at 1. Coherence is ``1 − goal conflict``.
    """
    expectancy = np.clip(share_at_quota / attainment_target, 0.0, 1.0)
    instrumentality = np.clip(variable_pay_per_rep / target_variable_pay, 0.0, 1.0)
    coherence = np.clip(1.0 - goal_conflict, 0.0, 1.0)
    return Motivation(
        expectancy=expectancy,
        instrumentality=instrumentality,
        coherence=coherence,
        score=100.0 * expectancy * instrumentality * coherence,
    )
