"""Every valid scenario gives finite outcomes; every invalid one is refused by name (§9.4–5)."""

from __future__ import annotations

import os
from dataclasses import fields

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from alignment import (
    Outcomes,
    Plans,
    Scenario,
    ScenarioError,
    dump_scenario,
    evaluate,
    load_scenario,
)
from alignment.demand import calibrate, shares
from alignment.scenario_io import scenario_from_data

PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("PROPERTY_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def positive(low, high):
    """Floats in [low, high]; values too close to zero to mean anything become exactly 0."""
    numbers = st.floats(low, high, allow_nan=False, allow_infinity=False)
    if low <= 0 <= high:
        numbers = numbers.map(lambda x: 0.0 if abs(x) < 1e-6 else x)
    return numbers


@st.composite
def scenarios(draw) -> Scenario:
    """Valid scenarios: 1–3 segments, 1–6 products, any plan the schema allows."""
    segment_count = draw(st.integers(1, 3))
    segments = [
        {"id": f"seg{k}", "name": f"Segment {k}", "size": draw(positive(1.0, 1e7))}
        for k in range(segment_count)
    ]
    product_count = draw(st.integers(segment_count, 6))
    home = [k % segment_count for k in range(product_count)]
    products = []
    for k in range(segment_count):
        members = [i for i in range(product_count) if home[i] == k]
        taken = draw(positive(0.01, 0.95))
        weights = [draw(positive(0.05, 1.0)) for _ in members]
        for i, weight in zip(members, weights, strict=True):
            share = taken * weight / sum(weights)
            reference_price = draw(positive(0.5, 1e5))
            products.append(
                {
                    "id": f"p{i}",
                    "name": f"Product {i}",
                    "segment": f"seg{k}",
                    "strategic": i == 0,
                    "unit_cost": reference_price * draw(positive(0.0, 1.5)),
                    "reference_price": reference_price,
                    "price": reference_price * draw(positive(0.1, 10.0)),
                    "reference_share": share,
                    "price_elasticity": draw(positive(0.05, 20.0)),
                    "effort_elasticity": (1 - share) * draw(positive(0.001, 1.0)),
                    "reference_hours": draw(positive(1.0, 1e6)),
                    "lead_gen_elasticity": (1 - share) * draw(positive(0.0, 1.0)),
                    "lead_gen_scale": draw(positive(1.0, 1e7)),
                }
            )
    ids = [p["id"] for p in products]
    base_salary = draw(positive(0.0, 2e5))
    data = {
        "metadata": {"name": "Generated"},
        "segments": segments,
        "products": products,
        "commission": {
            "revenue_rate": draw(positive(0.0, 0.3)),
            "margin_rate": draw(positive(0.0, 1.0)),
            "kickers": {pid: draw(positive(-1e3, 1e3)) for pid in ids if draw(st.booleans())},
            "quota": {
                "basis": draw(st.sampled_from(["revenue", "gross_margin"])),
                "per_rep": draw(positive(1.0, 1e8)),
            },
            "accelerator": draw(positive(1.0, 5.0)),
            "cap": draw(st.none() | positive(0.0, 1e6)),
        },
        "sales_team": {
            "reps": draw(st.integers(1, 2000)),
            "hours_per_rep": draw(positive(1.0, 3000.0)),
            "base_salary": base_salary,
            "on_target_earnings": base_salary + draw(positive(1.0, 3e5)),
            "attainment_spread": draw(positive(0.01, 2.0)),
            "habit": draw(positive(0.0, 1.0)),
            "quota_attainment_target": draw(positive(0.05, 1.0)),
        },
        "marketing": {
            "lead_generation": {
                pid: draw(positive(0.0, 1e7)) for pid in ids if draw(st.booleans())
            },
            "push_content": draw(positive(0.0, 1e7)),
            "push_content_scale": draw(positive(1.0, 1e7)),
            "push_content_productivity": draw(positive(0.0, 2.0)),
        },
        "goals": {
            "contribution": {"weight": draw(positive(0.0, 5.0)), "target": draw(positive(1, 1e9))},
            "new_product_share": {"weight": draw(positive(0.0, 5.0)), "target": 0.2},
            "gross_margin_pct": {"weight": 1.0, "target": draw(positive(0.01, 0.9))},
        },
    }
    return Scenario.model_validate(data)


@PROPERTY_SETTINGS
@given(scenarios())
def test_every_valid_scenario_gives_finite_outcomes_and_uses_all_hours(scenario):
    outcomes = evaluate(scenario)
    for field in fields(Outcomes):
        values = np.asarray(getattr(outcomes, field.name), dtype=float)
        assert np.isfinite(values).all(), field.name
    team_hours = scenario.sales_team.reps * scenario.sales_team.hours_per_rep
    for mix in (outcomes.hours, outcomes.pay_hours, outcomes.asked_hours):
        assert (mix >= 0).all()
        assert_allclose(mix.sum(axis=1), team_hours, rtol=1e-9)
    assert ((outcomes.share >= 0) & (outcomes.share <= 1)).all()
    assert 0 <= outcomes.goal_conflict[0] <= 1
    assert 0 <= outcomes.motivation[0] <= 100


@PROPERTY_SETTINGS
@given(scenarios(), st.data())
def test_raising_one_price_lowers_that_products_share_at_fixed_effort(scenario, data):
    i = data.draw(st.integers(0, len(scenario.products) - 1))
    demand = calibrate(scenario)
    plans = Plans.from_scenario(scenario)
    hours = np.array([[p.reference_hours for p in scenario.products]])
    dearer = plans.price.copy()
    dearer[0, i] *= data.draw(positive(1.01, 2.0))
    before = shares(demand, plans.price, hours, plans.lead_gen)[0, i]
    after = shares(demand, dearer, hours, plans.lead_gen)[0, i]
    assert after <= before
    saturated = before > 1 - 1e-12 or before < 1e-300  # shares at 0 or 1 to machine precision
    assert after < before or saturated


@PROPERTY_SETTINGS
@given(scenarios(), st.data())
def test_a_bigger_kicker_never_takes_hours_or_share_from_its_product(scenario, data):
    i = data.draw(st.integers(0, len(scenario.products) - 1))
    plans = Plans.from_scenario(scenario)
    richer = plans.kicker.copy()
    richer[0, i] += data.draw(positive(1.0, 1e3))
    both = Plans(
        price=np.repeat(plans.price, 2, 0),
        kicker=np.vstack([plans.kicker, richer]),
        lead_gen=np.repeat(plans.lead_gen, 2, 0),
        revenue_rate=np.repeat(plans.revenue_rate, 2),
        margin_rate=np.repeat(plans.margin_rate, 2),
        push_content=np.repeat(plans.push_content, 2),
    )
    outcomes = evaluate(scenario, both)
    team_hours = scenario.sales_team.reps * scenario.sales_team.hours_per_rep
    assert outcomes.hours[1, i] >= outcomes.hours[0, i] - 1e-6 * team_hours
    assert outcomes.share[1, i] >= outcomes.share[0, i] * (1 - 1e-6)


def set_path(data, path, value):
    *parents, last = path
    for key in parents:
        data = data[key]
    if value is DELETE:
        del data[last]
    else:
        data[last] = value


DELETE = object()

INVALID_EDITS = [
    (("products", 2, "reference_share"), 1.5, ["products[2].reference_share"]),
    (("products", 0, "price"), -10.0, ["products[0].price"]),
    (("products", 0, "price"), float("nan"), ["products[0].price"]),
    (("products", 0, "price"), "cheap", ["products[0].price"]),
    (("products", 1, "effort_elasticity"), 0.9, ["products[1]", "effort_elasticity"]),
    (("products", 0, "segment"), "nowhere", ["products[0].segment", "nowhere"]),
    (("products", 0, "colour"), "red", ["products[0].colour"]),
    (("products", 1, "id"), "pro", ["products", "'pro'", "twice"]),
    (("segments", 0, "size"), 0, ["segments[0].size"]),
    (("commission", "margin_rate"), 1.5, ["commission.margin_rate"]),
    (("commission", "kickers"), {"ghost": 10.0}, ["commission.kickers.ghost"]),
    (("commission", "accelerator"), 0.5, ["commission.accelerator"]),
    (("commission",), DELETE, ["commission"]),
    (("sales_team", "reps"), 0, ["sales_team.reps"]),
    (("sales_team", "on_target_earnings"), 50_000, ["sales_team", "on_target_earnings"]),
    (("goals", "new_product_share", "target"), 1.2, ["goals", "below 1"]),
    (("negotiation", "locked"), ["price.ghost"], ["negotiation.locked", "price.ghost"]),
    (("negotiation", "prices", "nova"), {"min": 900, "max": 500}, ["negotiation.prices.nova"]),
]


@pytest.mark.parametrize(("path", "value", "mentions"), INVALID_EDITS)
def test_invalid_scenario_is_refused_naming_the_field(launch_data, path, value, mentions):
    set_path(launch_data, path, value)
    with pytest.raises(ScenarioError) as refused:
        scenario_from_data(launch_data)
    message = "\n".join(refused.value.problems)
    for mention in mentions:
        assert mention in message


def test_segment_whose_shares_leave_no_room_for_competitors_is_refused(launch_data):
    launch_data["products"][0].update(reference_share=0.85, effort_elasticity=0.1)
    with pytest.raises(ScenarioError) as refused:
        scenario_from_data(launch_data)
    assert "segment 'mid_market'" in refused.value.problems[0]
    assert "below 1" in refused.value.problems[0]


NUMERIC_FIELDS_AND_BAD_VALUES = [
    ("reference_share", st.sampled_from([0.0, 1.0, -0.2, 3.0])),
    ("price", st.floats(-1e6, 0.0)),
    ("reference_price", st.floats(-1e6, 0.0)),
    ("price_elasticity", st.floats(-5.0, 0.0) | st.floats(20.5, 1e3)),
    ("reference_hours", st.floats(-1e6, 0.0)),
    ("unit_cost", st.floats(-1e6, -0.01)),
]


@PROPERTY_SETTINGS
@given(scenarios(), st.data())
def test_a_product_field_out_of_range_is_refused_naming_that_field(scenario, data):
    field, bad_values = data.draw(st.sampled_from(NUMERIC_FIELDS_AND_BAD_VALUES))
    i = data.draw(st.integers(0, len(scenario.products) - 1))
    edited = scenario.model_dump(mode="json")
    edited["products"][i][field] = data.draw(bad_values)
    with pytest.raises(ScenarioError) as refused:
        scenario_from_data(edited)
    assert any(f"products[{i}].{field}" in problem for problem in refused.value.problems)


@PROPERTY_SETTINGS
@given(scenarios(), st.data())
def test_more_content_budget_never_means_fewer_deals_influenced(scenario, data):
    plans = Plans.from_scenario(scenario)
    more = plans.push_content + data.draw(positive(1.0, 1e7))
    both = Plans(
        price=np.repeat(plans.price, 2, 0),
        kicker=np.repeat(plans.kicker, 2, 0),
        lead_gen=np.repeat(plans.lead_gen, 2, 0),
        revenue_rate=np.repeat(plans.revenue_rate, 2),
        margin_rate=np.repeat(plans.margin_rate, 2),
        push_content=np.concatenate([plans.push_content, more]),
    )
    outcomes = evaluate(scenario, both)
    assert outcomes.deals_influenced[1] >= outcomes.deals_influenced[0] * (1 - 1e-9)


@PROPERTY_SETTINGS
@given(scenarios())
def test_any_valid_scenario_survives_a_trip_through_yaml(scenario):
    assert load_scenario(dump_scenario(scenario)) == scenario
