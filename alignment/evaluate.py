"""One call from a scenario and K candidate plans to every outcome of MODEL.md §7.

A *plan* is what the room negotiates: prices, commission rates, kickers and the marketing
budget. Everything else (market, team, goals) comes from the scenario.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import TypeVar

import numpy as np

from alignment.commission import Payout, commission_per_unit, team_payout
from alignment.demand import EFFORT_FLOOR, Demand, calibrate, logit_shares, utility
from alignment.effort import Allocation, allocate_hours, plan_columns
from alignment.goals import leadership_value, leadership_value_per_unit
from alignment.marketing import content_reach, marketing_roi, selling_productivity
from alignment.motivation import Motivation
from alignment.plan_chunks import map_batches
from alignment.product_sums import product_max, product_sums
from alignment.scenario import Scenario
from alignment.solver import Columns, HoursSolver
from alignment.tolerances import COUNTERFACTUAL_DISTANCE


@dataclass(frozen=True)
class Plans:
    """K candidate plans: per-product levers ``(K, N)``, plan-wide levers ``(K,)``."""

    price: np.ndarray
    kicker: np.ndarray
    lead_gen: np.ndarray
    revenue_rate: np.ndarray
    margin_rate: np.ndarray
    push_content: np.ndarray

    def __len__(self) -> int:
        return int(self.price.shape[0])

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> Plans:
        ids = scenario.product_ids
        plan = scenario.commission
        return cls(
            price=np.array([[p.price for p in scenario.products]]),
            kicker=np.array([[plan.kickers.get(i, 0.0) for i in ids]]),
            lead_gen=np.array([[scenario.marketing.lead_generation.get(i, 0.0) for i in ids]]),
            revenue_rate=np.array([plan.revenue_rate]),
            margin_rate=np.array([plan.margin_rate]),
            push_content=np.array([scenario.marketing.push_content]),
        )

    def slice(self, rows: slice) -> Plans:
        """A contiguous run of the plans (views, not copies)."""
        return Plans(**{f.name: getattr(self, f.name)[rows] for f in fields(self)})

    def take(self, index: np.ndarray | int) -> Plans:
        """The plans at ``index``, still shaped as a batch."""
        index = np.atleast_1d(index)
        return Plans(**{f.name: getattr(self, f.name)[index] for f in fields(self)})


Batch = TypeVar("Batch", "Plans", "Outcomes")


def stacked(parts: Sequence[Batch]) -> Batch:
    """Several batches of plans (or of their outcomes) as one, in order."""
    first = parts[0]
    return type(first)(
        **{f.name: np.concatenate([getattr(part, f.name) for part in parts]) for f in fields(first)}
    )


def apply_plan(scenario: Scenario, plans: Plans, index: int = 0) -> Scenario:
    """The scenario with plan ``index``'s levers written into it (a new, validated scenario)."""
    ids = scenario.product_ids
    data = scenario.model_dump()
    for i, product in enumerate(data["products"]):
        product["price"] = float(plans.price[index, i])
    data["commission"]["revenue_rate"] = float(plans.revenue_rate[index])
    data["commission"]["margin_rate"] = float(plans.margin_rate[index])
    data["commission"]["kickers"] = {
        pid: float(plans.kicker[index, i]) for i, pid in enumerate(ids) if plans.kicker[index, i]
    }
    data["marketing"]["lead_generation"] = {
        pid: float(plans.lead_gen[index, i])
        for i, pid in enumerate(ids)
        if plans.lead_gen[index, i]
    }
    data["marketing"]["push_content"] = float(plans.push_content[index])
    return Scenario.model_validate(data)


