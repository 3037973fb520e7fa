"""The scenario: everything a workshop states about products, pay, the team, marketing and goals.

A scenario is a validated, immutable value. Money is in the scenario's currency per period
(one period, typically a year); shares and rates are fractions (0.25 means 25 %).

Text comes in three kinds, each refusing what it cannot show faithfully:

- names (``ShortText``: titles, authors, segment and product names, locked lever names) are
  one line: no control characters at all, tab and line breaks included;
- paragraphs (``LongText``: descriptions and notes) may hold line breaks and tabs, and no other
  control character;
- ids (``Identifier``: ids, references and the keys of mappings) are lower-case ASCII.

Neither names nor paragraphs may hold the Unicode direction controls (U+061C, U+200E, U+200F,
U+202A–U+202E, U+2066–U+2069), which make text display in another order than it is stored in.
Two segments or two products may not share a name: names are compared as a room reads them,
ignoring case, letter width, extra spaces and invisible characters ("Nova" and "nova " are the
same name).
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from alignment.scenario_fields import (
    Fraction,
    Frozen,
    Identifier,
    LongText,
    Money,
    Role,
    ShortText,
)
from alignment.uncertainty_inputs import Uncertainty, range_problems

SCHEMA_VERSION = 2


class Metadata(Frozen):
    """Who wrote the scenario and the story it tells."""

    name: ShortText = Field(min_length=1, description="Scenario title shown in the app.")
    author: ShortText = Field("", description="Who wrote or last changed the scenario.")
    role: Role = Field("facilitator", description="The party whose proposal this scenario is.")
    description: LongText = Field("", description="The story this scenario tells.")
    notes: LongText = Field("", description="Anything else: sources, assumptions, caveats.")
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = Field(
        "USD", description="ISO 4217 code of the currency every amount is in, e.g. USD, EUR."
    )
    period: Literal["year", "quarter", "month"] = Field(
        "year", description="The period every flow (units, money, hours) is counted over."
    )


class Segment(Frozen):
    """A market whose buyers choose among its products, competitors' and doing nothing."""

    id: Identifier
    name: ShortText = Field(min_length=1, description="Segment name shown in the app.")
    size: float = Field(gt=0, le=1e12, description="Units bought in the segment per period (M).")


class Product(Frozen):
    """A product: its costs, prices, and how its share responds to price, effort and leads."""

    id: Identifier
    name: ShortText = Field(min_length=1, description="Product name shown in the app.")
    segment: Identifier = Field(description="Id of the market segment the product sells into.")
    strategic: bool = Field(False, description="A new product whose share leadership targets.")
    unit_cost: Money = Field(description="Variable cost per unit (c).")
    reference_price: float = Field(gt=0, le=1e9, description="Today's price (p̄).")
    price: float = Field(gt=0, le=1e9, description="Price in this scenario (p).")
    reference_share: float = Field(
        gt=0, lt=1, description="Share of the segment at the reference price and effort (s̄)."
    )
    price_elasticity: float = Field(
        gt=0, le=20, description="Own-price elasticity of share at reference (η), positive."
    )
    effort_elasticity: float = Field(
        gt=0, le=1, description="Elasticity of share to selling hours at reference (ε)."
    )
    reference_hours: float = Field(
        gt=0, le=1e9, description="Team selling hours per period spent on it today (ē)."
    )
    unassisted_share: float = Field(
        0.1,
        ge=0,
        lt=1,
        description="Fraction of today's units that would still sell with no selling hours "
        "(inbound, partners, contracts) (u0).",
    )
    lead_gen_elasticity: float = Field(
        0.0, ge=0, le=1, description="Share response to lead-generation spend at reference."
    )
    lead_gen_scale: float = Field(
        100_000.0,
        gt=0,
        le=1e12,
        description="Spend at which lead generation has doubled reach (m̄).",
    )
    reference_lead_generation: Money = Field(
        0.0,
        description="Lead-generation spend per period today (m⁰), with which the reference "
        "share is observed; effects of lead generation are counted from here.",
    )

    @model_validator(mode="after")
    def _effort_elasticity_keeps_share_concave(self) -> Product:
        limit = 1.0 - self.reference_share
        if self.effort_elasticity > limit:
            raise ValueError(
                f"effort_elasticity must be at most 1 - reference_share = {limit:.4g}, "
                f"got {self.effort_elasticity:g}"
            )
        if self.lead_gen_elasticity > limit:
            raise ValueError(
                f"lead_gen_elasticity must be at most 1 - reference_share = {limit:.4g}, "
                f"got {self.lead_gen_elasticity:g}"
            )
        # Only a stated value is refused: a default or migrated one is held to the bound by
        # the model itself (alignment.demand.unassisted_ratio).
        bound = unassisted_share_bound(self.effort_elasticity, self.reference_share)
        if "unassisted_share" in self.model_fields_set and self.unassisted_share > bound + 1e-12:
            raise ValueError(
                f"unassisted_share must be at most {bound:.3g} with an effort_elasticity of "
                f"{self.effort_elasticity:g} and a reference_share of {self.reference_share:g}: "
                "above it share would rise faster than linearly with selling hours; lower it, "
                "or lower effort_elasticity"
            )
        return self


