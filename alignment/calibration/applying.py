"""Writing the room's choice of elasticities into a scenario, with its uncertainty and source.

Per product the room takes the **fitted** value, keeps the **prior** (the scenario's stated
value), or takes a **blend**: the precision-weighted mean of the two, as a normal prior updated
by a normal likelihood — the prior's standard deviation read from its uncertainty range (a
uniform range of width w has sd w/√12; a normal one states its 5th and 95th percentiles), the
fit's from its standard error. The blend leans to whichever is surer.

A fitted or blended value goes into ``products[i].price_elasticity``, its 90 % interval into
``uncertainty.ranges["price_elasticity.<id>"]`` as a normal range (what "The deal" draws
from), and a paragraph of provenance (file, rows used, dates, method, each product's choice)
replaces any earlier one in ``metadata.notes``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from alignment.calibration.caveats import BIASED, WEAK
from alignment.calibration.estimation import Z90, Calibration, ProductFit
from alignment.pricing import PricePreference
from alignment.safe_text import plain_text
from alignment.scenario import Scenario
from alignment.scenario_io import ScenarioError, scenario_from_data

Choice = Literal["fitted", "prior", "blend"]
CHOICES: tuple[Choice, ...] = ("fitted", "blend", "prior")
CHOICE_LABELS = {"fitted": "Fitted", "blend": "Blend", "prior": "Prior"}
PROVENANCE_START = "Price elasticities calibrated from deal history"
NOTES_LIMIT = 5000
LOWEST, HIGHEST = 0.01, 20.0  # what a scenario accepts for a price elasticity, rounded


@dataclass(frozen=True)
class Chosen:
    """The value a product gets: ``low``–``high`` is its 90 % interval (None for the prior)."""

    product: str
    choice: Choice
    value: float
    low: float | None = None
    high: float | None = None


def available_choices(fit: ProductFit) -> tuple[Choice, ...]:
    """Fitted and blend only where the fitted value can be used."""
    return CHOICES if fit.usable else ("prior",)


def suggested_choice(fit: ProductFit) -> Choice:
    """The prior where the fit is missing or biased, a blend where it is weak, else the fit."""
    if not fit.usable or fit.caveat_kinds & BIASED:
        return "prior"
    return "blend" if fit.caveat_kinds & WEAK else "fitted"


def prior_sd(fit: ProductFit) -> float:
    width = fit.prior_high - fit.prior_low
    return width / (2 * Z90) if fit.prior_distribution == "normal" else width / math.sqrt(12)


def chosen_value(fit: ProductFit, choice: Choice) -> Chosen:
    """The value ``choice`` gives the product, with its interval."""
    if choice == "prior" or not fit.usable:
        return Chosen(fit.product, "prior", fit.prior)
    assert fit.elasticity is not None and fit.standard_error is not None
    value, sd = fit.elasticity, fit.standard_error
    if choice == "blend":
        prior = prior_sd(fit)
        if prior <= 0:
            return Chosen(fit.product, "prior", fit.prior)
        precision = 1 / prior**2 + 1 / max(sd, 1e-9) ** 2
        value = (fit.prior / prior**2 + value / max(sd, 1e-9) ** 2) / precision
        sd = precision**-0.5
    value = min(max(round(value, 2), LOWEST), HIGHEST)
    low = min(max(math.floor((value - Z90 * sd) * 100) / 100, LOWEST), value)
    high = max(min(math.ceil((value + Z90 * sd) * 100) / 100, HIGHEST), value)
    return Chosen(fit.product, choice, value, low, high)


def calibrated_scenario(
    scenario: Scenario, calibration: Calibration, choices: Mapping[str, Choice]
) -> Scenario:
    """``scenario`` with each product's chosen elasticity, its range and the provenance.

    Products missing from ``choices`` keep their stated value.

    Raises
    ------
    ScenarioError
        If the result is not a valid scenario (e.g. the notes would be too long).
    """
    chosen = [
        chosen_value(calibration.product(pid), choices.get(pid, "prior"))
        for pid in scenario.product_ids
    ]
    data = scenario.model_dump(mode="python")
    source = _source(calibration)
    for item, product in zip(chosen, data["products"], strict=True):
        if item.choice == "prior":
            continue
        product["price_elasticity"] = item.value
        data["uncertainty"]["ranges"][f"price_elasticity.{item.product}"] = {
            "low": item.low, "high": item.high, "distribution": "normal",
            "source": f"{item.choice} on {source}"[:200],
        }  # fmt: skip
    data["metadata"]["notes"] = _notes(scenario.metadata.notes, calibration, chosen)
    return scenario_from_data(data, "calibrated scenario")


def provenance(calibration: Calibration, chosen: Sequence[Chosen], detailed: bool = True) -> str:
    """One paragraph: the file, the deals used, their dates, the method and each choice."""
    skipped = (
        f", {calibration.open_skipped:,} open deals skipped" if calibration.open_skipped else ""
    )
    dates = ""
    if calibration.first_date is not None and calibration.last_date is not None:
        dates = f", closed {calibration.first_date:%Y-%m-%d} to {calibration.last_date:%Y-%m-%d}"
    text = (
        f"{PROVENANCE_START}: {_file_name(calibration)}, {calibration.rows_used:,} of "
        f"{calibration.rows_read:,} deals used{skipped}{dates}; {calibration.method}."
    )
    if detailed:
        text += " " + " ".join(_choice_sentence(calibration.product(c.product), c) for c in chosen)
    return text


def _choice_sentence(fit: ProductFit, chosen: Chosen) -> str:
    name = plain_text(fit.name, 80)
    if chosen.choice == "prior":
        return f"{name}: kept at the stated {fit.prior:g}."
    fitted = f"fitted {fit.elasticity:.2f} from {fit.deals:,} deals, win rate {fit.win_rate:.0%}"
    how = "fitted value" if chosen.choice == "fitted" else f"blend with the prior {fit.prior:g}"
    return f"{name}: {chosen.value:g} ({how}; 90 % {chosen.low:g}–{chosen.high:g}; {fitted})."


def _notes(notes: str, calibration: Calibration, chosen: Sequence[Chosen]) -> str:
    kept = [part for part in notes.split("\n\n") if not part.startswith(PROVENANCE_START)]
    for detailed in (True, False):
        text = "\n\n".join(
            [*(p for p in kept if p.strip()), provenance(calibration, chosen, detailed)]
        )
        if len(text) <= NOTES_LIMIT:
            return text
    raise ScenarioError(
        [f"metadata.notes: the notes are too long to add where the elasticities came from "
         f"(at most {NOTES_LIMIT:,} characters); shorten them and apply again"],
        "calibrated scenario",
    )  # fmt: skip


def _file_name(calibration: Calibration) -> str:
    return " ".join(plain_text(calibration.source, 80).split()) or "deal file"


def _source(calibration: Calibration) -> str:
    dates = ""
    if calibration.first_date is not None and calibration.last_date is not None:
        dates = f", {calibration.first_date:%Y-%m} to {calibration.last_date:%Y-%m}"
    return f"{_file_name(calibration)} ({calibration.rows_used:,} deals{dates})"


@dataclass(frozen=True)
class PriceEvidence:
    """What the company actually charged beside the prices the model says each side prefers.

    Money per unit; ``realised_discount`` is a fraction of list. None where the file has no
    won deals of the product.
    """

    product: str
    name: str
    list_price: float | None
    reference_price: float
    realised_price: float | None
    realised_discount: float | None
    rep_preferred_price: float | None
    best_price: float


def price_evidence(
    scenario: Scenario, calibration: Calibration, preferences: Sequence[PricePreference]
) -> list[PriceEvidence]:
    """Per product: list, reference and realised price, and the reps' and leadership's prices."""
    by_id = {p.product: p for p in preferences}
    return [
        PriceEvidence(
            product=p.id,
            name=p.name,
            list_price=calibration.product(p.id).list_price,
            reference_price=p.reference_price,
            realised_price=calibration.product(p.id).realised_price,
            realised_discount=calibration.product(p.id).realised_discount,
            rep_preferred_price=by_id[p.id].rep_preferred_price,
            best_price=by_id[p.id].best_price,
        )
        for p in scenario.products
    ]
