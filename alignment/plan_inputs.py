"""A plan's inputs compared: every field by its path, in words with its unit.

Paths are those of :mod:`alignment.levers` (``products.nova.price``), so a difference names the
field to change; what exists in one plan only is :data:`NOT_IN_PLAN`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from alignment.scenario import Scenario
from alignment.units import Units

NOT_IN_PLAN = "not in this plan"

# Story text and who wrote a plan say nothing about what it does.
_NOT_INPUTS = frozenset(f"metadata.{f}" for f in ("name", "author", "role", "description", "notes"))


class _Missing:
    """The value of an input a plan does not have (a product the other plan sells)."""

    def __repr__(self) -> str:
        return NOT_IN_PLAN


_MISSING = _Missing()


# --- inputs -----------------------------------------------------------------------------------


def flatten_inputs(scenario: Scenario) -> dict[str, Any]:
    """Every input as ``path: value``; products and segments by id; a missing kicker,
    lead-generation spend or value of a strategic unit as 0.

    Paths are those of :mod:`alignment.levers` (``products.nova.price``), so a difference
    names the field to change. Name, author, role, description and notes are left out.
    """
    flat: dict[str, Any] = {}
    _flatten(scenario.model_dump(mode="json"), "", flat)
    for product_id in scenario.product_ids:
        flat.setdefault(f"commission.kickers.{product_id}", 0.0)
        flat.setdefault(f"marketing.lead_generation.{product_id}", 0.0)
        if scenario.product(product_id).strategic:
            flat.setdefault(f"goals.strategic_value.{product_id}", 0.0)
    for path in _NOT_INPUTS:
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
        out[prefix] = ", ".join(str(i) for i in node) if node else None
    else:
        out[prefix] = node


# Field words and unit, by the path's shape. Units: those of alignment.units.figure, plus
# "period_money" (money per period: the label says which), "text", "bool" and "number".
_PRODUCT_FIELDS: dict[str, tuple[str, str]] = {
    "name": ("name", "text"),
    "segment": ("segment", "text"),
    "strategic": ("strategic (new) product", "bool"),
    "unit_cost": ("unit cost", "per_unit"),
    "reference_price": ("today's price", "per_unit"),
    "price": ("price", "per_unit"),
    "reference_share": ("today's share of its segment", "fraction"),
    "price_elasticity": ("price elasticity", "number"),
    "effort_elasticity": ("effort elasticity", "number"),
    "reference_hours": ("today's selling hours", "hours"),
    "unassisted_share": ("share of units that sell with no selling hours", "fraction"),
    "lead_gen_elasticity": ("lead-generation elasticity", "number"),
    "lead_gen_scale": ("lead-generation scale", "money"),
    "reference_lead_generation": ("today's lead-generation spend", "period_money"),
}
_PER_PRODUCT: dict[str, tuple[str, str]] = {
    "commission.kickers": ("kicker per unit sold", "per_unit"),
    "marketing.lead_generation": ("lead-generation spend", "period_money"),
    "goals.strategic_value": ("strategic value per unit", "per_unit"),
}
_BOUNDS = {"min": "lowest", "max": "highest"}
_FIELDS: dict[str, tuple[str, str]] = {
    "schema_version": ("the file format version", "number"),
    "metadata.currency": ("the currency", "text"),
    "metadata.period": ("the period", "text"),
    "commission.revenue_rate": ("the commission rate on revenue", "rate"),
    "commission.margin_rate": ("the commission rate on gross margin", "rate"),
    "commission.quota.basis": ("what quota is counted on", "text"),
    "commission.quota.per_rep": ("the quota per rep", "period_money"),
    "commission.accelerator": ("the accelerator above quota", "multiple"),
    "commission.cap": ("the pay cap per rep", "period_money"),
    "sales_team.reps": ("the number of reps", "units"),
    "sales_team.hours_per_rep": ("today's selling hours per rep", "hours"),
    "sales_team.min_hours_per_rep": ("the fewest selling hours per rep", "hours"),
    "sales_team.max_hours_per_rep": ("the most selling hours per rep", "hours"),
    "sales_team.effort_response": ("how strongly selling time follows motivation", "number"),
    "sales_team.base_salary": ("the base salary per rep", "period_money"),
    "sales_team.on_target_earnings": ("on-target earnings per rep", "period_money"),
    "sales_team.attainment_spread": ("the spread of attainment between reps", "number"),
    "sales_team.habit": ("the share of hours that stay where they were", "fraction"),
    "sales_team.quota_attainment_target": ("the share at quota that is achievable", "fraction"),
    "sales_team.new_product_target": ("the reps' own new-product target", "fraction"),
    "marketing.push_content": ("the push-content budget", "period_money"),
    "marketing.push_content_scale": ("the push-content scale", "money"),
    "marketing.push_content_productivity": ("the push-content productivity", "fraction"),
    "goals.contribution.target": ("the contribution target", "period_money"),
    "goals.contribution.hard": ("whether deals must meet the contribution target", "bool"),
    "goals.new_product_share.target": ("the new-product share target", "fraction"),
    "goals.new_product_share.hard": ("whether deals must meet the share target", "bool"),
    "goals.gross_margin_pct.target": ("the gross margin % target", "fraction"),
    "goals.gross_margin_pct.hard": ("whether deals must meet the margin % target", "bool"),
    "goals.near_band": ("how close to a target counts as near", "fraction"),
    "goals.strategic_value_reason": ("why leadership values a strategic unit", "text"),
    "negotiation.revenue_rate.min": ("the lowest revenue rate to negotiate", "rate"),
    "negotiation.revenue_rate.max": ("the highest revenue rate to negotiate", "rate"),
    "negotiation.margin_rate.min": ("the lowest margin rate to negotiate", "rate"),
    "negotiation.margin_rate.max": ("the highest margin rate to negotiate", "rate"),
    "negotiation.locked": ("the levers locked in the negotiation", "text"),
    "uncertainty.draws": ("the draws of the uncertain inputs", "units"),
    "uncertainty.seed": ("the seed of the draws", "number"),
}
# What an empty field means, where it does not mean "none".
_EMPTY = {
    "sales_team.min_hours_per_rep": "half of today's",
    "sales_team.max_hours_per_rep": "1.25 × today's",
    "sales_team.new_product_target": "leadership's target",
}
# The levers a room negotiates, in the order the paragraph names them, before other inputs.
_LEVERS = tuple(
    re.compile(pattern)
    for pattern in (
        r"products\.[^.]+\.price$", r"commission\.kickers\.", r"commission\.revenue_rate$",
        r"commission\.margin_rate$", r"commission\.quota\.per_rep$", r"commission\.accelerator$",
        r"commission\.cap$", r"marketing\.lead_generation\.", r"marketing\.push_content$",
    )
)  # fmt: skip


@dataclass(frozen=True)
class Field:
    """What an input path means: words for a table and for a sentence, and its unit."""

    label: str  # "Nova (new): price", "Quota per rep, per year"
    phrase: str  # "Nova's price", "the quota per rep"
    unit: str


def describe(path: str, before: Scenario, after: Scenario) -> Field:
    """The words and unit of the input at ``path`` of either scenario."""
    return _described(path, product_names(before, after), Units.of(after).per_period)


def _described(path: str, names: dict[str, str], per_period: str) -> Field:
    parts = path.split(".")
    words, unit, owner = _field_words(parts, names)
    if owner is None:
        bare = words.removeprefix("the ")
        label, phrase = bare[0].upper() + bare[1:], words
    else:
        label, phrase = f"{names[owner]}: {words}", f"{possessive(owner, names)} {words}"
    if unit == "period_money":
        label = f"{label}, {per_period}"
    return Field(label, phrase, "money" if unit == "period_money" else unit)


def _field_words(parts: list[str], names: dict[str, str]) -> tuple[str, str, str | None]:
    """``(words, unit, id of the product or segment it belongs to)`` for a path's parts."""
    head, tail = ".".join(parts[:2]), parts[-1]
    if parts[0] == "products" and len(parts) == 3:
        return (*_PRODUCT_FIELDS.get(tail, (tail.replace("_", " "), "number")), parts[1])
    if parts[0] == "segments" and len(parts) == 3:
        return ("units bought per period", "units", parts[1]) if tail == "size" else (
            "name", "text", parts[1])  # fmt: skip
    if head in _PER_PRODUCT and len(parts) == 3 and tail in names:
        return (*_PER_PRODUCT[head], tail)
    if head in ("negotiation.prices", "negotiation.kickers") and len(parts) == 4:
        lever = "price" if parts[1] == "prices" else "kicker"
        return f"{_BOUNDS.get(tail, tail)} {lever} to negotiate", "per_unit", parts[2]
    if ".".join(parts) in _FIELDS:
        return (*_FIELDS[".".join(parts)], None)
    words = " ".join(p.replace("_", " ") for p in parts[1:])
    return (f"the uncertainty of {words}" if parts[0] == "uncertainty" else words), "number", None


