"""One call from a scenario and K candidate plans to every outcome of MODEL.md §7.

A *plan* is what the room negotiates: prices, commission rates, kickers and the marketing
budget. Everything else (market, team, goals) comes from the scenario.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np

from alignment.commission import Payout, commission_per_unit, team_payout
from alignment.demand import EFFORT_FLOOR, Demand, calibrate, logit_shares, utility
from alignment.effort import Allocation, allocate_hours
from alignment.goals import leadership_value, leadership_value_per_unit, role_conflict
from alignment.marketing import content_reach, marketing_roi, selling_productivity
from alignment.motivation import Motivation, rep_motivation
from alignment.scenario import Scenario

# The effort level and the expected marginal pay are solved together by damped steps from
# today's hours and plain pay; each step's allocation starts from the last one, so later steps
# cost a few allocator iterations each.
OUTER_STEPS = 40
OUTER_DAMPING = 0.5
OUTER_TOLERANCE = 1e-5
CONFLICT_ROUNDS = 8
STEP_TOLERANCE = 1e-6
CONFLICT_REFRESH_STEP = 2
# A conflict that moves the hours by less than this share of today's is left as it is.
CONFLICT_TOLERANCE = 2e-5


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

    def take(self, index: np.ndarray | int) -> Plans:
        """The plans at ``index``, still shaped as a batch."""
        index = np.atleast_1d(index)
        return Plans(**{f.name: getattr(self, f.name)[index] for f in fields(self)})


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
) -> Outcomes:
    """Evaluate ``plans`` (default: the scenario's own plan) against the scenario's market.

    Total selling hours respond to motivation relative to the status quo's (``status_quo``,
    default the scenario itself). Pass a precomputed ``demand`` (from :func:`calibrated`) to
    skip recalibration when evaluating many batches of one scenario.
    """
    plans = plans if plans is not None else Plans.from_scenario(scenario)
    if demand is None or demand.reference_motivation is None:
        demand = calibrated(scenario, status_quo)
    return _solve(scenario, plans, demand, demand.reference_motivation)


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
        return self.gross_margin.sum(axis=-1) - self.payout.variable_pay_per_rep * reps


class _Market:
    """One scenario and batch of plans: the constant parts of every evaluation step."""

    def __init__(self, scenario: Scenario, plans: Plans, demand: Demand) -> None:
        self.scenario, self.plans, self.demand = scenario, plans, demand
        team, plan = scenario.sales_team, scenario.commission
        self.unit_cost = np.array([p.unit_cost for p in scenario.products])
        self.strategic = np.array([p.strategic for p in scenario.products], dtype=float)
        self.strategic_value = np.array(
            [scenario.goals.strategic_value.get(p.id, 0.0) for p in scenario.products]
        )
        self.strategic_market = _strategic_market(demand, self.strategic)
        self.reference_team_hours = team.reps * team.hours_per_rep
        self.todays_mix = demand.reference_hours / demand.reference_hours.sum()
        price = plans.price
        self.pay_per_unit = commission_per_unit(
            price, self.unit_cost, plans.revenue_rate[:, None], plans.margin_rate[:, None],
            plans.kicker,
        )  # fmt: skip
        basis = price if plan.quota.basis == "revenue" else price - self.unit_cost
        self.quota_per_unit = basis / plan.quota.per_rep
        self.reach = content_reach(plans.push_content, scenario.marketing.push_content_scale)
        self.productivity = selling_productivity(
            self.reach, scenario.marketing.push_content_productivity
        )
        self._fixed_for: np.ndarray | None = None
        self._fixed = np.empty(0)

    def shares(
        self, hours: np.ndarray, lead_gen: np.ndarray, productivity: np.ndarray | None = None
    ) -> np.ndarray:
        """:func:`alignment.demand.shares` for this batch, reusing the part of the utility that
        does not depend on hours (computed once per lead-generation spend)."""
        productivity = self.productivity if productivity is None else productivity
        demand = self.demand
        if self._fixed_for is not lead_gen:
            hours_today = np.broadcast_to(demand.reference_hours, lead_gen.shape)
            self._fixed = utility(demand, self.plans.price, hours_today, lead_gen) - (
                demand.gamma * np.log(demand.reference_hours + demand.unassisted_hours)
            )
            self._fixed_for = lead_gen
        effective = np.maximum(hours * productivity[:, None], EFFORT_FLOOR * demand.reference_hours)
        value = np.log(effective + demand.unassisted_hours)
        value *= demand.gamma
        value += self._fixed
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
        plain = (self.pay_per_unit * units).sum(axis=-1)
        basis = revenue.sum(axis=-1) if plan.quota.basis == "revenue" else gross_margin.sum(-1)
        payout = team_payout(
            plain, basis, team.reps, plan.quota.per_rep, plan.accelerator, plan.cap,
            team.attainment_spread,
        )  # fmt: skip
        return _Sold(hours, share, units, revenue, gross_margin, payout, plain)

    def take(self, index: np.ndarray) -> _Market:
        """The same market for the plans at ``index`` only."""
        return _Market(self.scenario, self.plans.take(index), self.demand)

    def step(
        self, marginal: np.ndarray, team_hours: np.ndarray, start: np.ndarray | None,
        reference_motivation: float | None, with_motivation: bool,
        conflict: np.ndarray | None = None, tolerance: float = 1e-7,
    ) -> _Step:  # fmt: skip
        """Allocate hours for pay rates ``marginal`` and hours ``team_hours``; what follows.

        ``conflict`` given is used as it is (it moves little between steps and costs several
        share evaluations to find); otherwise it is worked out for this step's mix.
        """
        team = self.scenario.sales_team
        plans = self.plans
        if start is not None:
            if np.isnan(start).any():  # plans with no earlier step start from today's mix
                today = self.todays_mix[None, :] * team_hours[:, None]
                start = np.where(np.isnan(start), today, start)
            start = start * (team_hours / start.sum(axis=-1))[:, None]
        allocation = allocate_hours(
            self.demand, marginal, plans.price, plans.lead_gen, team_hours, self.productivity,
            start=start, tolerance=tolerance,
        )  # fmt: skip
        sold = self.sold(self.mix(allocation.hours, team_hours), plans.lead_gen)
        new_marginal = sold.payout.marginal_pay(self.pay_per_unit, self.quota_per_unit)
        motivation = None
        new_hours = team_hours
        if with_motivation:
            motivation, conflict = _motivation(
                self, allocation.hours, sold, new_marginal, plans.lead_gen, conflict
            )
            if reference_motivation is not None and team.effort_response > 0:
                ratio = motivation.score / reference_motivation if reference_motivation > 0 else 1.0
                new_hours = np.clip(
                    self.reference_team_hours
                    * np.power(np.maximum(ratio, 1e-12), team.effort_response),
                    team.reps * team.hours_floor, team.reps * team.hours_ceiling,
                )  # fmt: skip
        return _Step(allocation, sold, new_marginal, new_hours, motivation, conflict)

    def mix(self, allocation: np.ndarray, team_hours: np.ndarray) -> np.ndarray:
        """Hours as reps put them: the allocation, held back towards today's mix by habit."""
        habit = self.scenario.sales_team.habit
        return (1.0 - habit) * allocation + habit * self.todays_mix * team_hours[:, None]

    def new_product_share(self, hours: np.ndarray, lead_gen: np.ndarray) -> np.ndarray:
        share = self.shares(hours, lead_gen)
        return (self.demand.segment_size * share * self.strategic).sum(-1) / self.strategic_market


