"""Plans evaluated over draws of the uncertain inputs (MODEL.md §10).

A draw is one value for every uncertain parameter (:mod:`alignment.uncertainty_inputs`): the
market and team as they might really be. Each draw is calibrated afresh, so at today's prices,
hours and marketing every draw reproduces today's shares; what differs is how the market and
the reps respond to everything else.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from alignment.evaluate import Outcomes, Plans, calibrated, evaluate
from alignment.scenario import Scenario
from alignment.uncertainty_inputs import UncertainParameter


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


def evaluate_draws(
    scenario: Scenario,
    plans: Plans,
    parameters: Sequence[UncertainParameter],
    values: np.ndarray,
    *,
    status_quo: Scenario | None = None,
) -> Outcomes:
    """Every plan under every draw: ``D × K`` outcomes, draw-major (draw ``d``, plan ``k`` at
    ``d × K + k``).

    ``values`` is ``(D, P)``, one column per parameter. Each draw applies to the scenario and to
    the status quo alike (the status quo's motivation, at which reps put in today's hours, is
    recomputed in each draw).
    """
    values = np.atleast_2d(np.asarray(values, dtype=float))
    if values.shape[1] != len(parameters):
        raise ValueError(
            f"values: {values.shape[1]} columns for {len(parameters)} parameters; give one "
            "column per parameter"
        )
    results = []
    for row in values:
        drawn = with_values(scenario, parameters, row)
        base = None if status_quo is None else with_values(status_quo, parameters, row)
        results.append(evaluate(drawn, plans, calibrated(drawn, base)))
    return concatenate(results)


def concatenate(parts: Sequence[Outcomes]) -> Outcomes:
    """One batch of outcomes from several, in order."""
    first = parts[0]
    return type(first)(
        **{
            name: np.concatenate([getattr(part, name) for part in parts])
            for name in first.__dataclass_fields__
        }
    )
