"""What each model figure means, its unit, and how it is computed, in the room's words.

Used as ``help=`` tooltips and captions wherever a figure appears, so it reads the same on every
page. Keys are the field names of ``alignment.Outcomes`` (and of a few controls). Money is in the
scenario's currency per period (one period, typically a year).
"""

from __future__ import annotations

from alignment.goals import OUT_OF_REACH
from alignment.safe_text import markdown_literal
from alignment.scenario import SalesTeam, Scenario
from workshop_ui.formatting import count, money, percent

FIGURES: dict[str, str] = {
    "new_product_share": (
        "Units of the new (strategic) products as a share of their market segments' units, "
        "in %. Leadership sets a target for it on the Goals page."
    ),
    "total_revenue": "Price × units, summed over products: money per period.",
    "total_gross_margin": "(Price − unit cost) × units, summed over products: money per period.",
    "gross_margin_pct": "Gross margin (price − unit cost, times units) as a % of revenue.",
    "contribution": (
        "Gross margin minus sales compensation (base salaries and commission) minus "
        "marketing spend: what the plan leaves for the company, money per period."
    ),
    "leadership_value": (
        "Leadership's value, money per period: contribution plus, for each strategic product, "
        "its units times what leadership says one more unit is worth beyond its margin (the "
        "Goals page). With no such value stated it equals contribution."
    ),
    "motivation": (
        "Rep motivation on a 0–100 scale: 100 × expectancy × instrumentality × valence "
        "(Vroom's expectancy theory). Any one factor near zero sinks it."
    ),
    "expectancy": (
        "Expectancy, 0–100%: can I reach the goals I am held to? The chance of making quota "
        "(reps at or above quota against the share that counts as fully achievable), lowered "
        "by the goal conflict: × (1 − goal conflict)."
    ),
    "instrumentality": (
        "Instrumentality, 0–100%: does more effort pay? What one more unit sold pays a rep at "
        "the margin, over the average pay per unit, at most 100%: 100% on a plain plan, lower "
        "when many reps are at the cap."
    ),
    "valence": (
        "Valence, 0–100%: is the reward worth having? Expected earnings per rep (base plus "
        "expected variable pay) against on-target earnings, at most 100%."
    ),
    "goal_conflict": (
        "% of selling time reps would have to move against their own pay to reach the "
        "new-product share target they are held to: the smallest such move, over all their "
        "hours. 0% = pay already gets there; 100% = not even all their hours would."
    ),
    "team_hours": (
        "Total selling hours of the whole team per period. They follow motivation: "
        "today's hours × (motivation / today's motivation) ^ effort response, within the "
        "fewest and most hours reps would put in."
    ),
    "expected_earnings": (
        "What a rep can expect to earn per period: base salary plus expected variable pay, "
        "after accelerator and cap, averaged over reps above and below quota."
    ),
    "effort_cost": (
        "What the hours put in cost a rep, in money per period: rising with the square of "
        "hours, equal to half the target variable pay at today's hours."
    ),
    "rep_utility": (
        "Reps' own measure, money per rep per period: expected earnings net of the cost of the "
        "effort they put in. More pay for the same hours raises it; more hours for the same "
        "pay lowers it."
    ),
    "expected_attainment": "The average rep's sales as a % of quota (100% = at quota).",
    "share_at_quota": "% of reps at or above quota, given how spread out attainment is.",
    "share": "Units sold as a % of the product's market segment (competitors included).",
    "cost_of_sales_pct": "Sales compensation (base salaries and commission) as a % of revenue.",
    "commission_cost": "Variable pay of the whole team, after accelerator and cap, per period.",
    "sales_compensation": "Base salaries plus commission of the whole team, per period.",
    "commission_per_unit": (
        "What the plan pays per unit sold before quota, accelerator and cap: revenue rate × "
        "price + margin rate × (price − cost) + kicker, $ per unit."
    ),
    "expected_marginal_pay": (
        "What one more unit sold pays a rep on average, $ per unit, after accelerator and cap: "
        "more than pay per unit when reps above quota earn the accelerator, less when they are "
        "at the cap. This is what moves reps' hours."
    ),
    "pay_hours": (
        "Where reps put their hours if they follow their pay: the mix that earns them the most "
        "under this plan."
    ),
    "asked_hours": (
        "The mix worth most to leadership: each unit valued at its margin net of the pay it "
        "earns, plus leadership's value of a strategic unit (Goals page)."
    ),
    "deals_sourced": (
        "Units per period that exist only because of lead generation: units sold minus units "
        "sold with lead-generation spend at zero (reps re-planning their hours)."
    ),
    "deals_influenced": (
        "Units per period that push content adds: units sold minus units sold with no content "
        "(reps re-planning their hours). Not every unit content touches — only those it adds."
    ),
    "marketing_spend": "Lead generation plus push content, money per period.",
    "marketing_roi": (
        "Return on all marketing, per $ spent: (contribution with marketing − contribution "
        "with none − spend) / spend, the contribution net of commission paid on the extra "
        "units. Negative: marketing costs more than it brings."
    ),
    "lead_gen_roi": (
        "Return on lead generation alone, per $ spent: the contribution it adds (net of "
        "commission on the extra units) less its spend, over its spend. Content stays as is."
    ),
    "content_roi": (
        "Return on push content alone, per $ spent: the contribution it adds (net of "
        "commission on the extra units) less its spend, over its spend. Lead generation "
        "stays as is."
    ),
    "content_reach": (
        "% of deals push content reaches: 1 − exp(−content budget / content scale). "
        "Content also makes each selling hour more productive."
    ),
    "cross_elasticity": (
        "Each cell: % change in the row product's share when the column product's price rises "
        "by 1%. The diagonal is the own-price elasticity (negative). Positive cells are "
        "cannibalisation: a cheaper column product takes share from the row product."
    ),
    "rep_price": (
        "The price that maximises reps' expected variable pay under the current plan, every "
        "other lever held."
    ),
    "best_price": (
        "The price that maximises leadership's value (contribution plus what leadership says "
        "strategic units are worth), every other lever held."
    ),
    "price_edge": (
        "'At least' or 'at most': the best price lies at the edge of the prices searched, so "
        "the true one may lie beyond it. 'Below unit cost': each unit sold there loses money."
    ),
    "revenue_rate": "Share of each sale's revenue paid as commission: pays for volume, any margin.",
    "margin_rate": "Share of each sale's gross margin paid as commission: pays for high margin.",
    "kicker": "Extra pay per unit sold, e.g. to make a new product worth a rep's time.",
    "accelerator": "Multiplier on commission earned above quota.",
    "cap": "The most variable pay one rep can earn per period.",
    "effort_response": (
        "How strongly the team's total selling hours follow motivation (ζ, 0–1): hours = "
        "today's hours × (motivation / today's motivation)^ζ. 0 keeps hours fixed; the "
        "default 0.2 is a modest response (doubling motivation adds about 15% more hours)."
    ),
    "strategic_value": (
        "What one more unit of this product is worth to the company beyond this period's "
        "margin (installed base, lifetime value, a foothold), $ per unit. 0 = only its margin "
        "counts."
    ),
    "strategic_value_reason": (
        "Why a strategic unit is worth that much, in a sentence the room can challenge."
    ),
    "hard_goal": (
        "On: the compromise search offers only deals that meet this target. Off: the target "
        "is shown on the scorecard but deals may miss it."
    ),
}

