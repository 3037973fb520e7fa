"""How sure we are of a plan's figures: bands over draws of the uncertain inputs (MODEL.md §10).

Each uncertain input (:func:`alignment.uncertainty_inputs.uncertain_parameters`) has a range. A
seeded Latin hypercube spreads ``D`` draws evenly over every input at once; each draw is mapped
through its input's distribution:

- **uniform**: every value from ``low`` to ``high`` alike;
- **normal**: a split normal whose mode is the stated (central) value and whose 5th and 95th
  percentiles are ``low`` and ``high`` (a 90 % interval, as a calibration reports it); it is
  truncated to the values the model accepts (an elasticity above 0, a habit of at most 1), so
  no draw is invalid.

Every plan is valued in the working scenario (its market, team, goals and ``λ``), in each draw,
beside the status quo's plan valued **in the same draw**: the comparison asks "in this version
of the market, is the plan better than today for both sides?", never mixes two versions.

A plan's figures get a median and a 10–90 % band (80 % of the draws fall inside). The
probability that a plan leaves both parties better off is the share of draws in which
leadership's value *and* the reps' measure are both strictly above the status quo's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import optimize, special
from scipy.stats import qmc

from alignment.compromise.utilities import (
    RepUtility,
    check_rep_utility,
    check_same_products,
    party_utilities,
    plan_in_working,
)
from alignment.draws import evaluate_draws
from alignment.evaluate import Outcomes, Plans, stacked
from alignment.scenario import Scenario
from alignment.uncertainty_inputs import UncertainParameter, _valid_interval, uncertain_parameters

Kind = Literal["money", "fraction", "score", "hours"]
# The headline figures that get a band: (field of Outcomes, label, kind of number).
FIGURES: tuple[tuple[str, str, Kind], ...] = (
    ("leadership_value", "Leadership's value", "money"),
    ("contribution", "Contribution", "money"),
    ("total_revenue", "Revenue", "money"),
    ("gross_margin_pct", "Gross margin %", "fraction"),
    ("new_product_share", "New-product share", "fraction"),
    ("rep_utility", "Reps' earnings less the cost of effort", "money"),
    ("expected_earnings", "Expected earnings per rep", "money"),
    ("motivation", "Rep motivation", "score"),
    ("team_hours", "Team selling hours", "hours"),
)
FIGURE_NAMES = tuple(name for name, _, _ in FIGURES)
BAND_LOW, BAND_HIGH = 0.10, 0.90
# A normal range's low and high are its 5th and 95th percentiles.
_TAIL = 0.05


@dataclass(frozen=True)
class Marginal:
    """One input's distribution over its draws: a quantile function from ``u`` in [0, 1].

    ``lowest``, ``highest``: the values the model accepts, where a normal is truncated.
    """

    parameter: UncertainParameter
    lowest: float
    highest: float

    def quantile(self, u: np.ndarray) -> np.ndarray:
        """The value at probability ``u`` (any shape, each in [0, 1])."""
        p = self.parameter
        u = np.asarray(u, dtype=float)
        if p.width == 0.0:
            return np.full(u.shape, p.central)
        if p.distribution == "uniform":
            return p.low + u * p.width
        shape = split_normal(p.central, p.low, p.high)
        floor, ceiling = shape.cdf(self.lowest), shape.cdf(self.highest)
        return np.clip(shape.quantile(floor + u * (ceiling - floor)), self.lowest, self.highest)

    def in_range(self, u: np.ndarray) -> np.ndarray:
        """The value at ``u`` with ``u`` spanning ``low``..``high`` only (for a sensitivity
        design, which must move each input across its stated range, never into the tails)."""
        p = self.parameter
        u = np.asarray(u, dtype=float)
        if p.distribution == "uniform" or p.width == 0.0:
            return p.low + u * p.width
        shape = split_normal(p.central, p.low, p.high)
        return np.clip(shape.quantile(_TAIL + u * (1.0 - 2.0 * _TAIL)), p.low, p.high)


@dataclass(frozen=True)
class SplitNormal:
    """A normal with different spreads either side of its mode: ``left`` below, ``right``
    above; ``weight`` is the probability of falling below the mode."""

    mode: float
    left: float
    right: float
    weight: float

    def cdf(self, x: float | np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            below = 2.0 * self.weight * special.ndtr((x - self.mode) / self.left)
            above = self.weight + 2.0 * (1.0 - self.weight) * (
                special.ndtr((x - self.mode) / self.right) - 0.5
            )
        return np.where(
            x < self.mode, np.nan_to_num(below), np.where(x > self.mode, above, self.weight)
        )

    def quantile(self, u: np.ndarray) -> np.ndarray:
        u = np.asarray(u, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            below = self.mode + self.left * special.ndtri(u / (2.0 * self.weight))
            above = self.mode + self.right * special.ndtri(
                0.5 + (u - self.weight) / (2.0 * (1.0 - self.weight))
            )
        return np.where(u < self.weight, below, np.where(u > self.weight, above, self.mode))


def split_normal(mode: float, low: float, high: float) -> SplitNormal:
    """The split normal with this ``mode`` whose 5th and 95th percentiles are ``low``, ``high``.

    A symmetric range gives the plain normal (σ = half-width / 1.645). With ``low == mode`` all
    the mass is above the mode (a half normal whose 95th percentile is ``high``), and the mirror.
    """
    below, above = mode - low, high - mode
    if below <= 0.0 and above <= 0.0:
        return SplitNormal(mode, 0.0, 0.0, 0.5)
    if below <= 0.0:
        return SplitNormal(mode, 0.0, above / special.ndtri(1.0 - _TAIL / 2.0), 0.0)
    if above <= 0.0:
        return SplitNormal(mode, below / special.ndtri(1.0 - _TAIL / 2.0), 0.0, 1.0)

    def spreads(weight: float) -> tuple[float, float]:
        # P(X < low) = 2·weight·Φ(−below/σ_left) = 5 %, and the same above.
        left = below / special.ndtri(1.0 - _TAIL / (2.0 * weight))
        right = above / special.ndtri(1.0 - _TAIL / (2.0 * (1.0 - weight)))
        return left, right

    def mismatch(weight: float) -> float:
        left, right = spreads(weight)
        return left / (left + right) - weight

    edge = _TAIL + 1e-9  # below it a spread would be infinite
    weight = optimize.brentq(mismatch, edge, 1.0 - edge, xtol=1e-12)
    left, right = spreads(weight)
    return SplitNormal(mode, float(left), float(right), float(weight))


def marginals(scenario: Scenario) -> tuple[Marginal, ...]:
    """Every uncertain input of ``scenario`` with its distribution, products' first."""
    return tuple(
        Marginal(p, *_valid_interval(scenario, p.kind, p.product))
        for p in uncertain_parameters(scenario)
    )


