"""A server's log that an error loop or a flood of bad requests cannot fill.

:class:`RateLimit` lets through at most ``per_message`` records of one kind (same logger, level
and message template) and ``overall`` records of every kind in each ``window`` of seconds. What
it holds back is counted, and the first record let through after a held-back stretch says how
many similar ones were dropped, so the log still tells what happened.

:func:`install` puts one limit on every handler of every logger the process has set up by the
time the app first runs (the root logger, Streamlit's, the web server's), once per process.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

WINDOW_SECONDS = 60.0
PER_MESSAGE = 10
OVERALL = 300


class RateLimit(logging.Filter):
    """Drop log records beyond a budget per kind and overall, counting what was dropped."""

    def __init__(
        self,
        window: float = WINDOW_SECONDS,
        per_message: int = PER_MESSAGE,
        overall: int = OVERALL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.window, self.per_message, self.overall, self._clock = (
            window, per_message, overall, clock,
        )  # fmt: skip
        self._lock = threading.Lock()
        self._started = clock()
        self._counts: dict[tuple[str, int, str], int] = {}
        self._total = 0
        self._dropped = 0

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, record.levelno, str(record.msg))
        with self._lock:
            now = self._clock()
            if now - self._started >= self.window:
                self._started, self._counts, self._total = now, {}, 0
            seen = self._counts.get(key, 0)
            self._counts[key] = seen + 1
            if seen >= self.per_message or self._total >= self.overall:
                self._dropped += 1
                return False
            self._total += 1
            dropped, self._dropped = self._dropped, 0
        if dropped:
            record.msg = f"{record.msg} [{dropped} similar log lines were dropped before this one]"
        return True


_INSTALLED = False
_INSTALL_LOCK = threading.Lock()


def install() -> None:
    """Limit every plain stream or file handler of every logger set up so far, once per
    process (a harness's own handlers, such as pytest's capture, are subclasses and keep
    every line)."""
    global _INSTALLED
    with _INSTALL_LOCK:
        if _INSTALLED:
            return
        limit = RateLimit()
        loggers = [logging.getLogger(), *(
            logger for logger in list(logging.Logger.manager.loggerDict.values())
            if isinstance(logger, logging.Logger)
        )]  # fmt: skip
        for handler in {id(h): h for logger in loggers for h in logger.handlers}.values():
            if type(handler) in (logging.StreamHandler, logging.FileHandler):
                handler.addFilter(limit)
        _INSTALLED = True
