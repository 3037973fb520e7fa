"""The compiled solvers (alignment.kernel_cache): ``exp``, ``log`` and ``pow`` at glibc's entry
points without the errno wrapper, giving the C library's own results bit for bit; and one
compiled form of each solver, the one a server's start compiles, for every call the app makes."""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import math
import platform
import subprocess
import sys
from pathlib import Path

import llvmlite.binding
import numpy as np
import pytest
from numba import njit

from alignment import kernel_cache  # noqa: F401  (binds exp and log on import)

ROOT = Path(__file__).resolve().parents[1]
# glibc's unwrapped names carry version GLIBC_2.15 on x86-64 (other machines: other versions).
GLIBC_X86_64 = platform.libc_ver()[0] == "glibc" and platform.machine() == "x86_64"
EXP_POINTS = [-math.inf, -1000.0, -745.2, -1e-300, -0.0, 0.0, 1e-300, 0.5, 1.0, 88.7, 700.0,
              709.78, 709.79, 710.0, 1e308, math.inf, math.nan]  # fmt: skip
LOG_POINTS = [-math.inf, -1.0, -0.0, 0.0, 5e-324, 1e-320, 1e-300, 0.1, 1.0, 2.0, 1e300,
              1.7976931348623157e308, math.inf, math.nan]  # fmt: skip


POW_POINTS = [(0.0, 0.2), (0.5, 0.2), (1.0, 0.2), (2.0, 0.5), (1e300, 2.0), (1e-300, 3.0),
              (-1.0, 0.5), (math.inf, 0.2), (math.nan, 0.2), (3.0, 0.0)]  # fmt: skip


@njit(cache=False)
def _compiled_exp_log(exp_points, log_points):
    exps, logs = np.empty_like(exp_points), np.empty_like(log_points)
    for i in range(exp_points.shape[0]):
        exps[i] = math.exp(exp_points[i])
    for i in range(log_points.shape[0]):
        logs[i] = math.log(log_points[i])
    return exps, logs


@njit(cache=False)
def _compiled_pow(bases, exponents):
    powers = np.empty_like(bases)
    for i in range(bases.shape[0]):
        powers[i] = bases[i] ** exponents[i]
    return powers


def _libm() -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")


def _c_function(name: str, arguments: int = 1):
    function = getattr(_libm(), name)
    function.restype, function.argtypes = ctypes.c_double, [ctypes.c_double] * arguments
    return function


def _same_bits(computed: np.ndarray, expected: np.ndarray) -> bool:
    """Equal bit for bit, any NaN matching any NaN."""
    nan = np.isnan(expected)
    return bool((np.isnan(computed) == nan).all()) and (
        computed[~nan].tobytes() == expected[~nan].tobytes()
    )


def test_compiled_exp_log_and_pow_give_the_c_librarys_results_bit_for_bit() -> None:
    exps, logs = _compiled_exp_log(np.array(EXP_POINTS), np.array(LOG_POINTS))
    c_exp, c_log = _c_function("exp"), _c_function("log")
    expected_exps = np.array([c_exp(x) for x in EXP_POINTS])
    expected_logs = np.array([c_log(x) for x in LOG_POINTS])
    assert _same_bits(exps, expected_exps)
    assert _same_bits(logs, expected_logs)
    assert exps[-5] == math.inf and logs[3] == -math.inf
    bases, exponents = np.array(POW_POINTS).T
    c_pow = _c_function("pow", 2)
    expected_powers = np.array([c_pow(x, y) for x, y in POW_POINTS])
    assert _same_bits(_compiled_pow(bases, exponents), expected_powers)


@pytest.mark.skipif(not GLIBC_X86_64, reason="the names bound are glibc's on x86-64")
def test_compiled_code_calls_glibcs_unwrapped_exp_log_and_pow() -> None:
    _compiled_exp_log(np.ones(1), np.ones(1))  # compiling must not bring numba's binding back
    dlvsym = ctypes.CDLL(None).dlvsym
    dlvsym.restype, dlvsym.argtypes = ctypes.c_void_p, [ctypes.c_void_p] + [ctypes.c_char_p] * 2
    handle = _libm()._handle
    for name in ("exp", "log", "pow"):
        unwrapped = dlvsym(handle, f"__{name}_finite".encode(), b"GLIBC_2.15")
        assert unwrapped
        assert llvmlite.binding.address_of_symbol(name) == unwrapped


# What a server runs after warm(): one plan, a price sweep's batch, and a batch with every figure.
_SPECIALISATIONS = """
import json
import numpy as np
from alignment import Plans, evaluate, kernel_cache, load_scenario
from alignment import allocator_kernel, solver_kernel
from alignment.pricing import price_curves
from pathlib import Path

def count():
    return [len(kernel.signatures) for kernel in (solver_kernel.solve_plans,
                                                  allocator_kernel.allocate_plans)]

kernel_cache.warm()
warmed = count()
scenario = load_scenario(Path("scenarios/launch_conflict.yaml"))
price_curves(scenario)
plans = Plans.from_scenario(scenario)
batch = Plans(**{name: np.repeat(value, 40, axis=0) for name, value in vars(plans).items()})
batch.price[:] *= np.linspace(0.8, 1.2, 40)[:, None]
evaluate(scenario, batch)
evaluate(scenario, batch, counterfactuals=False)
print(json.dumps({"warmed": warmed, "after": count()}))
"""


def test_warming_compiles_every_form_the_app_calls() -> None:
    """A batch's arrays are typed like a single plan's, so the solvers compiled by warm() at a
    server's start serve every price sweep and batch: no visitor waits ~25 s for a compile."""
    run = subprocess.run([sys.executable, "-c", _SPECIALISATIONS], cwd=ROOT, capture_output=True,
                         text=True, timeout=600, check=False)  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    counts = json.loads(run.stdout.strip().splitlines()[-1])
    assert counts["warmed"] == [1, 1]
    assert counts["after"] == counts["warmed"], "a batch compiled a second form of a solver"
