"""Rep motivation as expectancy × instrumentality × valence (Vroom 1964; MODEL.md §5)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Motivation:
    expectancy: np.ndarray  # can I reach the goals I am held to? 0–1
    instrumentality: np.ndarray  # does more effort pay? 0–1
    valence: np.ndarray  # is the reward worth having? 0–1
    score: np.ndarray  # 100 · E · I · V, 0–100


def rep_motivation(
    share_at_quota: np.ndarray,
    attainment_target: float,
    goal_conflict: np.ndarray,
    marginal_pay: np.ndarray,
    variable_pay: np.ndarray,
    expected_earnings: np.ndarray,
    on_target_earnings: float,
) -> Motivation:
    """Motivation on 0–100; any factor near zero sinks it, which is the theory's point.

    Parameters
    ----------
    share_at_quota : share of reps at or above quota, ``(plans,)``.
    attainment_target : share at quota that counts as fully achievable (practice: about 0.7).
    goal_conflict : share of selling time reps must move against their pay to reach the
        new-product target they are held to, 0–1, ``(plans,)``.
    marginal_pay : what the plan would pay for the units sold if each were paid at its
        expected *marginal* rate, ``Σ π_i u_i``, money per period, ``(plans,)``.
    variable_pay : what the plan actually pays for them, money per period, ``(plans,)``.
    expected_earnings : base plus expected variable pay per rep, money per period.
    on_target_earnings : what a rep on target earns, money per period.

    Expectancy is ``min(1, P(quota) / target) · (1 − conflict)``: incompatible goals lower the
    perceived ability to reach either. Instrumentality is the marginal rate over the average
    rate, clipped to [0, 1]: 1 on a linear plan, more (clipped) with an accelerator, near 0 when
    most reps are at the cap. Valence is expected earnings over on-target earnings, capped at 1.
    """
    # np.clip costs several times np.minimum(np.maximum()) on the solver's small arrays.
    expectancy = np.minimum(share_at_quota / attainment_target, 1.0)
    expectancy *= np.minimum(np.maximum(1.0 - goal_conflict, 0.0), 1.0)
    paid = variable_pay > 0
    instrumentality = np.minimum(
        np.maximum(marginal_pay / np.where(paid, variable_pay, 1.0), 0.0), 1.0
    )
    instrumentality *= paid
    valence = np.minimum(np.maximum(expected_earnings / on_target_earnings, 0.0), 1.0)
    return Motivation(
        expectancy=expectancy,
        instrumentality=instrumentality,
        valence=valence,
        score=100.0 * expectancy * instrumentality * valence,
    )
