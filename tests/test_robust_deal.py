"""The robust deal: the plan most likely to leave both sides better off (MODEL.md §10)."""

from __future__ import annotations

import numpy as np
import pytest

from alignment.compromise import Constraints, search
from alignment.compromise.robust import robust_deal
from alignment.evaluate import evaluate
from alignment.uncertainty import latin_hypercube, plan_gains

DRAWS = 40


@pytest.fixture(scope="module")
def found(launch):
    result = search(launch, launch, count=1_000, seed=2)
    return result, robust_deal(result, launch, draws=DRAWS)


def test_the_robust_deal_is_at_least_as_likely_as_the_central_deal_to_suit_both(found):
    _, robust = found
    assert robust.draws == DRAWS
    assert robust.both_gain >= robust.nash_both_gain
    assert 0.0 < robust.both_gain <= 1.0


def test_its_chance_is_the_share_of_draws_in_which_both_gain(found, launch):
    result, robust = found
    sample = latin_hypercube(launch, DRAWS)
    gains = plan_gains(launch, robust.plans, sample, launch, result.rep_utility)
    both = ((gains.leadership[:, 0] > 0) & (gains.reps[:, 0] > 0)).mean()
    assert robust.both_gain == pytest.approx(both)
    assert robust.expected_leadership_gain == pytest.approx(gains.leadership[:, 0].mean())


def test_the_robust_deal_stays_within_the_bounds_and_the_hard_limits(launch):
    limits = Constraints(min_gross_margin_pct=0.5)
    result = search(launch, launch, count=1_000, seed=3, constraints=limits)
    robust = robust_deal(result, launch, draws=DRAWS)
    for value, bound in zip(robust.levers, result.levers, strict=True):
        assert bound.low - 1e-9 <= value <= bound.high + 1e-9
    central = evaluate(launch, robust.plans, result.demand)
    assert central.gross_margin_pct[0] >= 0.5


def test_with_every_range_closed_both_deals_suit_both_sides_in_every_draw(launch_data, build):
    launch_data["uncertainty"] = {"spread": {kind: 0.0 for kind in (
        "price_elasticity", "effort_elasticity", "lead_gen_elasticity", "unassisted_share",
        "effort_response", "habit")}}  # fmt: skip
    closed = build(launch_data)
    result = search(closed, closed, count=1_000, seed=4)
    robust = robust_deal(result, closed, draws=DRAWS)
    assert robust.nash_both_gain == 1.0 and robust.both_gain == 1.0


def test_without_a_central_deal_there_is_no_robust_deal(launch):
    held = {lever: None for lever in (
        "price.pro", "price.standard", "price.nova", "kicker.nova", "revenue_rate",
        "margin_rate")}  # fmt: skip
    result = search(launch, launch, count=200, locks=held)
    assert result.nash is None
    assert robust_deal(result, launch, draws=DRAWS) is None
    assert np.isfinite(result.status_quo.leadership)
