"""Command line: ``python -m alignment evaluate FILE`` and ``python -m alignment validate FILE...``.

``evaluate`` prints one scenario's outcomes (MODEL.md §7), with the price reps would choose and
leadership's best price per product (§8), as a table, JSON or CSV; ``validate`` checks scenario
files and exits 0 when all are valid, 2 otherwise, one line per problem.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from alignment import cli_calibrate, cli_deal, cli_uncertainty
from alignment.evaluate import Outcomes, calibrated, evaluate
from alignment.pricing import PricePreference, price_preferences
from alignment.safe_text import csv_safe, plain_text
from alignment.scenario import Scenario
from alignment.scenario_io import ScenarioError, load_scenario
from alignment.tables import (
    PER_REP_FIELDS,
    PER_UNIT_FIELDS,
    PRICE_COLUMNS,
    PRODUCT_COLUMNS,
    TOTAL_COLUMNS,
    price_table,
    product_table,
    scorecard,
    totals,
)
from alignment.units import Units

EXIT_OK = 0
EXIT_INVALID = 2
FORMATS = ("table", "json", "csv")


class CommandError(Exception):
    """A problem to report as ``<file>: <problem>`` lines, never as a traceback."""

    def __init__(self, source: str, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.source = source
        self.problems = problems


def read_scenario(name: str) -> Scenario:
    """Load ``name`` from disk, turning every way it can fail into a :class:`CommandError`."""
    path = Path(name)
    if not path.exists():
        raise CommandError(name, ["no such file; check the path"])
    if path.is_dir():
        raise CommandError(name, ["is a directory; give the path of a .yaml scenario file"])
    try:
        return load_scenario(path)
    except ScenarioError as error:
        raise CommandError(name, list(error.problems)) from None
    except OSError as error:
        raise CommandError(name, [f"cannot read the file: {error.strerror or error}"]) from None


def outcome_report(
    scenario: Scenario, outcomes: Outcomes, preferences: list[PricePreference], plan: int = 0
) -> dict[str, Any]:
    """Every total and per-product figure of one plan, under the names docs/model.md lists.

    Each product also carries the price reps would choose and leadership's best price, with
    whether each lies at the edge of the range searched (``"low"``: at most that price;
    ``"high"``: at least) and whether it is below unit cost.
    """
    products = _products(scenario, outcomes, preferences, plan)
    return {
        "scenario": scenario.metadata.name,
        "schema_version": scenario.schema_version,
        "converged": bool(outcomes.converged[plan]),
        "totals": {name: _number(value) for name, value in totals(outcomes, plan).items()},
        "products": [
            {key: _number(value) for key, value in row.items()}
            for row in products.to_dict(orient="records")
        ],
        "scorecard": [
            {"goal": goal, **{key: _number(value) for key, value in row.items()}}
            for goal, row in scorecard(scenario, outcomes, plan).to_dict(orient="index").items()
        ],
    }


def render_json(scenario: Scenario, outcomes: Outcomes, preferences: list[PricePreference]) -> str:
    report = outcome_report(scenario, outcomes, preferences)
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def render_csv(scenario: Scenario, outcomes: Outcomes, preferences: list[PricePreference]) -> str:
    """Per-product table; text cells a spreadsheet would run as a formula get a leading ``'``."""
    table = csv_safe(_products(scenario, outcomes, preferences))
    return table.to_csv(index=False, lineterminator="\n")


def render_table(scenario: Scenario, outcomes: Outcomes, preferences: list[PricePreference]) -> str:
    """Per-product figures (one column per product) and the totals, each with its unit."""
    products = product_table(scenario, outcomes)
    shown = Units.of(scenario)
    rows = [["Figure", *(_terminal_text(name) for name in products["name"]), "Unit"]]
    for name, (label, unit) in PRODUCT_COLUMNS.items():
        rows.append(
            [
                label,
                *(_format(v, name, unit, shown) for v in products[name]),
                _unit_text(name, unit, shown),
            ]
        )
    for name, price in (("rep_preferred_price", _reps_price), ("best_price", _best_price)):
        cells = (price(p, shown) for p in preferences)
        rows.append([PRICE_COLUMNS[name][0], *cells, f"{shown.currency} per unit"])
    title = _terminal_text(scenario.metadata.name)
    lines = [f"Scenario: {title}", "", "Per product", *_aligned(rows), ""]
    total_rows = [["Total", "Value", "Unit"]]
    for name, value in totals(outcomes).items():
        label, unit = TOTAL_COLUMNS[name]
        total_rows.append([label, _format(value, name, unit, shown), _unit_text(name, unit, shown)])
    lines += ["Totals", *_aligned(total_rows), ""]
    goal_rows = [["Goal", "Target", "Achieved", "Status"]]
    for row in scorecard(scenario, outcomes).itertuples():
        unit = "money" if row.Index == "contribution" else "fraction"
        status = f"{row.status} (deals must meet it)" if row.hard else row.status
        goal_rows.append(
            [row.label, _format(row.target, row.Index, unit, shown),
             _format(row.value, row.Index, unit, shown), status]
        )  # fmt: skip
    lines += ["Leadership scorecard", *_aligned(goal_rows)]
    if not outcomes.converged.all():
        lines += ["", "Note: the hours allocation did not fully settle; figures use its best mix."]
    return "\n".join(lines) + "\n"