@dataclass(frozen=True)
class Outcomes:
    """Every figure of MODEL.md §7 for K plans. Money per period; shares as fractions."""

    # per product, (K, N)
    price: np.ndarray
    share: np.ndarray
    units: np.ndarray
    revenue: np.ndarray
    gross_margin: np.ndarray
    commission_per_unit: np.ndarray
    expected_marginal_pay: np.ndarray  # π: what one more unit pays a rep, on average
    commission: np.ndarray
    hours: np.ndarray
    time_share: np.ndarray
    pay_hours: np.ndarray  # the mix the commission plan pays for
    asked_hours: np.ndarray  # the mix leadership's value asks for
    # totals, (K,)
    team_hours: np.ndarray
    total_revenue: np.ndarray
    total_gross_margin: np.ndarray
    gross_margin_pct: np.ndarray
    commission_cost: np.ndarray
    sales_compensation: np.ndarray
    cost_of_sales_pct: np.ndarray
    marketing_spend: np.ndarray
    contribution: np.ndarray
    leadership_value: np.ndarray
    new_product_share: np.ndarray
    expected_attainment: np.ndarray
    share_at_quota: np.ndarray
    expected_earnings: np.ndarray
    effort_cost: np.ndarray  # per rep: what hours beyond today's cost the rep, money
    rep_utility: np.ndarray  # per rep: expected earnings net of the cost of effort, money
    expectancy: np.ndarray
    instrumentality: np.ndarray
    valence: np.ndarray
    motivation: np.ndarray
    goal_conflict: np.ndarray
    content_reach: np.ndarray
    deals_sourced: np.ndarray
    deals_influenced: np.ndarray
    marketing_roi: np.ndarray
    lead_gen_roi: np.ndarray
    content_roi: np.ndarray
    converged: np.ndarray


PRODUCT_FIELDS = (
    "price", "share", "units", "revenue", "gross_margin", "commission_per_unit",
    "expected_marginal_pay", "commission", "hours", "time_share", "pay_hours", "asked_hours",
)  # fmt: skip
TOTAL_FIELDS = tuple(f.name for f in fields(Outcomes) if f.name not in PRODUCT_FIELDS)


def calibrated(scenario: Scenario, status_quo: Scenario | None = None) -> Demand:
    """The scenario's demand, with the status quo's rep motivation ``M̄`` (MODEL.md §3).

    ``M̄`` is the motivation of the status quo's own plan with today's selling hours: the
    motivation at which reps put in ``H̄``. Without a status quo the scenario is its own.
    """
    demand = calibrate(scenario)
    base = status_quo if status_quo is not None else scenario
    base_demand = demand if base is scenario else calibrate(base)
    today = _solve(base, Plans.from_scenario(base), base_demand, reference_motivation=None)
    return replace(demand, reference_motivation=float(today.motivation[0]))


def evaluate(
    scenario: Scenario,
    plans: Plans | None = None,
    demand: Demand | None = None,
    *,
    status_quo: Scenario | None = None,
    counterfactuals: bool = True,
) -> Outcomes:
    """Evaluate ``plans`` (default: the scenario's own plan) against the scenario's market.

    Total selling hours respond to motivation relative to the status quo's (``status_quo``,
    default the scenario itself). Pass a precomputed ``demand`` (from :func:`calibrated`) to
    skip recalibration when evaluating many batches of one scenario.

    ``counterfactuals=False`` skips the mixes asked and re-planned of MODEL.md §6: the hours
    leadership asks for, deals sourced and influenced and the three marketing ROIs are left NaN.
    They are about a third of a large batch's cost, and batches that only rank or sweep plans
    (price sweeps, the deal search, uncertainty draws) read none of them.
    """
    plans = plans if plans is not None else Plans.from_scenario(scenario)
    if demand is None or demand.reference_motivation is None:
        demand = calibrated(scenario, status_quo)
    known: Demand = demand

    def part(rows: slice) -> Outcomes:
        if rows != slice(0, len(plans)):  # a part: its plans, and their demand where it is theirs
            return _solve(scenario, plans.slice(rows), *_demand_of(known, rows), counterfactuals)
        return _solve(scenario, plans, known, known.reference_motivation, counterfactuals)

    # A very large batch is evaluated in parts side by side (alignment.plan_chunks).
    parts = map_batches(part, len(plans))
    return parts[0] if len(parts) == 1 else stacked(parts)


