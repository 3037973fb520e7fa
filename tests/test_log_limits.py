"""The server's log: an error loop cannot fill it, and what was dropped is said."""

from __future__ import annotations

import logging

from workshop_ui.log_limits import RateLimit


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def record(message: str, *args: object, level: int = logging.ERROR) -> logging.LogRecord:
    return logging.LogRecord("uvicorn.error", level, __file__, 1, message, args, None)


def test_a_repeated_error_is_let_through_a_few_times_a_minute():
    clock = Clock()
    limit = RateLimit(window=60, per_message=3, overall=100, clock=clock)
    passed = [limit.filter(record("Exception in ASGI application %s", i)) for i in range(1000)]
    assert sum(passed) == 3


def test_the_next_line_after_a_dropped_stretch_says_how_many_were_dropped():
    clock = Clock()
    limit = RateLimit(window=60, per_message=2, overall=100, clock=clock)
    for _ in range(10):
        limit.filter(record("the same failure"))
    clock.now = 61
    line = record("the same failure")
    assert limit.filter(line)
    assert "8 similar log lines were dropped" in line.getMessage()


def test_a_flood_of_different_lines_is_capped_overall_and_other_kinds_still_pass():
    clock = Clock()
    limit = RateLimit(window=60, per_message=5, overall=50, clock=clock)
    passed = sum(limit.filter(record(f"distinct failure {i}")) for i in range(500))
    assert passed == 50
    clock.now = 60
    assert limit.filter(record("the room opened", level=logging.WARNING))
