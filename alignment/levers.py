"""Moving one lever of a scenario: read a field, set it, get back a new validated scenario.

A field is named by a dotted path through the scenario's sections. Lists of items with an
``id`` (``products``, ``segments``) are indexed by that id, mappings by their key:

- ``products.nova.price`` — Nova's price, money per unit
- ``commission.kickers.nova`` — Nova's kicker, money per unit sold
- ``commission.margin_rate`` — a fraction (0.08 is 8 %)
- ``goals.new_product_share.target`` — a fraction
- ``marketing.lead_generation.nova`` — money per period
- ``goals.strategic_value.nova`` — what one more Nova unit is worth to leadership beyond its
  margin, money per unit; ``goals.strategic_value_reason`` — the sentence saying why
- ``goals.new_product_share.hard`` — whether deals must meet that target, true or false
- ``sales_team.effort_response`` — how strongly total selling time follows motivation (ζ)
- ``products.nova.unassisted_share`` — the fraction of Nova's units that sell with no selling
  hours (u0)

Kickers, lead-generation spend and strategic values that are absent read as 0, and setting them
to 0 removes the entry, so a scenario has one spelling for "none".
"""

from __future__ import annotations

from typing import Any

import numpy as np

from alignment.evaluate import Outcomes
from alignment.scenario import Scenario
from alignment.scenario_io import scenario_from_data

# Mappings by product id where a missing entry means 0 (MODEL.md §2 b_i, §6 m_i, §4 λ_i).
_ZERO_DEFAULT_MAPPINGS = frozenset({"kickers", "lead_generation", "strategic_value"})


def value_at(scenario: Scenario, path: str) -> Any:
    """The value of the field at ``path``; a missing kicker, lead-generation spend or strategic
    value is 0.0.

    Raises
    ------
    KeyError
        If ``path`` names no field of the scenario.
    """
    parent, last, mapping_name = _walk(scenario.model_dump(mode="python"), path)
    if isinstance(parent, dict) and last not in parent and mapping_name in _ZERO_DEFAULT_MAPPINGS:
        return 0.0
    return _child(parent, last, path)


def with_value(scenario: Scenario, path: str, value: Any) -> Scenario:
    """The scenario with the field at ``path`` set to ``value``, validated as a whole.

    Raises
    ------
    alignment.ScenarioError
        If the result is not a valid scenario; ``problems`` name each field and the fix.
    KeyError
        If ``path`` names no field of the scenario.
    """
    return with_values(scenario, {path: value})


def with_values(scenario: Scenario, changes: dict[str, Any]) -> Scenario:
    """The scenario with every ``path: value`` of ``changes`` applied, validated once at the end.

    Use it when fields must move together (e.g. a cap and whether there is one), where setting
    one at a time would pass through an invalid scenario.
    """
    data = scenario.model_dump(mode="python")
    for path, value in changes.items():
        parent, last, mapping_name = _walk(data, path)
        if mapping_name in _ZERO_DEFAULT_MAPPINGS:
            if value == 0:
                parent.pop(last, None)
            else:
                parent[last] = value
        else:
            _child(parent, last, path)  # an unknown field is a programming error, not input
            parent[last] = value
    return scenario_from_data(data, "scenario")


def rep_pay_at_attainment(
    scenario: Scenario, outcomes: Outcomes, attainment: np.ndarray, plan: int = 0
) -> np.ndarray:
    """Variable pay of one rep at each quota ``attainment`` under the plan (MODEL.md §2).

    As :func:`alignment.commission.team_payout` pays reps: a rep at attainment ``a`` sells
    ``a / A`` of the average rep's volume (``A`` the team's expected attainment) and earns

        p̄ · (a / A + (accelerator − 1) · max(a / A − 1 / A, 0)),   at most the cap,

    where ``p̄`` is the plan's plain commission per rep (before accelerator and cap): plain
    commission on all their volume, and the accelerator's extra on the part above quota.

    Parameters
    ----------
    attainment : quota attainment, 1.0 = at quota, any shape, ≥ 0.

    Returns
    -------
    Money per rep per period, same shape as ``attainment``.
    """
    terms = scenario.commission
    team_attainment = float(outcomes.expected_attainment[plan])
    attainment = np.asarray(attainment, dtype=float)
    if team_attainment <= 0.0:
        return np.zeros_like(attainment)
    plain_per_rep = (
        float((outcomes.commission_per_unit[plan] * outcomes.units[plan]).sum())
        / scenario.sales_team.reps
    )
    volume = attainment / team_attainment
    at_quota = 1.0 / team_attainment
    pay = plain_per_rep * (volume + (terms.accelerator - 1.0) * np.maximum(volume - at_quota, 0.0))
    return pay if terms.cap is None else np.minimum(pay, terms.cap)


def _walk(data: dict[str, Any], path: str) -> tuple[Any, str, str]:
    """The container holding the last part of ``path``, that part, and the container's name."""
    parts = path.split(".")
    node: Any = data
    name = ""
    for part in parts[:-1]:
        node = (
            node[_index_of(node, part, path)]
            if isinstance(node, list)
            else _child(node, part, path)
        )
        name = part
    return node, parts[-1], name


def _child(node: Any, part: str, path: str) -> Any:
    if not isinstance(node, dict) or part not in node:
        raise KeyError(f"{path}: no field {part!r} in the scenario")
    return node[part]


def _index_of(items: list[Any], item_id: str, path: str) -> int:
    for index, item in enumerate(items):
        if isinstance(item, dict) and item.get("id") == item_id:
            return index
    raise KeyError(f"{path}: no item with id {item_id!r}")
