"""Where the compiled solvers keep their machine code, and how they are compiled.

numba caches a compiled function by its own file's timestamp only, so a solver would keep the
code of an older building block after an update. The cache folder is named after a hash of every
kernel source, the tolerances and numba's version instead: any change compiles afresh.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import numba

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


if not os.environ.get("NUMBA_CACHE_DIR"):
    numba.config.CACHE_DIR = str(_cache_dir())


def warm() -> None:
    """Compile the solvers now, or load them from the cache: a server calls this at start so
    its first visitor does not wait for the compiler (about 20 s on a 2-core machine)."""
    from alignment.evaluate import evaluate
    from alignment.scenario_io import load_scenario

    evaluate(load_scenario(_HERE.parent / "scenarios" / "launch_conflict.yaml"))
