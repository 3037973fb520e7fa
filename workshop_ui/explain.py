"""What each model figure means and how it is computed, in the room's words.

Used as ``help=`` tooltips and captions wherever a figure appears, so it reads the same on every
page. Keys are the field names of ``alignment.Outcomes``.
"""

from __future__ import annotations

FIGURES: dict[str, str] = {
    "new_product_share": (
        "Units of the new (strategic) products as a share of their market segments' units. "
        "Leadership sets a target for it on the Goals page."
    ),
    "total_revenue": "Price × units, summed over products, per period.",
    "total_gross_margin": "(Price − unit cost) × units, summed over products, per period.",
    "gross_margin_pct": "Gross margin (price − unit cost, times units) as a share of revenue.",
    "contribution": (
        "Gross margin minus sales compensation (base salaries and commission) minus "
        "marketing spend: what the plan leaves for the company, per period."
    ),
    "motivation": (
        "Rep motivation, 0–100 = 100 × expectancy × instrumentality × coherence (Vroom). "
        "Any one factor near zero sinks it."
    ),
    "goal_conflict": (
        "Share of selling time reps would have to move against their own pay to give "
        "leadership the mix it asks for: ½ Σ |pay mix − asked mix|. 0 = aligned, 100% = opposite."
    ),
    "expectancy": (
        "Can I make quota? The share of reps at or above quota, against the share that counts "
        "as achievable (e.g. 65%); at or above that it is 100%."
    ),
    "instrumentality": (
        "Does effort pay? Expected variable pay against target variable pay "
        "(on-target earnings minus base), at most 100%."
    ),
    "coherence": (
        "Do my goals agree? 1 − goal conflict: how far the mix the plan pays for matches the "
        "mix leadership asks for."
    ),
    "leadership_score": (
        "Leadership's goal score, 0–150: each goal's achievement as a share of its target "
        "(at most 150%), weighted by the goal weights."
    ),
    "share": "Units sold as a share of the product's market segment (competitors included).",
    "cost_of_sales_pct": "Sales compensation (base salaries and commission) as a share of revenue.",
    "commission_cost": "Variable pay of the whole team, after accelerator and cap.",
    "pay_hours": (
        "Where reps put their hours if they follow their pay: the mix that earns them the most "
        "commission under this plan."
    ),
    "asked_hours": (
        "The mix that best serves leadership's weighted goals (contribution, new-product "
        "share, margin %), found the same way with leadership's value of a unit in place of pay."
    ),
    "deals_sourced": (
        "Units that exist only because of lead generation: units sold minus units sold with "
        "lead-generation spend set to zero."
    ),
    "deals_influenced": "Units touched by push content: content reach × all units sold.",
    "marketing_spend": "Lead generation plus push content, per period.",
    "marketing_roi": (
        "(Gross margin with marketing − gross margin without − marketing spend) / spend. "
        "Negative: marketing costs more margin than it brings."
    ),
    "content_reach": (
        "Share of deals push content reaches: 1 − exp(−content budget / content scale). "
        "Content also makes each selling hour more productive."
    ),
    "cross_elasticity": (
        "Each cell: % change in the row product's share when the column product's price rises "
        "by 1%. The diagonal is the own-price elasticity (negative). Positive cells are "
        "cannibalisation: a cheaper column product takes share from the row product."
    ),
    "rep_price": (
        "The price that maximises reps' expected commission under the current plan, every "
        "other lever held."
    ),
    "best_price": "The price that maximises company contribution, every other lever held.",
    "revenue_rate": "Share of each sale's revenue paid as commission: pays for volume, any margin.",
    "margin_rate": "Share of each sale's gross margin paid as commission: pays for high margin.",
    "kicker": "Extra pay per unit sold, e.g. to make a new product worth a rep's time.",
    "accelerator": "Multiplier on commission earned above quota.",
    "cap": "The most variable pay one rep can earn per period.",
}