def _solve(
    scenario: Scenario, plans: Plans, demand: Demand, reference_motivation: float | None
) -> Outcomes:
    """Hours, pay and motivation solved together; ``reference_motivation`` None holds H at H̄.

    Steps on the expected marginal pay ``π`` and the team's hours ``H``, each plan leaving the
    loop once both have settled, so a batch pays for its slow plans only on those plans. The
    role conflict, which moves little from step to step but costs several share evaluations,
    is held during a round and checked after it; only plans whose hours it still moves go
    round again.
    """
    market = _Market(scenario, plans, demand)
    k = len(plans)
    hours_respond = reference_motivation is not None and scenario.sales_team.effort_response > 0
    team_hours = np.full(k, market.reference_team_hours)
    marginal = market.pay_per_unit.copy()
    pay_hours = np.zeros_like(marginal)
    conflict = np.zeros(k)
    known = np.zeros(k, dtype=bool)  # plans whose conflict has been worked out
    settled = np.zeros(k, dtype=bool)
    started = np.zeros(k, dtype=bool)
    active = np.arange(k)
    final: _Step | None = None
    for _ in range(CONFLICT_ROUNDS):
        todo = active
        for step in range(OUTER_STEPS):
            part = market if todo.size == k else market.take(todo)
            found = part.step(
                marginal[todo], team_hours[todo],
                np.where(started[todo][:, None], pay_hours[todo], np.nan), reference_motivation,
                hours_respond,
                # Worked out afresh on the third step, when the mix is near its solution.
                None if step == CONFLICT_REFRESH_STEP else np.where(
                    known[todo], conflict[todo], np.nan
                ),
                # Intermediate mixes need not be exact: the pay rates and hours still move.
                tolerance=STEP_TOLERANCE,
            )  # fmt: skip
            pay_hours[todo] = found.pay_hours
            started[todo] = True
            if found.conflict is not None:
                conflict[todo] = found.conflict
                known[todo] = True
            scale = np.abs(part.pay_per_unit).max(axis=-1) + 1.0
            moved = np.abs(found.team_hours - team_hours[todo])
            done = (
                np.abs(found.marginal - marginal[todo]).max(axis=-1) <= OUTER_TOLERANCE * scale
            ) & (moved <= OUTER_TOLERANCE * part.reference_team_hours)
            # Full steps first; shorter ones later so plans flipping between two mixes settle.
            damping = 1.0 if step < OUTER_STEPS // 4 else OUTER_DAMPING
            marginal[todo] = np.where(
                done[:, None], found.marginal,
                marginal[todo] + damping * (found.marginal - marginal[todo]),
            )  # fmt: skip
            team_hours[todo] = np.where(
                done, found.team_hours,
                team_hours[todo] + damping * (found.team_hours - team_hours[todo]),
            )  # fmt: skip
            settled[todo] = done
            todo = todo[~done]
            if not todo.size:
                break
        if not hours_respond:
            break
        # Work the conflict out again at each solution; plans whose hours it moves go again.
        part = market if active.size == k else market.take(active)
        check = part.step(
            marginal[active], team_hours[active], pay_hours[active], reference_motivation, True
        )
        assert check.conflict is not None
        conflict[active] = check.conflict
        moving = np.abs(check.team_hours - team_hours[active]) > (
            CONFLICT_TOLERANCE * market.reference_team_hours
        )
        if active.size == k and not moving.any():
            final = check  # already every figure at the solution
            break
        active = active[moving]
        if not active.size:
            break
    if final is None:
        final = market.step(
            marginal, team_hours, pay_hours, reference_motivation, True,
            np.where(known, conflict, np.nan),
        )  # fmt: skip
    return _outcomes(
        market, final.allocation, final.sold, final.marginal, final.motivation, final.conflict,
        team_hours, settled,
    )  # fmt: skip


