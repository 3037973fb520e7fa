"""Calibrated multinomial-logit demand, one logit per market segment (MODEL.md §1).

The reference point is today: today's prices, hours and lead-generation spend reproduce
today's shares exactly. A product keeps some demand with no selling hours at all (its
*unassisted* demand, inbound, partners, contracts): the hours term is
``γ ln((e + φ ē) / ((1 + φ) ē))`` with ``φ`` solved from the fraction ``u0`` of today's units
that would still sell with no hours.

Arrays are shaped ``(plans, products)``; per-product constants are shaped ``(products,)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from alignment.scenario import Scenario

# Hours below this (per hour of team time) are treated as this, so ln(e) stays finite.
EFFORT_FLOOR = 1e-9
# Unassisted demand so large that hours barely matter: φ beyond this changes nothing visible.
MAX_UNASSISTED_HOURS = 1e6


@dataclass(frozen=True)
class Demand:
    """Logit coefficients calibrated so the reference point reproduces reference shares exactly."""

    alpha: np.ndarray
    beta: np.ndarray  # per unit of price
    gamma: np.ndarray  # per log-unit of (selling hours + unassisted hours)
    delta: np.ndarray  # per log-unit of (1 + lead-gen spend / scale)
    reference_hours: np.ndarray
    unassisted_hours: np.ndarray  # φ ē: hours-equivalents of demand that needs no rep
    lead_gen_scale: np.ndarray
    reference_lead_gen: np.ndarray  # today's lead-generation spend m⁰
    segment_size: np.ndarray  # units per period of each product's segment
    membership: np.ndarray  # (products, segments) one-hot
    segment_sizes: np.ndarray  # (segments,) units per period
    same_segment: np.ndarray  # (products, products) 1 where two products share a segment
    segment_index: np.ndarray  # (products,) position of each product's segment
    segment_members: tuple[np.ndarray, ...]  # per segment, the positions of its products
    # Rep motivation at which reps put in today's hours (the status quo's); set by
    # :func:`alignment.evaluate.calibrated`.
    reference_motivation: float | None = None


def calibrate(scenario: Scenario) -> Demand:
    """Calibrate the logit from the scenario's reference point (MODEL.md §1).

    ``β = η / (p̄ (1 − s̄))``, ``γ = ε (1 + φ) / (1 − s̄)``, ``δ = ε_m / (1 − s̄)``,
    ``α = ln(s̄ / s̄₀) + β p̄``; ``φ`` from :func:`unassisted_ratio`.
    """
    products = scenario.products
    segment_index = {s.id: k for k, s in enumerate(scenario.segments)}
    membership = np.zeros((len(products), len(scenario.segments)))
    for i, p in enumerate(products):
        membership[i, segment_index[p.segment]] = 1.0
    same_segment = membership @ membership.T
    segment_sizes = np.array([s.size for s in scenario.segments])

    reference_price = np.array([p.reference_price for p in products])
    reference_share = np.array([p.reference_share for p in products])
    effort_elasticity = np.array([p.effort_elasticity for p in products])
    outside_share = 1.0 - reference_share @ same_segment
    phi = np.array(
        [
            unassisted_ratio(p.unassisted_share, p.reference_share, p.effort_elasticity)
            for p in products
        ]
    )
    beta = np.array([p.price_elasticity for p in products]) / (
        reference_price * (1.0 - reference_share)
    )
    gamma = effort_elasticity * (1.0 + phi) / (1.0 - reference_share)
    delta = np.array([p.lead_gen_elasticity for p in products]) / (1.0 - reference_share)
    alpha = np.log(reference_share / outside_share) + beta * reference_price
    reference_hours = np.array([p.reference_hours for p in products])
    return Demand(
        alpha=alpha,
        beta=beta,
        gamma=gamma,
        delta=delta,
        reference_hours=reference_hours,
        unassisted_hours=phi * reference_hours,
        lead_gen_scale=np.array([p.lead_gen_scale for p in products]),
        reference_lead_gen=np.array([p.reference_lead_generation for p in products]),
        segment_size=segment_sizes @ membership.T,
        membership=membership,
        segment_sizes=segment_sizes,
        same_segment=same_segment,
        segment_index=membership.argmax(axis=1),
        segment_members=tuple(np.flatnonzero(column) for column in membership.T),
    )


def unassisted_ratio(unassisted_share: float, reference_share: float, elasticity: float) -> float:
    """``φ``: unassisted demand in multiples of today's hours, from ``u0`` (MODEL.md §1).

    With no selling hours the utility falls by ``γ ln(φ / (1 + φ))``; keeping ``u0`` of today's
    units takes a fall of ``L = ln(u0 (1 − s̄) / (1 − u0 s̄))``. With ``γ = ε (1 + φ) / (1 − s̄)``
    that is one equation in ``φ``, ``(1 + φ) ln(φ / (1 + φ)) = L (1 − s̄) / ε``, whose left side
    rises from −∞ (φ = 0) towards −1 (φ → ∞). ``u0 = 0`` gives ``φ = 0``. ``φ`` is held at or
    below ``(1 − s̄)/ε − 1``, where ``γ = 1``: beyond it share would be convex in hours (see
    :func:`alignment.scenario.unassisted_share_bound`).
    """
    if unassisted_share <= 0.0:
        return 0.0
    # Share stays concave in hours while γ = ε (1 + φ) / (1 − s̄) ≤ 1: a larger u0 is held there.
    concave_limit = max((1.0 - reference_share) / elasticity - 1.0, 0.0)
    fall = np.log(
        unassisted_share * (1.0 - reference_share) / (1.0 - unassisted_share * reference_share)
    )
    goal = fall * (1.0 - reference_share) / elasticity

    def gap(log_phi: float) -> float:
        phi = np.exp(log_phi)
        return (1.0 + phi) * (log_phi - np.log1p(phi)) - goal

    # A small hours elasticity needs a tiny φ (ln φ ≈ the goal): search down to where exp()
    # still gives a positive number.
    low, high = -700.0, np.log(MAX_UNASSISTED_HOURS)
    if gap(high) <= 0.0:
        return min(MAX_UNASSISTED_HOURS, concave_limit)
    if gap(low) >= 0.0:
        return float(np.exp(low))
    return min(float(np.exp(brentq(gap, low, high, xtol=1e-12))), concave_limit)


def segment_sums(values: np.ndarray, same_segment: np.ndarray) -> np.ndarray:
    """Sum of ``values`` over each product's segment, broadcast back to every product."""
    if values.ndim < 2:
        return values @ same_segment
    # same_segment is symmetric, so v @ S = (S @ vᵀ)ᵀ; the right-hand form runs as one BLAS call
    # along the long plans axis and is an order of magnitude faster for (many plans, few products).
    return np.swapaxes(same_segment @ np.swapaxes(values, -1, -2), -1, -2)


