"""The compiled role conflict (alignment.conflict_kernel): the tracked step's shortcuts and the
root-find started from a point already worked out answer exactly as the root-find alone."""

from __future__ import annotations

import numpy as np
import pytest

from alignment.conflict_kernel import _direction, _gap_along, find_conflict, track_conflict

PRODUCTS = 4
SEGMENT = np.array([0, 0, 1, 1])
STRATEGIC = np.array([0.0, 1.0, 0.0, 1.0])


def _market(rng: np.random.Generator, target: float) -> tuple:
    """One plan's arrays in find_conflict's order after ``start``, with a new-product share
    target of ``target``."""
    hours = rng.uniform(100.0, 20_000.0, PRODUCTS)
    habit = rng.uniform(0.0, 0.6)
    todays_mix = rng.dirichlet(np.ones(PRODUCTS))
    productivity = rng.uniform(0.8, 1.3)
    floor = np.full(PRODUCTS, 5.0)
    unassisted = rng.uniform(50.0, 3_000.0, PRODUCTS)
    gamma = rng.uniform(0.1, 0.8, PRODUCTS)
    fixed = rng.uniform(-8.0, -2.0, PRODUCTS)
    size = rng.uniform(1e3, 1e5, PRODUCTS)
    strategic_market = float(size[STRATEGIC > 0].sum())
    return (hours, habit, todays_mix, productivity, floor, unassisted, gamma, fixed, size,
            STRATEGIC, strategic_market, target, SEGMENT, np.empty(2),
            np.empty((4, PRODUCTS)))  # fmt: skip


def _gap_at(market: tuple, start: float) -> tuple[float, float]:
    hours, rest, scratch = market[0], market[1:-1], market[-1]
    per_hour = _direction(hours, STRATEGIC, scratch[0])
    t = min(max(start / (per_hour if per_hour > 0 else 1.0), 0.0), 1.0)
    return _gap_along(hours, scratch[0], t, *rest, scratch)


@pytest.mark.parametrize("seed", range(40))
def test_a_root_find_given_its_starting_point_answers_as_one_that_works_it_out(seed) -> None:
    rng = np.random.default_rng(seed)
    market = _market(rng, target=rng.uniform(0.0, 0.3))
    hours, rest = market[0], market[1:]
    for start in (0.0, rng.uniform(0.0, 1.0), 1.0):
        gap, slope = _gap_at(market, start)
        alone = find_conflict(hours, start, *rest)
        given = find_conflict(hours, start, *rest, gap, slope)
        assert given == alone


@pytest.mark.parametrize("seed", range(40))
def test_the_tracked_conflict_at_its_limits_is_what_the_root_find_answers(seed) -> None:
    rng = np.random.default_rng(seed)
    unreachable = _market(rng, target=1.0)  # no mix reaches every unit of the market
    met = _market(rng, target=0.0)  # any mix meets it
    for market, start, answer in ((unreachable, 1.0, 1.0), (met, 0.0, 0.0)):
        hours, rest = market[0], market[1:]
        assert track_conflict(hours, start, *rest) == answer
        assert find_conflict(hours, start, *rest) == answer


@pytest.mark.parametrize("seed", range(40))
def test_a_target_short_of_reach_without_moving_hours_gives_a_conflict(seed) -> None:
    rng = np.random.default_rng(seed)
    market = _market(rng, target=0.0)
    at_none, _ = _gap_at(market, 0.0)
    at_all, _ = _gap_at(market, 1.0)
    # a target between the new-product share with no hours moved and with every hour moved
    between = _market(np.random.default_rng(seed), target=at_none + 0.5 * (at_all - at_none))
    hours, rest = between[0], between[1:]
    assert _gap_at(between, 0.0)[0] < 0 < _gap_at(between, 1.0)[0]
    tracked, found = track_conflict(hours, 0.0, *rest), find_conflict(hours, 0.0, *rest)
    assert 0.0 < found < 1.0
    assert 0.0 < tracked <= 1.0
