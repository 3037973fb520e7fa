"""One person cannot flood the table: a few uses a minute, then a wait that says how long."""

from __future__ import annotations

import pytest

from alignment.throttle import Throttle


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_limit_is_allowed_and_the_next_one_waits_until_the_oldest_leaves_the_window():
    clock = Clock()
    throttle = Throttle(5, 60.0, clock)
    for _ in range(5):
        assert throttle.allow("ana") is None
        clock.now += 1
    assert throttle.allow("ana") == pytest.approx(55.0)
    assert throttle.allow("ben") is None  # others are not slowed
    clock.now += 55
    assert throttle.allow("ana") is None


def test_a_thousand_tries_in_a_burst_let_through_only_the_limit():
    throttle = Throttle(5, 60.0, Clock())
    assert sum(throttle.allow("flooder") is None for _ in range(1000)) == 5


def test_a_throttle_must_allow_something():
    with pytest.raises(ValueError, match="at least once"):
        Throttle(0, 60.0)