@dataclass(frozen=True)
class _Sold:
    """What a given mix of hours sells, and what the plan pays for it."""

    hours: np.ndarray
    share: np.ndarray
    units: np.ndarray
    revenue: np.ndarray
    gross_margin: np.ndarray
    payout: Payout
    plain_commission: np.ndarray

    def before_marketing(self, reps: int) -> np.ndarray:
        """Gross margin less variable sales pay, before marketing spend, ``(plans,)``."""
        return product_sums(self.gross_margin) - self.payout.variable_pay_per_rep * reps


class _Market:
    """One scenario and batch of plans: the constant parts of every evaluation step."""

    def __init__(self, scenario: Scenario, plans: Plans, demand: Demand) -> None:
        self.scenario, self.plans, self.demand = scenario, plans, demand
        team, plan = scenario.sales_team, scenario.commission
        k = len(plans)
        self.unit_cost = np.array([p.unit_cost for p in scenario.products])
        self.strategic = np.array([p.strategic for p in scenario.products], dtype=float)
        self.strategic_value = np.array(
            [scenario.goals.strategic_value.get(p.id, 0.0) for p in scenario.products]
        )
        self.strategic_market = _strategic_market(demand, self.strategic)
        self.reference_team_hours = team.reps * team.hours_per_rep
        self.todays_mix = demand.reference_hours / demand.reference_hours.sum()
        # The team's behaviour: the scenario's, or one value per plan (parameter draws).
        self.habit = _per_plan(demand.habit, team.habit, k)
        self.effort_response = _per_plan(demand.effort_response, team.effort_response, k)
        price = plans.price
        self.pay_per_unit = commission_per_unit(
            price, self.unit_cost, plans.revenue_rate[:, None], plans.margin_rate[:, None],
            plans.kicker,
        )  # fmt: skip
        self.quota_basis = price if plan.quota.basis == "revenue" else price - self.unit_cost
        self.quota_per_unit = self.quota_basis / plan.quota.per_rep
        self.reach = content_reach(plans.push_content, scenario.marketing.push_content_scale)
        self.productivity = selling_productivity(
            self.reach, scenario.marketing.push_content_productivity
        )
        self._fixed: list[tuple[np.ndarray, np.ndarray]] = []

    def fixed_utility(self, lead_gen: np.ndarray) -> np.ndarray:
        """The part of the utility that does not depend on hours, ``(plans, products)``:
        ``α − βp + δ(...) − γ ln((1 + φ) ē)``, kept per lead-generation spend."""
        demand = self.demand
        for spend, fixed in self._fixed:
            if spend is lead_gen:
                return fixed
        hours_today = np.broadcast_to(demand.reference_hours, lead_gen.shape)
        fixed = utility(demand, self.plans.price, hours_today, lead_gen) - (
            demand.gamma * np.log(demand.reference_hours + demand.unassisted_hours)
        )
        self._fixed.append((lead_gen, fixed))
        return fixed

    def shares(
        self, hours: np.ndarray, lead_gen: np.ndarray, productivity: np.ndarray | None = None
    ) -> np.ndarray:
        """:func:`alignment.demand.shares` for this batch, reusing the part of the utility that
        does not depend on hours (computed once per lead-generation spend)."""
        productivity = self.productivity if productivity is None else productivity
        demand = self.demand
        fixed = self.fixed_utility(lead_gen)
        effective = np.maximum(hours * productivity[:, None], EFFORT_FLOOR * demand.reference_hours)
        value = np.log(effective + demand.unassisted_hours)
        value *= demand.gamma
        value += fixed
        return logit_shares(value, demand.same_segment)

    def sold(
        self, hours: np.ndarray, lead_gen: np.ndarray, productivity: np.ndarray | None = None
    ) -> _Sold:
        plan, team = self.scenario.commission, self.scenario.sales_team
        price = self.plans.price
        share = self.shares(hours, lead_gen, productivity)
        units = self.demand.segment_size * share
        revenue = price * units
        gross_margin = (price - self.unit_cost) * units
        plain = product_sums(self.pay_per_unit * units)
        basis = (
            product_sums(revenue) if plan.quota.basis == "revenue" else product_sums(gross_margin)
        )
        payout = team_payout(
            plain, basis, team.reps, plan.quota.per_rep, plan.accelerator, plan.cap,
            team.attainment_spread,
        )  # fmt: skip
        return _Sold(hours, share, units, revenue, gross_margin, payout, plain)

    def mix(self, allocation: np.ndarray, team_hours: np.ndarray) -> np.ndarray:
        """Hours as reps put them: the allocation, held back towards today's mix by habit."""
        habit = self.habit[:, None]
        return (1.0 - habit) * allocation + habit * self.todays_mix * team_hours[:, None]

    def columns(self, reference_motivation: float | np.ndarray | None) -> Columns:
        """This batch's constants in the solver's ``(products, plans)`` layout."""
        k = len(self.plans)
        gamma = plan_columns(self.demand.gamma)
        return Columns(
            fixed=np.ascontiguousarray(self.fixed_utility(self.plans.lead_gen).T),
            gamma=gamma,
            unassisted=plan_columns(self.demand.unassisted_hours),
            weight_scale=gamma * self.demand.segment_size[:, None],
            pay_per_unit=np.ascontiguousarray(self.pay_per_unit.T),
            quota_per_unit=np.ascontiguousarray(self.quota_per_unit.T),
            basis_per_unit=np.ascontiguousarray(self.quota_basis.T),
            productivity=self.productivity,
            habit=self.habit,
            effort_response=self.effort_response,
            reference_motivation=_per_plan(reference_motivation, np.nan, k),
            pay_scale=product_max(np.abs(self.pay_per_unit)) + 1.0,
        )


