"""The compromise search (MODEL.md §8): locks, the Pareto frontier, the deals and their words.

Leadership's utility is its value in money; the reps' is, by default, their expected earnings
less the cost of effort; the disagreement point is the status quo's plan valued in the working
scenario.
"""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

from alignment import Plans, apply_plan, evaluate, load_scenario
from alignment.compromise import (
    DEFAULT_CANDIDATES,
    Constraints,
    Lock,
    bargain,
    compare,
    deal_scenario,
    exchange_rate_sentences,
    exchange_rates,
    explain,
    explain_deal,
    format_value,
    hard_goal_constraints,
    lever_bounds,
    lever_matrix,
    lever_moves,
    pareto_frontier,
    plan_in_working,
    search,
)
from alignment.evaluate import calibrated
from alignment.scenario import Range

SCENARIO_DIR = Path(__file__).resolve().parents[1] / "scenarios"


@pytest.fixture(scope="module")
def result(launch):
    """The default search: the launch scenario bargaining against itself as the status quo."""
    return search(launch, launch, demand=calibrated(launch, launch))


def improving(result):
    return (
        result.feasible
        & result.outcomes.converged
        & (result.leadership > result.status_quo.leadership)
        & (result.reps > result.status_quo.reps)
    )


def dominated_by(leadership, reps, by_leadership, by_reps):
    """``(K, F)``: whether candidate k is dominated by point f."""
    at_least = (by_leadership[None, :] >= leadership[:, None]) & (by_reps[None, :] >= reps[:, None])
    better = (by_leadership[None, :] > leadership[:, None]) | (by_reps[None, :] > reps[:, None])
    return at_least & better


def moved(scenario, **changes):
    """The scenario's own plan with some levers changed, as a new scenario."""
    plans = Plans.from_scenario(scenario)
    arrays = {f.name: getattr(plans, f.name).copy() for f in fields(Plans)}
    for name, value in changes.items():
        lever, _, product = name.partition("__")
        if product:
            arrays[lever][0, scenario.product_ids.index(product)] = value
        else:
            arrays[lever][0] = value
    return apply_plan(scenario, Plans(**arrays))


# --- Sampling and locks -----------------------------------------------------------------------


def test_search_samples_its_candidates_then_adds_the_optimisers_plans(result, launch):
    assert result.sampled_count >= DEFAULT_CANDIDATES
    assert len(result.plans) > result.sampled_count  # the frontier search and the deals
    status_quo_levers = lever_matrix(Plans.from_scenario(launch))[0]
    assert_allclose(lever_matrix(result.plans.take(result.status_quo_index))[0], status_quo_levers)
    assert result.working_index == result.status_quo_index  # the same plan, kept once
    assert len(np.unique(lever_matrix(result.plans), axis=0)) == len(result.plans)


def test_the_same_seed_gives_the_same_candidates_and_another_seed_others(launch):
    first = search(launch, launch, count=500, seed=7)
    again = search(launch, launch, count=500, seed=7)
    other = search(launch, launch, count=500, seed=8, optimise=False)
    assert np.array_equal(lever_matrix(first.plans), lever_matrix(again.plans))
    assert not np.array_equal(lever_matrix(first.plans), lever_matrix(other.plans))
    assert first.nash == again.nash


def test_candidates_stay_inside_the_negotiation_bounds(result, launch):
    levers = lever_matrix(result.plans)
    for j, bound in enumerate(result.levers):
        assert levers[:, j].min() >= bound.low
        assert levers[:, j].max() <= bound.high
    nova = launch.product_ids.index("nova")
    assert result.plans.price[:, nova].min() < 500 < 750 < result.plans.price[:, nova].max()


def test_a_lever_without_a_negotiation_range_keeps_its_current_value(result, launch):
    pro = launch.product_ids.index("pro")
    assert "pro" not in launch.negotiation.kickers
    assert np.all(result.plans.kicker[:, pro] == 0.0)
    assert np.all(result.plans.lead_gen == result.plans.lead_gen[0])


def test_a_lever_locked_in_the_scenario_keeps_the_working_value(launch_data, build):
    launch_data["negotiation"]["locked"] = ["price.nova", "margin_rate"]
    launch_data["products"][2]["price"] = 640.0
    scenario = build(launch_data)
    found = search(scenario, scenario, count=1_000)
    assert np.all(found.plans.price[:, 2] == 640.0)
    assert np.all(found.plans.margin_rate == 0.08)


