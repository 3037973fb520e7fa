"""Slowing down passcode guessing, per session and per server, on a fake clock."""

from __future__ import annotations

import logging
import threading

import pytest

from alignment.attempts import AttemptLimiter, AttemptPolicy, Verdict, Wait, session_tag

GUESS = "correct-horse-7"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def limiter(clock) -> AttemptLimiter:
    return AttemptLimiter(AttemptPolicy(), clock=clock)


def wrong() -> bool:
    return False


def right() -> bool:
    return True


def fail_until_refused(limiter: AttemptLimiter, clock: FakeClock, session: str, times: int):
    """``times`` wrong guesses from ``session``, each as soon as it is allowed."""
    for _ in range(times):
        wait = limiter.wait(session)
        if wait is not None:
            clock.advance(wait.seconds)
        assert limiter.attempt(session, wrong).verdict is Verdict.REJECTED


def test_the_wait_doubles_after_three_free_failures_up_to_five_minutes():
    policy = AttemptPolicy()
    delays = [policy.session_delay(n) for n in range(1, 14)]
    assert delays == [0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]
    assert policy.session_delay(10_000) == 300


def test_a_session_may_make_three_wrong_guesses_and_then_has_to_wait(limiter, clock):
    for _ in range(2):
        assert limiter.attempt("a", wrong).wait is None
    third = limiter.attempt("a", wrong)
    assert third.verdict is Verdict.REJECTED
    assert third.wait is not None and third.wait.seconds == 1
    assert not third.wait.server_wide

    refused = limiter.attempt("a", right)
    assert refused.verdict is Verdict.REFUSED
    assert refused.wait == third.wait

    clock.advance(1)
    assert limiter.attempt("a", wrong).wait.seconds == 2


def test_a_refused_attempt_is_not_even_compared(limiter, clock):
    fail_until_refused(limiter, clock, "a", 3)
    compared = []
    assert limiter.attempt("a", lambda: compared.append(1) or True).verdict is Verdict.REFUSED
    assert compared == []


def test_the_session_wait_keeps_doubling_until_the_ceiling(limiter, clock):
    fail_until_refused(limiter, clock, "a", 3)
    seen = []
    for _ in range(10):
        wait = limiter.wait("a")
        seen.append(wait.seconds)
        clock.advance(wait.seconds)
        limiter.attempt("a", wrong)
    assert seen == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300]


def test_the_right_passcode_resets_the_session(limiter, clock):
    fail_until_refused(limiter, clock, "a", 5)
    clock.advance(limiter.wait("a").seconds)
    assert limiter.attempt("a", right).verdict is Verdict.ACCEPTED
    assert limiter.wait("a") is None
    for _ in range(2):
        assert limiter.attempt("a", wrong).wait is None


def test_one_sessions_wait_does_not_hold_up_another(limiter, clock):
    fail_until_refused(limiter, clock, "a", 4)
    assert limiter.wait("a") is not None
    assert limiter.wait("b") is None
    assert limiter.attempt("b", right).verdict is Verdict.ACCEPTED


def test_many_sessions_together_pause_the_whole_server(limiter, clock):
    for session in range(10):  # two wrong guesses each: none of them has to wait on its own
        for _ in range(2):
            assert limiter.attempt(f"s{session}", wrong).verdict is Verdict.REJECTED
            clock.advance(1)
    assert limiter.wait("newcomer") is None

    last = limiter.attempt("s10", wrong)  # the 21st inside a minute
    assert last.wait is not None and last.wait.server_wide
    assert last.wait.seconds == 300

    refused = limiter.attempt("newcomer", right)
    assert refused.verdict is Verdict.REFUSED
    assert refused.wait.server_wide

    clock.advance(299)
    assert limiter.attempt("newcomer", right).verdict is Verdict.REFUSED
    clock.advance(1)
    assert limiter.attempt("newcomer", right).verdict is Verdict.ACCEPTED


def test_failures_spread_over_more_than_a_minute_do_not_pause_the_server(limiter, clock):
    for guess in range(60):
        assert limiter.attempt(f"s{guess}", wrong).verdict is Verdict.REJECTED
        clock.advance(3.5)  # about 17 a minute
    assert limiter.wait("newcomer") is None


def test_a_short_server_pause_never_shortens_a_sessions_own_wait(clock):
    limiter = AttemptLimiter(AttemptPolicy(server_failures=5, server_pause=5), clock=clock)
    fail_until_refused(limiter, clock, "a", 6)  # the sixth, at t = 7 s, pauses the server
    assert limiter.wait("b") == Wait(5, server_wide=True)
    assert limiter.wait("a") == Wait(8, server_wide=False)


def test_a_session_is_forgotten_an_hour_after_its_last_failure(limiter, clock):
    fail_until_refused(limiter, clock, "a", 6)
    clock.advance(3600)
    assert limiter.wait("a") is None
    assert limiter.attempt("a", wrong).wait is None  # counting starts afresh


def test_concurrent_guesses_cannot_exceed_the_server_allowance(clock):
    limiter = AttemptLimiter(AttemptPolicy(free_failures=1000), clock=clock)
    compared = []

    def guess(session: int) -> None:
        for _ in range(10):
            limiter.attempt(f"s{session}", lambda: compared.append(1) or False)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(compared) == 21


def test_failures_are_logged_without_the_guess(limiter, clock, caplog):
    caplog.set_level(logging.WARNING, logger="alignment.attempts")
    session = "8c1d7e2a9b0f4e6d8c1d7e2a9b0f4e6d"
    for _ in range(4):
        clock.advance(5)
        limiter.attempt(session, lambda: GUESS == "the-real-passcode")
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 4
    assert all(record.levelno == logging.WARNING for record in caplog.records)
    assert "4 in a row" in messages[-1]
    assert "waits 2 s" in messages[-1]
    assert session_tag(session) in messages[-1]
    assert not any(GUESS in text or session in text for text in messages)


def test_a_server_pause_is_logged_with_its_length(clock, caplog):
    caplog.set_level(logging.WARNING, logger="alignment.attempts")
    limiter = AttemptLimiter(AttemptPolicy(server_failures=2, server_pause=120), clock=clock)
    for session in "abc":
        limiter.attempt(session, wrong)
    paused = caplog.records[-1].getMessage()
    assert "paused on this server for 120 s after 3 wrong guesses" in paused


def test_the_session_tag_is_short_and_stable_and_does_not_reveal_the_session():
    assert session_tag("abc") == session_tag("abc") != session_tag("abd")
    assert len(session_tag("abc")) == 8
    assert "abc" not in session_tag("abc")


def test_a_policy_with_nonsense_durations_is_refused():
    with pytest.raises(ValueError):
        AttemptPolicy(first_delay=0)
    with pytest.raises(ValueError):
        AttemptPolicy(server_failures=-1)
    with pytest.raises(ValueError):
        AttemptPolicy(forget_after=10)
