"""How sure the room is of the market's numbers: a range for each uncertain input (MODEL.md §10).

Elasticities, unassisted demand, effort response and habit are estimates. Each has a range: by
default the stated value plus or minus a *spread* per kind of input (a share of the value, or
for habit a number of points), which the room widens or narrows; or an explicit range, typed
or fitted from the company's deal history (§11), with where it came from.

A parameter is named like a lever: ``price_elasticity.nova`` for a product's, ``habit`` for the
team's. An explicit range must contain the scenario's own value, which is the central estimate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from alignment.scenario_fields import Frozen, Identifier, ShortText

if TYPE_CHECKING:
    from alignment.scenario import Scenario

ProductKind = Literal[
    "price_elasticity", "effort_elasticity", "lead_gen_elasticity", "unassisted_share"
]
TeamKind = Literal["effort_response", "habit"]
PRODUCT_KINDS: tuple[ProductKind, ...] = (
    "price_elasticity", "effort_elasticity", "lead_gen_elasticity", "unassisted_share",
)  # fmt: skip
TEAM_KINDS: tuple[TeamKind, ...] = ("effort_response", "habit")

# Default spread per kind: a share of the stated value either side, except habit (points).
# Price elasticities of established products are known to about ±30 % (meta-analyses report a
# wide spread around −2.6); effort and lead-generation elasticities, unassisted demand and the
# effort response are rougher guesses.
DEFAULT_SPREAD: dict[str, float] = {
    "price_elasticity": 0.3,
    "effort_elasticity": 0.4,
    "lead_gen_elasticity": 0.5,
    "unassisted_share": 0.5,
    "effort_response": 0.5,
    "habit": 0.15,
}
ABSOLUTE_SPREAD = frozenset({"habit"})
KIND_LABELS: dict[str, str] = {
    "price_elasticity": "price elasticity",
    "effort_elasticity": "selling-hours elasticity",
    "lead_gen_elasticity": "lead-generation elasticity",
    "unassisted_share": "unassisted share",
    "effort_response": "effort response",
    "habit": "habit",
}
KIND_HELP: dict[str, str] = {
    "price_elasticity": "How much share falls, in %, for a 1 % price rise (positive number).",
    "effort_elasticity": "How much share rises, in %, for 1 % more selling hours.",
    "lead_gen_elasticity": "How much share rises, in %, for 1 % more lead-generation reach.",
    "unassisted_share": "Share of today's units that would sell with no selling hours.",
    "effort_response": "How strongly total selling hours follow motivation (ζ).",
    "habit": "Share of selling time that stays on today's mix whatever the plan pays.",
}
ParameterName = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z_]{0,39}(\.[a-z][a-z0-9_]{0,39})?$"),
    Field(
        description="A kind of input, then a product id for a product's: 'habit', "
        "'price_elasticity.nova'."
    ),
]
# Largest value a draw may take, beyond what the scenario's own checks allow.
_HIGHEST = {"price_elasticity": 20.0, "effort_response": 3.0, "habit": 1.0}
_LOWEST_POSITIVE = 1e-3  # elasticities stay strictly positive


class ParameterRange(Frozen):
    """An explicit range for one uncertain input."""

    low: float = Field(ge=0.0, le=100.0, description="Lowest plausible value.")
    high: float = Field(ge=0.0, le=100.0, description="Highest plausible value.")
    distribution: Literal["uniform", "normal"] = Field(
        "uniform",
        description="uniform: every value in the range alike; normal: low and high are the "
        "5th and 95th percentiles (a 90 % confidence interval) around the stated value.",
    )
    source: ShortText = Field(
        "", description="Where the range comes from, e.g. the deal history it was fitted on."
    )

    @model_validator(mode="after")
    def _ordered(self) -> ParameterRange:
        if self.low > self.high:
            raise ValueError(f"low ({self.low:g}) must not exceed high ({self.high:g})")
        return self


class Uncertainty(Frozen):
    """Ranges on the uncertain inputs, and how many draws evaluate a plan over them."""

    spread: dict[Identifier, float] = Field(
        default_factory=lambda: dict(DEFAULT_SPREAD),
        description="Half-width of the default range per kind of input: a share of the stated "
        "value (0.3 = ±30 %), or points for habit (0.15 = ±15 points). 0 = known exactly.",
    )
    ranges: dict[ParameterName, ParameterRange] = Field(
        default_factory=dict,
        description="Explicit ranges by parameter, e.g. 'price_elasticity.nova' or "
        "'effort_response'; they replace the default spread for that parameter.",
    )
    draws: int = Field(1000, ge=10, le=20_000, description="Draws per plan (Latin hypercube).")
    seed: int = Field(
        7, ge=0, le=2**31 - 1, description="Seed of the draws; same seed, same draws."
    )

    @model_validator(mode="after")
    def _known_kinds(self) -> Uncertainty:
        for kind, spread in self.spread.items():
            if kind not in DEFAULT_SPREAD:
                raise ValueError(
                    f"spread.{kind}: unknown kind of input; use one of {sorted(DEFAULT_SPREAD)}"
                )
            highest = 1.0 if kind in ABSOLUTE_SPREAD else 0.95
            if not 0.0 <= spread <= highest:
                raise ValueError(
                    f"spread.{kind}: {spread:g} is outside 0–{highest:g}; a spread is a share "
                    "of the stated value either side"
                    + (" (points for habit)" if highest == 1 else "")
                )
        return self


@dataclass(frozen=True)
class UncertainParameter:
    """One uncertain input, resolved against a scenario: where it is, and its range."""

    name: str  # e.g. "price_elasticity.nova"
    kind: str
    product: str | None  # product id, None for the team's
    label: str  # e.g. "Nova price elasticity"
    central: float  # the scenario's own value
    low: float
    high: float
    distribution: str  # "uniform" or "normal"
    source: str  # "" for the default spread

    @property
    def width(self) -> float:
        return self.high - self.low


def parameter_names(product_ids: list[str]) -> list[str]:
    """Every parameter a range can be given for, products' first."""
    return [f"{kind}.{pid}" for pid in product_ids for kind in PRODUCT_KINDS] + list(TEAM_KINDS)


