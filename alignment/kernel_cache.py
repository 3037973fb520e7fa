"""Where the compiled solvers keep their machine code, and how they are compiled.

numba caches a compiled function by its own file's timestamp only, so a solver would keep the
code of an older building block after an update. The cache folder is named after a hash of every
kernel source, the tolerances and numba's version instead: any change compiles afresh.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import tempfile
from pathlib import Path

import llvmlite.binding
import numba
from numba.core.registry import cpu_target

_HERE = Path(__file__).resolve().parent
_SOURCES = ("kernel_cache.py", "kernel_parts.py", "solver_kernel.py", "conflict_kernel.py",
            "allocator_kernel.py", "kernel_views.py", "tolerances.py")  # fmt: skip

# ``error_model="numpy"`` gives IEEE results (inf, NaN) where Python would raise, as numpy does;
# nogil lets a batch's parts run on several cores (alignment.plan_chunks).
JIT = {"cache": True, "error_model": "numpy", "nogil": True}
# The building blocks are inlined into the solvers' loops: a call per product vector costs
# more than its arithmetic (reference counts on every array argument).
INLINE = {**JIT, "inline": "always"}


def _fingerprint() -> str:
    digest = hashlib.sha256(numba.__version__.encode())
    for name in _SOURCES:
        digest.update((_HERE / name).read_bytes())
    return digest.hexdigest()[:16]


def _cache_dir() -> Path:
    name = f"alignment-kernels-{_fingerprint()}"
    for parent in (_HERE / "__pycache__", Path(tempfile.gettempdir())):
        try:
            folder = parent / name
            folder.mkdir(parents=True, exist_ok=True)
            if os.access(folder, os.W_OK):
                return folder
        except OSError:
            continue
    return Path(tempfile.mkdtemp(prefix=name))


def _bind_unwrapped_libm() -> None:
    """Point compiled ``exp``, ``log`` and ``pow`` at glibc's unwrapped forms
    (``__exp_finite`` and the like).

    numba binds the plain names, and glibc's plain functions wrap the arithmetic in a check of
    each result that sets errno. The solvers call ``exp`` and ``log`` some 800 times a plan and
    never read errno: without the wrapper a batch of plans costs 6 % less CPU, with every result
    the same bit for bit (tests/test_kernel_cache.py). Elsewhere numba's binding stays.
    """
    _ = cpu_target.target_context  # numba binds its own first, and would replace these later
    try:
        libm = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
        dlvsym = ctypes.CDLL(None).dlvsym
    except (OSError, AttributeError):  # not glibc
        return
    dlvsym.restype, dlvsym.argtypes = ctypes.c_void_p, [ctypes.c_void_p] + [ctypes.c_char_p] * 2
    for function in ("exp", "log", "pow"):
        address = dlvsym(libm._handle, f"__{function}_finite".encode(), b"GLIBC_2.15")
        if address:
            llvmlite.binding.add_symbol(function, address)


if not os.environ.get("NUMBA_CACHE_DIR"):
    numba.config.CACHE_DIR = str(_cache_dir())
_bind_unwrapped_libm()


def warm() -> None:
    """Compile the solvers now, or load them from the cache: a server calls this at start so
    its first visitor does not wait for the compiler (about 20 s on a 2-core machine)."""
    from alignment.evaluate import evaluate
    from alignment.scenario_io import load_scenario

    evaluate(load_scenario(_HERE.parent / "scenarios" / "launch_conflict.yaml"))
