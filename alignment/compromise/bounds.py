"""Where the search may move each negotiable lever: the scenario's bounds and the parties' locks.

Levers are named as in ``negotiation.locked``: ``price.<product>``, ``kicker.<product>``,
``revenue_rate`` and ``margin_rate``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from alignment.scenario import Range, Scenario, lever_names


@dataclass(frozen=True)
class Lock:
    """A party's hold on one lever: ``fixed`` at a value, or kept at or above ``floor`` and at
    or below ``ceiling``. A lock with nothing set keeps the working scenario's value.
    """

    fixed: float | None = None
    floor: float | None = None
    ceiling: float | None = None

    def __post_init__(self) -> None:
        if self.fixed is not None and (self.floor is not None or self.ceiling is not None):
            raise ValueError("a lock is either fixed at a value or bounded by a floor/ceiling")
        if self.floor is not None and self.ceiling is not None and self.floor > self.ceiling:
            raise ValueError(
                f"lock floor ({self.floor:g}) must not exceed its ceiling ({self.ceiling:g})"
            )

    @classmethod
    def keep(cls) -> Lock:
        """Keep the working scenario's value."""
        return cls()

    @classmethod
    def at(cls, value: float) -> Lock:
        return cls(fixed=float(value))

    @classmethod
    def within(cls, low: float | None = None, high: float | None = None) -> Lock:
        return cls(
            floor=None if low is None else float(low), ceiling=None if high is None else float(high)
        )


LockSpec = Lock | Range | float | None


@dataclass(frozen=True)
class LeverBound:
    """Where the search may move one lever, and the value it has in the working scenario."""

    lever: str
    label: str
    low: float
    high: float
    current: float
    locked_by: str | None  # "scenario", "party" or None

    @property
    def is_fixed(self) -> bool:
        return self.low == self.high

    @property
    def step(self) -> float:
        """Grid the sampler rounds to: 1, 2 or 5 times a power of ten, about 1/50 of the range."""
        return grid_step(self.high - self.low)


def grid_step(width: float) -> float:
    """1, 2 or 5 times a power of ten, at most a fiftieth of ``width`` (0 for no width)."""
    if width <= 0:
        return 0.0
    rough = width / 50.0
    power = 10.0 ** math.floor(math.log10(rough))
    return max(m for m in (1.0, 2.0, 5.0) if m * power <= rough) * power


def snap(values: np.ndarray, step: float) -> np.ndarray:
    """``values`` rounded to multiples of ``step``, without binary noise (0.065, not 0.0650001)."""
    if step <= 0:
        return values
    decimals = max(0, -math.floor(math.log10(step)))
    return np.round(np.round(values / step) * step, decimals)


def lever_bounds(
    scenario: Scenario, locks: Mapping[str, LockSpec] | None = None
) -> tuple[LeverBound, ...]:
    """Each negotiable lever's search range after the scenario's and the parties' locks.

    A product without a price (kicker) range in ``negotiation`` keeps its current price
    (kicker); a lever in ``negotiation.locked`` keeps the working scenario's value. Extra
    ``locks`` from the parties apply on top: a number or ``Lock.at`` fixes the lever, a
    :class:`~alignment.scenario.Range` or ``Lock.within`` narrows its range, ``None`` or
    ``Lock.keep()`` keeps the working value. A fixed value may lie outside the negotiation
    range (the parties' word wins); a narrowed range must overlap it.

    Raises
    ------
    ValueError
        For an unknown lever name, or a narrowed range that leaves no room inside the
        negotiation bounds; the message names the lever and the fix.
    """
    locks = dict(locks or {})
    known = lever_names(scenario.product_ids)
    for lever in locks:
        if lever not in known:
            raise ValueError(f"locks: unknown lever {lever!r}; use one of {sorted(known)}")
    negotiation = scenario.negotiation
    bounds = []
    for lever, label, current, allowed in _levers(scenario):
        low, high = (allowed.min, allowed.max) if allowed is not None else (current, current)
        locked_by = None
        if lever in negotiation.locked:
            low = high = current
            locked_by = "scenario"
        if lever in locks:
            low, high = _apply_lock(lever, _as_lock(locks[lever]), low, high, current)
            locked_by = "party"
            _check_domain(lever, low, high)
        bounds.append(LeverBound(lever, label, float(low), float(high), float(current), locked_by))
    return tuple(bounds)


def _levers(scenario: Scenario) -> list[tuple[str, str, float, Range | None]]:
    """(lever, label, working value, negotiation range) in the order of the lever matrix."""
    negotiation = scenario.negotiation
    kickers = scenario.commission.kickers
    levers: list[tuple[str, str, float, Range | None]] = []
    for p in scenario.products:
        levers.append((f"price.{p.id}", f"{p.name} price", p.price, negotiation.prices.get(p.id)))
    for p in scenario.products:
        levers.append(
            (f"kicker.{p.id}", f"{p.name} kicker", kickers.get(p.id, 0.0),
             negotiation.kickers.get(p.id))
        )  # fmt: skip
    plan = scenario.commission
    levers.append(("revenue_rate", "Revenue rate", plan.revenue_rate, negotiation.revenue_rate))
    levers.append(("margin_rate", "Margin rate", plan.margin_rate, negotiation.margin_rate))
    return levers


def _as_lock(spec: LockSpec) -> Lock:
    if spec is None:
        return Lock.keep()
    if isinstance(spec, Lock):
        return spec
    if isinstance(spec, Range):
        return Lock.within(spec.min, spec.max)
    return Lock.at(float(spec))


def _apply_lock(
    lever: str, lock: Lock, low: float, high: float, current: float
) -> tuple[float, float]:
    if lock.fixed is not None:
        return lock.fixed, lock.fixed
    if lock.floor is None and lock.ceiling is None:
        return current, current
    new_low = max(low, lock.floor) if lock.floor is not None else low
    new_high = min(high, lock.ceiling) if lock.ceiling is not None else high
    if new_low > new_high:
        raise ValueError(
            f"locks.{lever}: the range {_bound_text(lock.floor)}–{_bound_text(lock.ceiling)} "
            f"does not overlap the negotiation range {low:g}–{high:g}; move the lock inside "
            f"it or widen the negotiation bounds"
        )
    return new_low, new_high


def _check_domain(lever: str, low: float, high: float) -> None:
    """A party's lock may leave the negotiation range, but not what a scenario can hold."""
    if lever.startswith("price.") and low <= 0:
        raise ValueError(f"locks.{lever}: a price must be above 0, got {low:g}")
    if lever.endswith("_rate") and (low < 0.0 or high > 1.0):
        raise ValueError(
            f"locks.{lever}: a rate is a fraction between 0 and 1 (0.08 is 8 %), "
            f"got {low:g}–{high:g}"
        )


def _bound_text(value: float | None) -> str:
    return "…" if value is None else f"{value:g}"
