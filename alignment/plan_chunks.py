"""Large batches of plans split across the machine's cores.

The compiled solvers release the GIL, and so does numpy on large arrays, so a batch runs on
every core through a shared pool of threads; each plan is solved on its own, so a plan's answer
never depends on how its batch was split. Small batches (one plan on a slider move) stay on the
calling thread.

Two levels: :func:`map_batches` evaluates parts of a very large batch whole, each on a core,
so numpy's work between the solvers is split too; inside such a part, and for batches too
small for it, :func:`map_slices` splits only the compiled solvers. A thread of the pool never
waits on the pool: work asked for from inside a part runs where it is.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

# Below this many plans a batch is not worth a thread hand-over.
SMALLEST_SPLIT = 256
PARTS_PER_CORE = 4
# From this many plans, whole evaluations of parts run side by side (numpy's work included).
SMALLEST_BATCH_SPLIT = 8192
BATCHES_PER_CORE = 2
_WORKERS = max(1, min(os.cpu_count() or 1, 8))
_pool: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()
_inside = threading.local()


def slices(plans: int) -> list[slice]:
    """Contiguous runs of plans: one for a small batch; for a large one a few per core, so a
    core that drew the slow plans does not hold up the others."""
    return _split(plans, SMALLEST_SPLIT, PARTS_PER_CORE)


def batch_slices(plans: int) -> list[slice]:
    """The parts :func:`map_batches` evaluates side by side: one below
    :data:`SMALLEST_BATCH_SPLIT` plans."""
    return _split(plans, SMALLEST_BATCH_SPLIT, BATCHES_PER_CORE)


def map_slices(run: Callable[[slice], T], plans: int) -> list[T]:
    """``run`` on each of :func:`slices`, in order; in parallel where there are several."""
    return _map(run, [slice(0, plans)] if _in_part() else slices(plans))


def map_batches(run: Callable[[slice], T], plans: int) -> list[T]:
    """``run`` on each of :func:`batch_slices`, in order; in parallel where there are several,
    each part's own :func:`map_slices` then running on its thread."""
    parts = [slice(0, plans)] if _in_part() else batch_slices(plans)
    return _map(run, parts)


def _split(plans: int, smallest: int, per_core: int) -> list[slice]:
    parts = min(_WORKERS * per_core, max(1, plans // smallest))
    if parts < 2:
        return [slice(0, plans)]
    bounds = [plans * i // parts for i in range(parts + 1)]
    return [slice(bounds[i], bounds[i + 1]) for i in range(parts)]


def _in_part() -> bool:
    return getattr(_inside, "part", False)


def _map(run: Callable[[slice], T], parts: list[slice]) -> list[T]:
    if len(parts) == 1:
        return [run(parts[0])]

    def in_part(part: slice) -> T:
        _inside.part = True
        try:
            return run(part)
        finally:
            _inside.part = False

    return list(_shared_pool().map(in_part, parts))


def _shared_pool() -> ThreadPoolExecutor:
    global _pool
    with _POOL_LOCK:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="plans")
        return _pool
