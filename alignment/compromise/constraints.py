"""Hard limits a deal must meet: those the room types, and the goals marked ``hard``."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from alignment.compromise.formatting import format_value
from alignment.evaluate import Outcomes
from alignment.scenario import Scenario


@dataclass(frozen=True)
class Constraints:
    """Hard limits a candidate must meet before it can be on the frontier (``None``: no limit).

    Shares and margin % are fractions; contribution is money per period; motivation 0–100.
    """

    min_gross_margin_pct: float | None = None
    min_new_product_share: float | None = None
    min_contribution: float | None = None
    min_motivation: float | None = None

    def satisfied(self, outcomes: Outcomes) -> np.ndarray:
        """Which plans meet every limit, ``(K,)`` bool."""
        ok = np.ones(outcomes.contribution.shape[0], dtype=bool)
        for name, minimum in self.limits().items():
            ok &= getattr(outcomes, CONSTRAINT_OUTCOMES[name]) >= minimum
        return ok

    def limits(self) -> dict[str, float]:
        """The active limits by field name."""
        return {
            f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None
        }

    def tightened(self, other: Constraints) -> Constraints:
        """Both sets of limits at once: for each, the stricter of the two."""
        mine, theirs = self.limits(), other.limits()
        return Constraints(
            **{
                name: max(v for v in (mine.get(name), theirs.get(name)) if v is not None)
                for name in mine.keys() | theirs.keys()
            }
        )

    def describe(self) -> list[str]:
        """Each active limit in words, e.g. ``"Gross margin % ≥ 40.0 %"``."""
        return [
            f"{CONSTRAINT_LABELS[name][0]} ≥ {format_value(value, CONSTRAINT_LABELS[name][1])}"
            for name, value in self.limits().items()
        ]


CONSTRAINT_OUTCOMES = {
    "min_gross_margin_pct": "gross_margin_pct",
    "min_new_product_share": "new_product_share",
    "min_contribution": "contribution",
    "min_motivation": "motivation",
}
CONSTRAINT_LABELS = {
    "min_gross_margin_pct": ("Gross margin %", "fraction"),
    "min_new_product_share": ("New-product share", "fraction"),
    "min_contribution": ("Contribution", "money"),
    "min_motivation": ("Rep motivation", "score"),
}


def hard_goal_constraints(scenario: Scenario) -> Constraints:
    """The scenario's goals marked ``hard``, as limits every deal must meet (MODEL.md §4)."""
    goals = scenario.goals
    return Constraints(
        min_gross_margin_pct=goals.gross_margin_pct.target if goals.gross_margin_pct.hard else None,
        min_new_product_share=(
            goals.new_product_share.target if goals.new_product_share.hard else None
        ),
        min_contribution=goals.contribution.target if goals.contribution.hard else None,
    )