def test_party_locks_hold_on_every_candidate_including_the_status_quo(launch):
    locks = {
        "margin_rate": 0.06,  # sales fixes the margin rate
        "price.nova": Lock.within(650),  # leadership sets a floor under Nova's price
        "price.pro": Range(min=1100, max=1250),  # narrowed both ways
        "kicker.nova": Lock.keep(),  # keep today's: no kicker
    }
    found = search(launch, launch, locks=locks, count=2_000)
    ids = launch.product_ids
    assert np.all(found.plans.margin_rate == 0.06)
    nova = found.plans.price[:, ids.index("nova")]
    assert nova.min() >= 650 and nova.max() <= 800  # the floor, under the negotiation ceiling
    pro = found.plans.price[:, ids.index("pro")]
    assert pro.min() >= 1100 and pro.max() <= 1250
    assert np.all(found.plans.kicker[:, ids.index("nova")] == 0.0)
    assert nova[found.status_quo_index] == 650  # today's 600, raised to the floor


def test_a_lock_outside_the_negotiation_range_is_refused_naming_the_lever(launch):
    with pytest.raises(ValueError, match=r"locks\.price\.nova.*negotiation range 450–800"):
        lever_bounds(launch, {"price.nova": Lock.within(900)})


def test_a_lock_a_scenario_could_not_hold_is_refused(launch):
    with pytest.raises(ValueError, match=r"locks\.margin_rate: a rate is a fraction"):
        lever_bounds(launch, {"margin_rate": 8.0})
    with pytest.raises(ValueError, match=r"locks\.price\.nova: a price must be above 0"):
        lever_bounds(launch, {"price.nova": 0.0})


def test_a_fixed_lock_may_leave_the_negotiation_range(launch):
    nova = next(b for b in lever_bounds(launch, {"price.nova": 850}) if b.lever == "price.nova")
    assert (nova.low, nova.high, nova.locked_by) == (850, 850, "party")


def test_an_unknown_lever_is_refused_with_the_valid_names(launch):
    with pytest.raises(ValueError, match=r"unknown lever 'price\.zeta'.*price\.nova"):
        lever_bounds(launch, {"price.zeta": 10.0})


def test_a_lock_cannot_be_both_fixed_and_bounded():
    with pytest.raises(ValueError, match="either fixed"):
        Lock(fixed=600, floor=500)


def test_a_status_quo_with_other_products_is_refused(launch_data, build, launch):
    launch_data["products"] = launch_data["products"][:2]
    launch_data["goals"]["new_product_share"]["hard"] = False
    launch_data["goals"]["strategic_value"] = {}
    launch_data["negotiation"]["prices"].pop("nova")
    launch_data["negotiation"]["kickers"] = {}
    launch_data["marketing"]["lead_generation"] = {}
    with pytest.raises(ValueError, match="status_quo: its products"):
        search(launch, build(launch_data), count=10)


# --- The frontier -----------------------------------------------------------------------------


def test_frontier_points_do_not_dominate_each_other(result):
    front = result.frontier
    domination = dominated_by(
        result.leadership[front], result.reps[front], result.leadership[front], result.reps[front]
    )
    assert front.size >= 5
    assert not domination.any()


def test_every_candidate_off_the_frontier_is_dominated_by_a_frontier_point(result):
    off = np.setdiff1d(np.arange(len(result.plans)), result.frontier)
    front = result.frontier
    domination = dominated_by(
        result.leadership[off], result.reps[off], result.leadership[front], result.reps[front]
    )
    assert domination.any(axis=1).all()


def test_frontier_runs_from_leadership_best_to_reps_best(result):
    assert np.all(np.diff(result.leadership[result.frontier]) <= 0)
    assert np.all(np.diff(result.reps[result.frontier]) >= 0)


def test_frontier_agrees_with_brute_force_on_tied_utilities():
    rng = np.random.default_rng(42)
    leadership = rng.integers(0, 12, 300).astype(float)
    reps = rng.integers(0, 12, 300).astype(float)
    domination = dominated_by(leadership, reps, leadership, reps)
    brute_force = np.flatnonzero(~domination.any(axis=1))
    assert np.array_equal(np.sort(pareto_frontier(leadership, reps)), brute_force)


