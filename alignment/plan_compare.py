"""Two plans before and after: what differs, what it does, and the same in a few sentences.

Any two evaluated scenarios can be compared, the status quo against a proposal or a remedy, or
two plans about different products: what exists in one plan only is "not in this plan", and
money in two currencies (or per two periods) is shown but not subtracted.

Everything here is computed from the two plans, never typed, so the words cannot say one thing
while the numbers say another::

    comparison = compare_plans((status_quo, evaluate(status_quo)),
                               (remedy, evaluate(remedy, status_quo=status_quo)))
    comparison.paragraph
    # "The after plan raises Nova's kicker per unit sold from $0 to $40 and lowers the quota
    #  per rep from $220k to $190k. Nova's share rises from 2.8 % to 8.3 % (+5.5 pp); ..."
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from alignment.evaluate import Outcomes
from alignment.plan_inputs import (
    NOT_IN_PLAN,
    InputDifference,
    describe,
    flatten_inputs,
    input_differences,
    possessive,
    product_names,
)
from alignment.scenario import Scenario
from alignment.units import Units, count

Side = tuple[Scenario, Outcomes]
Verdict = Literal["better", "worse"] | None
Direction = Literal["up", "down", "same"] | None

SAME_PLAN = "The two plans are the same."
MAX_NAMED_INPUTS = 6  # more input changes than this are counted, not named, in the paragraph


# --- outcomes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """An outcome compared, and which way is better for each side (+1 higher, −1 lower, 0 not
    clear)."""

    key: str  # a total of Outcomes, or "<product id>.<per-product field>"
    label: str  # for a table: "Rep motivation"
    phrase: str  # in a sentence: "rep motivation rises from 26 to 66 / 100"
    unit: str
    leadership: int = 0
    reps: int = 0
    topic: str = ""  # in a verdict: "for the reps: better on motivation"


HEADLINES = (
    Figure("new_product_share", "New-product share", "new-product share", "fraction", 1, 0,
           "new-product share"),
    Figure("gross_margin_pct", "Gross margin %", "gross margin", "fraction", 1, 0,
           "gross margin"),
    Figure("contribution", "Contribution", "contribution", "money", 1, 0, "contribution"),
    Figure("leadership_value", "Leadership's value", "leadership's value", "money", 1, 0,
           "leadership's value"),
    Figure("motivation", "Rep motivation", "rep motivation", "score", 0, 1, "motivation"),
    Figure("rep_utility", "Reps' earnings less effort, per rep",
           "each rep's earnings less effort", "money", 0, 1, "earnings less effort"),
    Figure("goal_conflict", "Goal conflict", "goal conflict", "fraction", -1, -1,
           "goal conflict"),
    Figure("team_hours", "Total selling hours", "total selling hours", "hours"),
)  # fmt: skip
_PRODUCT_FIGURES = (("price", "price", "per_unit"), ("share", "market share", "fraction"),
                    ("units", "units sold", "units"))  # fmt: skip
# Smallest change anyone could read in each format.
_NEGLIGIBLE = {"fraction": 0.0005, "score": 0.05, "per_unit": 0.005}


@dataclass(frozen=True)
class FigureChange:
    """One outcome of both plans: values, the change, and who it is better or worse for."""

    figure: Figure
    before: float | None  # None: not in this plan
    after: float | None
    change: float | None  # None: not comparable (missing on a side, or money in two units)
    before_text: str
    after_text: str
    change_text: str  # "+5.5 pp", "−$0.63M", "no change", or why there is none
    direction: Direction = None
    leadership: Verdict = None
    reps: Verdict = None

    @property
    def key(self) -> str:
        return self.figure.key

    @property
    def label(self) -> str:
        return self.figure.label

    @property
    def cue(self) -> str:
        """The change with a sign that does not need colour: ``▲ +5.5 pp``, ``▼ −$0.63M``."""
        arrow = {"up": "▲ ", "down": "▼ ", "same": "= "}.get(self.direction or "", "")
        return f"{arrow}{self.change_text}"

    @property
    def verdicts(self) -> str:
        """``better for leadership, worse for the reps``; empty where it is not clear."""
        sides = ((self.leadership, "leadership"), (self.reps, "the reps"))
        return ", ".join(f"{verdict} for {who}" for verdict, who in sides if verdict)


def _figure(
    figure: Figure, values: tuple[float | None, float | None], sides: tuple[Units, Units]
) -> FigureChange:
    before, after = values
    texts = [
        NOT_IN_PLAN if v is None else u.figure(v, figure.unit)
        for v, u in zip(values, sides, strict=True)
    ]
    shown = (figure, before, after)
    if before is None or after is None:
        return FigureChange(*shown, None, *texts, "not in both plans")
    if figure.unit in ("money", "per_unit") and sides[0] != sides[1]:
        return FigureChange(*shown, None, *texts, "not comparable: other currency or period")
    change = after - before
    if not math.isfinite(change):
        return FigureChange(*shown, None, *texts, "—")
    if abs(change) < _negligible(figure.unit, before, after):
        return FigureChange(*shown, 0.0, *texts, "no change", "same")
    return FigureChange(
        *shown, change, *texts, change_text(change, figure.unit, sides[1], before, after),
        "up" if change > 0 else "down",
        _verdict(figure.leadership, change), _verdict(figure.reps, change),
    )  # fmt: skip


def _verdict(higher_is_better: int, change: float) -> Verdict:
    if higher_is_better == 0:
        return None
    return "better" if higher_is_better * change > 0 else "worse"


def _negligible(unit: str, before: float, after: float) -> float:
    if unit == "money":  # under 0.05 % of the figure: too small to tell a room about
        return max(0.5, 0.0005 * max(abs(before), abs(after)))
    return _NEGLIGIBLE.get(unit, 0.5)


def change_text(change: float, unit: str, units: Units, before: float, after: float) -> str:
    """A change as read beside its figures: money in the figures' scale (``−$0.63M`` beside
    ``$5.84M``), shares in points (``+5.5 pp``), scores in points, counts signed."""
    if unit == "money":
        return money_change(change, max(abs(before), abs(after)), units)
    return units.figure(change, unit, change=True)


def money_change(change: float, figure: float, units: Units) -> str:
    """A change of money in the scale of the figure it changes: ``+$0.25M`` beside ``$4.79M``,
    ``−$2.4k`` beside ``$48.2k``; plain where the figure is small."""
    scale = next(
        (s for size, s in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e4, "k")) if figure >= size), None
    )
    if scale is None:
        return units.money(change, signed=True)
    text = units.money(change, signed=True, scale=scale)  # type: ignore[arg-type]
    return text if any(c in "123456789" for c in text) else units.money(change, signed=True)


def _value(outcomes: Outcomes, field: str, index: int | None = None) -> float:
    array = getattr(outcomes, field)[0]
    return float(array if index is None else array[index])


# --- the comparison ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanComparison:
    """Two plans side by side: inputs, headline outcomes, per-product figures, in words."""

    inputs: tuple[InputDifference, ...]
    headlines: tuple[FigureChange, ...]
    products: tuple[FigureChange, ...]
    sentences: tuple[str, ...]
    same_plan: bool
    same_products: bool
    money_comparable: bool
    converged: tuple[bool, bool]

    @property
    def paragraph(self) -> str:
        return " ".join(self.sentences)

    @property
    def changed_inputs(self) -> tuple[InputDifference, ...]:
        return tuple(row for row in self.inputs if row.differs)


def compare_plans(before: Side, after: Side) -> PlanComparison:
    """Compare two evaluated plans, each ``(scenario, outcomes of its own plan)``.

    The outcomes should be anchored alike (both on the same status quo, where they are about
    its products), so that a difference is the plans' doing.
    """
    (old, old_out), (new, new_out) = before, after
    sides = (Units.of(old), Units.of(new))
    inputs = input_differences(old, new)
    headlines = tuple(
        _figure(h, (_value(old_out, h.key), _value(new_out, h.key)), sides) for h in HEADLINES
    )
    converged = (bool(old_out.converged[0]), bool(new_out.converged[0]))
    same_plan = not any(row.differs for row in inputs)
    return PlanComparison(
        inputs, headlines, _product_figures(before, after, sides),
        _sentences(old, new, inputs, headlines, same_plan, sides, converged),
        same_plan, old.product_ids == new.product_ids, sides[0] == sides[1], converged,
    )  # fmt: skip


def _product_figures(
    before: Side, after: Side, sides: tuple[Units, Units]
) -> tuple[FigureChange, ...]:
    names = product_names(before[0], after[0])
    ids = dict.fromkeys([*before[0].product_ids, *after[0].product_ids])
    rows = []
    for pid in ids:
        for field, words, unit in _PRODUCT_FIGURES:
            figure = Figure(f"{pid}.{field}", f"{names[pid]}: {words}",
                            f"{possessive(pid, names)} {words}", unit)  # fmt: skip
            values = [
                _value(out, field, s.product_ids.index(pid)) if pid in s.product_ids else None
                for s, out in (before, after)
            ]
            rows.append(_figure(figure, (values[0], values[1]), sides))
    return tuple(rows)


def _sentences(
    old: Scenario, new: Scenario, inputs: Sequence[InputDifference],
    headlines: Sequence[FigureChange], same_plan: bool, sides: tuple[Units, Units],
    converged: tuple[bool, bool],
) -> tuple[str, ...]:  # fmt: skip
    sentences = [*_scope_sentences(old, new, sides)]
    if same_plan:
        sentences.append(SAME_PLAN)
    else:
        sentences.append(_inputs_sentence(inputs))
        sentences.append(_outcomes_sentence(headlines, old, new))
        sentences += _verdict_sentences(headlines)
    sentences += _convergence_sentences(converged)
    return tuple(s for s in sentences if s)


def _scope_sentences(old: Scenario, new: Scenario, sides: tuple[Units, Units]) -> list[str]:
    """What cannot be compared: products in one plan only, money in other units."""
    said = []
    names = product_names(old, new)
    only_before = [names[p] for p in old.product_ids if p not in new.product_ids]
    only_after = [names[p] for p in new.product_ids if p not in old.product_ids]
    common = [names[p] for p in new.product_ids if p in old.product_ids]
    if not common:
        said.append(
            f"The two plans are about different products ({_listed(only_before)} before; "
            f"{_listed(only_after)} after), so only the totals can be compared."
        )
    elif only_before or only_after:
        parts = [f"{_listed(only_before)} only in the before plan"] if only_before else []
        parts += [f"{_listed(only_after)} only in the after plan"] if only_after else []
        said.append(
            f"Only {_listed(common)} {'is' if len(common) == 1 else 'are'} in both plans "
            f"({'; '.join(parts)}): the rest reads “{NOT_IN_PLAN}”."
        )
    if sides[0] != sides[1]:
        said.append(
            f"Money is in {sides[0].currency} {sides[0].per_period} before and in "
            f"{sides[1].currency} {sides[1].per_period} after, so money figures are shown but "
            "not compared."
        )
    return said


def _inputs_sentence(inputs: Sequence[InputDifference]) -> str:
    changed = [row for row in inputs if row.differs and row.in_both]
    if not changed:
        return ""
    ordered = sorted(changed, key=lambda row: row.lever_rank)
    fits = len(ordered) <= MAX_NAMED_INPUTS
    named = ordered if fits else ordered[: MAX_NAMED_INPUTS - 1]
    clauses = [row.clause for row in named]
    rest = len(ordered) - len(named)
    if rest:
        clauses.append(f"changes {count(rest)} other input{'s' if rest > 1 else ''}")
    return f"The after plan {_listed(clauses)}."


def _outcomes_sentence(headlines: Sequence[FigureChange], old: Scenario, new: Scenario) -> str:
    clauses = []
    for row in headlines:
        if row.direction is None:
            continue
        phrase = _share_phrase(old, new) if row.key == "new_product_share" else row.figure.phrase
        clauses.append(_outcome_clause(row, phrase))
    moved = [c for c in clauses if c]
    if not moved:
        return "No headline figure changes."
    text = "; ".join(moved)
    return text[0].upper() + text[1:] + "."


def _share_phrase(old: Scenario, new: Scenario) -> str:
    """``Nova's share`` where both plans have that one new product, else new-product share."""
    strategic = {tuple(p.id for p in s.products if p.strategic) for s in (old, new)}
    if len(strategic) == 1 and len(ids := next(iter(strategic))) == 1:
        return f"{possessive(ids[0], product_names(old, new))} share"
    return "new-product share"


