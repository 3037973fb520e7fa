"""``python -m alignment calibrate DEALS --scenario BASE.yaml --out NEW.yaml``: fit price
elasticities from a deal history and write the calibrated scenario (MODEL.md §11).

Prints per product the fitted elasticity, its 90 % interval, the deals and win rate behind it,
the choice made (fitted, blend or prior) and every warning, as a table or JSON; problems go to
standard error as ``source: problem`` lines with exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

from alignment.calibration import (
    Calibration,
    DealFileError,
    calibrate,
    calibrated_scenario,
    chosen_value,
    completed,
    mapping_problems,
    price_evidence,
    read_deals,
    read_product_map,
    suggested_choice,
)
from alignment.calibration.reading import MAX_BYTES
from alignment.pricing import price_preferences
from alignment.safe_text import plain_text
from alignment.scenario import Scenario
from alignment.scenario_io import ScenarioError, load_scenario, save_scenario

EXIT_OK = 0
EXIT_INVALID = 2
USES = ("suggested", "fitted", "blend", "prior")


def add_parser(commands: Any) -> None:
    """Register the ``calibrate`` subcommand on ``commands`` (argparse subparsers)."""
    parser = commands.add_parser(
        "calibrate", help="fit price elasticities from a deal history and write a new scenario"
    )
    parser.add_argument("deals", metavar="DEALS", help="deal history, CSV or .xlsx")
    parser.add_argument("--scenario", required=True, metavar="BASE", help="scenario YAML file")
    parser.add_argument("--out", required=True, metavar="NEW", help="where to write the result")
    parser.add_argument(
        "--product-map", metavar="MAP", help="YAML: the file's product names to product ids"
    )
    parser.add_argument(
        "--use", choices=USES, default="suggested",
        help="which value each product gets: the suggestion (fitted unless warned, blend where "
        "weak, prior where biased), or the same choice for all (default: suggested)",
    )  # fmt: skip
    parser.add_argument("--format", choices=("table", "json"), default="table")


class _Refused(Exception):
    def __init__(self, source: str, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.source, self.problems = source, problems


def calibrate_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        scenario = _scenario(args.scenario)
        deals = read_deals(_read(args.deals, MAX_BYTES), Path(args.deals).name)
        stated = {}
        if args.product_map:
            stated = read_product_map(_read(args.product_map, 64 * 1024), args.product_map)
            if problems := mapping_problems(stated, scenario):
                raise _Refused(args.product_map, problems)
        mapping = completed(stated, deals.product_names, scenario)
        calibration = calibrate(deals, scenario, mapping)
        choices = {
            fit.product: suggested_choice(fit) if args.use == "suggested" else args.use
            for fit in calibration.products
        }
        result = calibrated_scenario(scenario, calibration, choices)
        save_scenario(result, Path(args.out))
    except DealFileError as error:
        return _report(args.deals if error.source != args.product_map else error.source,
                       error.problems, err)  # fmt: skip
    except ScenarioError as error:
        return _report(args.out, error.problems, err)
    except _Refused as error:
        return _report(error.source, error.problems, err)
    except OSError as error:
        return _report(args.out, [f"cannot write the file: {error.strerror or error}"], err)
    report = calibration_report(scenario, calibration, choices, mapping)
    out.write(_json(report) if args.format == "json" else _table(report, args.out))
    return EXIT_OK


def calibration_report(
    scenario: Scenario, calibration: Calibration, choices: dict, mapping: dict
) -> dict[str, Any]:
    """Everything the command prints, as plain data (what ``--format json`` writes)."""
    evidence = {e.product: e for e in price_evidence(scenario, calibration,
                                                     price_preferences(scenario))}  # fmt: skip
    products = []
    for fit in calibration.products:
        chosen = chosen_value(fit, choices[fit.product])
        seen = evidence[fit.product]
        products.append({
            "product": fit.product, "name": fit.name, "file_names": list(fit.file_names),
            "deals": fit.deals, "win_rate": fit.win_rate,
            "fitted": fit.elasticity, "low": fit.low, "high": fit.high,
            "standard_error": fit.standard_error, "prior": fit.prior,
            "choice": chosen.choice, "value": chosen.value,
            "range": None if chosen.low is None else [chosen.low, chosen.high],
            "list_price": fit.list_price, "reference_price": seen.reference_price,
            "realised_price": fit.realised_price, "realised_discount": fit.realised_discount,
            "rep_preferred_price": seen.rep_preferred_price, "best_price": seen.best_price,
            "warnings": [c.text for c in fit.caveats],
        })  # fmt: skip
    return {
        "file": calibration.source,
        "rows_read": calibration.rows_read, "rows_used": calibration.rows_used,
        "open_skipped": calibration.open_skipped, "unmapped": calibration.unmapped,
        "first_date": _date(calibration.first_date), "last_date": _date(calibration.last_date),
        "periods": list(calibration.periods), "method": calibration.method,
        "pseudo_r2": calibration.pseudo_r2, "converged": calibration.converged,
        "mapping": mapping, "notes": list(calibration.notes), "products": products,
    }  # fmt: skip


def _scenario(name: str) -> Scenario:
    path = Path(name)
    if not path.is_file():
        raise _Refused(name, ["no such file; check the path"])
    try:
        return load_scenario(path)
    except ScenarioError as error:
        raise _Refused(name, list(error.problems)) from None


def _read(name: str, limit: int) -> bytes:
    path = Path(name)
    if not path.is_file():
        raise _Refused(name, ["no such file; check the path"])
    size = path.stat().st_size
    if size > limit:
        raise _Refused(
            name, [f"the file is {size / 2**20:,.1f} MB; at most {limit / 2**20:g} MB is read"]
        )
    try:
        return path.read_bytes()
    except OSError as error:
        raise _Refused(name, [f"cannot read the file: {error.strerror or error}"]) from None


def _report(source: str, problems: list[str], err: TextIO) -> int:
    for problem in problems:
        err.write(f"{source}: {' '.join(plain_text(problem).split())}\n")
    return EXIT_INVALID


def _date(value: Any) -> str | None:
    return None if value is None else f"{value:%Y-%m-%d}"


def _json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False, default=_plain) + "\n"


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else str(value)


def _table(report: dict[str, Any], out_path: str) -> str:
    def number(value: float | None, form: str = ".2f") -> str:
        return "—" if value is None else format(value, form)

    rows = [["Product", "Fitted", "90 % interval", "Prior", "Written", "Deals", "Win rate"]]
    for p in report["products"]:
        interval = "—" if p["low"] is None else f"{p['low']:.2f}–{p['high']:.2f}"
        rows.append([
            _text(p["name"]), number(p["fitted"]), interval, f"{p['prior']:g}",
            f"{p['value']:g} ({p['choice']})", f"{p['deals']:,}", number(p["win_rate"], ".0%"),
        ])  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        f"Deal history: {_text(report['file'])} — {report['rows_used']:,} of "
        f"{report['rows_read']:,} deals used"
        + (f", {report['first_date']} to {report['last_date']}" if report["first_date"] else ""),
        f"Method: {report['method']}",
        "",
        *("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
          for row in rows),
    ]  # fmt: skip
    for p in report["products"]:
        for warning in p["warnings"]:
            lines.append(f"! {_text(p['name'])}: {warning}")
    lines += ["", "Realised prices (won deals) against the model's preferred prices"]
    for p in report["products"]:
        if p["realised_price"] is None:
            continue
        reps = number(p["rep_preferred_price"], ",.0f")
        lines.append(
            f"  {_text(p['name'])}: list {p['list_price']:,.0f}, realised "
            f"{p['realised_price']:,.0f} ({p['realised_discount']:.1%} off), reference "
            f"{p['reference_price']:,.0f}, reps' pay favours {reps}, leadership's best "
            f"{p['best_price']:,.0f}"
        )
    lines += ["", f"Wrote {out_path}"]
    return "\n".join(lines) + "\n"


def _text(value: Any) -> str:
    return " ".join(plain_text(value, 200).split())