def test_frontier_of_no_candidates_is_empty():
    assert pareto_frontier(np.ones(3), np.ones(3), np.zeros(3, dtype=bool)).size == 0


# --- Deals ------------------------------------------------------------------------------------


def test_nash_deal_beats_the_status_quo_for_both_parties_and_sits_on_the_frontier(result):
    nash = result.nash
    assert result.has_deal and nash is not None
    assert nash.leadership > result.status_quo.leadership
    assert nash.reps > result.status_quo.reps
    assert nash.index in result.frontier
    assert nash.leadership == result.leadership[nash.index]


def test_no_candidate_that_improves_both_has_a_larger_nash_product(result):
    d = result.status_quo
    product = (result.leadership - d.leadership) * (result.reps - d.reps)
    pool = improving(result)
    assert pool.sum() == result.improving_count > 10
    nash_product = result.nash.leadership_gain * result.nash.reps_gain
    assert nash_product == pytest.approx(product[pool].max())


def test_utilities_are_leadership_value_and_reps_earnings_less_effort_in_money(result):
    outcomes = result.outcomes
    assert result.rep_utility == "rep_utility"
    assert np.array_equal(result.leadership, outcomes.leadership_value)
    assert np.array_equal(result.reps, outcomes.rep_utility)
    assert_allclose(result.reps, outcomes.expected_earnings - outcomes.effort_cost)


def test_status_quo_point_is_the_status_quos_own_plan_when_it_is_the_working_scenario(
    result, launch
):
    outcomes = evaluate(launch)
    assert result.status_quo.leadership == pytest.approx(outcomes.leadership_value[0])
    assert result.status_quo.reps == pytest.approx(outcomes.rep_utility[0])


def with_strategic_value(scenario, nova_value):
    goals = scenario.goals.model_copy(update={"strategic_value": {"nova": nova_value}})
    return scenario.model_copy(update={"goals": goals})


def test_the_disagreement_point_uses_the_working_scenarios_strategic_values(launch):
    nova = launch.product_ids.index("nova")
    value = launch.goals.strategic_value.get("nova", 0.0)
    working = with_strategic_value(launch, value + 400.0)

    # The disagreement point does not depend on the search: no need to optimise.
    as_is = search(launch, launch, count=200, optimise=False)
    valued_more = search(working, launch, count=200, optimise=False)

    nova_units = as_is.status_quo_outcomes.units[0, nova]
    assert valued_more.status_quo.leadership == pytest.approx(
        as_is.status_quo.leadership + 400.0 * nova_units
    )
    assert valued_more.status_quo.reps == pytest.approx(as_is.status_quo.reps)


def test_the_status_quos_own_goals_never_move_the_disagreement_point(launch):
    status_quo = with_strategic_value(launch, 5_000.0)
    status_quo = status_quo.model_copy(
        update={"goals": status_quo.goals.model_copy(update={"near_band": 0.3})}
    )

    assert search(launch, status_quo, count=200, optimise=False).status_quo == (
        search(launch, launch, count=200, optimise=False).status_quo
    )


def test_the_disagreement_point_is_the_status_quos_whole_plan_in_the_working_scenario(launch):
    working = moved(launch, price__nova=700.0, margin_rate=0.11, push_content=50_000.0)
    quota = working.commission.quota.model_copy(update={"per_rep": 260_000.0})
    working = working.model_copy(
        update={"commission": working.commission.model_copy(update={"quota": quota})}
    )

    found = search(working, launch, count=200, optimise=False)

    in_working = plan_in_working(working, launch)
    assert lever_matrix(Plans.from_scenario(in_working)).tolist() == (
        lever_matrix(Plans.from_scenario(launch)).tolist()
    )
    assert in_working.commission == launch.commission
    assert in_working.marketing.push_content == launch.marketing.push_content
    assert in_working.goals == working.goals
    outcomes = evaluate(in_working, status_quo=launch)
    assert found.status_quo.leadership == pytest.approx(outcomes.leadership_value[0])
    assert found.status_quo.reps == pytest.approx(outcomes.rep_utility[0])


def test_each_partys_ideal_is_its_best_candidate(result):
    assert result.leadership_ideal.leadership == result.leadership.max()
    assert result.reps_ideal.reps == result.reps.max()
    assert result.leadership_ideal.reps < result.nash.reps < result.reps_ideal.reps


