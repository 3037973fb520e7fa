"""Slowing down passcode guessing, for each session and for the whole server.

A session may get the passcode wrong a few times in a row for free (typos happen); after that
each further try has to wait, and the wait doubles with every failure up to a ceiling. Opening
a new session starts that count afresh, so the server also counts every session's failures
together: too many in a rolling window pause all attempts on the server for a while. A refused
attempt is never compared with the passcode.

Every failure is logged at warning level with counts, a short one-way tag of the session and the
wait it caused. The guess itself never reaches this module: :meth:`AttemptLimiter.attempt` is
given a function that says whether the guess was right.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

log = logging.getLogger(__name__)

# 2**32 seconds is far past any ceiling; stopping there keeps the power from overflowing.
_MAX_DOUBLINGS = 32


@dataclass(frozen=True)
class AttemptPolicy:
    """How fast passcode guesses may come. All durations are in seconds.

    Attributes
    ----------
    free_failures
        Wrong guesses a session may make in a row before it has to wait.
    first_delay
        The wait after failure number ``free_failures``; it doubles with every further one.
    max_delay
        The longest a session ever waits between two tries.
    server_failures
        More wrong guesses than this, from all sessions together within ``server_window``,
        pause every attempt on the server for ``server_pause``.
    server_window, server_pause
        The rolling window failures are counted in, and how long the pause lasts.
    forget_after
        A session's failures are forgotten this long after its last one.
    """

    free_failures: int = 3
    first_delay: float = 1.0
    max_delay: float = 300.0
    server_failures: int = 20
    server_window: float = 60.0
    server_pause: float = 300.0
    forget_after: float = 3600.0

    def __post_init__(self) -> None:
        if self.free_failures < 0 or self.server_failures < 0:
            raise ValueError("failure allowances cannot be negative")
        durations = (self.first_delay, self.max_delay, self.server_window, self.server_pause)
        if min(durations) <= 0 or self.forget_after < self.max_delay:
            raise ValueError("durations must be positive, and forget_after at least max_delay")

    def session_delay(self, failures: int) -> float:
        """Seconds a session with ``failures`` wrong guesses in a row waits before its next try.

        Zero up to ``free_failures - 1`` failures; then ``first_delay``, doubling with every
        further failure, never above ``max_delay``.
        """
        doublings = failures - self.free_failures
        if doublings < 0:
            return 0.0
        return min(self.first_delay * 2.0 ** min(doublings, _MAX_DOUBLINGS), self.max_delay)


class Verdict(Enum):
    ACCEPTED = "accepted"  # compared, and right
    REJECTED = "rejected"  # compared, and wrong
    REFUSED = "refused"  # not compared: the session or the server has to wait


@dataclass(frozen=True)
class Wait:
    """How long before a session may try again, and whether the whole server is paused."""

    seconds: float
    server_wide: bool


@dataclass(frozen=True)
class Attempt:
    """What became of one try, and the wait before the next (``None``: may try now)."""

    verdict: Verdict
    wait: Wait | None = None


@dataclass
class _SessionFailures:
    in_a_row: int
    last: float


def session_tag(session: str) -> str:
    """A short one-way tag for ``session``: tells log lines apart without revealing the key."""
    return hashlib.sha256(session.encode("utf-8")).hexdigest()[:8]


class AttemptLimiter:
    """Admits, refuses and counts passcode attempts; safe to share between threads.

    ``clock`` returns seconds on a monotonic scale (tests pass a fake one).
    """

    def __init__(
        self,
        policy: AttemptPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        noun: str = "facilitator passcode",
    ) -> None:
        self.policy = policy or AttemptPolicy()
        self.noun = noun  # what is guessed, for the log: "facilitator passcode", "join code"
        self._clock = clock
        self._lock = threading.Lock()
        self._sessions: dict[str, _SessionFailures] = {}
        self._server_failures: deque[float] = deque()
        self._paused_until = float("-inf")

    def wait(self, session: str) -> Wait | None:
        """How long ``session`` must wait before its next attempt; ``None`` when it may try now."""
        with self._lock:
            return self._wait(session, self._clock())

    def attempt(self, session: str, is_right: Callable[[], bool]) -> Attempt:
        """One try from ``session``: refused while it must wait, otherwise judged by ``is_right``.

        ``is_right`` is called at most once, under the limiter's lock, so concurrent sessions
        cannot slip extra guesses past the server-wide count.
        """
        with self._lock:
            now = self._clock()
            self._forget(now)
            wait = self._wait(session, now)
            if wait is not None:
                return Attempt(Verdict.REFUSED, wait)
            if is_right():
                self._sessions.pop(session, None)
                log.info("%s accepted from session %s.", self.noun.capitalize(),
                         session_tag(session))  # fmt: skip
                return Attempt(Verdict.ACCEPTED)
            self._count_failure(session, now)
            return Attempt(Verdict.REJECTED, self._wait(session, now))

    def _wait(self, session: str, now: float) -> Wait | None:
        waits = []
        if now < self._paused_until:
            waits.append(Wait(self._paused_until - now, server_wide=True))
        failures = self._sessions.get(session)
        if failures is not None:
            ready_at = failures.last + self.policy.session_delay(failures.in_a_row)
            if now < ready_at:
                waits.append(Wait(ready_at - now, server_wide=False))
        return max(waits, key=lambda wait: wait.seconds, default=None)

    def _count_failure(self, session: str, now: float) -> None:
        policy = self.policy
        failures = self._sessions.setdefault(session, _SessionFailures(in_a_row=0, last=now))
        failures.in_a_row += 1
        failures.last = now
        recent = self._server_failures
        recent.append(now)
        while recent[0] <= now - policy.server_window:
            recent.popleft()
        log.warning(
            "Wrong %s from session %s: %d in a row from it, %d on this server "
            "in the last %.0f s; that session waits %.0f s before its next try.",
            self.noun,
            session_tag(session),
            failures.in_a_row,
            len(recent),
            policy.server_window,
            policy.session_delay(failures.in_a_row),
        )
        if len(recent) > policy.server_failures:
            log.warning(
                "%s attempts paused on this server for %.0f s after %d wrong guesses in %.0f s.",
                self.noun.capitalize(),
                policy.server_pause,
                len(recent),
                policy.server_window,
            )
            self._paused_until = now + policy.server_pause
            recent.clear()

    def _forget(self, now: float) -> None:
        # Failures are only counted for admitted attempts, which the server-wide pause limits,
        # so this dictionary stays small without a size cap.
        horizon = now - self.policy.forget_after
        for session in [s for s, failures in self._sessions.items() if failures.last <= horizon]:
            del self._sessions[session]
