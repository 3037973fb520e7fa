"""Marketing and the KPIs that tie it to sales: deals sourced and influenced, ROI (MODEL.md §6)."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from alignment import Plans, evaluate
from alignment.demand import calibrate, shares
from alignment.marketing import content_reach, marketing_roi, selling_productivity


@pytest.fixture
def plain_plan(launch_data):
    """The default market under a plan whose pay per unit does not depend on volume (no
    accelerator, no cap) and hours that do not respond to motivation: evaluating the plan with
    a marketing budget at zero is then exactly the counterfactual the KPIs use."""
    launch_data["commission"].update(accelerator=1.0, cap=None)
    launch_data["sales_team"]["effort_response"] = 0.0
    return launch_data


def earned(outcomes):
    """Gross margin less the commission paid on it, before marketing spend, money per period."""
    return outcomes.total_gross_margin - outcomes.commission_cost


def test_content_reach_saturates_and_makes_hours_go_further():
    reach = content_reach(np.array([0.0, 1e5, 1e9]), 1e5)
    assert_allclose(reach, [0.0, 1 - np.exp(-1), 1.0])
    assert_allclose(selling_productivity(reach, 0.2), [1.0, 1 + 0.2 * (1 - np.exp(-1)), 1.2])


def test_marketing_roi_is_extra_earnings_net_of_spend_over_spend():
    roi = marketing_roi(
        np.array([1500.0, 900.0]), np.array([1000.0, 1000.0]), np.array([250.0, 50])
    )
    assert_allclose(roi, [1.0, -3.0])


def test_marketing_roi_is_zero_when_nothing_is_spent():
    assert marketing_roi(np.array([10.0]), np.array([5.0]), np.array([0.0]))[0] == 0.0


def units_without_content(scenario, outcomes) -> np.ndarray:
    """Units the same hours on the same products sell with no content (productivity 1)."""
    demand = calibrate(scenario)
    plan = Plans.from_scenario(scenario)
    share = shares(demand, plan.price, outcomes.hours, plan.lead_gen)
    return demand.segment_size * share


def test_deals_influenced_are_the_units_content_adds_to_the_same_hours(plain_plan, build):
    scenario = build(plain_plan)
    with_content = evaluate(scenario)
    added = with_content.units.sum() - units_without_content(scenario, with_content).sum()
    assert added > 0
    assert with_content.deals_influenced[0] == pytest.approx(added, rel=1e-6)


def test_deals_influenced_are_not_every_unit_content_reaches(launch):
    outcomes = evaluate(launch)
    touched = outcomes.content_reach[0] * outcomes.units.sum()
    assert 0 < outcomes.deals_influenced[0] < 0.2 * touched


def test_deals_sourced_are_the_units_lead_generation_adds(plain_plan, build):
    with_leads = evaluate(build(plain_plan))
    plain_plan["marketing"]["lead_generation"] = {}
    without = evaluate(build(plain_plan))
    added = with_leads.units.sum() - without.units.sum()
    assert added > 0
    assert with_leads.deals_sourced[0] == pytest.approx(added, rel=1e-6)


def test_roi_of_each_budget_nets_the_commission_paid_on_the_units_it_adds(plain_plan, build):
    marketing = plain_plan["marketing"]
    lead_spend = sum(marketing["lead_generation"].values())
    content_spend = marketing["push_content"]
    full = evaluate(build(plain_plan))
    plain_plan["marketing"] = {**marketing, "lead_generation": {}}
    no_leads = evaluate(build(plain_plan))
    plain_plan["marketing"] = {**marketing, "lead_generation": {}, "push_content": 0.0}

    def roi(without, spend):
        return (earned(full) - earned(without) - spend) / spend

    # Without content the same hours sell fewer units; on a plain plan each pays k per unit.
    scenario = build({**plain_plan, "marketing": marketing})
    held = units_without_content(scenario, full)[0]
    margin_less_pay = (
        full.price[0]
        - full.commission_per_unit[0]
        - np.array([p.unit_cost for p in scenario.products])
    )
    earned_without_content = float(held @ margin_less_pay)
    content_roi = (earned(full)[0] - earned_without_content - content_spend) / content_spend
    assert_allclose(full.lead_gen_roi, roi(no_leads, lead_spend), rtol=1e-6)
    assert full.content_roi[0] == pytest.approx(content_roi, rel=1e-6)
    gross_without = float(held @ (full.price[0] - np.array(
        [p.unit_cost for p in scenario.products]
    )))  # fmt: skip
    gross_only = (full.total_gross_margin[0] - gross_without - content_spend) / content_spend
    assert full.content_roi[0] < gross_only  # the units content adds carry commission


def test_no_marketing_spend_means_no_roi_and_no_deals_credited(launch_data, build):
    launch_data["marketing"].update(lead_generation={}, push_content=0.0)
    outcomes = evaluate(build(launch_data))
    assert outcomes.marketing_spend[0] == 0.0
    for name in ("marketing_roi", "lead_gen_roi", "content_roi"):
        assert getattr(outcomes, name)[0] == 0.0
    assert outcomes.deals_sourced[0] == pytest.approx(0.0, abs=1e-3)
    assert outcomes.deals_influenced[0] == pytest.approx(0.0, abs=1e-3)


def test_content_that_lifts_productivity_enough_pays_for_itself(launch_data, build):
    launch_data["marketing"].update(
        push_content=100_000.0, push_content_scale=100_000.0, push_content_productivity=1.0
    )
    outcomes = evaluate(build(launch_data))
    assert outcomes.content_roi[0] > 0