def uncertain_parameters(scenario: Scenario) -> tuple[UncertainParameter, ...]:
    """Every uncertain input of ``scenario`` with its range, products' first.

    A product's lead-generation elasticity counts only where it is stated (above 0); every
    range is clipped to the values the model accepts.
    """
    found = []
    for product in scenario.products:
        for kind in PRODUCT_KINDS:
            central = float(getattr(product, kind))
            if kind == "lead_gen_elasticity" and central == 0.0:
                continue
            found.append(_resolve(scenario, kind, product.id, product.name, central))
    team = scenario.sales_team
    for kind in TEAM_KINDS:
        found.append(_resolve(scenario, kind, None, "Team", float(getattr(team, kind))))
    return tuple(found)


def range_problems(scenario: Scenario) -> list[str]:
    """What is wrong with the scenario's explicit ranges, one message each (empty: nothing)."""
    known = set(parameter_names(scenario.product_ids))
    problems = []
    for name, given in scenario.uncertainty.ranges.items():
        if name not in known:
            problems.append(
                f"uncertainty.ranges.{name}: unknown parameter; use a kind and a product id "
                f"such as 'price_elasticity.{scenario.product_ids[0]}', or 'effort_response'"
            )
            continue
        kind, _, pid = name.partition(".")
        owner = scenario.product(pid) if pid else scenario.sales_team
        central = float(getattr(owner, kind))
        if not given.low <= central <= given.high:
            problems.append(
                f"uncertainty.ranges.{name}: the range {given.low:g}–{given.high:g} must "
                f"contain the stated value {central:g}; widen the range or change the value"
            )
    return problems


def _resolve(
    scenario: Scenario, kind: str, pid: str | None, owner: str, central: float
) -> UncertainParameter:
    name = f"{kind}.{pid}" if pid else kind
    label = f"{owner} {KIND_LABELS[kind]}" if pid else KIND_LABELS[kind].capitalize()
    given = scenario.uncertainty.ranges.get(name)
    if given is not None:
        low, high, distribution, source = given.low, given.high, given.distribution, given.source
    else:
        spread = scenario.uncertainty.spread.get(kind, DEFAULT_SPREAD[kind])
        half = spread if kind in ABSOLUTE_SPREAD else spread * abs(central)
        low, high, distribution, source = central - half, central + half, "uniform", ""
    lowest, highest = _valid_interval(scenario, kind, pid)
    low, high = min(max(low, lowest), central), max(min(high, highest), central)
    return UncertainParameter(name, kind, pid, label, central, low, high, distribution, source)


def _valid_interval(scenario: Scenario, kind: str, pid: str | None) -> tuple[float, float]:
    """The values of ``kind`` the model accepts (a draw never leaves them)."""
    if kind in ("effort_elasticity", "lead_gen_elasticity"):
        assert pid is not None
        return _LOWEST_POSITIVE, 1.0 - scenario.product(pid).reference_share
    if kind == "price_elasticity":
        return _LOWEST_POSITIVE, _HIGHEST[kind]
    if kind == "unassisted_share":
        return 0.0, 0.99
    return 0.0, _HIGHEST[kind]
