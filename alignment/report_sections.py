"""The report's later sections: assumptions, risks, proposals and votes, participants, sign-off."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from alignment.compromise import REP_UTILITY_NOUNS, REP_UTILITY_UNITS, Comparison, RepUtility
from alignment.report_model import Bullets, Paragraph, Section, SignOff, Table
from alignment.scenario import Scenario
from alignment.sensitivity import ACTIONS, sensitivity_ranking
from alignment.uncertainty import plan_uncertainty
from alignment.uncertainty_inputs import UncertainParameter, uncertain_parameters
from alignment.units import Units, trim_decimals

# Enough draws for the chance that both sides gain to within a few points, in well under a
# second; the deciding input from a short Morris screen of the same inputs.
REPORT_DRAWS = 300
REPORT_TRAJECTORIES = 10
ROLE_NAMES = {
    "leadership": "Leadership",
    "sales": "Sales",
    "marketing": "Marketing",
    "facilitator": "Facilitator",
}
SIGNING_PARTIES = ("Leadership", "Sales", "Facilitator")
NO_VOTES = "No votes recorded."
_FRACTION_KINDS = frozenset({"unassisted_share"})


@dataclass(frozen=True)
class Participant:
    name: str
    role: str  # "leadership", "sales", "marketing" or "facilitator"


@dataclass(frozen=True)
class VoteTally:
    """Votes for one proposal from one role."""

    proposal: int  # index into the report's proposals
    role: str
    in_favour: int
    against: int = 0


def vote_text(tally: VoteTally) -> str:
    """``"Sales: 3 for, 1 against"``."""
    role = ROLE_NAMES.get(tally.role, tally.role)
    return f"{role}: {tally.in_favour} for, {tally.against} against"


def assumptions_section(agreed: Scenario, shown: Units) -> Section:
    parameters = uncertain_parameters(agreed)
    rows = tuple(
        (p.label, _estimate(p, p.central), _estimate(p, p.low), _estimate(p, p.high),
         p.distribution, p.source or "default spread")
        for p in parameters
    )  # fmt: skip
    return Section(
        "Assumptions and their ranges",
        (
            Paragraph(
                f"Every amount is in {shown.currency} and every flow is counted "
                f"{shown.per_period}. The model's estimates below are uncertain: each may lie "
                "anywhere in its range, and the risks are worked out over that whole range."
            ),
            Table(
                ("Estimate", "Stated", "Low", "High", "Spread", "Source"),
                rows,
                "lrrrll",
                widths=(4, 1.2, 1.2, 1.2, 1.3, 2.2),
            ),
        ),
    )


def _estimate(parameter: UncertainParameter, value: float) -> str:
    if parameter.kind in _FRACTION_KINDS:
        return Units().figure(value, "fraction")
    return trim_decimals(value, 3)


def risks_section(
    agreed: Scenario,
    status_quo: Scenario,
    rep_utility: RepUtility,
    shown: Units,
    *,
    moved: bool,
    run: bool = True,
) -> Section:
    """The chance that both sides gain over the uncertain estimates, and what decides it."""
    if not moved:
        text = "The agreed plan is today's plan: neither side gains or gives up anything."
        return Section("Risks", (Paragraph(text),))
    if not run:
        return Section("Risks", (Paragraph("The risks were not worked out for this report."),))
    (found,) = plan_uncertainty(
        agreed, [agreed], status_quo, draws=REPORT_DRAWS, rep_utility=rep_utility
    )
    reps_unit = REP_UTILITY_UNITS[rep_utility]
    reps_noun = REP_UTILITY_NOUNS[rep_utility]
    lead = found.leadership_gain
    lines = [
        f"Leadership's gain {shown.per_period}: most likely {_gain(lead.median, 'money', shown)}; "
        f"8 in 10 outcomes between {_gain(lead.low, 'money', shown)} and "
        f"{_gain(lead.high, 'money', shown)}.",
        f"Each rep's gain in {reps_noun}: most likely "
        f"{_gain(found.reps_gain.median, reps_unit, shown)}; 8 in 10 outcomes between "
        f"{_gain(found.reps_gain.low, reps_unit, shown)} and "
        f"{_gain(found.reps_gain.high, reps_unit, shown)}.",
    ]
    ranking = sensitivity_ranking(
        agreed, agreed, status_quo, trajectories=REPORT_TRAJECTORIES, rep_utility=rep_utility
    )
    for party, who in (("leadership", "leadership's gain"), ("reps", "the reps' gain")):
        top = ranking.top(party)
        if top is not None:
            action = ACTIONS.get(top.parameter.kind)
            narrow = f"; {action} would narrow it" if action else ""
            lines.append(f"The estimate that decides {who} most: {top.phrase}{narrow}.")
    probability = Units().figure(found.both_gain, "fraction")
    return Section(
        "Risks",
        (
            Paragraph(
                f"Probability that both sides gain: {probability}. Over {found.draws:,} draws "
                "of the uncertain estimates (see Assumptions), leadership's value and each "
                f"rep's {reps_noun} both end above today's in {probability} of them."
            ),
            Bullets(tuple(lines)),
        ),
    )


def _gain(value: float, unit: str, shown: Units) -> str:
    return shown.figure(value, unit, change=True)


def proposals_section(
    proposals: Sequence[Scenario],
    comparison: Comparison,
    votes: Sequence[VoteTally] | None,
    shown: Units,
) -> Section:
    if not proposals:
        return Section("Proposals and votes", (Paragraph("No proposals were put on the table."),
                                               Paragraph(NO_VOTES)))  # fmt: skip
    reps_unit = REP_UTILITY_UNITS[comparison.rep_utility]
    rows = tuple(
        (f"Proposal {i + 1}", p.metadata.name, p.metadata.author or "—",
         ROLE_NAMES.get(p.metadata.role, p.metadata.role),
         shown.figure(change.leadership, "money", change=True),
         shown.figure(change.reps, reps_unit, change=True))
        for i, (p, change) in enumerate(zip(proposals, comparison.changes, strict=False))
    )  # fmt: skip
    table = Table(
        ("", "Title", "Author", "Role", "Leadership's value", "Each rep"),
        rows,
        "llllrr",
        widths=(1.3, 3.4, 1.8, 1.4, 1.8, 1.5),
    )
    blocks = [
        Paragraph(
            f"Each proposal's change against today, {shown.per_period}: leadership's value, "
            f"and each rep's {REP_UTILITY_NOUNS[comparison.rep_utility]}."
        ),
        table,
    ]
    if not votes:
        blocks.append(Paragraph(NO_VOTES))
    else:
        blocks.append(_votes_table(votes, len(proposals)))
    return Section("Proposals and votes", tuple(blocks))


def _votes_table(votes: Sequence[VoteTally], count: int) -> Table:
    roles = [r for r in ROLE_NAMES if any(v.role == r for v in votes)]
    rows = []
    for i in range(count):
        cells = []
        for role in roles:
            mine = [v for v in votes if v.proposal == i and v.role == role]
            cells.append(
                f"{sum(v.in_favour for v in mine)} for, {sum(v.against for v in mine)} against"
            )
        rows.append((f"Proposal {i + 1}", *cells))
    return Table(("Votes", *(ROLE_NAMES[r] for r in roles)), tuple(rows), "l" + "r" * len(roles))


def participants_section(
    agreed: Scenario, proposals: Sequence[Scenario], participants: Sequence[Participant] | None
) -> Section:
    if participants is None:
        authors = [(s.metadata.author, s.metadata.role) for s in (*proposals, agreed)]
        participants = [Participant(a.strip(), r) for a, r in authors if a.strip()]
    unique = list(dict.fromkeys((p.name, p.role) for p in participants))
    if not unique:
        text = "No participants recorded: no proposal names its author."
        return Section("Participants", (Paragraph(text),))
    items = tuple(f"{name} ({ROLE_NAMES.get(role, role)})" for name, role in unique)
    return Section("Participants", (Bullets(items),))


def sign_off_section() -> Section:
    return Section(
        "Sign-off",
        (
            Paragraph("We agree to put the plan above into effect as stated in this report."),
            SignOff(SIGNING_PARTIES),
        ),
    )