def test_kalai_smorodinsky_gives_both_sides_the_largest_equal_share_of_their_possible_gain(
    result,
):
    pool = improving(result)
    gain_l = result.leadership - result.status_quo.leadership
    gain_s = result.reps - result.status_quo.reps
    share = np.minimum(gain_l / gain_l[pool].max(), gain_s / gain_s[pool].max())
    ks = result.kalai_smorodinsky
    assert ks.index in result.frontier and pool[ks.index]
    assert share[ks.index] == pytest.approx(share[pool].max())


def test_bargaining_weight_near_one_favours_leadership_and_near_zero_the_reps(result):
    leaning_leadership = bargain(result, bargaining_weight=0.95).weighted_nash
    leaning_reps = bargain(result, bargaining_weight=0.05).weighted_nash
    assert leaning_leadership.leadership > result.nash.leadership > leaning_reps.leadership
    assert leaning_leadership.reps < result.nash.reps < leaning_reps.reps


def test_equal_bargaining_weights_give_the_nash_deal(result):
    assert result.weighted_nash.index == result.nash.index


def test_weighted_nash_maximises_the_weighted_product(result):
    weighted = bargain(result, bargaining_weight=0.7)
    pool = improving(weighted)
    gain_l = weighted.leadership[pool] - weighted.status_quo.leadership
    gain_s = weighted.reps[pool] - weighted.status_quo.reps
    best = (gain_l**0.7 * gain_s**0.3).max()
    deal = weighted.weighted_nash
    assert deal.leadership_gain**0.7 * deal.reps_gain**0.3 == pytest.approx(best)


def test_a_bargaining_weight_outside_zero_to_one_is_refused(result):
    with pytest.raises(ValueError, match=r"bargaining_weight.*strictly between 0 and 1"):
        bargain(result, bargaining_weight=1.0)


def test_plans_whose_hours_did_not_settle_are_never_proposed_nor_on_the_frontier(result):
    unsettled = np.zeros(len(result.plans), dtype=bool)
    unsettled[[deal.index for deal in result.deals]] = True
    converged = result.outcomes.converged & ~unsettled
    flagged = bargain(replace(result, outcomes=replace(result.outcomes, converged=converged)))

    assert flagged.unconverged_count == int((~converged).sum())
    assert converged[flagged.frontier].all()
    assert all(converged[deal.index] for deal in flagged.deals)
    assert flagged.nash is not None and flagged.nash.index != result.nash.index
    assert not flagged.eligible[unsettled].any()


def test_constraints_keep_infeasible_plans_off_the_frontier_and_out_of_the_deals(result):
    floor = Constraints(min_new_product_share=0.10, min_gross_margin_pct=0.45)
    constrained = bargain(result, constraints=floor)
    outcomes = constrained.outcomes
    assert 0 < constrained.feasible_count < len(constrained.plans)
    for index in [*constrained.frontier, *(d.index for d in constrained.deals)]:
        assert outcomes.new_product_share[index] >= 0.10
        assert outcomes.gross_margin_pct[index] >= 0.45


def test_rebargaining_with_the_same_terms_reproduces_the_search(result):
    again = bargain(result)
    assert again.deals == result.deals
    assert np.array_equal(again.frontier, result.frontier)


@pytest.mark.parametrize("measure", ["motivation", "expected_earnings"])
def test_the_room_may_count_the_reps_utility_as_motivation_or_expected_earnings(launch, measure):
    found = search(launch, launch, rep_utility=measure, count=1_000)
    assert np.array_equal(found.reps, getattr(found.outcomes, measure))
    assert found.status_quo.reps == pytest.approx(getattr(evaluate(launch), measure)[0])
    assert np.array_equal(found.leadership, found.outcomes.leadership_value)


def test_rebargaining_on_another_reps_measure_keeps_the_candidates_and_optimises_again(
    result, launch
):
    on_motivation = bargain(result, rep_utility="motivation")
    kept = len(result.plans)
    assert np.array_equal(lever_matrix(on_motivation.plans)[:kept], lever_matrix(result.plans))
    assert np.array_equal(on_motivation.reps, on_motivation.outcomes.motivation)
    assert on_motivation.status_quo.reps == pytest.approx(evaluate(launch).motivation[0])
    assert on_motivation.status_quo.leadership == result.status_quo.leadership
    back = bargain(on_motivation, rep_utility="rep_utility")
    product = back.nash.leadership_gain * back.nash.reps_gain
    assert product >= (1 - 1e-3) * result.nash.leadership_gain * result.nash.reps_gain


