"""The status quo and the proposals side by side, and what each party gains or gives up."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from alignment.compromise.explaining import Headline, headline
from alignment.compromise.formatting import format_value
from alignment.compromise.utilities import (
    LEADERSHIP_LABEL,
    REP_UTILITY_LABELS,
    REP_UTILITY_NOUNS,
    REP_UTILITY_UNITS,
    RepUtility,
    check_rep_utility,
    check_same_products,
    value_in_working,
)
from alignment.evaluate import Outcomes, calibrated
from alignment.scenario import Scenario

Section = Literal["Inputs", "Outcomes", "Utility"]


@dataclass(frozen=True)
class ComparisonRow:
    key: str
    label: str
    section: Section
    unit: str  # "money", "per_unit", "rate", "fraction", "score", "units", "hours"
    values: tuple[float | None, ...]  # one per scenario, status quo first


@dataclass(frozen=True)
class PartyChange:
    """What each party gains (positive) or gives up (negative) in a proposal vs the status quo."""

    name: str
    leadership: float  # change in leadership's value, money per period
    reps: float  # change in the reps' utility
    difference: Headline  # every headline number, proposal − status quo
    summary: str


@dataclass(frozen=True, eq=False)
class Comparison:
    """The status quo and proposals side by side: inputs, outcomes and each party's utility."""

    names: tuple[str, ...]  # status quo first; made unique
    rep_utility: RepUtility
    rows: tuple[ComparisonRow, ...]
    headlines: tuple[Headline, ...]
    outcomes: tuple[Outcomes, ...]  # one plan each, status quo first
    changes: tuple[PartyChange, ...]  # one per proposal

    def table(self) -> pd.DataFrame:
        """One row per input or outcome (index: key), one column per scenario, plus labels."""
        return pd.DataFrame(
            [[row.section, row.label, row.unit, *row.values] for row in self.rows],
            columns=["section", "label", "unit", *self.names],
            index=pd.Index([row.key for row in self.rows], name="item"),
        )

    def changes_table(self) -> pd.DataFrame:
        """One row per proposal: each party's signed change and every headline difference."""
        return pd.DataFrame(
            [
                {"leadership": c.leadership, "reps": c.reps, **c.difference.__dict__}
                for c in self.changes
            ],
            index=pd.Index([c.name for c in self.changes], name="proposal"),
        )


def compare(
    status_quo: Scenario,
    proposals: Sequence[Scenario],
    rep_utility: RepUtility = "rep_utility",
    *,
    working: Scenario | None = None,
) -> Comparison:
    """Lay the status quo and each proposal side by side and say who gains what.

    Every plan is valued in ``working`` (default: the status quo): its market, team, goals and
    ``λ``, with selling hours relative to the status quo's motivation — one yardstick for all,
    as in the search. The inputs are each scenario's own plan.
    """
    check_rep_utility(rep_utility)
    valued_in = working if working is not None else status_quo
    scenarios = [status_quo, *proposals]
    check_same_products(valued_in, status_quo)
    for i, proposal in enumerate(proposals):
        check_same_products(status_quo, proposal, f"proposals[{i}]")
    demand = calibrated(valued_in, status_quo)
    outcomes = [value_in_working(valued_in, s, demand=demand) for s in scenarios]
    names = _unique_names([s.metadata.name for s in scenarios])
    rows = _input_rows(scenarios) + _outcome_rows(outcomes, rep_utility)
    headlines = tuple(headline(o) for o in outcomes)
    changes = []
    for name, after in zip(names[1:], headlines[1:], strict=True):
        difference = after.minus(headlines[0])
        reps = getattr(difference, rep_utility)
        changes.append(
            PartyChange(
                name=name,
                leadership=difference.leadership_value,
                reps=reps,
                difference=difference,
                summary=_change_summary(difference.leadership_value, reps, rep_utility),
            )
        )
    return Comparison(
        names=tuple(names),
        rep_utility=rep_utility,
        rows=tuple(rows),
        headlines=headlines,
        outcomes=tuple(outcomes),
        changes=tuple(changes),
    )


