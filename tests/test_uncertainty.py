"""Bands over draws of the uncertain inputs, and the chance both sides gain (MODEL.md §10)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from alignment import evaluate, load_scenario
from alignment.levers import with_value
from alignment.uncertainty import (
    FIGURE_NAMES,
    Gains,
    latin_hypercube,
    plan_uncertainty,
    split_normal,
)
from alignment.uncertainty_inputs import DEFAULT_SPREAD, ParameterRange, Uncertainty

ROOT = Path(__file__).resolve().parents[1]
DRAWS = 24


@pytest.fixture(scope="module")
def today():
    return load_scenario(ROOT / "scenarios" / "launch_conflict.yaml")


@pytest.fixture(scope="module")
def cheaper_nova(today):
    """Nova 15 % cheaper with a kicker: a plan that moves both sides."""
    cheaper = with_value(today, "products.nova.price", today.product("nova").price * 0.85)
    return with_value(cheaper, "commission.kickers.nova", 300.0)


def with_uncertainty(scenario, **fields):
    return scenario.model_copy(update={"uncertainty": Uncertainty(**fields)})


def collapsed(scenario):
    return with_uncertainty(scenario, spread={kind: 0.0 for kind in DEFAULT_SPREAD})


def test_collapsed_ranges_give_zero_width_bands_at_the_point_figures(today, cheaper_nova):
    working = collapsed(cheaper_nova)
    (found,) = plan_uncertainty(working, [working], today, draws=DRAWS)
    point = evaluate(working, status_quo=today)
    for name in FIGURE_NAMES:
        band = found.bands[name]
        expected = float(getattr(point, name)[0])
        assert band.width == 0.0, name
        assert_allclose([band.low, band.median, band.high, band.central], expected, rtol=1e-12)


def test_the_status_quo_never_beats_itself(today):
    (found,) = plan_uncertainty(today, [today], today, draws=DRAWS)
    assert found.both_gain == 0.0
    assert found.leadership_gain.low == found.leadership_gain.high == 0.0
    assert found.reps_gain.low == found.reps_gain.high == 0.0


def test_the_status_quo_beside_another_working_scenario_never_beats_itself(today, cheaper_nova):
    status_quo_plan, working_plan = plan_uncertainty(
        cheaper_nova, [today, cheaper_nova], today, draws=DRAWS
    )
    assert status_quo_plan.both_gain == 0.0
    assert working_plan.leadership_gain.width > 0.0


def test_both_gain_counts_only_draws_where_both_sides_are_strictly_better_off():
    gains = Gains(
        leadership=np.array([[1.0], [1.0], [0.0], [-1.0], [2.0]]),
        reps=np.array([[1.0], [0.0], [1.0], [5.0], [3.0]]),
    )
    assert gains.both_gain().tolist() == [0.4]


def test_the_same_seed_gives_the_same_result_and_another_seed_other_draws(today, cheaper_nova):
    first = plan_uncertainty(cheaper_nova, None, today, draws=DRAWS, seed=3)
    again = plan_uncertainty(cheaper_nova, None, today, draws=DRAWS, seed=3)
    assert first[0].bands == again[0].bands and first[0].both_gain == again[0].both_gain
    other = latin_hypercube(cheaper_nova, DRAWS, seed=4).values
    assert not np.array_equal(latin_hypercube(cheaper_nova, DRAWS, seed=3).values, other)


def test_latin_hypercube_puts_one_draw_in_each_slice_of_every_uniform_range(today):
    sample = latin_hypercube(today, 50, seed=1)
    for j, parameter in enumerate(sample.parameters):
        column = sample.values[:, j]
        assert parameter.low <= column.min() and column.max() <= parameter.high
        slices = np.floor(50 * (column - parameter.low) / parameter.width).astype(int)
        assert sorted(np.minimum(slices, 49)) == list(range(50)), parameter.name


def test_a_split_normal_has_its_mode_at_the_stated_value_and_low_high_at_5_and_95_percent():
    shape = split_normal(2.0, 1.5, 3.0)
    assert_allclose(shape.cdf(np.array([1.5, 3.0])), [0.05, 0.95], atol=1e-9)
    assert_allclose(shape.quantile(np.array([0.05, 0.95])), [1.5, 3.0], atol=1e-9)
    assert shape.mode == 2.0 and shape.left < shape.right


def test_a_symmetric_normal_range_is_the_plain_normal():
    shape = split_normal(2.0, 1.0, 3.0)
    assert_allclose([shape.left, shape.right], 1.0 / stats.norm.ppf(0.95), rtol=1e-9)
    assert_allclose(shape.weight, 0.5)


def test_normal_draws_stay_inside_what_the_model_accepts(today):
    ranges = {"price_elasticity.nova": ParameterRange(low=0.2, high=3.2, distribution="normal")}
    scenario = with_uncertainty(today, ranges=ranges)
    sample = latin_hypercube(scenario, 400, seed=2)
    j = [p.name for p in sample.parameters].index("price_elasticity.nova")
    column = sample.values[:, j]
    assert column.min() >= 1e-3 and column.max() <= 20.0
    # away from the model's limits, low and high are the draws' 5th and 95th percentiles
    ranges = {"price_elasticity.nova": ParameterRange(low=1.8, high=3.2, distribution="normal")}
    sample = latin_hypercube(with_uncertainty(today, ranges=ranges), 400, seed=2)
    assert_allclose(np.quantile(sample.values[:, j], [0.05, 0.95]), [1.8, 3.2], atol=0.02)


def test_draws_out_of_range_are_refused_naming_the_field(today):
    with pytest.raises(ValueError, match="draws:"):
        plan_uncertainty(today, draws=0)
    with pytest.raises(ValueError, match="seed:"):
        plan_uncertainty(today, draws=DRAWS, seed=-1)
    with pytest.raises(ValueError, match="rep_utility"):
        plan_uncertainty(today, draws=DRAWS, rep_utility="happiness")  # type: ignore[arg-type]


def test_a_plan_about_other_products_is_refused(today):
    other = load_scenario(ROOT / "scenarios" / "saas_tiers_smb_enterprise.yaml")
    with pytest.raises(ValueError, match="plans"):
        plan_uncertainty(today, [other], draws=DRAWS)
    with pytest.raises(ValueError, match="status_quo"):
        plan_uncertainty(today, None, other, draws=DRAWS)


def test_every_band_is_finite_and_ordered(today, cheaper_nova):
    (found,) = plan_uncertainty(cheaper_nova, None, today, draws=DRAWS)
    for name, band in found.bands.items():
        values = [band.low, band.median, band.high, band.central]
        assert np.all(np.isfinite(values)), name
        assert band.low <= band.median <= band.high, name
    assert found.draws == DRAWS and 0.0 <= found.both_gain <= 1.0
