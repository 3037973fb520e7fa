"""A plan in plain words: the levers that moved, and the numbers a room looks at first."""

from __future__ import annotations

from dataclasses import dataclass, fields

from alignment.compromise.bargaining import Deal, SearchResult, utilities_text
from alignment.compromise.formatting import format_value, trim_decimals
from alignment.compromise.utilities import check_same_products, value_in_working
from alignment.evaluate import Outcomes, apply_plan, evaluate
from alignment.scenario import Scenario


@dataclass(frozen=True)
class Headline:
    """The numbers a room looks at first. Money per period (per rep for the reps' figures);
    motivation 0–100; shares as fractions."""

    leadership_value: float
    rep_utility: float
    motivation: float
    expected_earnings: float
    contribution: float
    new_product_share: float
    gross_margin_pct: float

    def minus(self, other: Headline) -> Headline:
        """Signed differences, ``self − other``."""
        return Headline(
            **{f.name: getattr(self, f.name) - getattr(other, f.name) for f in fields(self)}
        )


HEADLINE_LABELS: dict[str, tuple[str, str]] = {
    "leadership_value": ("Leadership's value (per period)", "money"),
    "rep_utility": ("Reps' earnings less the cost of effort (per rep)", "money"),
    "motivation": ("Rep motivation", "score"),
    "expected_earnings": ("Expected earnings per rep", "money"),
    "contribution": ("Contribution", "money"),
    "new_product_share": ("New-product share", "fraction"),
    "gross_margin_pct": ("Gross margin %", "fraction"),
}


def headline(outcomes: Outcomes, plan: int = 0) -> Headline:
    """The headline numbers of one evaluated plan."""
    return Headline(**{name: float(getattr(outcomes, name)[plan]) for name in HEADLINE_LABELS})


@dataclass(frozen=True)
class Move:
    """One lever that differs between two scenarios."""

    lever: str
    label: str
    unit: str  # "money", "per_unit", "rate", "multiple"
    before: float | None  # None: no value (e.g. no cap)
    after: float | None

    @property
    def text(self) -> str:
        """E.g. ``"Nova price 600 → 650"`` or ``"Margin rate 8.0 % → 6.5 %"``."""
        suffix = " per unit" if self.unit == "per_unit" else ""
        return f"{self.label} {_move_value(self.before, self.unit)} → " + (
            f"{_move_value(self.after, self.unit)}{suffix}"
        )


@dataclass(frozen=True)
class Explanation:
    """A deal in plain words: the levers that moved, and the headline numbers before and after."""

    moves: tuple[Move, ...]
    before: Headline
    after: Headline

    @property
    def lines(self) -> list[str]:
        return [move.text for move in self.moves]

    @property
    def change(self) -> Headline:
        return self.after.minus(self.before)


# Smallest change worth telling the room about, by unit: money, money per unit, rates, ×.
_MEANINGFUL = {"money": 0.5, "per_unit": 0.5, "rate": 0.0005, "multiple": 0.005}


def lever_moves(before: Scenario, after: Scenario) -> tuple[Move, ...]:
    """Every plan lever that moved meaningfully from ``before`` to ``after``.

    Prices (moves under 0.2 % are left out), kickers, commission rates (under 0.05 points),
    quota, accelerator, cap, lead generation and push content.
    """
    return tuple(term for term in plan_terms(before, after) if _is_meaningful(term))


def _is_meaningful(move: Move) -> bool:
    if move.before is None or move.after is None:
        return move.before != move.after
    threshold = _MEANINGFUL[move.unit]
    if move.lever.startswith("price."):
        threshold = max(threshold, 0.002 * abs(move.before))
    return abs(move.after - move.before) >= threshold


def plan_terms(before: Scenario, after: Scenario) -> tuple[Move, ...]:
    """Every plan lever of two scenarios of the same products, moved or not.

    Prices, kickers, commission rates, quota, accelerator, cap, lead generation, push content.
    """
    check_same_products(before, after, "after")
    return tuple(Move(*term) for term in _plan_terms(before, after))