def _outcome_clause(row: FigureChange, phrase: str) -> str:
    if row.direction == "same" or row.change is None:
        return ""
    plural = phrase.endswith(("hours", "earnings less effort"))
    verb = ("rise" if row.direction == "up" else "fall") + ("" if plural else "s")
    unit = row.figure.unit
    if unit == "money":
        return f"{phrase} {verb} by {row.change_text.lstrip('+−')} to {row.after_text}"
    extra = f" ({row.change_text})" if unit == "fraction" else ""
    if row.before_text == row.after_text:  # a change smaller than the figures show
        return f"{phrase} {verb} slightly{extra or f' ({row.change_text})'}"
    before = row.before_text.removesuffix(" / 100") if unit == "score" else row.before_text
    return f"{phrase} {verb} from {before} to {row.after_text}{extra}"


def _verdict_sentences(headlines: Sequence[FigureChange]) -> list[str]:
    """``For leadership: better on …; worse on ….`` and the same for the reps."""
    said = []
    for side, who in (("leadership", "leadership"), ("reps", "the reps")):
        better = [r.figure.topic for r in headlines if getattr(r, side) == "better"]
        worse = [r.figure.topic for r in headlines if getattr(r, side) == "worse"]
        parts = [f"better on {_listed(better)}"] if better else []
        parts += [f"worse on {_listed(worse)}"] if worse else []
        if parts:
            said.append(f"For {who}: {'; '.join(parts)}.")
    return said


def _convergence_sentences(converged: tuple[bool, bool]) -> list[str]:
    unsettled = [
        side for side, done in zip(("before", "after"), converged, strict=True) if not done
    ]
    if len(unsettled) == 2:
        return ["The reps' hours did not settle in either plan, so all figures are approximate."]
    return [
        f"The reps' hours did not settle in the {side} plan, so its figures are approximate."
        for side in unsettled
    ]


def _listed(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


__all__ = [
    "HEADLINES",
    "MAX_NAMED_INPUTS",
    "NOT_IN_PLAN",
    "SAME_PLAN",
    "Figure",
    "FigureChange",
    "InputDifference",
    "PlanComparison",
    "change_text",
    "compare_plans",
    "describe",
    "flatten_inputs",
    "input_differences",
    "money_change",
]