def _demand_of(demand: Demand, rows: slice) -> tuple[Demand, float | np.ndarray | None]:
    """The demand of a run of plans (per-plan draws cut to it), and its ``M̄``."""
    part = demand.take(np.arange(rows.start, rows.stop))
    return part, part.reference_motivation


def _per_plan(value: float | np.ndarray | None, default: float, plans: int) -> np.ndarray:
    """One value per plan: ``value`` (one or one per plan), or ``default`` where it is None."""
    chosen = default if value is None else value
    return np.array(np.broadcast_to(np.asarray(chosen, dtype=float), (plans,)))


def _solve(
    scenario: Scenario,
    plans: Plans,
    demand: Demand,
    reference_motivation: float | np.ndarray | None,
    counterfactuals: bool = True,
) -> Outcomes:
    """Hours, pay and motivation solved together (:mod:`alignment.solver`);
    ``reference_motivation`` None holds H at H̄."""
    market = _Market(scenario, plans, demand)
    solver = HoursSolver(scenario, demand, market.strategic, market.strategic_market)
    columns = market.columns(reference_motivation)
    respond = reference_motivation is not None and bool(np.any(market.effort_response > 0))
    solution = solver.solve(columns, respond)
    pay_hours, team_hours = solution.pay_hours, solution.team_hours
    # Held hours never needed the conflict in the loop: work it out once, at the solution.
    conflict = solution.conflict if respond else solver.conflict(pay_hours.T, columns)
    sold = market.sold(market.mix(pay_hours, team_hours), plans.lead_gen)
    marginal = sold.payout.marginal_pay(market.pay_per_unit, market.quota_per_unit)
    motivation = solver.motivation(
        sold.payout.share_at_quota, conflict, product_sums(marginal * sold.units),
        sold.payout.variable_pay_per_rep,
    )  # fmt: skip
    allocation = Allocation(pay_hours, solution.settled, solution.iterations)
    marketing = (
        _counterfactuals(market, sold, marginal, allocation, team_hours)
        if counterfactuals
        else _Counterfactuals.skipped(len(plans), plans.price.shape[1])
    )
    return _outcomes(
        market, allocation, sold, marginal, motivation, conflict, team_hours, solution.settled,
        marketing,
    )  # fmt: skip