@dataclass(frozen=True)
class _Step:
    allocation: Allocation
    sold: _Sold
    marginal: np.ndarray
    team_hours: np.ndarray
    motivation: Motivation | None
    conflict: np.ndarray | None

    @property
    def pay_hours(self) -> np.ndarray:
        return self.allocation.hours


def _motivation(
    market: _Market, pay_hours: np.ndarray, sold: _Sold, marginal: np.ndarray,
    lead_gen: np.ndarray, conflict: np.ndarray | None = None,
) -> tuple[Motivation, np.ndarray]:  # fmt: skip
    scenario = market.scenario
    team = scenario.sales_team
    if conflict is None:
        conflict = _conflict(market, pay_hours, lead_gen)
    elif np.isnan(conflict).any():  # plans new to the loop: work theirs out
        missing = np.isnan(conflict)
        conflict = conflict.copy()
        conflict[missing] = _conflict(
            market.take(np.flatnonzero(missing)), pay_hours[missing], lead_gen[missing]
        )
    variable = sold.payout.variable_pay_per_rep * team.reps
    return rep_motivation(
        sold.payout.share_at_quota,
        team.quota_attainment_target,
        conflict,
        (marginal * sold.units).sum(axis=-1),
        variable,
        team.base_salary + sold.payout.variable_pay_per_rep,
        team.on_target_earnings,
    ), conflict


