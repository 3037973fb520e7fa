"""The scenario: everything a workshop states about products, pay, the team, marketing and goals.

A scenario is a validated, immutable value. Money is in the scenario's currency per period
(one period, typically a year); shares and rates are fractions (0.25 means 25 %).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

SCHEMA_VERSION = 1

Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$"),
    Field(description="Lower-case id: a letter, then letters, digits or underscores (max 40)."),
]
ShortText = Annotated[str, StringConstraints(max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=5000)]
Fraction = Annotated[float, Field(ge=0.0, le=1.0)]
Money = Annotated[float, Field(ge=0.0, le=1e12)]
Role = Literal["leadership", "sales", "marketing", "facilitator"]


# No quantity in a scenario is meaningfully this small; subnormal values such as 5e-324 turn
# the model's logarithms and ratios into infinities, so they are refused wherever they come from.
SMALLEST_NUMBER = 1e-9


class Frozen(BaseModel):
    model_config = ConfigDict(
        extra="forbid", strict=True, frozen=True, allow_inf_nan=False, validate_default=True
    )

    @field_validator("*", mode="after")
    @classmethod
    def _no_vanishing_numbers(cls, value: object) -> object:
        numbers = value.values() if isinstance(value, dict) else [value]
        for number in numbers:
            if isinstance(number, float) and 0.0 < abs(number) < SMALLEST_NUMBER:
                raise ValueError(
                    f"{number:g} is too close to zero to mean anything; "
                    f"write 0 or a number of at least {SMALLEST_NUMBER:g}"
                )
        return value


class Metadata(Frozen):
    """Who wrote the scenario and the story it tells."""

    name: ShortText = Field(min_length=1, description="Scenario title shown in the app.")
    author: ShortText = Field("", description="Who wrote or last changed the scenario.")
    role: Role = Field("facilitator", description="The party whose proposal this scenario is.")
    description: LongText = Field("", description="The story this scenario tells.")
    notes: LongText = Field("", description="Anything else: sources, assumptions, caveats.")


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
    lead_gen_elasticity: float = Field(
        0.0, ge=0, le=1, description="Share response to lead-generation spend at reference."
    )
    lead_gen_scale: float = Field(
        100_000.0,
        gt=0,
        le=1e12,
        description="Spend at which lead generation has doubled reach (m̄).",
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
        return self


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
    """The sales force: its size, selling time, pay and how quickly it changes its habits."""

    reps: int = Field(ge=1, le=100_000, description="Number of sales reps.")
    hours_per_rep: float = Field(gt=0, le=5000, description="Selling hours per rep per period.")
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

    @model_validator(mode="after")
    def _ote_covers_base(self) -> SalesTeam:
        if self.on_target_earnings <= self.base_salary:
            raise ValueError(
                f"on_target_earnings ({self.on_target_earnings:g}) must exceed "
                f"base_salary ({self.base_salary:g})"
            )
        return self


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
    """One leadership goal: how much it matters and the level that counts as met."""

    weight: float = Field(ge=0, le=100, description="Relative importance; weights are normalised.")
    target: float = Field(
        gt=0, le=1e12, description="Level that counts as met: money, or a fraction for % goals."
    )


class Goals(Frozen):
    """Leadership's stated goals, the first remedy the article names."""

    contribution: Goal = Field(
        description="Contribution per period: margin less sales and marketing."
    )
    new_product_share: Goal = Field(
        description="Strategic products' share of the segments they sell into (fraction)."
    )
    gross_margin_pct: Goal = Field(description="Gross margin as a fraction of revenue.")
    near_band: float = Field(0.1, gt=0, lt=1, description="Within this fraction of target: near.")

    @model_validator(mode="after")
    def _some_goal_matters(self) -> Goals:
        if (
            self.contribution.weight + self.new_product_share.weight + self.gross_margin_pct.weight
            <= 0
        ):
            raise ValueError("at least one goal weight must be above 0")
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
    locked: list[str] = Field(
        default_factory=list,
        description="Levers the search must keep, e.g. 'price.new_x', 'margin_rate'.",
    )


class Scenario(Frozen):
    """A workshop scenario: products and markets, pay, the team, marketing and goals.

    Money is in the scenario's currency per period (typically a year); shares and rates are
    fractions (0.25 means 25 %).
    """

    schema_version: Literal[1] = Field(SCHEMA_VERSION, description="File format version.")
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

    @model_validator(mode="after")
    def _references_resolve(self) -> Scenario:
        segment_ids = [s.id for s in self.segments]
        product_ids = [p.id for p in self.products]
        _require_unique("segments", segment_ids)
        _require_unique("products", product_ids)
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
        if not any(p.strategic for p in self.products) and self.goals.new_product_share.weight > 0:
            raise ValueError(
                "goals.new_product_share: weight is above 0 but no product is marked strategic"
            )
        return self

    @property
    def product_ids(self) -> list[str]:
        return [p.id for p in self.products]

    def product(self, product_id: str) -> Product:
        return next(p for p in self.products if p.id == product_id)


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
