"""Command line: ``python -m alignment evaluate FILE`` and ``python -m alignment validate FILE...``.

``evaluate`` prints one scenario's outcomes (MODEL.md §7) as a table, JSON or CSV; ``validate``
checks scenario files and exits 0 when all are valid, 2 otherwise, one line per problem.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from alignment.evaluate import Outcomes, evaluate
from alignment.safe_text import csv_safe, plain_text
from alignment.scenario import Scenario
from alignment.scenario_io import ScenarioError, load_scenario
from alignment.tables import PRODUCT_COLUMNS, TOTAL_COLUMNS, product_table, scorecard, totals

EXIT_OK = 0
EXIT_INVALID = 2
FORMATS = ("table", "json", "csv")
# Money figures that are per unit sold rather than per period.
PER_UNIT = {"price", "commission_per_unit"}


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


def outcome_report(scenario: Scenario, outcomes: Outcomes, plan: int = 0) -> dict[str, Any]:
    """Every total and per-product figure of one plan, under the names docs/model.md lists."""
    products = product_table(scenario, outcomes, plan).reset_index()
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


def render_json(scenario: Scenario, outcomes: Outcomes) -> str:
    return json.dumps(outcome_report(scenario, outcomes), indent=2, ensure_ascii=False) + "\n"


def render_csv(scenario: Scenario, outcomes: Outcomes) -> str:
    """Per-product table; text cells a spreadsheet would run as a formula get a leading ``'``."""
    table = csv_safe(product_table(scenario, outcomes).reset_index())
    return table.to_csv(index=False, lineterminator="\n")


def render_table(scenario: Scenario, outcomes: Outcomes) -> str:
    """Per-product figures (one column per product) and the totals, each with its unit."""
    products = product_table(scenario, outcomes)
    rows = [["Figure", *(_terminal_text(name) for name in products["name"]), "Unit"]]
    for name, (label, unit) in PRODUCT_COLUMNS.items():
        shown = "money per unit" if name in PER_UNIT else unit
        rows.append([label, *(_format(v, shown) for v in products[name]), _unit_text(name, unit)])
    title = _terminal_text(scenario.metadata.name)
    lines = [f"Scenario: {title}", "", "Per product", *_aligned(rows), ""]
    total_rows = [["Total", "Value", "Unit"]]
    for name, value in totals(outcomes).items():
        label, unit = TOTAL_COLUMNS[name]
        total_rows.append([label, _format(value, unit), _unit_text(name, unit)])
    lines += ["Totals", *_aligned(total_rows), ""]
    goal_rows = [["Goal", "Target", "Achieved", "Status"]]
    for row in scorecard(scenario, outcomes).itertuples():
        unit = "money" if row.Index == "contribution" else "fraction"
        goal_rows.append(
            [row.label, _format(row.target, unit), _format(row.value, unit), row.status]
        )
    lines += ["Leadership scorecard", *_aligned(goal_rows)]
    if not outcomes.converged.all():
        lines += ["", "Note: the hours allocation did not fully settle; figures use its best mix."]
    return "\n".join(lines) + "\n"


RENDERERS = {"table": render_table, "json": render_json, "csv": render_csv}


def evaluate_command(args: argparse.Namespace, out: TextIO) -> int:
    scenario = read_scenario(args.file)
    out.write(RENDERERS[args.format](scenario, evaluate(scenario)))
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


def _unit_text(name: str, unit: str) -> str:
    if unit == "money":
        return "money per unit" if name in PER_UNIT else "money per period"
    return {
        "fraction": "percent",
        "units": "units per period",
        "hours": "hours per period",
        "score": "score",
    }.get(unit, unit)


def _format(value: float, unit: str) -> str:
    if unit == "fraction":
        return f"{100 * value:.1f} %"
    if unit == "score":
        return f"{value:.1f}"
    if unit == "money per unit":
        return f"{value:,.2f}"
    return f"{value:,.0f}"


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
