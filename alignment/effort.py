"""Where selling hours go: the allocation that maximises a per-unit value (MODEL.md §3, §4).

With ``value = commission per unit`` it is the reps' pay-maximising mix; with leadership's value
per unit it is the mix leadership asks for. Hours are team hours per period.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from alignment.demand import Demand, segment_sums, shares


@dataclass(frozen=True)
class Allocation:
    hours: np.ndarray  # (plans, products), each row sums to the team's hours
    converged: np.ndarray  # (plans,) bool
    iterations: int


def hour_weights(
    demand: Demand, value_per_unit: np.ndarray, share: np.ndarray
) -> np.ndarray:
    """``e_i ∂V/∂e_i = γ_i M s_i (v_i − v̄)``, with ``v̄`` the share-weighted value in the segment."""
    segment_mean_value = segment_sums(value_per_unit * share, demand.same_segment)
    return demand.gamma * demand.segment_size * share * (value_per_unit - segment_mean_value)


def value_of_mix(
    demand: Demand, value_per_unit: np.ndarray, share: np.ndarray
) -> np.ndarray:
    """Total value of the units sold, ``Σ v_i M s_i``, per plan."""
    return (value_per_unit * demand.segment_size * share).sum(axis=-1)


def allocate_hours(
    demand: Demand,
    value_per_unit: np.ndarray,
    price: np.ndarray,
    lead_gen: np.ndarray,
    team_hours: float,
    productivity: np.ndarray,
    *,
    damping: float = 0.85,
    tolerance: float = 1e-7,
    max_iterations: int = 300,
) -> Allocation:
    """Maximise ``Σ v_i u_i(e)`` subject to ``Σ e_i = H``, ``e ≥ 0``, for every plan at once.

    A damped fixed point ``e ← (1 − θ) e + θ H w⁺ / Σ w⁺`` on :func:`hour_weights`, started from
    today's mix. Where it has not settled after ``max_iterations`` the best iterate is kept.

    Parameters
    ----------
    value_per_unit : money (or score) per unit sold, ``(plans, products)``.
    productivity : effective hours per selling hour (push content), ``(plans,)``.
    """
    plans = value_per_unit.shape[0]
    reference_mix = demand.reference_hours / demand.reference_hours.sum()
    hours = np.broadcast_to(team_hours * reference_mix, value_per_unit.shape).copy()
    best_hours = hours.copy()
    best_value = np.full(plans, -np.inf)
    converged = np.zeros(plans, dtype=bool)
    step = productivity[:, np.newaxis]
    iteration = 0
    for iteration in range(1, max_iterations + 1):
        share = shares(demand, price, hours * step, lead_gen)
        current_value = value_of_mix(demand, value_per_unit, share)
        improved = current_value > best_value
        best_value = np.where(improved, current_value, best_value)
        best_hours[improved] = hours[improved]

        weights = np.maximum(hour_weights(demand, value_per_unit, share), 0.0)
        total_weight = weights.sum(axis=-1, keepdims=True)
        has_gain = total_weight[:, 0] > 0
        target = np.where(
            has_gain[:, np.newaxis],
            team_hours * weights / np.where(total_weight > 0, total_weight, 1.0),
            hours,
        )
        updated = (1.0 - damping) * hours + damping * target
        change = np.abs(updated - hours).max(axis=-1) / team_hours
        hours = updated
        converged = change < tolerance
        if converged.all():
            break
    share = shares(demand, price, hours * step, lead_gen)
    final_value = value_of_mix(demand, value_per_unit, share)
    keep_final = converged | (final_value >= best_value)
    hours = np.where(keep_final[:, np.newaxis], hours, best_hours)
    # Exact budget: the damped update keeps Σe = H up to rounding; remove the rounding.
    hours *= team_hours / hours.sum(axis=-1, keepdims=True)
    return Allocation(hours=hours, converged=converged, iterations=iteration)
