"""Fitting price response from deal histories with a known (planted) elasticity."""

from __future__ import annotations

import numpy as np
import pytest

from alignment.calibration import DealFileError, calibrate
from alignment.calibration.synthetic import PlantedProduct, synthetic_history

NOVA = PlantedProduct("Nova", 650.0, 600 / 650, 3.0, 0.3, 600, 0.1, 0.1)


def fitted(launch, history, product="nova", checked=True):
    deals = history.deals(checked=checked)
    calibration = calibrate(deals, launch, {"Nova": "nova", "Analyser Pro": "pro"})
    return calibration, calibration.product(product)


def test_the_planted_elasticity_lies_within_the_90_percent_interval_in_most_trials(launch):
    covered = 0
    for seed in range(100):
        history = synthetic_history([NOVA], seed=seed, quarters=4)
        _, fit = fitted(launch, history, checked=False)
        covered += fit.low <= history.truth["Nova"] <= fit.high
    assert covered >= 85, f"covered in {covered} of 100 trials"


def test_the_interval_shrinks_as_rows_grow(launch):
    widths = []
    for deals in (300, 1200, 4800):
        planted = PlantedProduct("Nova", 650.0, 600 / 650, 3.0, 0.3, deals, 0.1, 0.1)
        _, fit = fitted(launch, synthetic_history([planted], seed=3))
        widths.append(fit.high - fit.low)
    assert widths[0] > widths[1] > widths[2]
    assert widths[2] < widths[0] / 3  # about 1/√n


def test_product_and_period_effects_recover_two_products_at_once(launch):
    pro = PlantedProduct("Analyser Pro", 1350.0, 1200 / 1350, 1.5, 0.4, 3000, 0.1, 0.1)
    nova = PlantedProduct("Nova", 650.0, 600 / 650, 3.5, 0.2, 3000, 0.1, 0.1)
    history = synthetic_history([pro, nova], seed=12, season=0.6)
    calibration, nova_fit = fitted(launch, history)
    pro_fit = calibration.product("pro")
    assert pro_fit.low <= history.truth["Analyser Pro"] <= pro_fit.high
    assert nova_fit.low <= history.truth["Nova"] <= nova_fit.high
    assert len(calibration.periods) == 8 and calibration.converged
    assert calibration.product("standard").elasticity is None  # no deals: keeps its prior


def test_planted_discount_endogeneity_is_warned_about(launch):
    history = synthetic_history([NOVA], seed=5, endogeneity=0.6, quarters=8)
    _, fit = fitted(launch, history)
    assert "endogeneity" in fit.caveat_kinds
    text = next(c.text for c in fit.caveats if c.kind == "endogeneity")
    assert "competitor" in text and "understates" in text


def test_no_endogeneity_warning_without_planted_endogeneity(launch):
    _, fit = fitted(launch, synthetic_history([NOVA], seed=5, quarters=8))
    assert "endogeneity" not in fit.caveat_kinds


def test_unrecorded_losses_are_warned_about(launch):
    planted = PlantedProduct("Nova", 650.0, 600 / 650, 3.0, 0.6, 800, 0.1, 0.1)
    _, fit = fitted(launch, synthetic_history([planted], seed=2, unrecorded_losses=0.8))
    assert "few_losses" in fit.caveat_kinds


def test_small_samples_and_little_price_variation_are_warned_about(launch):
    planted = PlantedProduct("Nova", 650.0, 600 / 650, 3.0, 0.3, 150, 0.1, 0.02)
    _, fit = fitted(launch, synthetic_history([planted], seed=4))
    assert {"small_sample", "little_variation"} <= fit.caveat_kinds


def test_a_file_with_no_lost_deals_is_refused_naming_why(launch):
    history = synthetic_history([NOVA], seed=1)
    history.frame["Stage"] = "Closed Won"
    with pytest.raises(DealFileError) as caught:
        calibrate(history.deals(), launch, {"Nova": "nova"})
    assert "every one of the 600 closed deals was won" in caught.value.problems[0]


def test_a_product_with_no_lost_deals_keeps_its_prior_and_says_why(launch):
    pro = PlantedProduct("Analyser Pro", 1350.0, 1200 / 1350, 1.5, 0.4, 400, 0.1, 0.1)
    history = synthetic_history([pro, NOVA], seed=1)
    history.frame.loc[history.frame["Product"] == "Nova", "Stage"] = "Closed Won"
    calibration, fit = fitted(launch, history)
    assert fit.elasticity is None and "lost deals" in fit.caveats[0].text
    assert calibration.product("pro").elasticity is not None


def test_one_product_only_calibrates_that_product_and_leaves_the_rest(launch):
    calibration, fit = fitted(launch, synthetic_history([NOVA], seed=8))
    assert fit.usable
    others = [calibration.product(pid) for pid in ("pro", "standard")]
    assert all(o.elasticity is None and o.deals == 0 for o in others)


def test_the_win_curve_has_a_band_around_the_fit_and_the_prior_through_today(launch):
    calibration, fit = fitted(launch, synthetic_history([NOVA], seed=8))
    curve = calibration.win_curve("nova")
    assert (curve["low"] <= curve["fitted"]).all() and (curve["fitted"] <= curve["high"]).all()
    assert np.all(np.diff(curve["fitted"]) < 0)  # dearer, fewer wins
    at_today = np.interp(fit.today, curve["relative_price"], curve["fitted"])
    assert np.interp(fit.today, curve["relative_price"], curve["prior"]) == pytest.approx(
        at_today, rel=1e-2
    )
    assert calibration.binned("nova")["deals"].sum() == fit.deals