def _input_rows(scenarios: list[Scenario]) -> list[ComparisonRow]:
    def row(key: str, label: str, unit: str, value: Callable[[Scenario], float]) -> ComparisonRow:
        return ComparisonRow(key, label, "Inputs", unit, tuple(value(s) for s in scenarios))

    products = scenarios[0].products
    rows = [
        *(row(f"price.{p.id}", f"{p.name} price", "money", _price_of(p.id)) for p in products),
        *(
            row(f"kicker.{p.id}", f"{p.name} kicker", "per_unit", _kicker_of(p.id))
            for p in products
        ),
        row("revenue_rate", "Revenue rate", "rate", lambda s: s.commission.revenue_rate),
        row("margin_rate", "Margin rate", "rate", lambda s: s.commission.margin_rate),
        row("quota.per_rep", "Quota per rep", "money", lambda s: s.commission.quota.per_rep),
        *(
            row(f"lead_generation.{p.id}", f"{p.name} lead generation", "money", _leads_of(p.id))
            for p in products
        ),
        row("push_content", "Push content", "money", lambda s: s.marketing.push_content),
    ]
    # A kicker or lead-generation budget no scenario uses is noise in the table.
    optional = ("kicker.", "lead_generation.")
    return [r for r in rows if not r.key.startswith(optional) or any(r.values)]


def _price_of(product_id: str) -> Callable[[Scenario], float]:
    return lambda s: s.product(product_id).price


def _kicker_of(product_id: str) -> Callable[[Scenario], float]:
    return lambda s: s.commission.kickers.get(product_id, 0.0)


def _leads_of(product_id: str) -> Callable[[Scenario], float]:
    return lambda s: s.marketing.lead_generation.get(product_id, 0.0)


OUTCOME_ROWS: dict[str, tuple[str, str]] = {
    "total_revenue": ("Revenue", "money"),
    "total_gross_margin": ("Gross margin", "money"),
    "gross_margin_pct": ("Gross margin %", "fraction"),
    "commission_cost": ("Commission cost", "money"),
    "contribution": ("Contribution", "money"),
    "new_product_share": ("New-product share", "fraction"),
    "goal_conflict": ("Goal conflict", "fraction"),
    "team_hours": ("Total selling hours", "hours"),
    "expected_earnings": ("Expected earnings per rep", "money"),
    "effort_cost": ("Cost of effort per rep", "money"),
    "rep_utility": ("Earnings less the cost of effort, per rep", "money"),
    "motivation": ("Rep motivation", "score"),
}


def _outcome_rows(outcomes: list[Outcomes], rep_utility: RepUtility) -> list[ComparisonRow]:
    rows = [
        ComparisonRow(key, label, "Outcomes", unit, tuple(_first(o, key) for o in outcomes))
        for key, (label, unit) in OUTCOME_ROWS.items()
    ]
    rows += [
        ComparisonRow(
            "utility.leadership", f"{LEADERSHIP_LABEL} (per period)", "Utility", "money",
            tuple(_first(o, "leadership_value") for o in outcomes),
        ),
        ComparisonRow(
            "utility.reps", f"Reps' utility ({REP_UTILITY_LABELS[rep_utility].lower()})",
            "Utility", REP_UTILITY_UNITS[rep_utility],
            tuple(_first(o, rep_utility) for o in outcomes),
        ),
    ]  # fmt: skip
    return rows


def _first(outcomes: Outcomes, name: str) -> float:
    return float(getattr(outcomes, name)[0])


def _change_summary(leadership: float, reps: float, rep_utility: RepUtility) -> str:
    """E.g. ``"Leadership gains 120,000 of value per period; reps give up 800 of earnings less
    the cost of effort per rep."``"""
    lead = _phrase("leadership", leadership, "money", "of value per period")
    unit = REP_UTILITY_UNITS[rep_utility]
    noun = REP_UTILITY_NOUNS[rep_utility]
    what = f"of {noun} per rep" if unit == "money" else f"points of {noun}"
    rep = _phrase("reps", reps, unit, what)
    return f"{lead[0].upper()}{lead[1:]}; {rep}."


def _phrase(party: str, change: float, unit: str, what: str) -> str:
    singular = party == "leadership"
    if abs(change) < (0.05 if unit == "score" else 0.5):
        return f"{party} {'is' if singular else 'are'} unchanged"
    amount = format_value(abs(change), unit).removesuffix(" / 100")
    if change > 0:
        verb = "gains" if singular else "gain"
    else:
        verb = "gives up" if singular else "give up"
    return f"{party} {verb} {amount} {what}"


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return unique
