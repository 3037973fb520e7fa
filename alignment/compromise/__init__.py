"""The compromise engine: search the negotiable plans for deals both parties prefer (MODEL.md §8).

Leadership's utility is its value in money (contribution plus the stated worth of strategic
units); the reps' is their expected earnings net of the cost of effort, or motivation, or
expected earnings. The status quo's plan, valued in the working scenario, is the disagreement
point ``d``: what each side gets if the room agrees on nothing. The search samples the plan space
inside the scenario's negotiation bounds, evaluates every candidate at once, keeps the Pareto
frontier and proposes the Nash bargaining solution beside Kalai–Smorodinsky, an asymmetric
Nash product and each party's ideal.

One module per concept: :mod:`.bounds` (locks and lever ranges), :mod:`.sampling` (candidate
plans), :mod:`.utilities` (what each party gets, valued in the working scenario),
:mod:`.constraints` (hard limits), :mod:`.frontier`, :mod:`.bargaining` (search and deals),
:mod:`.explaining` (a plan in words), :mod:`.comparison` (proposals side by side) and
:mod:`.formatting`.

Levers are named as in ``negotiation.locked``: ``price.<product>``, ``kicker.<product>``,
``revenue_rate`` and ``margin_rate``. Everything else in a candidate plan (quota, accelerator,
cap, lead generation, push content) is the working scenario's.
"""

from alignment.compromise.bargaining import (
    RULE_LABELS,
    Deal,
    DealRule,
    SearchResult,
    bargain,
    search,
    utilities_text,
)
from alignment.compromise.bounds import LeverBound, Lock, LockSpec, lever_bounds
from alignment.compromise.comparison import (
    OUTCOME_ROWS,
    Comparison,
    ComparisonRow,
    PartyChange,
    Section,
    compare,
)
from alignment.compromise.constraints import (
    CONSTRAINT_LABELS,
    Constraints,
    hard_goal_constraints,
)
from alignment.compromise.explaining import (
    HEADLINE_LABELS,
    Explanation,
    Headline,
    Move,
    deal_scenario,
    explain,
    explain_deal,
    headline,
    lever_moves,
    plan_terms,
)
from alignment.compromise.formatting import format_value
from alignment.compromise.frontier import pareto_frontier
from alignment.compromise.sampling import (
    DEFAULT_CANDIDATES,
    lever_matrix,
    plans_from_levers,
    sample_plans,
)
from alignment.compromise.utilities import (
    LEADERSHIP_LABEL,
    REP_UTILITY_LABELS,
    REP_UTILITY_NOUNS,
    REP_UTILITY_UNITS,
    ExchangeRate,
    RepUtility,
    Utilities,
    exchange_rate_sentences,
    exchange_rates,
    party_utilities,
    plan_in_working,
    value_in_working,
)

__all__ = [
    "CONSTRAINT_LABELS",
    "DEFAULT_CANDIDATES",
    "HEADLINE_LABELS",
    "LEADERSHIP_LABEL",
    "OUTCOME_ROWS",
    "REP_UTILITY_LABELS",
    "REP_UTILITY_NOUNS",
    "REP_UTILITY_UNITS",
    "RULE_LABELS",
    "Comparison",
    "ComparisonRow",
    "Constraints",
    "Deal",
    "DealRule",
    "ExchangeRate",
    "Explanation",
    "Headline",
    "LeverBound",
    "Lock",
    "LockSpec",
    "Move",
    "PartyChange",
    "RepUtility",
    "SearchResult",
    "Section",
    "Utilities",
    "bargain",
    "compare",
    "deal_scenario",
    "exchange_rate_sentences",
    "exchange_rates",
    "explain",
    "explain_deal",
    "format_value",
    "hard_goal_constraints",
    "headline",
    "lever_bounds",
    "lever_matrix",
    "lever_moves",
    "pareto_frontier",
    "party_utilities",
    "plan_in_working",
    "plan_terms",
    "plans_from_levers",
    "sample_plans",
    "search",
    "utilities_text",
    "value_in_working",
]