def _outcomes(
    market: _Market, allocation: Allocation, sold: _Sold, marginal: np.ndarray,
    motivation: Motivation, conflict: np.ndarray, team_hours: np.ndarray, settled: np.ndarray,
    marketing: _Counterfactuals,
) -> Outcomes:  # fmt: skip
    scenario, plans = market.scenario, market.plans
    team = scenario.sales_team
    payout = sold.payout
    price, lead_gen = plans.price, plans.lead_gen
    total_revenue = product_sums(sold.revenue)
    total_gross_margin = product_sums(sold.gross_margin)
    commission_cost = payout.variable_pay_per_rep * team.reps
    sales_compensation = commission_cost + team.base_salary * team.reps
    marketing_spend = product_sums(lead_gen) + plans.push_content
    contribution = total_gross_margin - sales_compensation - marketing_spend

    # The reps' cost of effort beyond today's hours: an hour at today's level costs what it
    # pays at target, rising linearly above it, c(h) − c(h̄) with c(h) = w h² / (2 h̄). Fewer
    # hours than today are disengagement, not a gain, so they cost nothing and earn less.
    hours_per_rep = team_hours / team.reps
    target_pay_per_hour = (team.on_target_earnings - team.base_salary) / team.hours_per_rep
    extra = np.maximum(hours_per_rep**2 - team.hours_per_rep**2, 0.0)
    effort_cost = target_pay_per_hour * extra / (2.0 * team.hours_per_rep)
    expected_earnings = team.base_salary + payout.variable_pay_per_rep
    return Outcomes(
        price=price,
        share=sold.share,
        units=sold.units,
        revenue=sold.revenue,
        gross_margin=sold.gross_margin,
        commission_per_unit=market.pay_per_unit,
        expected_marginal_pay=marginal,
        commission=market.pay_per_unit * sold.units * payout.payout_factor[:, None],
        hours=sold.hours,
        time_share=sold.hours / team_hours[:, None],
        pay_hours=allocation.hours,
        asked_hours=marketing.asked_hours,
        team_hours=team_hours,
        total_revenue=total_revenue,
        total_gross_margin=total_gross_margin,
        gross_margin_pct=_ratio(total_gross_margin, total_revenue),
        commission_cost=commission_cost,
        sales_compensation=sales_compensation,
        cost_of_sales_pct=_ratio(sales_compensation, total_revenue),
        marketing_spend=marketing_spend,
        contribution=contribution,
        leadership_value=leadership_value(contribution, sold.units, market.strategic_value),
        new_product_share=product_sums(sold.units * market.strategic) / market.strategic_market,
        expected_attainment=payout.expected_attainment,
        share_at_quota=payout.share_at_quota,
        expected_earnings=expected_earnings,
        effort_cost=effort_cost,
        rep_utility=expected_earnings - effort_cost,
        expectancy=motivation.expectancy,
        instrumentality=motivation.instrumentality,
        valence=motivation.valence,
        motivation=motivation.score,
        goal_conflict=conflict,
        content_reach=market.reach,
        deals_sourced=marketing.deals_sourced,
        deals_influenced=marketing.deals_influenced,
        marketing_roi=marketing.marketing_roi,
        lead_gen_roi=marketing.lead_gen_roi,
        content_roi=marketing.content_roi,
        converged=allocation.converged & marketing.asked_converged & settled,
    )  # fmt: skip