def _plan_terms(
    before: Scenario, after: Scenario
) -> list[tuple[str, str, str, float | None, float | None]]:
    terms: list[tuple[str, str, str, float | None, float | None]] = []
    for old, new in zip(before.products, after.products, strict=True):
        terms.append((f"price.{new.id}", f"{new.name} price", "money", old.price, new.price))
    for p in after.products:
        terms.append(
            (f"kicker.{p.id}", f"{p.name} kicker", "per_unit",
             before.commission.kickers.get(p.id, 0.0), after.commission.kickers.get(p.id, 0.0))
        )  # fmt: skip
    b, a = before.commission, after.commission
    terms += [
        ("revenue_rate", "Revenue rate", "rate", b.revenue_rate, a.revenue_rate),
        ("margin_rate", "Margin rate", "rate", b.margin_rate, a.margin_rate),
        ("quota.per_rep", "Quota per rep", "money", b.quota.per_rep, a.quota.per_rep),
        ("accelerator", "Accelerator", "multiple", b.accelerator, a.accelerator),
        ("cap", "Pay cap per rep", "money", b.cap, a.cap),
    ]
    for p in after.products:
        terms.append(
            (f"lead_generation.{p.id}", f"{p.name} lead generation", "money",
             before.marketing.lead_generation.get(p.id, 0.0),
             after.marketing.lead_generation.get(p.id, 0.0))
        )  # fmt: skip
    terms.append(
        ("push_content", "Push content", "money", before.marketing.push_content,
         after.marketing.push_content)
    )  # fmt: skip
    return terms


def _move_value(value: float | None, unit: str) -> str:
    if value is None:
        return "none"
    if unit == "rate":
        return format_value(value, "rate")
    if unit == "multiple":
        return f"{trim_decimals(value, 2)}×"
    return format_value(value, "money")


def explain(before: Scenario, after: Scenario) -> Explanation:
    """How ``after`` differs from ``before``: the moved levers and both headlines.

    Both plans are valued in ``after`` (its market, team, goals and ``λ``), with selling hours
    relative to ``before``'s motivation: ``before`` is the status quo.
    """
    return Explanation(
        moves=lever_moves(before, after),
        before=headline(value_in_working(after, before, before)),
        after=headline(evaluate(after, status_quo=before)),
    )


def explain_deal(
    result: SearchResult, deal: Deal, working: Scenario, baseline: Scenario
) -> Explanation:
    """The deal as moves from ``baseline`` (the status quo or a proposal), with headlines.

    ``baseline``'s plan is valued in the working scenario like every candidate.
    """
    return Explanation(
        moves=lever_moves(baseline, apply_plan(working, result.plans, deal.index)),
        before=headline(value_in_working(working, baseline, demand=result.demand)),
        after=headline(result.outcomes, deal.index),
    )


def deal_scenario(
    result: SearchResult, deal: Deal, working: Scenario, baseline: Scenario | None = None
) -> Scenario:
    """The working scenario with the deal's plan, named and annotated for the room.

    The notes list the moves from ``baseline`` (default: the working scenario) and both
    parties' utilities.
    """
    scenario = apply_plan(working, result.plans, deal.index)
    moves = lever_moves(baseline if baseline is not None else working, scenario)
    notes = [
        f"{deal.label}, "
        + (
            f"optimised over the negotiable levers ({len(result.plans):,} plans weighed)."
            if result.sampled_count < len(result.plans)
            else f"the best of {len(result.plans):,} sampled plans."
        ),
        f"At the deal: {utilities_text(result.utilities(deal.index), result.rep_utility)}; "
        f"at the status quo: {utilities_text(result.status_quo, result.rep_utility)}.",
        "Moves: " + ("; ".join(m.text for m in moves) if moves else "none") + ".",
    ]
    metadata = scenario.metadata.model_copy(
        update={
            "name": _short(f"{deal.label}: {working.metadata.name}", 200),
            "notes": _short("\n".join(notes), 5000),
        }
    )
    return scenario.model_copy(update={"metadata": metadata})


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
