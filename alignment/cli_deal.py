"""``python -m alignment deal FILE``: the deal the optimiser proposes, and how sure it is.

Prints the deal's levers beside the status quo's, both parties' values and gains, the Nash
product, the chance over the uncertain inputs that the deal leaves both sides better off, and
the time taken; as a table or JSON. Exit status 0 with a deal, 1 when no plan within the
bounds leaves both sides better off (the reason is printed), 2 for a problem with the input.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from typing import Any, TextIO

from alignment import cli as base
from alignment.compromise import (
    REP_UTILITY_NOUNS,
    REP_UTILITY_UNITS,
    Deal,
    Lock,
    LockSpec,
    SearchResult,
    deal_scenario,
    lever_matrix,
    search,
)
from alignment.evaluate import Plans, calibrated
from alignment.scenario import Scenario, lever_names
from alignment.units import Units, rate, score, score_change

EXIT_NO_DEAL = 1
FORMATS = ("table", "json")
RULES = {"nash": "nash", "ks": "kalai_smorodinsky", "weighted": "weighted_nash"}


def add_parser(commands: Any) -> None:
    """Register ``deal`` on the ``python -m alignment`` sub-command set."""
    parser = commands.add_parser(
        "deal", help="find the deal both sides gain most from, and the chance both really gain"
    )
    parser.add_argument("file", metavar="FILE", help="the working scenario (YAML)")
    parser.add_argument(
        "--status-quo", metavar="FILE", help="the plan to improve on (default: FILE itself)"
    )
    parser.add_argument(
        "--rule", choices=sorted(RULES), default="nash",
        help="nash: largest product of both gains (default); ks: equal shares of each "
        "side's best possible gain; weighted: the Nash product with leadership's weight W",
    )  # fmt: skip
    parser.add_argument(
        "--weight", type=float, default=0.5, metavar="W",
        help="leadership's bargaining weight for --rule weighted, strictly between 0 and 1",
    )  # fmt: skip
    parser.add_argument(
        "--locks", nargs="+", default=[], metavar="LOCK",
        help="levers to hold: LEVER keeps the scenario's value, LEVER=VALUE fixes it, "
        "LEVER=LOW:HIGH narrows it (e.g. price.nova=650 margin_rate=0.05:0.09)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=42, metavar="N", help="seed (default 42)")
    parser.add_argument(
        "--draws", type=int, metavar="N",
        help="draws of the uncertain inputs for the chance both gain (default: the "
        "scenario's, usually 1000; 0 skips it)",
    )  # fmt: skip
    parser.add_argument(
        "--format", choices=FORMATS, default="table", help="output format (default: table)"
    )


def deal_command(args: argparse.Namespace, out: TextIO) -> int:
    started = time.perf_counter()
    working = base.read_scenario(args.file)
    status_quo = base.read_scenario(args.status_quo) if args.status_quo else working
    locks = parse_locks(args.locks, working, args.file)
    if args.draws is not None and args.draws != 0 and not 10 <= args.draws <= 20_000:
        raise base.CommandError(args.file, ["--draws: give 0 (skip) or 10–20,000 draws"])
    try:
        result = search(
            working, status_quo, locks=locks, bargaining_weight=args.weight, seed=args.seed,
            demand=calibrated(working, status_quo),
        )  # fmt: skip
    except ValueError as error:
        raise base.CommandError(args.file, [str(error)]) from None
    deal = getattr(result, RULES[args.rule])
    chance = None
    if deal is not None and args.draws != 0:
        chance = _chance_both_gain(result, deal, working, status_quo, args.draws)
    report = deal_report(result, deal, status_quo, args, chance, time.perf_counter() - started)
    if args.format == "json":
        out.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    else:
        out.write(render_table(report))
    return base.EXIT_OK if deal is not None else EXIT_NO_DEAL


def parse_locks(specs: list[str], working: Scenario, source: str) -> dict[str, LockSpec]:
    """``LEVER``, ``LEVER=VALUE`` or ``LEVER=LOW:HIGH`` to locks; problems name the lock."""
    known = lever_names(working.product_ids)
    locks: dict[str, LockSpec] = {}
    problems = []
    for spec in specs:
        lever, _, value = spec.partition("=")
        lever = lever.strip()
        if lever not in known:
            problems.append(f"--locks {spec}: unknown lever; use one of {sorted(known)}")
            continue
        try:
            if not value:
                locks[lever] = Lock.keep()
            elif ":" in value:
                low, _, high = value.partition(":")
                locks[lever] = Lock.within(_number(low), _number(high))
            else:
                locks[lever] = Lock.at(_number(value))
        except ValueError as error:
            problems.append(f"--locks {spec}: {error}")
    if problems:
        raise base.CommandError(source, problems)
    return locks


def _number(text: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number; write e.g. 650 or 0.08") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{text!r} is not a finite number")
    return value


def _chance_both_gain(
    result: SearchResult, deal: Deal, working: Scenario, status_quo: Scenario,
    draws: int | None,
) -> tuple[float, int]:  # fmt: skip
    from alignment.uncertainty import plan_uncertainty  # only the commands that need it

    (found,) = plan_uncertainty(
        working, [deal_scenario(result, deal, working, status_quo)], status_quo, draws=draws,
        rep_utility=result.rep_utility,
    )  # fmt: skip
    return found.both_gain, found.draws


def deal_report(
    result: SearchResult,
    deal: Deal | None,
    status_quo: Scenario,
    args: argparse.Namespace,
    chance: tuple[float, int] | None,
    elapsed: float,
) -> dict[str, Any]:
    """Everything the command prints, as plain JSON values."""
    working = result.working
    report: dict[str, Any] = {
        "scenario": working.metadata.name,
        "status_quo": status_quo.metadata.name,
        "rule": RULES[args.rule],
        "weight": args.weight if args.rule == "weighted" else None,
        "seed": args.seed,
        "currency": working.metadata.currency,
        "found": deal is not None,
        "reason": result.no_deal_reason,
        "plans_weighed": len(result.plans),
        "elapsed_seconds": round(elapsed, 3),
    }
    if deal is None:
        return report
    before = lever_matrix(Plans.from_scenario(status_quo))[0]
    after = lever_matrix(result.plans.take(deal.index))[0]
    unit = REP_UTILITY_UNITS[result.rep_utility]
    units = Units.of(working)
    report.update(
        levers=[
            {
                "lever": bound.lever, "label": bound.label, "status_quo": float(before[j]),
                "deal": float(after[j]), "low": bound.low, "high": bound.high,
                "locked_by": bound.locked_by,
            }
            for j, bound in enumerate(result.levers)
        ],
        leadership={
            "measure": "leadership's value", "unit": f"{units.currency} {units.per_period}",
            "status_quo": result.status_quo.leadership, "deal": deal.leadership,
            "gain": deal.leadership_gain,
        },
        reps={
            "measure": REP_UTILITY_NOUNS[result.rep_utility],
            "unit": f"{units.currency} per rep {units.per_period}" if unit == "money"
            else "score out of 100",
            "status_quo": result.status_quo.reps, "deal": deal.reps, "gain": deal.reps_gain,
        },
        nash_product=deal.leadership_gain * deal.reps_gain,
        probability_both_gain=None if chance is None else chance[0],
        draws=None if chance is None else chance[1],
        converged=bool(result.outcomes.converged[deal.index]),
    )  # fmt: skip
    return report


def render_table(report: dict[str, Any]) -> str:
    text = base._terminal_text
    lines = [
        f"Scenario: {text(report['scenario'])}",
        f"Against the status quo: {text(report['status_quo'])}",
    ]
    if not report["found"]:
        lines += ["", f"No deal: {text(report['reason'] or '')}"]
        lines.append(f"Time: {report['elapsed_seconds']:.2f} s")
        return "\n".join(lines) + "\n"
    if report["rule"] == "weighted_nash":
        rule = f"weighted Nash (leadership's weight {report['weight']:g})"
    else:
        rule = {"nash": "Nash bargaining", "kalai_smorodinsky": "Kalai–Smorodinsky"}[report["rule"]]
    lines += [f"Deal: {rule}, seed {report['seed']}", ""]
    units = Units(currency=report["currency"])
    rows = [["Lever", "Status quo", "Deal", "Bounds"]]
    for lever in report["levers"]:
        shown = _lever_format(lever["lever"], units)
        bounds = "fixed" if lever["low"] == lever["high"] else (
            f"{shown(lever['low'])}–{shown(lever['high'])}"
        )  # fmt: skip
        rows.append(
            [text(lever["label"]), shown(lever["status_quo"]), shown(lever["deal"]), bounds]
        )
    lines += [*base._aligned(rows), ""]
    rows = [["Side", "Status quo", "Deal", "Gain", "Unit"]]
    for side, name in (("leadership", "Leadership's value"), ("reps", "Reps' ")):
        part = report[side]
        label = name if side == "leadership" else name + part["measure"]
        if part["unit"] == "score out of 100":
            figures = [score(part["status_quo"], 1), score(part["deal"], 1),
                       score_change(part["gain"])]  # fmt: skip
        else:
            figures = [units.money(part["status_quo"]), units.money(part["deal"]),
                       units.money(part["gain"], signed=True)]  # fmt: skip
        rows.append([label, *figures, part["unit"]])
    lines += [*base._aligned(rows), ""]
    lines.append(f"Nash product (gain × gain): {report['nash_product']:,.4g}")
    if report["probability_both_gain"] is not None:
        lines.append(
            f"Chance both sides gain over the uncertain inputs: "
            f"{100 * report['probability_both_gain']:.0f} % of {report['draws']:,} draws"
        )
    if not report["converged"]:
        lines.append("Note: the deal's selling hours did not fully settle.")
    lines.append(
        f"Plans weighed: {report['plans_weighed']:,}; time: {report['elapsed_seconds']:.2f} s"
    )
    return "\n".join(lines) + "\n"


def _lever_format(lever: str, units: Units) -> Callable[[float], str]:
    """How a lever's values read: prices and kickers in money, commission rates in percent."""
    if lever.startswith(("price.", "kicker.")):
        return units.money_exact
    if lever.endswith("_rate"):
        return rate
    return lambda value: f"{value:,.4g}"