@dataclass(frozen=True)
class Sample:
    """``D`` draws of every uncertain input: ``values`` is ``(D, P)``, one column per input."""

    parameters: tuple[UncertainParameter, ...]
    values: np.ndarray
    seed: int

    def __len__(self) -> int:
        return int(self.values.shape[0])

    @property
    def central(self) -> np.ndarray:
        """The stated values ``(P,)``: the central estimate."""
        return np.array([p.central for p in self.parameters])


def latin_hypercube(
    scenario: Scenario, draws: int | None = None, seed: int | None = None
) -> Sample:
    """``draws`` seeded Latin-hypercube draws of the scenario's uncertain inputs.

    Defaults: the scenario's ``uncertainty.draws`` and ``uncertainty.seed``. The same scenario,
    count and seed always give the same draws.
    """
    draws = scenario.uncertainty.draws if draws is None else _checked_draws(draws)
    seed = scenario.uncertainty.seed if seed is None else _checked_seed(seed)
    found = marginals(scenario)
    unit = qmc.LatinHypercube(d=len(found), rng=np.random.default_rng(seed)).random(draws)
    values = np.column_stack([m.quantile(unit[:, j]) for j, m in enumerate(found)])
    return Sample(tuple(m.parameter for m in found), values, seed)


@dataclass(frozen=True)
class Gains:
    """Each party's gain over the status quo, per draw and plan, ``(D, K)``: leadership's value
    (money per period) and the reps' measure (money per rep per period, or motivation points),
    both against the status quo's plan in the same draw."""

    leadership: np.ndarray
    reps: np.ndarray

    def both_gain(self) -> np.ndarray:
        """Share of draws, per plan ``(K,)``, in which both sides are strictly better off."""
        return ((self.leadership > 0.0) & (self.reps > 0.0)).mean(axis=0)