# Above this many plans OpenBLAS may spread a tiny matrix product over threads, which on a busy
# machine costs far more than it saves; segment totals are then summed segment by segment.
_MATMUL_PLANS_LIMIT = 4096


def segment_totals(demand: Demand, values: np.ndarray) -> np.ndarray:
    """:func:`segment_sums` for arrays shaped ``(products, plans)``: the allocator's layout."""
    if values.ndim < 2 or values.shape[1] <= _MATMUL_PLANS_LIMIT:
        return demand.same_segment @ values
    totals = []
    for members in demand.segment_members:
        total = values[members[0]].copy()
        for row in members[1:]:
            total += values[row]
        totals.append(total)
    return np.stack([totals[segment] for segment in demand.segment_index])


def utility(
    demand: Demand,
    price: np.ndarray,
    effective_hours: np.ndarray,
    lead_gen: np.ndarray,
) -> np.ndarray:
    """``v = α − β p + γ ln((e + φē) / ((1 + φ) ē)) + δ [ln(1 + m/m̄) − ln(1 + m⁰/m̄)]``.

    ``e`` is already scaled by content's productivity.
    """
    hours = np.maximum(effective_hours, EFFORT_FLOOR * demand.reference_hours)
    assisted = hours + demand.unassisted_hours
    today = demand.reference_hours + demand.unassisted_hours
    return (
        demand.alpha
        - demand.beta * price
        + demand.gamma * np.log(assisted / today)
        + demand.delta
        * (
            np.log1p(lead_gen / demand.lead_gen_scale)
            - np.log1p(demand.reference_lead_gen / demand.lead_gen_scale)
        )
    )


def logit_shares(utility: np.ndarray, same_segment: np.ndarray) -> np.ndarray:
    """Share of each product in its segment's multinomial logit; outside option has utility 0."""
    # Shifting by a per-plan constant would change the outside option, so guard overflow by
    # clipping instead: utilities above 700 mean a share of 1 to machine precision anyway.
    attraction = np.exp(np.minimum(utility, 700.0))
    return attraction / (1.0 + segment_sums(attraction, same_segment))


def shares(
    demand: Demand, price: np.ndarray, effective_hours: np.ndarray, lead_gen: np.ndarray
) -> np.ndarray:
    """Market share of each product, shape ``(plans, products)``, each in (0, 1)."""
    return logit_shares(utility(demand, price, effective_hours, lead_gen), demand.same_segment)


def price_elasticities(demand: Demand, price: np.ndarray, share: np.ndarray) -> np.ndarray:
    """Elasticity of product i's share to product k's price, shape ``(..., i, k)``.

    Own: ``−β_i p_i (1 − s_i)``; cross, same segment: ``β_k p_k s_k`` (cannibalisation);
    other segments: 0.
    """
    cross = (demand.beta * price * share)[..., np.newaxis, :] * demand.same_segment
    own = demand.beta * price * (1.0 - share)
    n = share.shape[-1]
    diagonal = np.eye(n, dtype=bool)
    return np.where(diagonal, -own[..., np.newaxis], cross)
