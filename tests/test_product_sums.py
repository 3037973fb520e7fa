"""Sums and maxima over products (alignment.product_sums) are numpy's, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from alignment.product_sums import product_max, product_sums


@pytest.mark.parametrize("shape", [(12_500, 5), (7, 3), (1, 6), (40, 7), (40, 1), (50, 11), (6,)])
def test_product_sums_are_numpys_sums_bit_for_bit(shape):
    rng = np.random.default_rng(3)
    # magnitudes spread over ten orders, so a different order of additions shows in the bits
    values = rng.normal(size=shape) * 10.0 ** rng.uniform(-5, 5, size=shape)
    for layout in (values, np.asfortranarray(values)):
        np.testing.assert_array_equal(product_sums(layout), layout.sum(axis=-1))


def test_product_max_is_numpys_max_nan_included():
    values = np.array([[1.0, 3.0, 2.0], [np.nan, 1.0, 5.0], [-4.0, -2.0, -np.inf]])
    np.testing.assert_array_equal(product_max(values), values.max(axis=-1))