def product_names(before: Scenario, after: Scenario) -> dict[str, str]:
    """Product and segment names by id, the after plan's where both name one."""
    names: dict[str, str] = {}
    for scenario in (before, after):
        names.update({s.id: s.name for s in scenario.segments})
        names.update({p.id: p.name for p in scenario.products})
    return names


def possessive(owner: str, names: dict[str, str]) -> str:
    """``Nova's`` for "Nova (new)": a trailing note in brackets is dropped where the shorter name
    stays unique; ``Analyser Pro's``."""
    name = names[owner]
    short = re.sub(r"\s*\([^()]*\)$", "", name)
    others = [re.sub(r"\s*\([^()]*\)$", "", n) for key, n in names.items() if key != owner]
    if not short or short in others:
        short = name
    return f"{short}'" if short.endswith("s") else f"{short}'s"


@dataclass(frozen=True)
class InputDifference:
    """One input of either plan: its words, both values as read, and whether it differs."""

    path: str
    label: str
    phrase: str
    unit: str
    before: Any  # the value; a missing one (repr "not in this plan") where the plan has none
    after: Any
    before_text: str
    after_text: str

    @property
    def differs(self) -> bool:
        return bool(self.before != self.after)

    @property
    def in_both(self) -> bool:
        return self.before is not _MISSING and self.after is not _MISSING

    @property
    def lever_rank(self) -> int:
        """Where a lever the room negotiates comes in the paragraph (prices, kickers, rates,
        quota, accelerator, cap, marketing spend); after them, every other input."""
        return next((i for i, lever in enumerate(_LEVERS) if lever.match(self.path)), len(_LEVERS))

    @property
    def clause(self) -> str:
        """What the after plan does to it: ``raises Nova's kicker from $0 to $40``."""
        old, new = self.before, self.after
        if isinstance(old, int | float) and isinstance(new, int | float) and self.unit != "bool":
            verb = "raises" if new > old else "lowers"
            return f"{verb} {self.phrase} from {self.before_text} to {self.after_text}"
        if old is None:
            return f"sets {self.phrase} to {self.after_text} (was {self.before_text})"
        if new is None and self.after_text == "none":
            return f"removes {self.phrase} (was {self.before_text})"
        if new is None:
            return f"changes {self.phrase} to {self.after_text} (was {self.before_text})"
        if self.unit == "text" and max(len(self.before_text), len(self.after_text)) > 40:
            return f"changes {self.phrase}"
        return f"changes {self.phrase} from {self.before_text} to {self.after_text}"


def input_differences(before: Scenario, after: Scenario) -> tuple[InputDifference, ...]:
    """Every input of either plan, in the order of the before plan's file, then the after's."""
    left, right = flatten_inputs(before), flatten_inputs(after)
    sides = (Units.of(before), Units.of(after))
    names = product_names(before, after)
    rows = []
    for path in dict.fromkeys([*left, *right]):
        field = _described(path, names, sides[1].per_period)
        values = (left.get(path, _MISSING), right.get(path, _MISSING))
        texts = [_input_text(v, field.unit, path, u) for v, u in zip(values, sides, strict=True)]
        rows.append(InputDifference(path, field.label, field.phrase, field.unit, *values, *texts))
    return tuple(rows)


def _input_text(value: Any, unit: str, path: str, units: Units) -> str:
    if value is _MISSING:
        return NOT_IN_PLAN
    if value is None:
        return _EMPTY.get(path, "none")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float) and unit not in ("text", "number"):
        return units.figure(float(value), unit)
    if isinstance(value, float):
        return f"{value:,.6g}"
    text = str(value)
    return text.replace("_", " ") if re.fullmatch(r"[a-z]+(_[a-z]+)+", text) else text
