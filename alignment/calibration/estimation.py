"""Per product, how win probability responds to price, and the elasticity of share it implies.

The model (MODEL.md §11) is one logistic regression over all mapped deals,

    logit P(won) = α_j + τ_t + γ·competitor − b_j·r

with ``r`` the price relative to list, a win-rate level ``α_j`` and a price slope ``b_j`` per
product ``j``, a period effect ``τ_t`` per quarter shared by all products (sparse quarters are
merged), and, where the file names competitors, one effect ``γ`` of a competitor being named.
Observations are deals, not units. With the flow of opportunities and deal size independent of
price, share is proportional to win probability, so the own-price elasticity of share at
today's price ``p̄`` (the scenario's reference price; ``r̄ = p̄ / list``) is

    η_j = −∂ln P/∂ln p = b_j · r̄ · (1 − P(r̄))

with ``P(r̄)`` evaluated at the product's own mix of periods and competitor presence.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.special import expit

from alignment.calibration import caveats
from alignment.calibration.caveats import Caveat
from alignment.calibration.deals import Deals
from alignment.calibration.errors import DealFileError
from alignment.scenario import Scenario
from alignment.uncertainty_inputs import uncertain_parameters

Z90 = 1.6448536269514722  # standard normal 95th percentile: a two-sided 90 % interval
MIN_DEALS = 30
MIN_OUTCOME = 5  # wins and losses each: fewer and the slope is not identified
MIN_SPREAD = 0.005
MIN_PERIOD_DEALS = 50
MAX_PERIODS = 40
METHOD = (
    "logistic regression of won on price relative to list, with product and period effects; "
    "90 % intervals by the delta method"
)


@dataclass(frozen=True)
class ProductFit:
    """One scenario product's deals and fitted price response.

    Prices are money per unit; ``elasticity`` is η (positive: share falls as price rises), with
    its 90 % interval ``low``–``high``; None where the product could not be fitted (see
    ``caveats``). ``prior`` is the scenario's stated elasticity, with its range.
    """

    product: str
    name: str
    file_names: tuple[str, ...]
    deals: int
    wins: int
    list_price: float | None  # median list price in the file
    today: float | None  # the scenario's reference price relative to that list price
    realised_price: float | None  # won deals, weighted by quantity
    realised_discount: float | None
    price_spread: float | None  # standard deviation of price relative to list
    elasticity: float | None
    standard_error: float | None
    low: float | None
    high: float | None
    slope: float | None  # b_j, per unit of price relative to list
    slope_z: float | None
    prior: float
    prior_low: float
    prior_high: float
    prior_distribution: str
    caveats: tuple[Caveat, ...] = ()

    @property
    def win_rate(self) -> float | None:
        return self.wins / self.deals if self.deals else None

    @property
    def usable(self) -> bool:
        """Whether the fitted value may be written into the scenario (positive, at most 20)."""
        return self.elasticity is not None and 0.0 < self.elasticity <= 20.0

    @property
    def caveat_kinds(self) -> frozenset[str]:
        return frozenset(c.kind for c in self.caveats)


@dataclass(frozen=True)
class Calibration:
    """The fit of one deal file against one scenario's products.

    ``deals`` holds the mapped closed deals (columns of :class:`Deals` plus ``pid`` and
    ``period``), for the charts of the data behind each curve.
    """

    source: str
    rows_read: int
    rows_used: int
    open_skipped: int
    unmapped: int
    first_date: pd.Timestamp | None
    last_date: pd.Timestamp | None
    periods: tuple[str, ...]
    products: tuple[ProductFit, ...]
    pseudo_r2: float | None
    converged: bool
    competitor_effect: float | None
    deals: pd.DataFrame
    method: str = METHOD
    notes: tuple[str, ...] = ()
    _model: _Model | None = field(default=None, repr=False)

    def product(self, pid: str) -> ProductFit:
        return next(fit for fit in self.products if fit.product == pid)

    def win_curve(self, pid: str, points: int = 60) -> pd.DataFrame:
        """Fitted win probability against price relative to list, with its 90 % band and the
        curve the prior elasticity implies through the same point at today's price.

        Columns ``relative_price``, ``fitted``, ``low``, ``high``, ``prior``; empty where the
        product was not fitted.
        """
        fit = self.product(pid)
        if self._model is None or pid not in self._model.slope_index or fit.today is None:
            return pd.DataFrame(columns=["relative_price", "fitted", "low", "high", "prior"])
        observed = self.deals.loc[self.deals["pid"] == pid, "relative_price"]
        low, high = np.quantile(observed, [0.01, 0.99])
        grid = np.linspace(min(low, fit.today), max(high, fit.today), points)
        index, error = self._model.index(pid, grid)
        at_today = expit(self._model.index(pid, np.array([fit.today]))[0][0])
        prior_slope = fit.prior / (fit.today * (1.0 - at_today))
        prior_index = np.log(at_today / (1 - at_today)) - prior_slope * (grid - fit.today)
        return pd.DataFrame(
            {
                "relative_price": grid,
                "fitted": expit(index),
                "low": expit(index - Z90 * error),
                "high": expit(index + Z90 * error),
                "prior": expit(prior_index),
            }
        )

    def binned(self, pid: str, bins: int = 8) -> pd.DataFrame:
        """The product's deals in up to ``bins`` groups of similar price: ``relative_price``
        (mean), ``win_rate`` and ``deals`` per group."""
        own = self.deals[self.deals["pid"] == pid]
        if own.empty:
            return pd.DataFrame(columns=["relative_price", "win_rate", "deals"])
        groups = pd.qcut(own["relative_price"], q=min(bins, len(own)), duplicates="drop")
        table = own.groupby(groups, observed=True).agg(
            relative_price=("relative_price", "mean"), win_rate=("won", "mean"),
            deals=("won", "size"),
        )  # fmt: skip
        return table.reset_index(drop=True)


@dataclass(frozen=True)
class _Model:
    """The fitted coefficients, their covariance, and where each product's terms are."""

    params: np.ndarray
    cov: np.ndarray
    level_index: dict[str, int]
    slope_index: dict[str, int]
    mix: dict[str, np.ndarray]  # per product: the mean of its rows of the shared columns
    shared: slice  # the period and competitor columns

    def index(self, pid: str, relative_price: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Linear index ``α_j + mix·(τ, γ) − b_j·r`` and its standard error, per price."""
        rows = np.zeros((len(relative_price), len(self.params)))
        rows[:, self.level_index[pid]] = 1.0
        rows[:, self.shared] = self.mix[pid]
        rows[:, self.slope_index[pid]] = relative_price
        value = rows @ self.params
        error = np.sqrt(np.einsum("ij,jk,ik->i", rows, self.cov, rows))
        return value, error


def calibrate(deals: Deals, scenario: Scenario, mapping: dict[str, str | None]) -> Calibration:
    """Fit every mapped product's price response and its elasticity at today's price.

    Raises
    ------
    DealFileError
        If no deal maps to a scenario product, or every mapped deal was won (or lost).
    """
    frame = deals.frame.assign(pid=deals.frame["product"].map(mapping))
    mapped = frame[frame["pid"].notna()].reset_index(drop=True)
    if mapped.empty:
        raise DealFileError(
            ["no product in the file is mapped to a scenario product; map at least one"],
            deals.source,
        )
    if mapped["won"].all() or not mapped["won"].any():
        which = "won" if mapped["won"].all() else "lost"
        raise DealFileError(
            [f"every one of the {len(mapped):,} closed deals was {which}: a win rate can only "
             "respond to price if both won and lost deals are recorded; export lost "
             "opportunities and quotes too"],
            deals.source,
        )  # fmt: skip
    mapped["period"], periods = _periods(mapped)
    eligible, refusals = _eligible(mapped, scenario)
    model, fit_notes = _fit(mapped[mapped["pid"].isin(eligible)], eligible, deals.has_competitor)
    products = tuple(
        _product_fit(scenario, p.id, mapped, model, refusals.get(p.id), deals.has_competitor)
        for p in scenario.products
    )
    if model is not None and not fit_notes.get("converged"):
        products = tuple(
            replace(fit, caveats=(*fit.caveats, caveats.not_converged()))
            if fit.elasticity is not None else fit
            for fit in products
        )  # fmt: skip
    date_range = deals.date_range
    return Calibration(
        source=deals.source,
        rows_read=deals.rows_read,
        rows_used=len(mapped),
        open_skipped=deals.open_skipped,
        unmapped=len(frame) - len(mapped),
        first_date=date_range[0] if date_range else None,
        last_date=date_range[1] if date_range else None,
        periods=periods,
        products=products,
        pseudo_r2=fit_notes.get("pseudo_r2"),
        converged=bool(fit_notes.get("converged", False)),
        competitor_effect=fit_notes.get("competitor"),
        deals=mapped,
        notes=deals.notes,
        _model=model,
    )


def _periods(deals: pd.DataFrame) -> tuple[pd.Series, tuple[str, ...]]:
    """Each deal's period label: quarters, merged forward until each holds enough deals of
    both outcomes (years if there are more than :data:`MAX_PERIODS` quarters)."""
    if deals["close_date"].isna().all():
        return pd.Series("all", index=deals.index), ("all",)
    quarters = deals["close_date"].dt.to_period("Q")
    if quarters.nunique() > MAX_PERIODS:
        quarters = deals["close_date"].dt.to_period("Y")
    counts = deals.groupby(quarters)["won"].agg(["size", "sum"])
    label_of: dict[object, int] = {}
    groups: list[list[object]] = [[]]
    size = wins = 0
    for quarter, row in counts.iterrows():
        groups[-1].append(quarter)
        size, wins = size + row["size"], wins + row["sum"]
        if size >= MIN_PERIOD_DEALS and 0 < wins < size:
            groups.append([])
            size = wins = 0
    if not groups[-1]:
        groups.pop()
    elif len(groups) > 1:
        groups[-2].extend(groups.pop())
    names = []
    for number, group in enumerate(groups):
        names.append(str(group[0]) if len(group) == 1 else f"{group[0]}–{group[-1]}")
        label_of.update(dict.fromkeys(group, number))
    codes, uniques = pd.factorize(quarters)
    labels = np.array([names[label_of[q]] for q in uniques], dtype=object)
    return pd.Series(labels[codes], index=deals.index), tuple(names)


def _eligible(deals: pd.DataFrame, scenario: Scenario) -> tuple[list[str], dict[str, Caveat]]:
    """Products with enough deals, wins, losses and price variation to fit; why not, for the
    rest."""
    eligible, refusals = [], {}
    for pid in scenario.product_ids:
        own = deals[deals["pid"] == pid]
        wins, n = int(own["won"].sum()), len(own)
        if n == 0:
            why = "No deals in the file are mapped to this product; it keeps its stated value."
        elif n < MIN_DEALS:
            why = f"Only {n} deals: at least {MIN_DEALS} are needed to fit a price response."
        elif n - wins < MIN_OUTCOME:
            why = (f"Only {n - wins} lost deals: a win rate cannot respond to price without "
                   "lost deals; record lost quotes too, or keep the prior.")  # fmt: skip
        elif wins < MIN_OUTCOME:
            why = f"Only {wins} won deals: too few to fit a price response."
        elif own["relative_price"].std(ddof=0) < MIN_SPREAD:
            why = "Every deal was priced the same relative to list: price cannot explain wins."
        else:
            eligible.append(pid)
            continue
        refusals[pid] = Caveat("not_fitted", why)
    return eligible, refusals


def _fit(
    deals: pd.DataFrame, products: list[str], has_competitor: bool
) -> tuple[_Model | None, dict[str, float]]:
    if not products:
        return None, {}
    columns: list[np.ndarray] = []
    level_index, slope_index = {}, {}
    pid = deals["pid"].to_numpy()
    relative = deals["relative_price"].to_numpy(dtype=float)
    for product in products:
        own = (pid == product).astype(float)
        level_index[product] = len(columns)
        columns.append(own)
        slope_index[product] = len(columns)
        columns.append(own * relative)
    start = len(columns)
    period = deals["period"].to_numpy()
    for label in pd.unique(period)[1:]:
        columns.append((period == label).astype(float))
    competitor = deals["competitor"].to_numpy(dtype=float)
    use_competitor = has_competitor and 20 <= competitor.sum() <= len(competitor) - 20
    if use_competitor:
        columns.append(competitor)
    design = np.column_stack(columns)
    shared = slice(start, design.shape[1])
    won = deals["won"].to_numpy(dtype=float)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = sm.Logit(won, design, check_rank=False, hasconst=True, missing="none").fit(
                method="newton", maxiter=60, disp=False
            )
            params, cov = np.asarray(result.params), np.asarray(result.cov_params())
        except (np.linalg.LinAlgError, ValueError):
            return None, {"converged": 0.0}
    converged = bool(result.mle_retvals.get("converged", False)) and not any(
        "separation" in str(w.message).lower() for w in caught
    )
    if not np.all(np.isfinite(cov)):
        return None, {"converged": 0.0}
    mix = {p: design[pid == p, shared].mean(axis=0) for p in products}
    model = _Model(params, cov, level_index, slope_index, mix, shared)
    notes = {"pseudo_r2": _pseudo_r2(float(result.llf), won), "converged": float(converged)}
    if use_competitor:
        notes["competitor"] = float(params[-1])
    return model, notes


def _pseudo_r2(log_likelihood: float, won: np.ndarray) -> float:
    """McFadden's R² against one win rate for every deal (statsmodels would refit for it)."""
    rate = won.mean()
    null = len(won) * (rate * np.log(rate) + (1 - rate) * np.log(1 - rate))
    return 1.0 - log_likelihood / null


def elasticity_at(model: _Model, pid: str, today: float) -> tuple[float, float, float]:
    """``(η, its standard error, b)`` at price ``today`` relative to list.

    The interval is the delta method's: ``η`` is a smooth function of the coefficients ``θ``,
    whose maximum-likelihood estimate is asymptotically normal with covariance ``Σ`` (the
    inverse information), so ``se(η) = √(gᵀ Σ g)`` with ``g = ∂η/∂θ``. With ``z`` the linear
    index at ``r̄`` and ``c = ∂z/∂θ`` (1 for ``α_j``, the product's mix for ``τ`` and ``γ``,
    ``r̄`` for the slope coefficient ``−b_j``), ``η = −β·r̄·(1 − σ(z))`` with ``β = −b_j`` the
    coefficient, so ``g = −r̄(1 − P)·e_β + β·r̄·P(1 − P)·c``. A parametric bootstrap (drawing
    ``θ`` from the same normal) would give nearly the same interval here — ``η`` is close to
    linear in ``θ`` over its interval — at a thousand times the cost, and an interval
    symmetric about the estimate is what a "normal" uncertainty range states. Coverage is
    checked by test on seeded synthetic histories (≥ 85 % of 90 % intervals hold the truth).
    """
    index, _ = model.index(pid, np.array([today]))
    p = float(expit(index[0]))
    beta = float(model.params[model.slope_index[pid]])
    c = np.zeros(len(model.params))
    c[model.level_index[pid]] = 1.0
    c[model.shared] = model.mix[pid]
    c[model.slope_index[pid]] = today
    gradient = beta * today * p * (1 - p) * c
    gradient[model.slope_index[pid]] += -today * (1 - p)
    eta = -beta * today * (1 - p)
    error = float(np.sqrt(gradient @ model.cov @ gradient))
    return eta, error, -beta


def _product_fit(
    scenario: Scenario, pid: str, deals: pd.DataFrame, model: _Model | None,
    refusal: Caveat | None, has_competitor: bool,
) -> ProductFit:  # fmt: skip
    product = scenario.product(pid)
    prior = next(p for p in uncertain_parameters(scenario) if p.name == f"price_elasticity.{pid}")
    own = deals[deals["pid"] == pid]
    won = own[own["won"]]
    base = {
        "product": pid, "name": product.name,
        "file_names": tuple(sorted(own["product"].unique())),
        "deals": len(own), "wins": len(won),
        "prior": product.price_elasticity, "prior_low": prior.low, "prior_high": prior.high,
        "prior_distribution": prior.distribution,
    }  # fmt: skip
    if own.empty:
        return _unfitted(base, refusal)
    list_price = float(own["list_price"].median())
    today = product.reference_price / list_price
    weights = won["quantity"].to_numpy(dtype=float)
    base |= {
        "list_price": list_price, "today": today,
        "price_spread": float(own["relative_price"].std(ddof=0)),
        "realised_price": float(np.average(won["price"], weights=weights)) if len(won) else None,
        "realised_discount": float(np.average(won["discount"], weights=weights))
        if len(won) else None,
    }  # fmt: skip
    found = [
        caveats.small_sample(own), caveats.few_losses(own), caveats.little_variation(own),
        caveats.endogeneity(own, has_competitor), caveats.extrapolated(own, today),
    ]  # fmt: skip
    if refusal is not None or model is None or pid not in model.slope_index:
        why = refusal or Caveat("not_fitted", "The fit failed for this file; keep the prior.")
        return _unfitted(base, why, found)
    eta, error, slope = elasticity_at(model, pid, today)
    low, high = eta - Z90 * error, eta + Z90 * error
    found += [caveats.wrong_sign(eta), caveats.wide_interval(eta, low, high)]
    return ProductFit(
        **base, elasticity=eta, standard_error=error, low=low, high=high, slope=slope,
        slope_z=slope / np.sqrt(model.cov[model.slope_index[pid], model.slope_index[pid]]),
        caveats=tuple(c for c in found if c is not None),
    )  # fmt: skip


def _unfitted(base: dict, refusal: Caveat | None, found: list | None = None) -> ProductFit:
    defaults = dict.fromkeys(
        ("list_price", "today", "realised_price", "realised_discount", "price_spread"), None
    )
    listed = [refusal, *(found or [])]
    return ProductFit(
        **(defaults | base), elasticity=None, standard_error=None, low=None, high=None,
        slope=None, slope_z=None, caveats=tuple(c for c in listed if c is not None),
    )  # fmt: skip
