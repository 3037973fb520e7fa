"""Large batches of plans split across the machine's cores.

The compiled solvers release the GIL, so one batch runs on every core through a shared pool of
threads; each plan is solved on its own, so a plan's answer never depends on how its batch was
split. Small batches (one plan on a slider move) stay on the calling thread.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

# Below this many plans a batch is not worth a thread hand-over.
SMALLEST_SPLIT = 256
PARTS_PER_CORE = 4
_WORKERS = max(1, min(os.cpu_count() or 1, 8))
_pool: ThreadPoolExecutor | None = None


def slices(plans: int) -> list[slice]:
    """Contiguous runs of plans: one for a small batch; for a large one a few per core, so a
    core that drew the slow plans does not hold up the others."""
    parts = min(_WORKERS * PARTS_PER_CORE, max(1, plans // SMALLEST_SPLIT))
    if parts < 2:
        return [slice(0, plans)]
    bounds = [plans * i // parts for i in range(parts + 1)]
    return [slice(bounds[i], bounds[i + 1]) for i in range(parts)]


def map_slices(run: Callable[[slice], T], plans: int) -> list[T]:
    """``run`` on each of :func:`slices`, in order; in parallel where there are several."""
    parts = slices(plans)
    if len(parts) == 1:
        return [run(parts[0])]
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="plans")
    return list(_pool.map(run, parts))