def test_an_unknown_reps_measure_is_refused_with_the_valid_ones(result):
    with pytest.raises(ValueError, match=r"rep_utility: unknown 'happiness'.*rep_utility"):
        bargain(result, rep_utility="happiness")


# --- Hard goals and leadership's exchange rate -------------------------------------------------


def test_goals_marked_hard_bind_every_deal_on_top_of_the_rooms_limits(launch_data, build):
    launch_data["goals"]["contribution"]["hard"] = True
    target = launch_data["goals"]["contribution"]["target"]
    working = build(launch_data)

    found = search(working, working, count=2_000, constraints=Constraints(min_gross_margin_pct=0.4))

    assert found.goal_constraints == Constraints(min_contribution=target)
    assert found.constraints == Constraints(min_gross_margin_pct=0.4)
    assert found.all_constraints == Constraints(min_gross_margin_pct=0.4, min_contribution=target)
    outcomes = found.outcomes
    assert (outcomes.contribution < target).any()  # the goal binds
    for index in [*found.frontier, *(d.index for d in found.deals)]:
        assert outcomes.contribution[index] >= target
        assert outcomes.gross_margin_pct[index] >= 0.4
    relaxed = bargain(found, constraints=Constraints())
    assert relaxed.all_constraints == Constraints(min_contribution=target)  # the goal stays


def test_every_hard_goal_becomes_a_limit_and_soft_ones_do_not(launch_data, build):
    launch_data["goals"]["new_product_share"]["hard"] = True
    launch_data["goals"]["gross_margin_pct"]["hard"] = True
    limits = hard_goal_constraints(build(launch_data))

    assert limits == Constraints(
        min_gross_margin_pct=launch_data["goals"]["gross_margin_pct"]["target"],
        min_new_product_share=launch_data["goals"]["new_product_share"]["target"],
    )
    assert limits.describe() == [
        f"Gross margin % ≥ {format_value(limits.min_gross_margin_pct, 'fraction')}",
        f"New-product share ≥ {format_value(limits.min_new_product_share, 'fraction')}",
    ]


def test_two_sets_of_limits_together_keep_the_stricter_of_each():
    typed = Constraints(min_gross_margin_pct=0.40, min_motivation=30.0)
    goals = Constraints(min_gross_margin_pct=0.42, min_contribution=5.5e6)

    assert typed.tightened(goals) == Constraints(
        min_gross_margin_pct=0.42, min_contribution=5.5e6, min_motivation=30.0
    )


def test_leadership_states_its_exchange_rate_for_strategic_share_in_money(launch_data, build):
    launch_data["goals"]["strategic_value"] = {"nova": 640.0}
    launch_data["goals"]["strategic_value_reason"] = "Each Nova placed sells cartridges for years."
    scenario = build(launch_data)
    segment = launch_data["segments"][0]["size"]

    (rate,) = exchange_rates(scenario)

    assert (rate.product, rate.per_unit) == ("nova", 640.0)
    assert rate.per_share_point == pytest.approx(640.0 * segment / 100)
    assert exchange_rate_sentences(scenario, lambda v: f"${v:,.0f}") == [
        f"Leadership values one point of Nova (new) share at ${640 * segment / 100:,.0f} per "
        "period beyond its margin (goals: strategic value $640 per unit — Each Nova placed "
        "sells cartridges for years.)."
    ]


def test_without_a_strategic_value_leadership_counts_only_contribution(launch_data, build):
    launch_data["goals"]["strategic_value"] = {}
    scenario = build(launch_data)

    assert exchange_rates(scenario) == ()
    assert exchange_rate_sentences(scenario, str) == [
        "Leadership counts only contribution: no strategic value is stated (set it on the "
        "Goals page)."
    ]


# --- No deal ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def capped_commission(launch):
    """Leadership caps the margin rate at 3 % with no kicker or revenue rate: reps lose out."""
    data = launch.model_dump()
    data["negotiation"].update(
        margin_rate={"min": 0.0, "max": 0.03}, revenue_rate={"min": 0.0, "max": 0.0}, kickers={}
    )
    working = type(launch).model_validate(data)
    return search(working, launch, count=2_000)