def unassisted_share_bound(effort_elasticity: float, reference_share: float) -> float:
    """The largest unassisted share that keeps a product's share concave in its own hours.

    Attraction ``(e + φē)^γ`` is concave in hours while ``γ = ε (1 + φ) / (1 − s̄) ≤ 1``, that
    is ``u0 ≤ x / ((1 − s̄) + x s̄)`` with ``x = 1 − ε / (1 − s̄)``.
    """
    x = max(1.0 - effort_elasticity / (1.0 - reference_share), 0.0)
    return x / ((1.0 - reference_share) + x * reference_share)


class Quota(Frozen):
    """Each rep's sales target for the period."""

    basis: Literal["revenue", "gross_margin"] = Field(
        "gross_margin", description="Whether quota is counted in revenue or in gross margin."
    )
    per_rep: float = Field(gt=0, le=1e12, description="Quota per rep per period, in money.")


class CommissionPlan(Frozen):
    """Pay per unit sold, k = r_rev·p + r_gm·(p − c) + b, with quota, accelerator and cap."""

    revenue_rate: Fraction = Field(0.0, description="Commission per unit of revenue (r_rev).")
    margin_rate: Fraction = Field(0.0, description="Commission per unit of gross margin (r_gm).")
    kickers: dict[Identifier, Annotated[float, Field(ge=-1e6, le=1e6)]] = Field(
        default_factory=dict, description="Extra pay per unit sold, by product id (b)."
    )
    quota: Quota = Field(description="Quota per rep and what it is counted on.")
    accelerator: float = Field(
        1.0, ge=1.0, le=5.0, description="Multiplier on commission earned above quota."
    )
    cap: Money | None = Field(None, description="Most variable pay one rep can earn; null = none.")


class SalesTeam(Frozen):
    """The sales force: its size, selling time, pay, how much and where it sells, and the
    new-product target it is held to."""

    reps: int = Field(ge=1, le=100_000, description="Number of sales reps.")
    hours_per_rep: float = Field(gt=0, le=5000, description="Selling hours per rep per period.")
    min_hours_per_rep: float | None = Field(
        None,
        gt=0,
        le=5000,
        description="Fewest selling hours per rep per period the team would put in; "
        "empty = half of hours_per_rep.",
    )
    max_hours_per_rep: float | None = Field(
        None,
        gt=0,
        le=5000,
        description="Most selling hours per rep per period the team would put in; "
        "empty = 1.25 × hours_per_rep.",
    )
    effort_response: float = Field(
        0.2,
        ge=0,
        le=2,
        description="How strongly total selling time responds to motivation (ζ): "
        "H = H̄·(M/M̄)^ζ; 0 keeps hours fixed.",
    )
    base_salary: Money = Field(description="Fixed pay per rep per period.")
    on_target_earnings: float = Field(gt=0, le=1e9, description="Base + target variable pay.")
    attainment_spread: float = Field(
        0.3, gt=0, le=2.0, description="Log-normal dispersion of rep attainment (σ_a)."
    )
    habit: Fraction = Field(
        0.0, description="0 = reps move to the mix their pay rewards; 1 = they keep today's mix."
    )
    quota_attainment_target: float = Field(
        0.65, gt=0, le=1, description="Share of reps at quota that counts as fully achievable."
    )
    new_product_target: Fraction | None = Field(
        None,
        description="New-product share reps are held to (their role's target); "
        "empty = leadership's new-product share target.",
    )

    @model_validator(mode="after")
    def _ote_covers_base(self) -> SalesTeam:
        if self.on_target_earnings <= self.base_salary:
            raise ValueError(
                f"on_target_earnings ({self.on_target_earnings:g}) must exceed "
                f"base_salary ({self.base_salary:g})"
            )
        return self

    @model_validator(mode="after")
    def _hours_range_holds_todays_hours(self) -> SalesTeam:
        if self.min_hours_per_rep is not None and self.min_hours_per_rep > self.hours_per_rep:
            raise ValueError(
                f"min_hours_per_rep ({self.min_hours_per_rep:g}) must not exceed "
                f"hours_per_rep ({self.hours_per_rep:g})"
            )
        if self.max_hours_per_rep is not None and self.max_hours_per_rep < self.hours_per_rep:
            raise ValueError(
                f"max_hours_per_rep ({self.max_hours_per_rep:g}) must be at least "
                f"hours_per_rep ({self.hours_per_rep:g})"
            )
        return self

    @property
    def hours_floor(self) -> float:
        """Fewest selling hours per rep per period (H_min / reps): as stated, or half of today's."""
        if self.min_hours_per_rep is None:
            return 0.5 * self.hours_per_rep
        return self.min_hours_per_rep

    @property
    def hours_ceiling(self) -> float:
        """Most selling hours per rep per period (H_max / reps): as stated, or 1.25 × today's."""
        if self.max_hours_per_rep is None:
            return 1.25 * self.hours_per_rep
        return self.max_hours_per_rep