RENDERERS = {"table": render_table, "json": render_json, "csv": render_csv}


def evaluate_command(args: argparse.Namespace, out: TextIO) -> int:
    scenario = read_scenario(args.file)
    demand = calibrated(scenario)
    outcomes = evaluate(scenario, demand=demand)
    out.write(RENDERERS[args.format](scenario, outcomes, price_preferences(scenario, demand)))
    return EXIT_OK


def validate_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    status = EXIT_OK
    for name in args.files:
        try:
            read_scenario(name)
        except CommandError as error:
            _report(error, err)
            status = EXIT_INVALID
        else:
            out.write(f"{name}: ok\n")
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m alignment",
        description="Evaluate or validate pricing-and-commission workshop scenarios.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    evaluate_parser = commands.add_parser(
        "evaluate", help="print a scenario's outcomes per product and in total"
    )
    evaluate_parser.add_argument("file", metavar="FILE", help="scenario YAML file")
    evaluate_parser.add_argument(
        "--format", choices=FORMATS, default="table", help="output format (default: table)"
    )
    validate_parser = commands.add_parser(
        "validate", help="check scenario files; exit 0 if all are valid, 2 if not"
    )
    validate_parser.add_argument("files", metavar="FILE", nargs="+", help="scenario YAML files")
    cli_uncertainty.add_parser(commands)
    cli_deal.add_parser(commands)
    cli_calibrate.add_parser(commands)
    return parser


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run the command line; returns the exit status instead of exiting."""
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    args = build_parser().parse_args(argv)
    try:
        if args.command == "validate":
            return validate_command(args, out, err)
        if args.command == "calibrate":
            return cli_calibrate.calibrate_command(args, out, err)
        if args.command == "deal":
            return cli_deal.deal_command(args, out)
        if args.command == "uncertainty":
            return cli_uncertainty.uncertainty_command(args, out)
        return evaluate_command(args, out)
    except CommandError as error:
        _report(error, err)
        return EXIT_INVALID


def _report(error: CommandError, err: TextIO) -> None:
    for problem in error.problems:
        err.write(f"{error.source}: {_one_line(problem)}\n")


def _one_line(text: str) -> str:
    return " ".join(plain_text(text).split())


def _terminal_text(text: str) -> str:
    """User text for a terminal: no control characters (escape codes), on one line."""
    return _one_line(text)


def _number(value: Any) -> Any:
    """Plain JSON values: numpy scalars to Python, non-finite floats to null."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _products(
    scenario: Scenario, outcomes: Outcomes, preferences: list[PricePreference], plan: int = 0
) -> pd.DataFrame:
    """The per-product table with each product's preferred prices and their flags."""
    table = product_table(scenario, outcomes, plan).join(price_table(preferences))
    return table.reset_index()


def _unit_text(name: str, unit: str, money_units: Units) -> str:
    """The unit column: e.g. ``USD per year``, ``USD per unit``, ``hours per year``."""
    period = money_units.per_period
    if unit == "money":
        if name in PER_UNIT_FIELDS:
            return f"{money_units.currency} per unit"
        if name in PER_REP_FIELDS:
            return f"{money_units.currency} per rep {period}"
        return f"{money_units.currency} {period}"
    return {
        "fraction": "percent",
        "units": f"units {period}",
        "hours": f"hours {period}",
        "score": "score out of 100",
    }.get(unit, unit)


def _format(value: float, name: str, unit: str, money_units: Units) -> str:
    if unit == "money" and name in PER_UNIT_FIELDS:
        return money_units.money_exact(value)
    return money_units.figure(value, unit)


def _reps_price(preference: PricePreference, shown: Units) -> str:
    price = preference.rep_preferred_price
    if price is None:
        return "any price"  # the plan's pay does not depend on this price
    return _price_text(
        shown.money_exact(price), preference.rep_price_at_edge, preference.rep_price_below_cost
    )


def _best_price(preference: PricePreference, shown: Units) -> str:
    return _price_text(
        shown.money_exact(preference.best_price),
        preference.best_price_at_edge,
        preference.best_price_below_cost,
    )


def _price_text(price: str, edge: str | None, below_cost: bool) -> str:
    """A preferred price as people read it, e.g. "at most $120, below cost": an optimum at the
    low end of the range searched may lie lower still, one at the high end higher still."""
    bound = {"low": "at most ", "high": "at least "}.get(edge or "", "")
    return f"{bound}{price}{', below cost' if below_cost else ''}"


def _aligned(rows: list[list[str]]) -> list[str]:
    """Left-align the first column, right-align the rest, two spaces apart."""
    widths = [max(len(str(row[c])) for row in rows) for c in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [str(row[0]).ljust(widths[0])]
        cells += [
            str(cell).rjust(width) for cell, width in zip(row[1:-1], widths[1:-1], strict=True)
        ]
        cells.append(str(row[-1]).ljust(widths[-1]))
        lines.append("  ".join(cells).rstrip())
    return lines