NOT_CONVERGED = (
    "The reps' hours did not settle for this plan: figures are approximate, and it cannot be "
    "proposed as a deal."
)


def motivation_factors(totals: dict[str, float], team: SalesTeam) -> dict[str, str]:
    """One plain-text sentence per factor of motivation, with this plan's numbers in it.

    ``totals``: the plan's totals (``workshop_ui.model.total``); ``team``: the sales team, for
    the share of reps at quota that counts as fully achievable and the on-target earnings.
    """
    instrumentality = totals["instrumentality"]
    return {
        "expectancy": (
            f"Can I reach my goals? {percent(totals['share_at_quota'], 0)} of reps make quota "
            f"({percent(team.quota_attainment_target, 0)} counts as fully achievable), and "
            f"reaching the new-product target would take {percent(totals['goal_conflict'], 0)} "
            "of selling time against pay."
        ),
        "instrumentality": (
            "Does more effort pay? One more unit sold pays at least the average rate."
            if instrumentality >= 0.995
            else "Does more effort pay? One more unit sold pays "
            f"{percent(instrumentality, 0)} of the average rate: the cap holds pay back."
        ),
        "valence": (
            f"Is the reward worth having? Expected earnings {money(totals['expected_earnings'])} "
            f"per rep against on-target earnings of {money(team.on_target_earnings)}."
        ),
    }


