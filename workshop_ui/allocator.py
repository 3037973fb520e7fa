"""glibc's allocator told to give memory back to the system when the app lets go of it.

Left to itself, glibc keeps what a process freed for its next allocation: a block of a
megabyte or more (an uploaded file, a large widget value, a search's arrays) lands in the heap
once the first such block has been freed (the mmap threshold rises to its size), and each of
the threads Streamlit runs scripts on gets heaps of its own (up to eight per core). A server
that served a crowd, or an attacker, then keeps its peak size after everyone has gone.

:func:`tune` (once per process) fixes the mmap threshold, so every block of
:data:`MMAP_THRESHOLD_BYTES` or more is mapped on its own and unmapped when freed, and caps
the heaps at :data:`ARENA_MAX`. :func:`give_back` returns the free pages inside the heaps
(``malloc_trim``); the session reaper calls it after closing sessions. Elsewhere than on glibc
(macOS, musl) both do nothing and say so.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import threading
from functools import lru_cache
from typing import Any

# mallopt parameters, from glibc's malloc.h.
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
ARENA_MAX = 2
MMAP_THRESHOLD_BYTES = 256 * 1024

_LOG = logging.getLogger(__name__)
_LOCK = threading.Lock()
_TUNED = False


@lru_cache(maxsize=1)
def _glibc() -> Any | None:
    """The C library, if it is glibc (it has ``malloc_trim``); None elsewhere."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
    except OSError:
        return None
    if not all(hasattr(libc, symbol) for symbol in ("mallopt", "malloc_trim")):
        return None
    libc.mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    libc.malloc_trim.argtypes = (ctypes.c_size_t,)
    return libc


def tune() -> bool:
    """Fix the mmap threshold and cap the heaps, once per process; False off glibc."""
    global _TUNED
    with _LOCK:
        if _TUNED:
            return True
        libc = _glibc()
        if libc is None:
            _LOG.info("Not glibc: the allocator keeps its own settings.")
            return False
        fixed = libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) == 1
        capped = libc.mallopt(_M_ARENA_MAX, ARENA_MAX) == 1
        if not (fixed and capped):
            _LOG.warning("glibc refused an allocator setting (mmap threshold %s, arenas %s).",
                         fixed, capped)  # fmt: skip
        _TUNED = True
        return fixed and capped


def give_back() -> bool:
    """Return the free pages of every heap to the system; True if any were returned."""
    libc = _glibc()
    return libc is not None and libc.malloc_trim(0) == 1
