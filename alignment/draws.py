"""Plans evaluated over draws of the uncertain inputs (MODEL.md §10).

A draw is one value for every uncertain parameter (:mod:`alignment.uncertainty_inputs`): the
market and team as they might really be. Each draw is calibrated afresh, so at today's prices,
hours and marketing every draw reproduces today's shares; what differs is how the market and
the reps respond to everything else.

The draws are evaluated together: the demand's coefficients and the team's habit and effort
response carry a leading axis, one row per draw and plan, so ``D`` draws of ``K`` plans are one
batch of ``D × K`` plans for the solver.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from alignment.demand import Demand, calibrate_responses
from alignment.evaluate import Outcomes, Plans, _solve, evaluate
from alignment.scenario import Scenario
from alignment.uncertainty_inputs import PRODUCT_KINDS, TEAM_KINDS, UncertainParameter


def with_values(
    scenario: Scenario, parameters: Sequence[UncertainParameter], values: np.ndarray
) -> Scenario:
    """``scenario`` with each parameter set to its value in ``values`` ``(P,)``.

    The values come from the parameters' own ranges, which stay inside what the model accepts,
    so the copy is not validated again.
    """
    products = {p.id: {} for p in scenario.products}
    team: dict[str, float] = {}
    for parameter, value in zip(parameters, values, strict=True):
        if parameter.product is None:
            team[parameter.kind] = float(value)
        else:
            products[parameter.product][parameter.kind] = float(value)
    return scenario.model_copy(
        update={
            "products": [p.model_copy(update=products[p.id]) for p in scenario.products],
            "sales_team": scenario.sales_team.model_copy(update=team),
        }
    )


def drawn_demand(
    scenario: Scenario, parameters: Sequence[UncertainParameter], values: np.ndarray
) -> Demand:
    """The scenario's demand calibrated once per draw, coefficients ``(D, N)``, with the team's
    habit and effort response per draw ``(D,)``; ``values`` is ``(D, P)``."""
    draws = values.shape[0]
    ids = scenario.product_ids
    responses = {
        kind: np.tile([float(getattr(p, kind)) for p in scenario.products], (draws, 1))
        for kind in PRODUCT_KINDS
    }
    team = {kind: np.full(draws, float(getattr(scenario.sales_team, kind))) for kind in TEAM_KINDS}
    for column, parameter in enumerate(parameters):
        if parameter.product is None:
            team[parameter.kind] = values[:, column].copy()
        else:
            responses[parameter.kind][:, ids.index(parameter.product)] = values[:, column]
    demand = calibrate_responses(scenario, **responses)
    return replace(demand, habit=team["habit"], effort_response=team["effort_response"])


def evaluate_draws(
    scenario: Scenario,
    plans: Plans,
    parameters: Sequence[UncertainParameter],
    values: np.ndarray,
    *,
    status_quo: Scenario | None = None,
) -> Outcomes:
    """Every plan under every draw: ``D × K`` outcomes, draw-major (draw ``d``, plan ``k`` at
    ``d × K + k``), without marketing's counterfactuals (NaN: no use of the draws reads them).

    ``values`` is ``(D, P)``, one column per parameter. Each draw applies to the scenario and to
    the status quo alike (the status quo's motivation, at which reps put in today's hours, is
    recomputed in each draw: one batch of ``D`` status-quo plans).
    """
    values = np.atleast_2d(np.asarray(values, dtype=float))
    if values.shape[1] != len(parameters):
        raise ValueError(
            f"values: {values.shape[1]} columns for {len(parameters)} parameters; give one "
            "column per parameter"
        )
    draws, k = values.shape[0], len(plans)
    demand = drawn_demand(scenario, parameters, values)
    base = status_quo if status_quo is not None else scenario
    base_demand = demand if base is scenario else drawn_demand(base, parameters, values)
    every_draw = np.zeros(draws, dtype=int)
    today = _solve(
        base, Plans.from_scenario(base).take(every_draw), base_demand, None, counterfactuals=False
    )
    by_draw = np.repeat(np.arange(draws), k)
    batch = replace(demand, reference_motivation=today.motivation).take(by_draw)
    return evaluate(
        scenario, plans.take(np.tile(np.arange(k), draws)), batch, counterfactuals=False
    )