class Marketing(Frozen):
    """Marketing budget: lead generation per product and push content for the sales force."""

    lead_generation: dict[Identifier, Money] = Field(
        default_factory=dict, description="Lead-generation spend per period, by product id (m)."
    )
    push_content: Money = Field(0.0, description="Push-content budget per period (B_content).")
    push_content_scale: float = Field(
        100_000.0, gt=0, le=1e12, description="Budget that reaches 63 % of deals (B̄_content)."
    )
    push_content_productivity: float = Field(
        0.0, ge=0, le=2.0, description="Most extra selling productivity content gives (κ)."
    )


class Goal(Frozen):
    """One line of leadership's scorecard: the level that counts as met, and whether deals must
    meet it."""

    target: float = Field(
        gt=0, le=1e12, description="Level that counts as met: money, or a fraction for % goals."
    )
    hard: bool = Field(
        False,
        description="Deals must meet this target: a hard constraint on the compromise search.",
    )


class Goals(Frozen):
    """Leadership's stated goals, the first remedy the article names: a scorecard of targets,
    and what a unit of a strategic product is worth to leadership beyond its margin."""

    contribution: Goal = Field(
        description="Contribution per period: margin less sales and marketing."
    )
    new_product_share: Goal = Field(
        description="Strategic products' share of the segments they sell into (fraction)."
    )
    gross_margin_pct: Goal = Field(description="Gross margin as a fraction of revenue.")
    near_band: float = Field(0.1, gt=0, lt=1, description="Within this fraction of target: near.")
    strategic_value: dict[Identifier, Money] = Field(
        default_factory=dict,
        description="What leadership says one more unit of a strategic product is worth beyond "
        "this period's margin, by product id, money per unit (λ).",
    )
    strategic_value_reason: LongText = Field(
        "",
        description="Why a strategic unit is worth that much (installed base, lifetime value, "
        "a foothold).",
    )

    @model_validator(mode="after")
    def _fractions_are_fractions(self) -> Goals:
        if self.new_product_share.target >= 1 or self.gross_margin_pct.target >= 1:
            raise ValueError("share and margin targets are fractions: must be below 1")
        return self


class Range(Frozen):
    """Lowest and highest value a lever may take."""

    min: float = Field(ge=-1e9, le=1e9, description="Lowest value.")
    max: float = Field(ge=-1e9, le=1e9, description="Highest value.")

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.min > self.max:
            raise ValueError(f"min ({self.min:g}) must not exceed max ({self.max:g})")
        return self


class Negotiation(Frozen):
    """Bounds the compromise search may move each lever within."""

    prices: dict[Identifier, Range] = Field(
        default_factory=dict, description="Price bounds by product id; money per unit."
    )
    kickers: dict[Identifier, Range] = Field(
        default_factory=dict, description="Kicker bounds by product id; money per unit."
    )
    revenue_rate: Range = Field(
        Range(min=0.0, max=0.0), description="Bounds on the revenue commission rate."
    )
    margin_rate: Range = Field(
        Range(min=0.0, max=0.3), description="Bounds on the gross-margin commission rate."
    )
    locked: list[ShortText] = Field(
        default_factory=list,
        description="Levers the search must keep, e.g. 'price.new_x', 'margin_rate'.",
    )


