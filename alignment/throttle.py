"""How often one person may do something: at most ``limit`` times in any ``window`` seconds.

A participant who saves proposals in a loop fills the room's table and slows every screen that
lists it; :class:`Throttle` refuses the excess with how long to wait, and forgets a key once its
window has passed.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class Throttle:
    """A sliding window per key; safe to share between threads."""

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("a throttle allows at least once in a positive window")
        self.limit, self.window, self._clock = limit, window, clock
        self._times: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> float | None:
        """Count one use by ``key`` and return None, or refuse it and return the seconds until
        it would be allowed (a refused use is not counted)."""
        with self._lock:
            now = self._clock()
            for other in [k for k, times in self._times.items() if times[-1] <= now - self.window]:
                del self._times[other]
            times = self._times.setdefault(key, deque())
            while times and times[0] <= now - self.window:
                times.popleft()
            if len(times) >= self.limit:
                return times[0] + self.window - now
            times.append(now)
            return None