def plan_gains(
    working: Scenario,
    plans: Plans,
    sample: Sample,
    status_quo: Scenario | None = None,
    rep_utility: RepUtility = "rep_utility",
) -> Gains:
    """Gains of ``K`` plans (levers of the working scenario's commission plan) in every draw.

    For the optimiser: ``plans`` are valued as :func:`alignment.evaluate.evaluate` values them
    in ``working``, the status quo's plan as :func:`plan_in_working` does, both in each draw.
    """
    check_rep_utility(rep_utility)
    status_quo = _checked_status_quo(working, status_quo)
    values = sample.values
    candidates = _outcome_grid(evaluate_draws(working, plans, sample.parameters, values,
                                              status_quo=status_quo), len(values))  # fmt: skip
    today = draw_outcomes(working, [status_quo], sample.parameters, values, status_quo)[0]
    leadership, reps = party_utilities(candidates, rep_utility)
    d_leadership, d_reps = party_utilities(today, rep_utility)
    return Gains(leadership - d_leadership[:, None], reps - d_reps[:, None])


@dataclass(frozen=True)
class Band:
    """A figure over the draws: ``median``, the 10–90 % band (``low``, ``high``) and the
    figure at the stated values (``central``)."""

    median: float
    low: float
    high: float
    central: float

    @property
    def width(self) -> float:
        return self.high - self.low


@dataclass(frozen=True)
class PlanUncertainty:
    """One plan over the draws: a band per headline figure, each side's gain, and how likely
    both sides are better off than the status quo."""

    name: str
    bands: dict[str, Band]
    leadership_gain: Band
    reps_gain: Band
    both_gain: float  # share of draws, 0–1
    draws: int
    unsettled: int  # draws whose selling hours did not settle (figures use the best mix)
    quantiles: dict[str, np.ndarray]  # per figure, 20 evenly spaced quantiles (a dot plot)


def plan_uncertainty(
    working: Scenario,
    plans: Sequence[Scenario] | None = None,
    status_quo: Scenario | None = None,
    *,
    draws: int | None = None,
    seed: int | None = None,
    rep_utility: RepUtility = "rep_utility",
    names: Sequence[str] | None = None,
) -> tuple[PlanUncertainty, ...]:
    """Each plan's figures over seeded draws of the working scenario's uncertain inputs.

    Parameters
    ----------
    working : the scenario whose market, team, goals and ranges every plan is valued in.
    plans : scenarios whose whole plan (prices, commission plan, marketing) is valued; default:
        the working scenario's own plan.
    status_quo : the plan both sides compare against (default: the working scenario); its hours
        anchor every plan's (MODEL.md §3).
    draws, seed : default the working scenario's ``uncertainty.draws`` and ``seed``.
    rep_utility : the reps' measure for "better off": earnings less the cost of effort (money
        per rep), ``motivation`` (0–100) or ``expected_earnings``.
    names : one label per plan (default: each scenario's name).

    Returns
    -------
    One :class:`PlanUncertainty` per plan, in order.
    """
    check_rep_utility(rep_utility)
    status_quo = _checked_status_quo(working, status_quo)
    plans = list(plans) if plans is not None else [working]
    for plan in plans:
        check_same_products(working, plan, "plans")
    names = list(names) if names is not None else [p.metadata.name for p in plans]
    if len(names) != len(plans):
        raise ValueError(f"names: {len(names)} names for {len(plans)} plans; give one per plan")
    sample = latin_hypercube(working, draws, seed)
    values = np.vstack([sample.central, sample.values])
    results = draw_outcomes(working, [status_quo, *plans], sample.parameters, values, status_quo)
    today = results[0]
    d_leadership, d_reps = party_utilities(today, rep_utility)
    return tuple(
        _summary(name, outcome, d_leadership, d_reps, rep_utility)
        for name, outcome in zip(names, results[1:], strict=True)
    )


