"""Which assumption decides the deal: a global sensitivity ranking (MODEL.md §10).

For a plan, each party's gain over the status quo — ``U_L − d_L`` and ``U_S − d_S``, the status
quo in the same draw — is ranked against every uncertain input by the **Morris method**
(elementary effects, Morris 1991, with the ``μ*`` of Campolongo, Cariboni & Saltelli 2007).

Why Morris rather than Sobol indices: the room asks *which* number is worth arguing about or
measuring — a ranking — not how the variance splits between inputs. Morris ranks reliably from
``r·(P + 1)`` evaluations (``r`` trajectories, ``P`` inputs): with 14 inputs and ``r = 12`` that
is 180 draws, each valuing the plan and the status quo. Sobol's first- and total-order indices
need ``N·(2P + 2)`` evaluations with ``N`` in the hundreds before the ranking of small effects
stops changing with the seed (``N = 512``: about 15,000 draws for 14 inputs), fifty to a hundred
times the cost, for more than the question needs. ``μ*`` (the mean absolute elementary
effect) also catches inputs whose effect changes sign across the range, which a plain mean
would cancel.

Each input moves across its stated range (for a normal range, its 5th to 95th percentile) on a
grid of 4 levels; ``μ*`` is in the gain's unit per move across the whole range, so it reads "moving
this input from its low to its high end changes the gain by about this much". An input with
no range (known exactly) has ``μ* = 0`` and ranks last.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from SALib.analyze import morris as morris_analysis
from SALib.sample import morris as morris_sample

from alignment.compromise.utilities import RepUtility, check_rep_utility, party_utilities
from alignment.scenario import Scenario
from alignment.uncertainty import _checked_seed, _checked_status_quo, draw_outcomes, marginals
from alignment.uncertainty_inputs import KIND_LABELS, UncertainParameter

TRAJECTORIES = 12
LEVELS = 4
# What would narrow each kind of input, in words for the room.
ACTIONS: dict[str, str] = {
    "price_elasticity": "a pricing test",
    "effort_elasticity": "tracking selling hours against deals won",
    "lead_gen_elasticity": "tracking campaigns against the deals they bring",
    "unassisted_share": "tracking which deals close without a rep",
    "effort_response": "asking the reps, or a pilot of the plan",
    "habit": "asking the reps, or a pilot of the plan",
}


@dataclass(frozen=True)
class Influence:
    """How much one input moves each party's gain.

    ``leadership``, ``reps``: ``μ*`` — the mean absolute change in the gain (leadership's:
    money per period; the reps': money per rep per period, or motivation points) when the input
    moves across its whole range. ``*_share``: ``μ*`` over the sum of every input's, 0–1.
    """

    parameter: UncertainParameter
    phrase: str  # the input in a sentence, e.g. "Nova's price elasticity"
    leadership: float
    reps: float
    leadership_share: float
    reps_share: float


@dataclass(frozen=True)
class Ranking:
    """Every input, the most decisive first, with one sentence for the room."""

    influences: tuple[Influence, ...]
    sentence: str
    trajectories: int
    evaluations: int  # draws evaluated, each for the plan and the status quo

    def top(self, party: str) -> Influence | None:
        """The input that moves ``party``'s gain most (``"leadership"`` or ``"reps"``); None
        when no input moves it at all."""
        best = max(self.influences, key=lambda i: getattr(i, party), default=None)
        return best if best is not None and getattr(best, party) > 0.0 else None


def sensitivity_ranking(
    working: Scenario,
    plan: Scenario | None = None,
    status_quo: Scenario | None = None,
    *,
    trajectories: int = TRAJECTORIES,
    seed: int | None = None,
    rep_utility: RepUtility = "rep_utility",
    subject: str = "The plan",
) -> Ranking:
    """Rank the working scenario's uncertain inputs by how much they move ``plan``'s gain for
    each party over ``status_quo`` (both default: the working scenario).

    Parameters
    ----------
    working : the scenario whose market, team, goals and ranges the plans are valued in.
    plan : the scenario whose whole plan is ranked (default: the working scenario's).
    trajectories : Morris trajectories ``r``, 2–100; the cost is ``r·(P + 1)`` draws.
    seed : seed of the Morris design (default: the scenario's ``uncertainty.seed``).
    subject : the plan's name at the start of the sentence, e.g. "The deal".
    """
    check_rep_utility(rep_utility)
    if not 2 <= int(trajectories) <= 100:
        raise ValueError(
            f"trajectories: {trajectories} is outside 2–100; 10–20 rank the inputs reliably"
        )
    status_quo = _checked_status_quo(working, status_quo)
    plan = working if plan is None else plan
    seed = working.uncertainty.seed if seed is None else _checked_seed(seed)
    found = marginals(working)
    parameters = tuple(m.parameter for m in found)
    problem = {
        "num_vars": len(found),
        "names": [p.name for p in parameters],
        "bounds": [[0.0, 1.0]] * len(found),
    }
    unit = morris_sample.sample(problem, int(trajectories), num_levels=LEVELS, seed=seed)
    values = np.column_stack([m.in_range(unit[:, j]) for j, m in enumerate(found)])
    today, planned = draw_outcomes(working, [status_quo, plan], parameters, values, status_quo)
    leadership, reps = party_utilities(planned, rep_utility)
    d_leadership, d_reps = party_utilities(today, rep_utility)
    mu_leadership = _mu_star(problem, unit, leadership - d_leadership, seed)
    mu_reps = _mu_star(problem, unit, reps - d_reps, seed)
    influences = _influences(working, parameters, mu_leadership, mu_reps)
    return Ranking(
        influences=influences,
        sentence=sentence(influences, subject),
        trajectories=int(trajectories),
        evaluations=len(values),
    )


def _mu_star(problem: dict, unit: np.ndarray, gain: np.ndarray, seed: int) -> np.ndarray:
    if not np.all(np.isfinite(gain)):
        raise ValueError("a draw gave a figure that is not a number; narrow the ranges")
    if np.ptp(gain) == 0.0:  # the gain never moves (e.g. the plan is the status quo)
        return np.zeros(problem["num_vars"])
    found = morris_analysis.analyze(
        problem, unit, gain, num_levels=LEVELS, num_resamples=10, seed=seed
    )
    return np.asarray(found["mu_star"], dtype=float)


def _influences(
    working: Scenario,
    parameters: tuple[UncertainParameter, ...],
    mu_leadership: np.ndarray,
    mu_reps: np.ndarray,
) -> tuple[Influence, ...]:
    share_leadership, share_reps = _shares(mu_leadership), _shares(mu_reps)
    order = np.argsort(-(share_leadership + share_reps), kind="stable")
    return tuple(
        Influence(
            parameter=parameters[j],
            phrase=phrase(working, parameters[j]),
            leadership=float(mu_leadership[j]),
            reps=float(mu_reps[j]),
            leadership_share=float(share_leadership[j]),
            reps_share=float(share_reps[j]),
        )
        for j in order
    )


def _shares(mu: np.ndarray) -> np.ndarray:
    total = mu.sum()
    return mu / total if total > 0.0 else np.zeros_like(mu)


def phrase(working: Scenario, parameter: UncertainParameter) -> str:
    """The input as a sentence names it: "Nova's price elasticity", "the reps' habit"."""
    kind = KIND_LABELS[parameter.kind]
    if parameter.product is None:
        return f"the reps' {kind}"
    return f"{working.product(parameter.product).name}'s {kind}"


def sentence(influences: tuple[Influence, ...], subject: str = "The plan") -> str:
    """One sentence: what each side's gain depends on most, and what would narrow it."""
    ranking = Ranking(influences, "", 0, 0)
    lead, reps = ranking.top("leadership"), ranking.top("reps")
    owner = f"{subject}'s value"
    if lead is None and reps is None:
        return (
            f"{owner} to either side does not move with any uncertain input: it is the status "
            "quo, or every range is closed."
        )
    if lead is None or reps is None or lead.parameter == reps.parameter:
        only = lead or reps
        assert only is not None
        whom = "both sides" if lead is not None and reps is not None else (
            "leadership" if lead is not None else "the reps"
        )  # fmt: skip
        return (
            f"{owner} to {whom} depends most on {only.phrase}; narrowing it is worth "
            f"{ACTIONS[only.parameter.kind]}."
        )
    first, second = ACTIONS[lead.parameter.kind], ACTIONS[reps.parameter.kind]
    worth = (
        f"narrowing either is worth {first}"
        if first == second
        else f"narrowing the first is worth {first}, the second {second}"
    )
    return (
        f"{owner} to leadership depends most on {lead.phrase}, to the reps on {reps.phrase}; "
        f"{worth}."
    )