def target_out_of_reach(totals: dict[str, float], scenario: Scenario) -> str | None:
    """Why motivation is 0 when the new-product target cannot be reached with every selling
    hour, and what would bring it back in reach (Markdown); None while it can be reached."""
    if totals["goal_conflict"] < OUT_OF_REACH:
        return None
    team = scenario.sales_team
    hours = totals["team_hours"]
    fewest, today = team.reps * team.hours_floor, team.reps * team.hours_per_rep
    at_floor = team.effort_response > 0 and hours <= fewest * (1 + 1e-6)
    names = [markdown_literal(p.name) for p in scenario.products if p.strategic]
    new = " and ".join(names) if names else "the new products"
    given_up = (
        f"Seeing no way to meet it, their motivation is 0 and the team puts in only its "
        f"fewest hours ({count(fewest)} h; {count(today)} today): a small move can tip a plan "
        "here, since fewer hours put the target further out of reach."
        if at_floor
        else "Seeing no way to meet it, their motivation is 0."
    )
    return (
        f"**The new-product target is out of reach.** Even with all {count(hours)} selling "
        f"hours moved to {new}, reps would not reach the "
        f"{percent(scenario.reps_new_product_target)} share they are held to. {given_up} To "
        f"bring it back: lower the reps' target (Goals), or lower the price of {new} or pay "
        f"more for {'it' if len(names) == 1 else 'them'} (Pricing, Commission plan)."
    )


EVERY_PRICE = "at every price shown"


def out_of_reach_prices(
    spans: list[tuple[float, float]], low: float, high: float, *, hours_respond: bool
) -> str | None:
    """Where along a product's price range the reps' new-product target is out of reach
    (``spans`` of prices from :func:`alignment.pricing.out_of_reach_spans`, over ``low`` to
    ``high``), as a caption for its price chart; None where it is within reach everywhere.
    ``hours_respond``: the team's hours follow motivation (an effort response above 0)."""
    if not spans:
        return None

    def span(first: float, last: float) -> str:
        if first <= low and last >= high:
            return EVERY_PRICE
        if first <= low:
            return f"up to about {money(last)}"
        if last >= high:
            return f"from about {money(first)} up"
        return f"from about {money(first)} to {money(last)}"

    where = ", and ".join(span(first, last) for first, last in spans)
    hours = " and the team sells only its fewest hours" if hours_respond else ""
    step = " (the step in the curve)" if hours_respond and where != EVERY_PRICE else ""
    return (
        f"Reps' new-product target out of reach {where}: not even every selling hour would "
        f"reach it, so motivation is 0{hours}{step}."
    )


def team_hours(team: SalesTeam, hours: float) -> str:
    """The team's selling hours under a plan against today's, in plain text."""
    today = team.reps * team.hours_per_rep
    change = hours / today - 1.0
    moved = "the same as today" if abs(change) < 0.0005 else f"{change:+.1%} on today"
    return (
        f"Today {team.reps:,} reps × {count(team.hours_per_rep)} h = {count(today)} h per "
        f"period; under this plan {count(hours)} h, {moved}. Reps would put in between "
        f"{count(team.reps * team.hours_floor)} and {count(team.reps * team.hours_ceiling)} h."
    )


def exchange_rate(product_name: str, point_value: float) -> str:
    """Leadership's value of one point of a product's share, as a sentence for the room."""
    if point_value <= 0:
        return (
            f"Leadership values {product_name} units at their margin only: state a value per "
            "unit to say what a point of its share is worth beyond that."
        )
    return (
        f"Leadership values one point of {product_name} share at {money(point_value)} per "
        "period beyond its margin."
    )