@dataclass(frozen=True)
class _Counterfactuals:
    """The mixes asked and re-planned of MODEL.md §6, and what marketing earns by them."""

    asked_hours: np.ndarray
    asked_converged: np.ndarray
    deals_sourced: np.ndarray
    deals_influenced: np.ndarray
    marketing_roi: np.ndarray
    lead_gen_roi: np.ndarray
    content_roi: np.ndarray

    @classmethod
    def skipped(cls, plans: int, products: int) -> _Counterfactuals:
        """Not worked out: NaN, and no plan held back for them."""
        nothing = np.full(plans, np.nan)
        return cls(
            np.full((plans, products), np.nan), np.ones(plans, dtype=bool),
            nothing, nothing.copy(), nothing.copy(), nothing.copy(), nothing.copy(),
        )  # fmt: skip


def _counterfactuals(
    market: _Market, sold: _Sold, marginal: np.ndarray, allocation: Allocation,
    team_hours: np.ndarray,
) -> _Counterfactuals:  # fmt: skip
    team, plans, demand = market.scenario.sales_team, market.plans, market.demand
    price, lead_gen = plans.price, plans.lead_gen
    marketing_spend = product_sums(lead_gen) + plans.push_content
    # One allocation for two questions: the mix leadership's value asks for, and the mix reps
    # would re-plan to with no lead generation, at the same hours and pay rates (deals sourced,
    # MODEL.md §6). Content's counterfactual holds the mix: content makes every hour go
    # further, so without it the same hours sell less, and deals influenced are never negative.
    k = len(plans)
    no_leads = np.zeros_like(lead_gen)
    no_content = np.ones_like(market.productivity)
    value_per_unit = leadership_value_per_unit(
        price, market.unit_cost, marginal, market.strategic_value
    )
    two = allocate_hours(
        demand.take(np.tile(np.arange(k), 2)),
        np.concatenate([value_per_unit, marginal]),
        np.tile(price, (2, 1)),
        np.concatenate([lead_gen, no_leads]),
        np.tile(team_hours, 2),
        np.concatenate([market.productivity, market.productivity]),
        start=np.tile(allocation.hours, (2, 1)),
        fixed=np.concatenate([market.fixed_utility(lead_gen), market.fixed_utility(no_leads)]),
        distance=COUNTERFACTUAL_DISTANCE,
    )
    asked_hours, asked_converged = two.hours[:k], two.converged[:k]
    replanned = market.mix(two.hours[k:], team_hours)
    without_leads = market.sold(replanned, no_leads)
    without_content = market.sold(sold.hours, lead_gen, no_content)
    without_either = market.sold(replanned, no_leads, no_content)
    before = sold.before_marketing(team.reps)
    lead_spend = product_sums(lead_gen)
    units_total = product_sums(sold.units)
    return _Counterfactuals(
        asked_hours=asked_hours,
        asked_converged=asked_converged,
        deals_sourced=units_total - product_sums(without_leads.units),
        deals_influenced=units_total - product_sums(without_content.units),
        marketing_roi=marketing_roi(
            before, without_either.before_marketing(team.reps), marketing_spend
        ),
        lead_gen_roi=marketing_roi(before, without_leads.before_marketing(team.reps), lead_spend),
        content_roi=marketing_roi(
            before, without_content.before_marketing(team.reps), plans.push_content
        ),
    )


def _strategic_market(demand: Demand, strategic: np.ndarray) -> float:
    """Units per period of the segments that hold a strategic product (1 if there is none)."""
    holds_strategic = (strategic @ demand.membership) > 0
    return float(demand.segment_sizes[holds_strategic].sum()) if holds_strategic.any() else 1.0


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """``numerator / denominator``, 0 where nothing was sold (a price so high no one buys:
    nothing at all, or so little that the ratio would overflow, revenue of 1e-311)."""
    safe = np.where(denominator > 0, denominator, 1.0)
    with np.errstate(over="ignore"):
        ratio = numerator / safe
    return np.where((denominator > 0) & np.isfinite(ratio), ratio, 0.0)
