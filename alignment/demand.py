"""Calibrated multinomial-logit demand, one logit per market segment (MODEL.md §1).

The reference point is today: today's prices, hours and lead-generation spend reproduce
today's shares exactly. A product keeps some demand with no selling hours at all (its
*unassisted* demand, inbound, partners, contracts): the hours term is
``γ ln((e + φ ē) / ((1 + φ) ē))`` with ``φ`` solved from the fraction ``u0`` of today's units
that would still sell with no hours.

Arrays are shaped ``(plans, products)``; per-product constants are shaped ``(products,)`` (or
``(plans, products)`` where each plan has its own market, as parameter draws do).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from alignment.scenario import Scenario

# Hours below this (per hour of team time) are treated as this, so ln(e) stays finite.
EFFORT_FLOOR = 1e-9
# Unassisted demand so large that hours barely matter: φ beyond this changes nothing visible.
MAX_UNASSISTED_HOURS = 1e6
# Halvings of the bracket on ln φ, [−700, ln 10⁶]: 60 take it below 10⁻¹⁵.
BISECTION_STEPS = 60


@dataclass(frozen=True)
class Demand:
    """Logit coefficients calibrated so the reference point reproduces reference shares exactly.

    ``alpha``, ``beta``, ``gamma``, ``delta`` and ``unassisted_hours`` are ``(products,)``, shared
    by every plan, or ``(plans, products)`` with one row per plan (parameter draws, see
    :func:`calibrate_responses` and :mod:`alignment.draws`); everything else is per product.
    """

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
    # :func:`alignment.evaluate.calibrated`. One number, or one per plan.
    reference_motivation: float | np.ndarray | None = None
    # The team's habit and effort response ζ per plan (parameter draws); None: the scenario's.
    habit: np.ndarray | None = None
    effort_response: np.ndarray | None = None

    def take(self, index: np.ndarray) -> Demand:
        """The demand of the plans at ``index`` where it differs per plan (parameter draws);
        itself where every plan shares it."""
        per_plan = {
            name: value[index]
            for name in PER_PLAN_FIELDS
            for value in (getattr(self, name),)
            if isinstance(value, np.ndarray) and value.ndim == (2 if name in PER_PRODUCT else 1)
        }
        return replace(self, **per_plan) if per_plan else self


# Fields that may carry a leading plan axis: per-product coefficients ``(plans, products)``,
# the team's behaviour ``(plans,)``.
PER_PRODUCT = ("alpha", "beta", "gamma", "delta", "unassisted_hours")
PER_PLAN_FIELDS = (*PER_PRODUCT, "reference_motivation", "habit", "effort_response")


def calibrate(scenario: Scenario) -> Demand:
    """Calibrate the logit from the scenario's reference point (MODEL.md §1).

    ``β = η / (p̄ (1 − s̄))``, ``γ = ε (1 + φ) / (1 − s̄)``, ``δ = ε_m / (1 − s̄)``,
    ``α = ln(s̄ / s̄₀) + β p̄``; ``φ`` from :func:`unassisted_ratio`.
    """
    products = scenario.products
    return calibrate_responses(
        scenario,
        price_elasticity=np.array([p.price_elasticity for p in products]),
        effort_elasticity=np.array([p.effort_elasticity for p in products]),
        lead_gen_elasticity=np.array([p.lead_gen_elasticity for p in products]),
        unassisted_share=np.array([p.unassisted_share for p in products]),
    )


def calibrate_responses(
    scenario: Scenario,
    *,
    price_elasticity: np.ndarray,
    effort_elasticity: np.ndarray,
    lead_gen_elasticity: np.ndarray,
    unassisted_share: np.ndarray,
) -> Demand:
    """:func:`calibrate` with the market's responses given: ``(products,)`` for one market, or
    ``(draws, products)`` for one calibration per draw of the uncertain inputs (MODEL.md §10),
    giving a demand whose coefficients carry the draws as their leading axis."""
    products = scenario.products
    segment_index = {s.id: k for k, s in enumerate(scenario.segments)}
    membership = np.zeros((len(products), len(scenario.segments)))
    for i, p in enumerate(products):
        membership[i, segment_index[p.segment]] = 1.0
    same_segment = membership @ membership.T
    segment_sizes = np.array([s.size for s in scenario.segments])

    reference_price = np.array([p.reference_price for p in products])
    reference_share = np.array([p.reference_share for p in products])
    outside_share = 1.0 - reference_share @ same_segment
    phi = unassisted_ratios(unassisted_share, reference_share, effort_elasticity)
    beta = price_elasticity / (reference_price * (1.0 - reference_share))
    gamma = effort_elasticity * (1.0 + phi) / (1.0 - reference_share)
    delta = lead_gen_elasticity / (1.0 - reference_share)
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
    """``φ`` for one product: :func:`unassisted_ratios` of one value."""
    return float(
        unassisted_ratios(
            np.array([unassisted_share]), np.array([reference_share]), np.array([elasticity])
        )[0]
    )


def unassisted_ratios(
    unassisted_share: np.ndarray, reference_share: np.ndarray, elasticity: np.ndarray
) -> np.ndarray:
    """``φ``: unassisted demand in multiples of today's hours, from ``u0`` (MODEL.md §1).

    With no selling hours the utility falls by ``γ ln(φ / (1 + φ))``; keeping ``u0`` of today's
    units takes a fall of ``L = ln(u0 (1 − s̄) / (1 − u0 s̄))``. With ``γ = ε (1 + φ) / (1 − s̄)``
    that is one equation in ``φ``, ``(1 + φ) ln(φ / (1 + φ)) = L (1 − s̄) / ε``, whose left side
    rises from −∞ (φ = 0) towards −1 (φ → ∞), solved for every value at once by bisection on
    ``ln φ`` (down to −700 for a tiny hours elasticity). ``u0 = 0`` gives ``φ = 0``. ``φ`` is
    held at or below ``(1 − s̄)/ε − 1``, where ``γ = 1``: beyond it share would be convex in
    hours (see :func:`alignment.scenario.unassisted_share_bound`). Arrays broadcast together.
    """
    u0, share, epsilon = np.broadcast_arrays(
        np.asarray(unassisted_share, dtype=float), np.asarray(reference_share, dtype=float),
        np.asarray(elasticity, dtype=float),
    )  # fmt: skip
    some = u0 > 0.0
    u0 = np.where(some, u0, 0.5)  # placeholders where u0 = 0: their φ is 0
    # Share stays concave in hours while γ = ε (1 + φ) / (1 − s̄) ≤ 1: a larger u0 is held there.
    concave_limit = np.maximum((1.0 - share) / epsilon - 1.0, 0.0)
    fall = np.log(u0 * (1.0 - share) / (1.0 - u0 * share))
    goal = fall * (1.0 - share) / epsilon

    def gap(log_phi: np.ndarray) -> np.ndarray:
        phi = np.exp(log_phi)
        return (1.0 + phi) * (log_phi - np.log1p(phi)) - goal

    low = np.full(goal.shape, -700.0)
    high = np.full(goal.shape, np.log(MAX_UNASSISTED_HOURS))
    above_all = gap(high) <= 0.0  # even the largest φ keeps less: take the largest
    below_all = gap(low) >= 0.0
    for _ in range(BISECTION_STEPS):
        middle = 0.5 * (low + high)
        rising = gap(middle) < 0.0
        low = np.where(rising, middle, low)
        high = np.where(rising, high, middle)
    root = np.exp(0.5 * (low + high))
    phi = np.where(above_all, MAX_UNASSISTED_HOURS, np.where(below_all, np.exp(-700.0), root))
    return np.where(some, np.minimum(phi, concave_limit), 0.0)


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