class Scenario(Frozen):
    """A workshop scenario: products and markets, pay, the team, marketing and goals.

    Money is in the scenario's currency per period (typically a year); shares and rates are
    fractions (0.25 means 25 %).
    """

    schema_version: Literal[2] = Field(SCHEMA_VERSION, description="File format version.")
    metadata: Metadata = Field(description="Title, author and the story of the scenario.")
    segments: list[Segment] = Field(min_length=1, max_length=20, description="Market segments.")
    products: list[Product] = Field(
        min_length=1, max_length=30, description="Products, each in one segment."
    )
    commission: CommissionPlan = Field(description="How reps are paid.")
    sales_team: SalesTeam = Field(description="The sales force.")
    marketing: Marketing = Field(Marketing(), description="Marketing budget and its effects.")
    goals: Goals = Field(description="Leadership's goals and targets.")
    negotiation: Negotiation = Field(
        Negotiation(), description="Bounds and locks for the compromise search."
    )
    uncertainty: Uncertainty = Field(
        Uncertainty(), description="How sure the room is of the market's numbers (ranges)."
    )

    @model_validator(mode="after")
    def _references_resolve(self) -> Scenario:
        segment_ids = [s.id for s in self.segments]
        product_ids = [p.id for p in self.products]
        _require_unique("segments", segment_ids)
        _require_unique("products", product_ids)
        _require_distinct_names("segments", "segment", [s.name for s in self.segments])
        _require_distinct_names("products", "product", [p.name for p in self.products])
        for i, product in enumerate(self.products):
            if product.segment not in segment_ids:
                raise ValueError(
                    f"products[{i}].segment: unknown segment {product.segment!r}; "
                    f"use one of {segment_ids}"
                )
        for segment in self.segments:
            total = sum(p.reference_share for p in self.products if p.segment == segment.id)
            if total >= 1.0:
                raise ValueError(
                    f"segment {segment.id!r}: reference shares of its products add up to "
                    f"{total:.4g}; they must stay below 1 to leave room for competitors"
                )
        for where, mapping in (
            ("commission.kickers", self.commission.kickers),
            ("marketing.lead_generation", self.marketing.lead_generation),
            ("negotiation.prices", self.negotiation.prices),
            ("negotiation.kickers", self.negotiation.kickers),
            ("goals.strategic_value", self.goals.strategic_value),
        ):
            for key in mapping:
                if key not in product_ids:
                    raise ValueError(f"{where}.{key}: unknown product id; use one of {product_ids}")
        valid_locks = lever_names(product_ids)
        for lock in self.negotiation.locked:
            if lock not in valid_locks:
                raise ValueError(
                    f"negotiation.locked: unknown lever {lock!r}; use one of {sorted(valid_locks)}"
                )
        for key in self.goals.strategic_value:
            if not self.product(key).strategic:
                raise ValueError(
                    f"goals.strategic_value.{key}: {key} is not a strategic product; "
                    "mark it strategic or remove it"
                )
        for problem in range_problems(self):
            raise ValueError(problem)
        if self.goals.new_product_share.hard and not any(p.strategic for p in self.products):
            raise ValueError(
                "goals.new_product_share.hard: no product is marked strategic, so no deal can "
                "meet this target; mark the new product strategic or set hard: false"
            )
        return self

    @property
    def product_ids(self) -> list[str]:
        return [p.id for p in self.products]

    def product(self, product_id: str) -> Product:
        return next(p for p in self.products if p.id == product_id)

    @property
    def reps_new_product_target(self) -> float:
        """The new-product share reps are held to (§4): their own target where the scenario
        states one, else leadership's new-product share target; a fraction."""
        held = self.sales_team.new_product_target
        return self.goals.new_product_share.target if held is None else held


def lever_names(product_ids: list[str]) -> set[str]:
    """Every lever a negotiation can lock: prices and kickers per product, and the two rates."""
    return (
        {f"price.{pid}" for pid in product_ids}
        | {f"kicker.{pid}" for pid in product_ids}
        | {"revenue_rate", "margin_rate"}
    )


def _require_unique(where: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise ValueError(f"{where}: id {item!r} is used twice; ids must be unique")
        seen.add(item)


def name_key(name: str) -> str:
    """``name`` as a room tells names apart: case, letter width, spacing and invisible
    characters (zero-width spaces, soft hyphens) do not count.

    ``name_key("Nova ") == name_key("nova") == name_key("ＮＯＶＡ") == name_key("No\u200bva")``.
    """
    folded = unicodedata.normalize("NFKC", name).casefold()
    visible = "".join(c for c in folded if unicodedata.category(c) != "Cf")
    return " ".join(visible.split())


def _require_distinct_names(where: str, noun: str, names: list[str]) -> None:
    first: dict[str, int] = {}
    for index, name in enumerate(names):
        earlier = first.setdefault(name_key(name), index)
        if earlier == index:
            continue
        quoted, other = _quoted(name), names[earlier]
        same = quoted if name == other else f"{quoted} reads the same as {_quoted(other)}, which"
        raise ValueError(
            f"{where}[{index}].name: {same} is already the name of {where}[{earlier}]; "
            f"give each {noun} its own name"
        )


def _quoted(name: str, limit: int = 60) -> str:
    return '"' + (name if len(name) <= limit else name[: limit - 1] + "…") + '"'
