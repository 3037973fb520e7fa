"""Borrowed views (alignment.kernel_views): the owner's data, shape and strides, no owner."""

from __future__ import annotations

import numpy as np
from numba import njit

from alignment.kernel_views import borrowed


@njit(cache=False)
def _write_through(values):
    view = borrowed(values)
    view[1] = 7.0
    return view.shape[0], view.sum()


@njit(cache=False)
def _every_other(values):
    view = borrowed(values[::2])
    return view.shape[0], view[1]


def test_a_borrowed_view_reads_and_writes_its_owners_data() -> None:
    values = np.array([1.0, 2.0, 3.0])
    count, total = _write_through(values)
    assert count == 3
    assert total == 11.0
    assert values[1] == 7.0


def test_a_borrowed_view_keeps_its_strides() -> None:
    count, second = _every_other(np.arange(10.0))
    assert count == 5
    assert second == 2.0


def test_in_python_a_borrowed_view_is_the_array_itself() -> None:
    values = np.arange(3.0)
    assert borrowed(values) is values
