"""Two plans side by side: the plans a room can pick, and the comparison as tables.

The words and the figures come from :mod:`alignment.plan_compare`; this module evaluates both
plans the way every page does (hours anchored on the status quo where a plan is about its
products), lists the plans on offer, and turns the comparison into tables for the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from alignment import Scenario
from alignment.plan_compare import FigureChange, PlanComparison, compare_plans, flatten_inputs
from alignment.storage import StoredScenario
from alignment.tables import TOTAL_COLUMNS
from alignment.units import Units
from workshop_ui import layout, model
from workshop_ui.compromise_proposals import proposal_labels
from workshop_ui.library import ShippedScenario

__all__ = [
    "AFTER",
    "BEFORE",
    "STATUS_QUO",
    "WORKING",
    "Choice",
    "compare",
    "figure_table",
    "flatten_inputs",
    "input_differences",
    "outcome_differences",
    "plan_choices",
]

STATUS_QUO, WORKING = "status_quo", "working"
BEFORE, AFTER = "Before", "After"


@dataclass(frozen=True)
class Choice:
    """A plan the room can put on one side: its label in the picker and its scenario."""

    label: str
    scenario: Scenario
    kind: str  # "status quo", "working plan", "proposal", "saved", "shipped"


def plan_choices(
    working: Scenario,
    status_quo: Scenario,
    proposals: Sequence[StoredScenario] = (),
    saved: Sequence[StoredScenario] = (),
    shipped: Sequence[ShippedScenario] = (),
) -> dict[str, Choice]:
    """Every plan on offer by a stable key (``proposal:<key>``, ``shipped:<file stem>``):
    the status quo, the working plan, the room's proposals and saved scenarios, the shipped
    scenarios (the remedies among them)."""
    choices = {
        STATUS_QUO: Choice("Status quo", status_quo, "status quo"),
        WORKING: Choice("Your working plan", working, "working plan"),
    }
    for key, label in proposal_labels(proposals).items():
        scenario = next(p.scenario for p in proposals if p.key == key)
        choices[f"proposal:{key}"] = Choice(f"Proposal: {label}", scenario, "proposal")
    for item in saved:
        meta = item.scenario.metadata
        who = layout.plain(meta.author) or "no author"
        label = f"Saved: {layout.plain(meta.name)} ({who}, {item.saved_at:%d %b %H:%M})"
        choices[f"saved:{item.key}"] = Choice(label, item.scenario, "saved")
    for item in shipped:
        label = f"Shipped: {layout.plain(item.name)}"
        choices[f"shipped:{item.path.stem}"] = Choice(label, item.scenario, "shipped")
    return choices


def compare(before: Scenario, after: Scenario, status_quo: Scenario) -> PlanComparison:
    """Both plans evaluated as on every page, then compared."""
    return compare_plans(
        (before, model.outcomes(before, status_quo)), (after, model.outcomes(after, status_quo))
    )


def figure_table(rows: Sequence[FigureChange], name: str = "Outcome") -> pd.DataFrame:
    """``name``, ``Before``, ``After``, ``Change`` (with ▲ / ▼ / =), ``Leadership``,
    ``Reps``: each verdict in words, "—" where it is not clear."""
    return pd.DataFrame(
        {
            name: [row.label for row in rows],
            BEFORE: [row.before_text for row in rows],
            AFTER: [row.after_text for row in rows],
            "Change": [row.cue for row in rows],
            "Leadership": [row.leadership or "—" for row in rows],
            "Reps": [row.reps or "—" for row in rows],
        }
    )


def input_differences(
    comparison: PlanComparison, labels: tuple[str, str] = (BEFORE, AFTER)
) -> pd.DataFrame:
    """Every input of either plan in words: ``Input``, one column per plan, ``Differs``; those
    both plans have first, then those of one plan only."""
    rows = sorted(comparison.inputs, key=lambda row: not row.in_both)
    return pd.DataFrame(
        {
            "Input": [row.label for row in rows],
            labels[0]: [row.before_text for row in rows],
            labels[1]: [row.after_text for row in rows],
            "Differs": [row.differs for row in rows],
        }
    )


def outcome_differences(
    a: Scenario, b: Scenario, labels: tuple[str, str], status_quo: Scenario | None = None
) -> pd.DataFrame:
    """Every total of both scenarios, each in its own currency: ``Outcome``, one column each,
    ``Change`` ("—" where it rounds to nothing or the money is in other units).

    Each scenario's hours are anchored on ``status_quo`` where it is about the same products
    (as on every other page), else on the scenario itself.
    """
    first, second = model.total(a, status_quo), model.total(b, status_quo)
    sides = (Units.of(a), Units.of(b))
    rows = []
    for field, (label, kind) in TOTAL_COLUMNS.items():
        unit = "units" if kind == "units" else kind
        change = second[field] - first[field]
        comparable = sides[0] == sides[1] or unit != "money"
        rows.append(
            {
                "Outcome": label,
                labels[0]: sides[0].figure(first[field], unit),
                labels[1]: sides[1].figure(second[field], unit),
                "Change": sides[1].figure(change, unit, change=True)
                if comparable and abs(change) >= _SHOWN_CHANGE.get(unit, 0.5)
                else "—",
            }
        )
    settled = [
        "yes" if model.converged(s, status_quo) else "no: figures approximate" for s in (a, b)
    ]
    rows.append(
        {"Outcome": "Reps' hours settled", labels[0]: settled[0], labels[1]: settled[1],
         "Change": "—" if settled[0] == settled[1] else settled[1]}
    )  # fmt: skip
    return pd.DataFrame(rows)


# Changes smaller than these round to nothing in their format.
_SHOWN_CHANGE = {"fraction": 0.0005, "ratio": 0.0005, "score": 0.05}
