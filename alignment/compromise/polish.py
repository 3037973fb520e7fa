"""A bounded local search that spends one batched evaluation per step: the deals' last mile.

The model evaluates a batch of plans for little more than the cost of one, so a local search
that tries many points per step beats one that tries one point per step (Powell, Nelder–Mead,
finite-difference gradients). Each step of this compass search (a generalised pattern search,
Torczon 1997) evaluates, in one call, a step up and down each lever and, as Hooke and Jeeves
do, a line of points further along the last successful move; it moves to the best point, or
halves the step when nothing improves. It needs no gradient, so kinks (a cap that starts to
bind, a product whose selling hours reach zero) do not stop it, and it stays inside the
bounds exactly.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

# Multiples of the last successful move tried beyond it in the same batch.
_PATTERN = np.array([1.0, 2.0, 4.0, 8.0])


def polish(
    score: Callable[[np.ndarray], np.ndarray],
    start: np.ndarray,
    *,
    step: float = 0.05,
    tolerance: float = 1e-4,
    max_steps: int = 80,
) -> tuple[np.ndarray, float]:
    """Maximise ``score`` over the unit box from ``start``; returns the point and its score.

    Parameters
    ----------
    score : maps points ``(B, F)`` in [0, 1]^F to scores ``(B,)``; larger is better.
    start : ``(F,)`` the point to start from.
    step : first step, as a fraction of each lever's range.
    tolerance : stop once the step is below this fraction of each lever's range.
    """
    x = np.clip(np.asarray(start, dtype=float), 0.0, 1.0)
    best = float(score(x[None, :])[0])
    dims = x.size
    if dims == 0:
        return x, best
    steps = np.full(dims, step)
    eye = np.eye(dims)
    last_move = np.zeros(dims)
    for _ in range(max_steps):
        moves = [eye * steps, -eye * steps]
        if last_move.any():  # Hooke–Jeeves: try going further the way the last step went
            moves.append(_PATTERN[:, None] * last_move)
        trial = np.clip(x + np.vstack(moves), 0.0, 1.0)
        values = score(trial)
        pick = int(np.argmax(values))
        if values[pick] > best:
            last_move = trial[pick] - x
            x, best = trial[pick], float(values[pick])
            continue
        last_move = np.zeros(dims)
        steps *= 0.5
        if steps.max() < tolerance:
            break
    return x, best
