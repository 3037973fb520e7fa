"""The Pareto frontier: the plans no other plan beats for both parties."""

from __future__ import annotations

import numpy as np


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
