"""Two scenarios side by side: every input and every outcome, with the differences marked."""

from __future__ import annotations

from typing import Any

import pandas as pd

from alignment import Scenario
from alignment.tables import TOTAL_COLUMNS
from workshop_ui import model
from workshop_ui.formatting import delta, format_value

# Story text differs between any two scenarios and says nothing about the plan.
_SKIPPED_INPUTS = ("metadata.description", "metadata.notes")


def flatten_inputs(scenario: Scenario) -> dict[str, Any]:
    """Every input as ``path: value``; products and segments by id; a missing kicker,
    lead-generation spend or value of a strategic unit as 0.

    Paths are those of :mod:`alignment.levers` (``products.nova.price``), so a difference
    names the field to change.
    """
    data = scenario.model_dump(mode="json")
    flat: dict[str, Any] = {}
    _flatten(data, "", flat)
    for product_id in scenario.product_ids:
        flat.setdefault(f"commission.kickers.{product_id}", 0.0)
        flat.setdefault(f"marketing.lead_generation.{product_id}", 0.0)
        if scenario.product(product_id).strategic:
            flat.setdefault(f"goals.strategic_value.{product_id}", 0.0)
    for path in _SKIPPED_INPUTS:
        flat.pop(path, None)
    return flat


def _flatten(node: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            _flatten(value, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(node, list) and node and all(isinstance(i, dict) and "id" in i for i in node):
        for item in node:
            _flatten({k: v for k, v in item.items() if k != "id"}, f"{prefix}.{item['id']}", out)
    elif isinstance(node, list):
        out[prefix] = ", ".join(str(i) for i in node) if node else "—"
    else:
        out[prefix] = node


def input_differences(a: Scenario, b: Scenario, labels: tuple[str, str]) -> pd.DataFrame:
    """Every input of either scenario: ``Field``, one column per scenario, ``Differs``."""
    left, right = flatten_inputs(a), flatten_inputs(b)
    fields = list(dict.fromkeys([*left, *right]))
    return pd.DataFrame(
        {
            "Field": fields,
            labels[0]: [_shown(left.get(f)) for f in fields],
            labels[1]: [_shown(right.get(f)) for f in fields],
            "Differs": [left.get(f) != right.get(f) for f in fields],
        }
    )


def outcome_differences(
    a: Scenario, b: Scenario, labels: tuple[str, str], status_quo: Scenario | None = None
) -> pd.DataFrame:
    """Every total of both scenarios, formatted: ``Outcome``, one column each, ``Change``.

    Each scenario's hours are anchored on ``status_quo`` where it is about the same products
    (as on every other page), else on the scenario itself.
    """
    first, second = model.total(a, status_quo), model.total(b, status_quo)
    rows = []
    for field, (label, kind) in TOTAL_COLUMNS.items():
        change = delta(second[field] - first[field], kind)
        rows.append(
            {
                "Outcome": label,
                labels[0]: format_value(first[field], kind),
                labels[1]: format_value(second[field], kind),
                "Change": "—" if change.color == "off" else change.text,
            }
        )
    settled = [_settled(model.converged(s, status_quo)) for s in (a, b)]
    rows.append(
        {
            "Outcome": "Reps' hours settled",
            labels[0]: settled[0],
            labels[1]: settled[1],
            "Change": "—" if settled[0] == settled[1] else settled[1],
        }
    )
    return pd.DataFrame(rows)


def _settled(converged: bool) -> str:
    return "yes" if converged else "no: figures approximate"


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.6g}"
    return str(value)
