"""The compiled solvers' ``exp`` and ``log`` (alignment.kernel_cache): glibc's entry points
without the errno wrapper, giving the C library's own results bit for bit."""

from __future__ import annotations

import ctypes
import ctypes.util
import math
import platform

import llvmlite.binding
import numpy as np
import pytest
from numba import njit

from alignment import kernel_cache  # noqa: F401  (binds exp and log on import)

# glibc's unwrapped names carry version GLIBC_2.15 on x86-64 (other machines: other versions).
GLIBC_X86_64 = platform.libc_ver()[0] == "glibc" and platform.machine() == "x86_64"
EXP_POINTS = [-math.inf, -1000.0, -745.2, -1e-300, -0.0, 0.0, 1e-300, 0.5, 1.0, 88.7, 700.0,
              709.78, 709.79, 710.0, 1e308, math.inf, math.nan]  # fmt: skip
LOG_POINTS = [-math.inf, -1.0, -0.0, 0.0, 5e-324, 1e-320, 1e-300, 0.1, 1.0, 2.0, 1e300,
              1.7976931348623157e308, math.inf, math.nan]  # fmt: skip


@njit(cache=False)
def _compiled_exp_log(exp_points, log_points):
    exps, logs = np.empty_like(exp_points), np.empty_like(log_points)
    for i in range(exp_points.shape[0]):
        exps[i] = math.exp(exp_points[i])
    for i in range(log_points.shape[0]):
        logs[i] = math.log(log_points[i])
    return exps, logs


def _libm() -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")


def _c_function(name: str):
    function = getattr(_libm(), name)
    function.restype, function.argtypes = ctypes.c_double, [ctypes.c_double]
    return function


def test_compiled_exp_and_log_give_the_c_librarys_results_bit_for_bit() -> None:
    exps, logs = _compiled_exp_log(np.array(EXP_POINTS), np.array(LOG_POINTS))
    c_exp, c_log = _c_function("exp"), _c_function("log")
    expected_exps = np.array([c_exp(x) for x in EXP_POINTS])
    expected_logs = np.array([c_log(x) for x in LOG_POINTS])
    assert exps.tobytes() == expected_exps.tobytes()
    np.testing.assert_array_equal(np.isnan(logs), np.isnan(expected_logs))
    finite = ~np.isnan(expected_logs)
    assert logs[finite].tobytes() == expected_logs[finite].tobytes()
    assert exps[-5] == math.inf and logs[3] == -math.inf


@pytest.mark.skipif(not GLIBC_X86_64, reason="the names bound are glibc's on x86-64")
def test_compiled_code_calls_glibcs_unwrapped_exp_and_log() -> None:
    _compiled_exp_log(np.ones(1), np.ones(1))  # compiling must not bring numba's binding back
    dlvsym = ctypes.CDLL(None).dlvsym
    dlvsym.restype, dlvsym.argtypes = ctypes.c_void_p, [ctypes.c_void_p] + [ctypes.c_char_p] * 2
    handle = _libm()._handle
    for name in ("exp", "log"):
        unwrapped = dlvsym(handle, f"__{name}_finite".encode(), b"GLIBC_2.15")
        assert unwrapped
        assert llvmlite.binding.address_of_symbol(name) == unwrapped
