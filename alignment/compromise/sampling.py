"""Candidate plans: the negotiable levers as a matrix, and plans drawn inside their bounds."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from alignment.compromise.bounds import LeverBound, snap
from alignment.evaluate import Plans
from alignment.scenario import Scenario

DEFAULT_CANDIDATES = 4_000
# Sampling a few more than asked leaves room to drop duplicate plans and still reach the count.
_OVERSAMPLE = 1.03


def lever_matrix(plans: Plans) -> np.ndarray:
    """The negotiable levers of ``plans`` as one ``(K, L)`` matrix, ordered as
    :func:`~alignment.compromise.lever_bounds`."""
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
        drawn[:, j] = snap(drawn[:, j], bound.step)
    anchor_levers = [lever_matrix(Plans.from_scenario(anchor))[0] for anchor in anchors]
    stacked = np.vstack([*anchor_levers, drawn]) if anchor_levers else drawn
    stacked = np.clip(stacked, low, high)
    _, first = np.unique(stacked, axis=0, return_index=True)
    keep = np.sort(first)[: count + len(anchor_levers)]
    return plans_from_levers(scenario, stacked[keep])


def clipped_levers(scenario: Scenario, bounds: Sequence[LeverBound]) -> np.ndarray:
    """The scenario's own levers, clipped into ``bounds``, as the sampler anchors them."""
    levers = lever_matrix(Plans.from_scenario(scenario))[0]
    return np.clip(levers, [b.low for b in bounds], [b.high for b in bounds])