def _conflict(market: _Market, pay_hours: np.ndarray, lead_gen: np.ndarray) -> np.ndarray:
    return role_conflict(
        lambda hours: market.new_product_share(market.mix(hours, hours.sum(-1)), lead_gen),
        pay_hours, market.strategic, market.scenario.reps_new_product_target,
    )  # fmt: skip


def _outcomes(
    market: _Market, allocation: Allocation, sold: _Sold, marginal: np.ndarray,
    motivation: Motivation, conflict: np.ndarray, team_hours: np.ndarray, settled: np.ndarray,
) -> Outcomes:  # fmt: skip
    scenario, plans, demand = market.scenario, market.plans, market.demand
    team = scenario.sales_team
    payout = sold.payout
    price, lead_gen = plans.price, plans.lead_gen
    total_revenue = sold.revenue.sum(axis=-1)
    total_gross_margin = sold.gross_margin.sum(axis=-1)
    commission_cost = payout.variable_pay_per_rep * team.reps
    sales_compensation = commission_cost + team.base_salary * team.reps
    marketing_spend = lead_gen.sum(axis=-1) + plans.push_content
    contribution = total_gross_margin - sales_compensation - marketing_spend

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
        demand,
        np.concatenate([value_per_unit, marginal]),
        np.tile(price, (2, 1)),
        np.concatenate([lead_gen, no_leads]),
        np.tile(team_hours, 2),
        np.concatenate([market.productivity, market.productivity]),
        start=np.tile(allocation.hours, (2, 1)),
    )
    asked_hours, asked_converged = two.hours[:k], two.converged[:k]
    replanned = market.mix(two.hours[k:], team_hours)
    without_leads = market.sold(replanned, no_leads)
    without_content = market.sold(sold.hours, lead_gen, no_content)
    without_either = market.sold(replanned, no_leads, no_content)
    before = sold.before_marketing(team.reps)
    lead_spend = lead_gen.sum(axis=-1)
    units_total = sold.units.sum(axis=-1)

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
        asked_hours=asked_hours,
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
        new_product_share=(sold.units * market.strategic).sum(axis=-1) / market.strategic_market,
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
        deals_sourced=units_total - without_leads.units.sum(axis=-1),
        deals_influenced=units_total - without_content.units.sum(axis=-1),
        marketing_roi=marketing_roi(before, without_either.before_marketing(team.reps),
                                    marketing_spend),
        lead_gen_roi=marketing_roi(before, without_leads.before_marketing(team.reps),
                                   lead_spend),
        content_roi=marketing_roi(before, without_content.before_marketing(team.reps),
                                  plans.push_content),
        converged=allocation.converged & asked_converged & settled,
    )  # fmt: skip


def _strategic_market(demand: Demand, strategic: np.ndarray) -> float:
    """Units per period of the segments that hold a strategic product (1 if there is none)."""
    holds_strategic = (strategic @ demand.membership) > 0
    return float(demand.segment_sizes[holds_strategic].sum()) if holds_strategic.any() else 1.0


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """``numerator / denominator``, 0 where nothing was sold (a price so high no one buys)."""
    safe = np.where(denominator > 0, denominator, 1.0)
    return np.where(denominator > 0, numerator / safe, 0.0)
