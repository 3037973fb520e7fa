"""One call from a scenario and K candidate plans to every outcome of MODEL.md §7.

A *plan* is what the room negotiates: prices, commission rates, kickers and the marketing
budget. Everything else (market, team, goals) comes from the scenario.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from alignment.commission import commission_per_unit, team_payout
from alignment.demand import Demand, calibrate, shares
from alignment.effort import allocate_hours
from alignment.goals import (
    goal_conflict,
    goal_metrics,
    leadership_score,
    leadership_value_per_unit,
)
from alignment.marketing import content_reach, marketing_roi, selling_productivity
from alignment.motivation import rep_motivation
from alignment.scenario import Scenario


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
    commission: np.ndarray
    hours: np.ndarray
    time_share: np.ndarray
    pay_hours: np.ndarray  # the mix the commission plan pays for
    asked_hours: np.ndarray  # the mix leadership's goals ask for
    # totals, (K,)
    total_revenue: np.ndarray
    total_gross_margin: np.ndarray
    gross_margin_pct: np.ndarray
    commission_cost: np.ndarray
    sales_compensation: np.ndarray
    cost_of_sales_pct: np.ndarray
    marketing_spend: np.ndarray
    contribution: np.ndarray
    new_product_share: np.ndarray
    expected_attainment: np.ndarray
    share_at_quota: np.ndarray
    expected_earnings: np.ndarray
    expectancy: np.ndarray
    instrumentality: np.ndarray
    coherence: np.ndarray
    motivation: np.ndarray
    goal_conflict: np.ndarray
    content_reach: np.ndarray
    deals_sourced: np.ndarray
    deals_influenced: np.ndarray
    marketing_roi: np.ndarray
    leadership_score: np.ndarray
    converged: np.ndarray


PRODUCT_FIELDS = (
    "price", "share", "units", "revenue", "gross_margin", "commission_per_unit", "commission",
    "hours", "time_share", "pay_hours", "asked_hours",
)  # fmt: skip
TOTAL_FIELDS = tuple(f.name for f in fields(Outcomes) if f.name not in PRODUCT_FIELDS)


def evaluate(
    scenario: Scenario, plans: Plans | None = None, demand: Demand | None = None
) -> Outcomes:
    """Evaluate ``plans`` (default: the scenario's own plan) against the scenario's market.

    Pass a precomputed ``demand`` (from :func:`alignment.demand.calibrate`) to skip
    recalibration when evaluating many batches of one scenario.
    """
    plans = plans if plans is not None else Plans.from_scenario(scenario)
    demand = demand if demand is not None else calibrate(scenario)
    team = scenario.sales_team
    plan = scenario.commission
    marketing = scenario.marketing
    unit_cost = np.array([p.unit_cost for p in scenario.products])
    strategic = np.array([p.strategic for p in scenario.products], dtype=float)
    team_hours = team.reps * team.hours_per_rep
    price = plans.price

    reach = content_reach(plans.push_content, marketing.push_content_scale)
    productivity = selling_productivity(reach, marketing.push_content_productivity)
    pay_per_unit = commission_per_unit(
        price, unit_cost, plans.revenue_rate[:, None], plans.margin_rate[:, None], plans.kicker
    )
    pay_hours = allocate_hours(
        demand, pay_per_unit, price, plans.lead_gen, team_hours, productivity
    )
    reference_revenue = float(
        np.sum(
            demand.segment_size
            * np.array([p.reference_price * p.reference_share for p in scenario.products])
        )
    )
    asked_value = leadership_value_per_unit(
        scenario.goals, price, unit_cost, pay_per_unit, strategic, demand.segment_size,
        reference_revenue,
    )  # fmt: skip
    asked_hours = allocate_hours(
        demand, asked_value, price, plans.lead_gen, team_hours, productivity
    )
    todays_mix = team_hours * demand.reference_hours / demand.reference_hours.sum()
    hours = (1.0 - team.habit) * pay_hours.hours + team.habit * todays_mix

    effective_hours = hours * productivity[:, None]
    share = shares(demand, price, effective_hours, plans.lead_gen)
    units = demand.segment_size * share
    revenue = price * units
    gross_margin = (price - unit_cost) * units
    total_revenue = revenue.sum(axis=-1)
    total_gross_margin = gross_margin.sum(axis=-1)

    plain_commission = pay_per_unit * units
    quota_basis = total_revenue if plan.quota.basis == "revenue" else total_gross_margin
    payout = team_payout(
        plain_commission.sum(axis=-1), quota_basis, team.reps, plan.quota.per_rep,
        plan.accelerator, plan.cap, team.attainment_spread,
    )  # fmt: skip
    commission = plain_commission * payout.payout_factor[:, None]
    commission_cost = payout.variable_pay_per_rep * team.reps
    sales_compensation = commission_cost + team.base_salary * team.reps
    marketing_spend = plans.lead_gen.sum(axis=-1) + plans.push_content
    contribution = total_gross_margin - sales_compensation - marketing_spend

    new_product_share = (units * strategic).sum(axis=-1) / _strategic_market(demand, strategic)
    gross_margin_pct = _ratio(total_gross_margin, total_revenue)

    conflict = goal_conflict(pay_hours.hours, asked_hours.hours)
    motivation = rep_motivation(
        payout.share_at_quota, team.quota_attainment_target, payout.variable_pay_per_rep,
        team.on_target_earnings - team.base_salary, conflict,
    )  # fmt: skip

    no_lead_gen = np.zeros_like(plans.lead_gen)
    units_without_leads = demand.segment_size * shares(demand, price, effective_hours, no_lead_gen)
    units_without_marketing = demand.segment_size * shares(demand, price, hours, no_lead_gen)
    gross_margin_without = ((price - unit_cost) * units_without_marketing).sum(axis=-1)
    metrics = goal_metrics(contribution, new_product_share, gross_margin_pct)
    return Outcomes(
        price=price,
        share=share,
        units=units,
        revenue=revenue,
        gross_margin=gross_margin,
        commission_per_unit=pay_per_unit,
        commission=commission,
        hours=hours,
        time_share=hours / team_hours,
        pay_hours=pay_hours.hours,
        asked_hours=asked_hours.hours,
        total_revenue=total_revenue,
        total_gross_margin=total_gross_margin,
        gross_margin_pct=gross_margin_pct,
        commission_cost=commission_cost,
        sales_compensation=sales_compensation,
        cost_of_sales_pct=_ratio(sales_compensation, total_revenue),
        marketing_spend=marketing_spend,
        contribution=contribution,
        new_product_share=new_product_share,
        expected_attainment=payout.expected_attainment,
        share_at_quota=payout.share_at_quota,
        expected_earnings=team.base_salary + payout.variable_pay_per_rep,
        expectancy=motivation.expectancy,
        instrumentality=motivation.instrumentality,
        coherence=motivation.coherence,
        motivation=motivation.score,
        goal_conflict=conflict,
        content_reach=reach,
        deals_sourced=(units - units_without_leads).sum(axis=-1),
        deals_influenced=reach * units.sum(axis=-1),
        marketing_roi=marketing_roi(total_gross_margin, gross_margin_without, marketing_spend),
        leadership_score=leadership_score(scenario.goals, metrics),
        converged=pay_hours.converged & asked_hours.converged,
    )


def _strategic_market(demand: Demand, strategic: np.ndarray) -> float:
    """Units per period of the segments that hold a strategic product (1 if there is none)."""
    holds_strategic = (strategic @ demand.membership) > 0
    return float(demand.segment_sizes[holds_strategic].sum()) if holds_strategic.any() else 1.0


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """``numerator / denominator``, 0 where nothing was sold (a price so high no one buys)."""
    safe = np.where(denominator > 0, denominator, 1.0)
    return np.where(denominator > 0, numerator / safe, 0.0)