def test_without_a_plan_that_helps_both_there_is_no_deal_and_the_reason_says_why(capped_commission):
    assert not capped_commission.has_deal
    assert capped_commission.nash is None and capped_commission.kalai_smorodinsky is None
    assert capped_commission.improving_count == 0
    assert "leaves both parties better off" in capped_commission.no_deal_reason
    d = capped_commission.status_quo
    assert (
        f"leadership's value {format_value(d.leadership, 'money')} per period, reps' earnings "
        f"less the cost of effort {format_value(d.reps, 'money')} per rep"
    ) in capped_commission.no_deal_reason


def test_without_a_deal_the_closest_trade_offs_are_the_frontier_points_nearest_the_status_quo(
    capped_commission,
):
    closest = capped_commission.closest_trade_offs
    assert len(closest) == 3
    assert all(c.index in capped_commission.frontier for c in closest)
    d = capped_commission.status_quo
    front = capped_commission.frontier
    spread_l = np.ptp(capped_commission.leadership)
    spread_s = np.ptp(capped_commission.reps)
    distance = np.hypot(
        (capped_commission.leadership - d.leadership) / spread_l,
        (capped_commission.reps - d.reps) / spread_s,
    )
    assert distance[closest[0].index] == pytest.approx(distance[front].min())
    assert [distance[c.index] for c in closest] == sorted(distance[c.index] for c in closest)


def test_impossible_constraints_are_named_in_the_reason(result):
    strict = bargain(result, constraints=Constraints(min_gross_margin_pct=0.9))
    assert strict.feasible_count == 0 and strict.frontier.size == 0
    assert strict.deals == ()
    assert "Gross margin % ≥ 90.0 %" in strict.no_deal_reason


# --- Explaining and adopting a deal -----------------------------------------------------------


def test_explanation_lists_each_moved_lever_with_its_arrow_and_values(launch):
    after = moved(launch, price__nova=650.0, kicker__nova=25.0, margin_rate=0.065)
    assert [m.text for m in lever_moves(launch, after)] == [
        "Nova (new) price $600 → $650",
        "Nova (new) kicker $0 → $25 per unit",
        "Margin rate 8.0 % → 6.5 %",
    ]


def test_explanation_leaves_out_levers_that_barely_moved(launch):
    after = moved(launch, price__pro=1201.0, revenue_rate=0.0002, push_content=150_000.0)
    assert [m.lever for m in lever_moves(launch, after)] == ["push_content"]


def test_explanation_reports_the_headline_numbers_before_and_after(launch):
    after = moved(launch, kicker__nova=60.0)
    explanation = explain(launch, after)
    outcomes = evaluate(after, status_quo=launch)  # hours relative to the status quo's
    assert explanation.after.new_product_share == pytest.approx(outcomes.new_product_share[0])
    assert explanation.after.leadership_value == pytest.approx(outcomes.leadership_value[0])
    assert explanation.after.rep_utility == pytest.approx(outcomes.rep_utility[0])
    assert explanation.change.motivation == pytest.approx(
        outcomes.motivation[0] - evaluate(launch).motivation[0]
    )


def test_a_deal_is_explained_as_moves_from_the_status_quo(result, launch):
    explanation = explain_deal(result, result.nash, launch, launch)
    nova = launch.product_ids.index("nova")
    price = result.plans.price[result.nash.index, nova]
    assert f"Nova (new) price $600 → {format_value(price, 'money')}" in explanation.lines
    assert explanation.after.leadership_value == result.nash.leadership
    assert explanation.after.rep_utility == result.nash.reps
    assert explanation.before.leadership_value == pytest.approx(result.status_quo.leadership)
    assert explanation.before.rep_utility == pytest.approx(result.status_quo.reps)


def test_a_deal_becomes_a_named_scenario_that_reproduces_its_utilities(result, launch):
    scenario = deal_scenario(result, result.nash, launch)
    outcomes = evaluate(scenario, status_quo=launch)
    notes = scenario.metadata.notes
    assert scenario.metadata.name.startswith("Nash bargaining deal: ")
    assert "Moves: " in notes and "Nova (new) price $600 → " in notes
    assert f"leadership's value {format_value(result.nash.leadership, 'money')} per period" in notes
    assert_allclose(outcomes.leadership_value[0], result.nash.leadership, rtol=1e-6)
    assert_allclose(outcomes.rep_utility[0], result.nash.reps, rtol=1e-6)


