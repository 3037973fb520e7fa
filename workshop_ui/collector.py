"""Python's garbage collector told to leave the app's own code alone.

A server process holds about 365,000 objects the collector tracks before anyone has done
anything: the modules of Streamlit, pandas, Altair, numba and the app. A full collection walks
all of them (about 140 ms on a 2-core machine, over 200 ms under load), and a room joining at
once set one off every half second in each process, holding every session in it still.

:func:`tune` (once per process) imports what the pages use, compiles or loads the solvers, and
moves everything alive at that moment out of the collector's sight (``gc.freeze``): a full
collection then walks only what sessions created since. What it freezes is never freed, so it
runs before the first page has built anything of a session's own.
"""

from __future__ import annotations

import gc
import importlib
import logging
import pkgutil
import threading

import alignment
import workshop_ui

# Python's default, (700, 10, 10), runs a young collection every 700 new objects; one page run
# makes hundreds of thousands, so a room joining at once ran a full one every half second.
THRESHOLDS = (50_000, 10, 10)
_LOG = logging.getLogger(__name__)
_LOCK = threading.Lock()
_FROZEN = False


def tuned() -> bool:
    """Whether this process has already been tuned (every rerun after the first start)."""
    return _FROZEN


def tune() -> int:
    """Import the app's modules and freeze what is alive, once per process; how many objects
    were frozen (0 on every later call)."""
    global _FROZEN
    with _LOCK:
        if _FROZEN:
            return 0
        _FROZEN = True
        for package in (alignment, workshop_ui):
            for module in pkgutil.iter_modules(package.__path__):
                if module.name != "__main__":
                    importlib.import_module(f"{package.__name__}.{module.name}")
        from alignment.kernel_cache import warm

        warm()
        gc.collect()
        gc.freeze()
        gc.set_threshold(*THRESHOLDS)
        frozen = gc.get_freeze_count()
        _LOG.info("%d objects moved out of the garbage collector's sight.", frozen)
        return frozen
