"""``python -m alignment uncertainty FILE``: how sure we are of a scenario's own plan.

Prints the median and 10–90 % band of every headline figure over seeded Latin-hypercube draws
of the uncertain inputs (MODEL.md §10), the chance that the plan leaves both leadership and the
reps better off than the status quo (``--status-quo FILE``; default: the scenario itself), and
which inputs move each side's gain most (Morris ranking), as a table or JSON.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any, TextIO

from alignment import cli as base
from alignment.scenario import Scenario
from alignment.uncertainty import FIGURES, Band, PlanUncertainty, plan_uncertainty
from alignment.units import Units

if TYPE_CHECKING:
    from alignment.sensitivity import Ranking

FORMATS = ("table", "json")


def add_parser(commands: Any) -> None:
    """Register ``uncertainty`` on the ``python -m alignment`` sub-command set."""
    parser = commands.add_parser(
        "uncertainty",
        help="print bands over the uncertain inputs, the chance both sides gain, and which "
        "input decides it",
    )
    parser.add_argument("file", metavar="FILE", help="scenario YAML file")
    parser.add_argument(
        "--status-quo", metavar="FILE", help="the plan to compare with (default: FILE itself)"
    )
    parser.add_argument(
        "--draws", type=int, metavar="N", help="draws (default: the scenario's, usually 1000)"
    )
    parser.add_argument(
        "--seed", type=int, metavar="N", help="seed of the draws (default: the scenario's)"
    )
    parser.add_argument(
        "--trajectories", type=int, metavar="N",
        help="Morris trajectories for the ranking, 2–100 (default: 12)",
    )  # fmt: skip
    parser.add_argument(
        "--format", choices=FORMATS, default="table", help="output format (default: table)"
    )


def uncertainty_command(args: argparse.Namespace, out: TextIO) -> int:
    # Imported here, not at the top: SALib would slow the start of every other command.
    from alignment.sensitivity import TRAJECTORIES, sensitivity_ranking

    scenario = base.read_scenario(args.file)
    status_quo = base.read_scenario(args.status_quo) if args.status_quo else scenario
    try:
        (found,) = plan_uncertainty(
            scenario, [scenario], status_quo, draws=args.draws, seed=args.seed
        )
        trajectories = TRAJECTORIES if args.trajectories is None else args.trajectories
        ranking = sensitivity_ranking(
            scenario, scenario, status_quo, trajectories=trajectories, seed=args.seed,
            subject="The plan",
        )  # fmt: skip
    except ValueError as error:
        raise base.CommandError(args.file, [str(error)]) from None
    seed = scenario.uncertainty.seed if args.seed is None else args.seed
    report = uncertainty_report(scenario, status_quo, found, ranking, seed)
    if args.format == "json":
        out.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    else:
        out.write(render_table(report))
    return base.EXIT_OK


def uncertainty_report(
    scenario: Scenario, status_quo: Scenario, found: PlanUncertainty, ranking: Ranking, seed: int
) -> dict[str, Any]:
    """Everything the command prints, as plain JSON values."""
    units = Units.of(scenario)

    def figures(band: Band) -> dict[str, Any]:
        return {
            key: base._number(getattr(band, key)) for key in ("median", "low", "high", "central")
        }

    return {
        "scenario": scenario.metadata.name,
        "status_quo": status_quo.metadata.name,
        "currency": scenario.metadata.currency,
        "period": scenario.metadata.period,
        "own_status_quo": status_quo == scenario,
        "draws": found.draws,
        "seed": seed,
        "unsettled_draws": found.unsettled,
        "bands": {
            name: {
                "label": label,
                "unit": base._unit_text(name, kind, units),
                **figures(found.bands[name]),
            }
            for name, label, kind in FIGURES
        },
        "gains": {
            "leadership": {
                "unit": f"{units.currency} {units.per_period}",
                **figures(found.leadership_gain),
            },
            "reps": {
                "unit": f"{units.currency} per rep {units.per_period}",
                **figures(found.reps_gain),
            },
        },
        "probability_both_gain": found.both_gain,
        "sensitivity": {
            "method": "morris",
            "trajectories": ranking.trajectories,
            "evaluations": ranking.evaluations,
            "sentence": ranking.sentence,
            "inputs": [
                {
                    "name": i.parameter.name,
                    "label": i.parameter.label,
                    "low": i.parameter.low,
                    "central": i.parameter.central,
                    "high": i.parameter.high,
                    "distribution": i.parameter.distribution,
                    "leadership_mu_star": i.leadership,
                    "leadership_share": i.leadership_share,
                    "reps_mu_star": i.reps,
                    "reps_share": i.reps_share,
                }
                for i in ranking.influences
            ],
        },
    }


def render_table(report: dict[str, Any]) -> str:
    """The report for a terminal: bands, the chance both gain, the ranking and its sentence."""
    text = base._terminal_text
    lines = [
        f"Scenario: {text(report['scenario'])}",
        f"Against the status quo: {text(report['status_quo'])}",
        f"{report['draws']:,} Latin-hypercube draws of the uncertain inputs (seed "
        f"{report['seed']}); the band holds 80 % of the draws.",
        "",
    ]
    units = Units(currency=report["currency"], period=report["period"])
    rows = [["Figure", "10 %", "Median", "90 %", "At stated values", "Unit"]]
    for name, label, kind in FIGURES:
        band = report["bands"][name]
        shown = [
            base._format(band[k], name, kind, units) for k in ("low", "median", "high", "central")
        ]
        rows.append([label, *shown, band["unit"]])
    lines += ["How sure we are", *base._aligned(rows), ""]
    chance = report["probability_both_gain"]
    lines.append(
        f"Chance both sides are better off than the status quo: {100 * chance:.0f} % "
        f"({round(chance * report['draws']):,} of {report['draws']:,} draws)"
    )
    if report["own_status_quo"]:
        lines.append("The plan is its own status quo: give --status-quo FILE to compare.")
    if report["unsettled_draws"]:
        lines.append(
            f"Note: in {report['unsettled_draws']:,} draws the hours allocation did not fully "
            "settle; figures use its best mix."
        )
    sensitivity = report["sensitivity"]
    ranked = [["Input", "Range", "Leadership", "Share", "Reps", "Share"]]
    for i in sensitivity["inputs"]:
        ranked.append([
            text(i["label"]), f"{i['low']:.3g}–{i['high']:.3g}",
            f"{i['leadership_mu_star']:,.0f}", f"{100 * i['leadership_share']:.0f} %",
            f"{i['reps_mu_star']:,.0f}", f"{100 * i['reps_share']:.0f} %", "",
        ])  # fmt: skip
    ranked[0].append("")
    lines += [
        "",
        f"Which input decides each side's gain (Morris, {sensitivity['trajectories']} "
        f"trajectories, {sensitivity['evaluations']:,} draws; change in the gain when the input "
        "moves across its range: leadership money per period, reps money per rep)",
        *base._aligned(ranked),
        "",
        text(sensitivity["sentence"]),
    ]
    return "\n".join(lines) + "\n"