# --- Comparing proposals ----------------------------------------------------------------------


def test_comparison_lays_out_inputs_outcomes_and_utilities_per_scenario(launch):
    cheap_nova = moved(launch, price__nova=520.0)
    comparison = compare(launch, [cheap_nova])
    table = comparison.table()
    name = launch.metadata.name
    assert list(table.columns) == ["section", "label", "unit", name, f"{name} (2)"]
    assert table.loc["price.nova", name] == 600 and table.loc["price.nova", f"{name} (2)"] == 520
    assert "kicker.pro" not in table.index  # no scenario pays one
    assert table.loc["utility.leadership", "label"] == "Leadership's value (per period)"
    assert table.loc["utility.reps", "label"] == (
        "Reps' utility (earnings less the cost of effort, per rep)"
    )
    assert table.loc["utility.reps", "unit"] == "money"
    assert set(table["section"]) == {"Inputs", "Outcomes", "Utility"}


def test_comparison_gives_each_partys_signed_change_against_the_status_quo(launch):
    cheap_nova = moved(launch, price__nova=520.0)
    rich_plan = moved(launch, margin_rate=0.14)
    comparison = compare(launch, [cheap_nova, rich_plan])
    base = evaluate(launch)
    for proposal, change in zip((cheap_nova, rich_plan), comparison.changes, strict=True):
        outcomes = evaluate(proposal, status_quo=launch)
        assert change.leadership == pytest.approx(
            outcomes.leadership_value[0] - base.leadership_value[0]
        )
        assert change.reps == pytest.approx(outcomes.rep_utility[0] - base.rep_utility[0])
        assert change.difference.contribution == pytest.approx(
            outcomes.contribution[0] - base.contribution[0]
        )
    richer = comparison.changes[1]
    assert richer.reps > 0 and "reps gain" in richer.summary
    assert "of earnings less the cost of effort per rep" in richer.summary
    assert "of value per period" in richer.summary
    assert list(comparison.changes_table().index) == list(comparison.names[1:])


def test_every_proposal_is_valued_under_the_working_scenarios_goals(launch):
    working = with_strategic_value(launch, launch.goals.strategic_value.get("nova", 0.0) + 400)
    proposal = with_strategic_value(moved(launch, price__nova=520.0), 0.0)

    comparison = compare(launch, [proposal], working=working)

    nova = launch.product_ids.index("nova")
    for outcomes in comparison.outcomes:
        own_terms = outcomes.contribution[0] + 400.0 * outcomes.units[0, nova]
        assert outcomes.leadership_value[0] == pytest.approx(
            own_terms + launch.goals.strategic_value.get("nova", 0.0) * outcomes.units[0, nova]
        )
    assert comparison.table().loc["price.nova"].iloc[-1] == 520  # the proposal's own plan


@pytest.mark.parametrize(
    ("value", "unit", "signed", "text"),
    [
        (1_234_567.4, "money", False, "$1.23M"),
        (-1_283_002.0, "money", True, "−$1.28M"),
        (12.5, "per_unit", False, "$12.50"),
        (0.0884, "fraction", False, "8.8 %"),
        (0.0884, "fraction", True, "+8.8 pp"),
        (-0.0003, "fraction", True, "0.0 pp"),
        (0.065, "rate", False, "6.5 %"),
        (0.0425, "rate", False, "4.25 %"),
        (1.5, "multiple", False, "1.5×"),
        (26.24, "score", False, "26 / 100"),
        (-3.04, "score", True, "−3.0 points"),
        (0.01, "score", True, "0.0 points"),
        (None, "money", False, "none"),
    ],
)
def test_numbers_read_as_the_room_reads_them(value, unit, signed, text):
    assert format_value(value, unit, signed=signed) == text


@pytest.mark.parametrize("path", sorted(SCENARIO_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_scenario_can_be_bargained_within_its_bounds(path):
    scenario = load_scenario(path)
    found = search(scenario, scenario, count=500)
    levers = lever_matrix(found.plans)
    for j, bound in enumerate(found.levers):
        assert bound.low <= levers[:, j].min() and levers[:, j].max() <= bound.high
    assert found.frontier.size >= 1
    assert found.has_deal or found.closest_trade_offs