def _summary(
    name: str,
    outcomes: Outcomes,
    d_leadership: np.ndarray,
    d_reps: np.ndarray,
    rep_utility: RepUtility,
) -> PlanUncertainty:
    """Row 0 of every array is the central estimate, the rest the draws."""
    leadership, reps = party_utilities(outcomes, rep_utility)
    gains = Gains((leadership - d_leadership)[1:, None], (reps - d_reps)[1:, None])
    grid = np.linspace(0.025, 0.975, 20)
    return PlanUncertainty(
        name=name,
        bands={f: band(getattr(outcomes, f)) for f in FIGURE_NAMES},
        leadership_gain=band(leadership - d_leadership),
        reps_gain=band(reps - d_reps),
        both_gain=float(gains.both_gain()[0]),
        draws=len(leadership) - 1,
        unsettled=int((~outcomes.converged[1:]).sum()),
        quantiles={f: np.quantile(getattr(outcomes, f)[1:], grid) for f in FIGURE_NAMES},
    )


def band(values: np.ndarray) -> Band:
    """The band of ``values`` whose first entry is the central estimate, the rest draws."""
    drawn = values[1:]
    low, median, high = np.quantile(drawn, [BAND_LOW, 0.5, BAND_HIGH])
    return Band(float(median), float(low), float(high), float(values[0]))


def draw_outcomes(
    working: Scenario,
    plans: Sequence[Scenario],
    parameters: Sequence[UncertainParameter],
    values: np.ndarray,
    status_quo: Scenario,
) -> list[Outcomes]:
    """Each plan's outcomes in every draw (``D`` rows each), valued in ``working``.

    Plans that share every term of the commission plan but the rates and kickers are evaluated
    as one batch; the same plan twice is evaluated once, so the status quo beside itself gives
    bit-identical figures. Identical draws (ranges collapsed) are evaluated once.
    """
    unique_values, row_of = np.unique(values, axis=0, return_inverse=True)
    row_of = row_of.reshape(-1)
    keys = []
    distinct: dict[str, Scenario] = {}
    for plan in plans:
        framed = plan_in_working(working, plan)
        keys.append(framed.model_dump_json())
        distinct.setdefault(keys[-1], framed)
    groups: dict[str, list[str]] = {}
    for key, scenario in distinct.items():
        groups.setdefault(_frame_key(scenario), []).append(key)
    found: dict[str, Outcomes] = {}
    for members in groups.values():
        batch = stacked([Plans.from_scenario(distinct[key]) for key in members])
        outcomes = evaluate_draws(
            distinct[members[0]], batch, parameters, unique_values, status_quo=status_quo
        )
        grid = _outcome_grid(outcomes, len(unique_values))
        for column, key in enumerate(members):
            found[key] = _take(grid, column, row_of)
    return [found[key] for key in keys]


def _frame_key(scenario: Scenario) -> str:
    """What a plan shares with every plan it can be batched with: all but the levers."""
    terms = scenario.commission.model_dump(exclude={"revenue_rate", "margin_rate", "kickers"})
    return repr(sorted(terms.items()))


def _outcome_grid(outcomes: Outcomes, draws: int) -> Outcomes:
    """Draw-major outcomes reshaped to ``(D, K, ...)``."""
    return type(outcomes)(**{
        name: np.reshape(value, (draws, -1, *np.shape(value)[1:]))
        for name, value in vars(outcomes).items()
    })  # fmt: skip


def _take(grid: Outcomes, column: int, rows: np.ndarray) -> Outcomes:
    """Plan ``column`` of a ``(D, K, ...)`` grid, at ``rows`` of the draws."""
    return type(grid)(**{name: value[:, column][rows] for name, value in vars(grid).items()})


def _checked_status_quo(working: Scenario, status_quo: Scenario | None) -> Scenario:
    if status_quo is None:
        return working
    check_same_products(working, status_quo)
    return status_quo


def _checked_draws(draws: int) -> int:
    if not 1 <= int(draws) <= 20_000:
        raise ValueError(f"draws: {draws} is outside 1–20,000; ask for fewer or more draws")
    return int(draws)


def _checked_seed(seed: int) -> int:
    if not 0 <= int(seed) <= 2**31 - 1:
        raise ValueError(f"seed: {seed} is outside 0–2,147,483,647; pick a seed in that range")
    return int(seed)
