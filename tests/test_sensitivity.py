"""Which assumption decides the deal: the Morris ranking of each side's gain (MODEL.md §10)."""

from __future__ import annotations

from pathlib import Path

import pytest

from alignment import load_scenario
from alignment.levers import with_value
from alignment.sensitivity import Influence, sensitivity_ranking, sentence
from alignment.uncertainty_inputs import (
    DEFAULT_SPREAD,
    ParameterRange,
    Uncertainty,
    uncertain_parameters,
)

ROOT = Path(__file__).resolve().parents[1]
PATHS = 4  # Morris trajectories: enough to rank a planted input, quick in a test


@pytest.fixture(scope="module")
def today():
    return load_scenario(ROOT / "scenarios" / "launch_conflict.yaml")


@pytest.fixture(scope="module")
def cheaper_nova(today):
    cheaper = with_value(today, "products.nova.price", today.product("nova").price * 0.85)
    return with_value(cheaper, "commission.kickers.nova", 300.0)


def with_uncertainty(scenario, **fields):
    return scenario.model_copy(update={"uncertainty": Uncertainty(**fields)})


def by_name(ranking):
    return {i.parameter.name: i for i in ranking.influences}


def test_the_ranking_finds_the_one_input_whose_range_is_wide(today, cheaper_nova):
    narrow = {kind: 0.01 for kind in DEFAULT_SPREAD} | {"habit": 0.003}  # habit: points
    wide = {"price_elasticity.nova": ParameterRange(low=1.5, high=4.5)}
    working = with_uncertainty(cheaper_nova, spread=narrow, ranges=wide)
    ranking = sensitivity_ranking(working, None, today, trajectories=PATHS, seed=1)
    assert ranking.influences[0].parameter.name == "price_elasticity.nova"
    assert ranking.top("leadership").parameter.name == "price_elasticity.nova"
    first, runner_up = ranking.influences[:2]
    assert first.leadership_share > 2 * runner_up.leadership_share
    assert ranking.top("reps").parameter.name == "price_elasticity.nova"
    assert "Nova (new)'s price elasticity" in ranking.sentence
    assert "a pricing test" in ranking.sentence


def test_an_input_known_exactly_ranks_last_with_no_influence(today, cheaper_nova):
    spread = {**DEFAULT_SPREAD, "effort_response": 0.0}
    working = with_uncertainty(cheaper_nova, spread=spread)
    ranking = sensitivity_ranking(working, None, today, trajectories=PATHS, seed=1)
    exact = by_name(ranking)["effort_response"]
    assert exact.leadership == exact.reps == 0.0
    assert exact.leadership_share == exact.reps_share == 0.0
    position = [i.parameter.name for i in ranking.influences].index("effort_response")
    assert all(i.leadership == i.reps == 0.0 for i in ranking.influences[position:])
    assert any(i.leadership > 0.0 for i in ranking.influences[:position])


def test_shares_are_normalised_per_side(today, cheaper_nova):
    ranking = sensitivity_ranking(cheaper_nova, None, today, trajectories=PATHS, seed=1)
    assert sum(i.leadership_share for i in ranking.influences) == pytest.approx(1.0)
    assert sum(i.reps_share for i in ranking.influences) == pytest.approx(1.0)
    assert len(ranking.influences) == len(uncertain_parameters(cheaper_nova))
    assert ranking.evaluations == PATHS * (len(ranking.influences) + 1)


def test_the_status_quo_has_nothing_to_rank(today):
    ranking = sensitivity_ranking(today, today, today, trajectories=PATHS)
    assert all(i.leadership == i.reps == 0.0 for i in ranking.influences)
    assert ranking.top("leadership") is None and ranking.top("reps") is None
    assert "does not move" in ranking.sentence


def test_the_same_seed_gives_the_same_ranking(today, cheaper_nova):
    first = sensitivity_ranking(cheaper_nova, None, today, trajectories=PATHS, seed=5)
    again = sensitivity_ranking(cheaper_nova, None, today, trajectories=PATHS, seed=5)
    assert first == again


def test_too_few_trajectories_are_refused_naming_the_field(today):
    with pytest.raises(ValueError, match="trajectories"):
        sensitivity_ranking(today, trajectories=1)


def influence(scenario, name, leadership, reps):
    parameter = next(p for p in uncertain_parameters(scenario) if p.name == name)
    phrase = {"habit": "the reps' habit", "effort_elasticity.nova": "Nova's selling-hours "
              "elasticity", "price_elasticity.nova": "Nova's price elasticity"}[name]  # fmt: skip
    return Influence(parameter, phrase, leadership, reps, leadership, reps)


def test_the_sentence_names_each_sides_input_and_what_would_narrow_it(today):
    split = (influence(today, "price_elasticity.nova", 0.7, 0.1),
             influence(today, "habit", 0.3, 0.9))  # fmt: skip
    said = sentence(split, "The deal")
    assert said.startswith("The deal's value to leadership depends most on Nova's price")
    assert "to the reps on the reps' habit" in said
    assert "a pricing test" in said and "asking the reps, or a pilot" in said
    shared = (influence(today, "effort_elasticity.nova", 0.8, 0.8),)
    assert sentence(shared, "The deal") == (
        "The deal's value to both sides depends most on Nova's selling-hours elasticity; "
        "narrowing it is worth tracking selling hours against deals won."
    )
