"""``python -m alignment``: evaluate a scenario, validate files, never a traceback."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from numpy.testing import assert_allclose

from alignment import dump_scenario, evaluate
from alignment.cli import main
from alignment.pricing import price_preferences
from alignment.tables import PRICE_FIELDS, PRODUCT_COLUMNS, TOTAL_COLUMNS, scorecard

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "scenarios" / "launch_conflict.yaml"
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out, err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def write(tmp_path):
    def write(name: str, text: str | bytes) -> str:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def test_evaluate_prints_products_and_totals_with_units():
    status, out, err = run("evaluate", str(DEFAULT))
    assert status == 0 and err == ""
    for text in (
        "Analyser Pro", "Nova (new)", "Rep motivation", "Goal conflict", "Contribution",
        "Leadership's value", "Total selling hours", "Expected pay for one more unit",
        "Instrumentality", "Valence", "Price reps would choose", "Leadership's best price",
    ):  # fmt: skip
        assert text in out
    units = (
        "USD per unit", "USD per year", "USD per rep per year", "hours per year",
        "units per year", "percent", "score out of 100",
    )  # fmt: skip
    for unit in units:
        assert unit in out
    assert "Hours leadership asks for" in out
    assert "missed" in out  # Nova's share goal
    assert "leadership_score" not in out and "Coherence" not in out
    assert "$5.84M" in out and "26 / 100" in out and "2.8 %" in out  # contribution, motivation
    assert "$1,200" in out  # a price is never scaled


def test_evaluate_json_holds_every_figure_under_its_documented_name(launch):
    status, out, _ = run("evaluate", str(DEFAULT), "--format", "json")
    assert status == 0
    report = json.loads(out)
    outcomes = evaluate(launch)
    assert set(report["totals"]) == set(TOTAL_COLUMNS)
    assert {"team_hours", "leadership_value", "instrumentality", "valence"} <= set(TOTAL_COLUMNS)
    assert not {"leadership_score", "coherence"} & set(report["totals"])
    for name in TOTAL_COLUMNS:
        assert_allclose(report["totals"][name], getattr(outcomes, name)[0], rtol=1e-12)
    assert [p["product"] for p in report["products"]] == launch.product_ids
    assert "expected_marginal_pay" in PRODUCT_COLUMNS
    for i, product in enumerate(report["products"]):
        assert set(product) == {"product", "name", "segment", *PRODUCT_COLUMNS, *PRICE_FIELDS}
        for name in PRODUCT_COLUMNS:
            assert_allclose(product[name], getattr(outcomes, name)[0, i], rtol=1e-12)
    card = scorecard(launch, outcomes)
    assert [row["goal"] for row in report["scorecard"]] == list(card.index)
    assert {row["goal"]: row["status"] for row in report["scorecard"]} == card["status"].to_dict()
    assert all(row["hard"] is False for row in report["scorecard"])
    assert report["converged"] is True


def test_evaluate_json_gives_each_products_preferred_prices_and_their_flags(launch):
    report = json.loads(run("evaluate", str(DEFAULT), "--format", "json")[1])
    for product, preference in zip(report["products"], price_preferences(launch), strict=True):
        assert product["rep_preferred_price"] == pytest.approx(preference.rep_preferred_price)
        assert product["best_price"] == pytest.approx(preference.best_price)
        for flag in ("rep_price_at_edge", "best_price_at_edge"):
            assert product[flag] == getattr(preference, flag)
        for flag in ("rep_price_below_cost", "best_price_below_cost"):
            assert product[flag] is getattr(preference, flag)


def test_a_preferred_price_at_the_edge_and_below_cost_is_said_in_words(launch_data, build, write):
    launch_data["commission"].update(revenue_rate=0.0, margin_rate=0.0, kickers={"nova": 50.0})
    path = write("per_unit.yaml", dump_scenario(build(launch_data)))
    table = run("evaluate", path)[1]
    (reps_row,) = [line for line in table.splitlines() if line.startswith("Price reps")]
    assert "at most $120, below cost" in reps_row
    report = json.loads(run("evaluate", path, "--format", "json")[1])
    nova = report["products"][2]
    assert nova["rep_price_at_edge"] == "low" and nova["rep_price_below_cost"] is True


def test_a_plan_that_pays_nothing_leaves_reps_indifferent_to_price(launch_data, build, write):
    launch_data["commission"].update(revenue_rate=0.0, margin_rate=0.0, kickers={}, cap=None)
    path = write("unpaid.yaml", dump_scenario(build(launch_data)))
    (reps_row,) = [line for line in run("evaluate", path)[1].splitlines() if "reps would" in line]
    assert reps_row.count("any price") == 3
    report = json.loads(run("evaluate", path, "--format", "json")[1])
    assert all(p["rep_preferred_price"] is None for p in report["products"])
    assert all(p["rep_price_at_edge"] is None for p in report["products"])


def test_evaluate_csv_is_the_per_product_table(launch):
    status, out, _ = run("evaluate", str(DEFAULT), "--format", "csv")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["product"] for row in rows] == launch.product_ids
    assert list(rows[0]) == ["product", "name", "segment", *PRODUCT_COLUMNS, *PRICE_FIELDS]
    assert float(rows[2]["hours"]) == pytest.approx(evaluate(launch).hours[0, 2])


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "|"])
def test_csv_defuses_product_names_a_spreadsheet_would_run(launch_data, build, write, start):
    launch_data["products"][2]["name"] = f'{start}HYPERLINK("http://x.invalid","Nova")'
    path = write("hostile.yaml", dump_scenario(build(launch_data)))
    status, out, _ = run("evaluate", path, "--format", "csv")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[2]["name"] == f'\'{start}HYPERLINK("http://x.invalid","Nova")'
    assert rows[0]["name"] == "Analyser Pro"


def test_csv_leaves_numbers_and_ordinary_names_alone(launch_data, build, write):
    launch_data["products"][2]["unit_cost"] = 700  # Nova now loses money on every unit
    path = write("loss.yaml", dump_scenario(build(launch_data)))
    rows = list(csv.DictReader(io.StringIO(run("evaluate", path, "--format", "csv")[1])))
    assert rows[2]["name"] == "Nova (new)"
    assert float(rows[2]["gross_margin"]) < 0  # a number, not defused text


def test_names_with_terminal_escape_codes_are_refused_naming_the_field(launch_data, write):
    import yaml

    launch_data["metadata"]["name"] = "Nova\x1b[2J\x1b[31m launch"
    launch_data["products"][2]["name"] = "\tNova\x07\x1b]0;owned\x07"
    path = write("escapes.yaml", yaml.safe_dump(launch_data, allow_unicode=False))
    status, out, err = run("evaluate", path)
    assert status == 2 and out == ""
    assert "metadata.name" in err and "products[2].name" in err
    assert "\x1b" not in err and "\x07" not in err  # named, never echoed to the terminal


def test_validate_says_ok_for_every_shipped_scenario():
    status, out, err = run("validate", *map(str, SHIPPED))
    assert status == 0 and err == ""
    assert out.splitlines() == [f"{path}: ok" for path in SHIPPED]


def test_validate_reports_each_problem_on_its_own_line_prefixed_by_the_file(
    launch_data, build, write
):
    text = dump_scenario(build(launch_data))
    text = text.replace("reference_share: 0.05", "reference_share: 1.5")
    text = text.replace("margin_rate: 0.08", "margin_rate: -0.08")
    path = write("broken.yaml", text)
    status, out, err = run("validate", path)
    assert status == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) >= 2
    assert all(line.startswith(f"{path}: ") for line in lines)
    assert any("products[2].reference_share" in line for line in lines)
    assert any("commission.margin_rate" in line for line in lines)


def test_validate_reports_missing_files_and_directories_without_a_traceback(tmp_path):
    missing = str(tmp_path / "nowhere.yaml")
    status, out, err = run("validate", str(DEFAULT), missing, str(tmp_path))
    assert status == 2
    assert out == f"{DEFAULT}: ok\n"
    assert f"{missing}: no such file" in err
    assert f"{tmp_path}: is a directory" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "empty"),
        ("products: [unclosed", "YAML"),
        ("- just\n- a list\n", "mapping"),
        (b"\xff\xfe\x00garbage", "UTF-8"),
    ],
    ids=["empty", "bad-yaml", "list", "binary"],
)
def test_validate_explains_files_that_are_not_scenarios(write, content, expected):
    path = write("odd.yaml", content)
    status, _, err = run("validate", path)
    assert status == 2
    assert err.startswith(f"{path}: ")
    assert expected.lower() in err.lower()


def test_evaluate_of_an_invalid_file_exits_2_with_the_problems(write):
    path = write("bad.yaml", "metadata: {name: x}\n")
    status, out, err = run("evaluate", path)
    assert status == 2 and out == ""
    assert all(line.startswith(f"{path}: ") for line in err.splitlines())
    assert "commission" in err


def test_unknown_format_is_a_usage_error():
    with pytest.raises(SystemExit) as stopped:
        run("evaluate", str(DEFAULT), "--format", "xlsx")
    assert stopped.value.code == 2


def test_module_runs_from_the_shell_and_fails_without_a_traceback(tmp_path):
    ok = subprocess.run(
        [sys.executable, "-m", "alignment", "evaluate", str(DEFAULT), "--format", "json"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert ok.returncode == 0
    assert json.loads(ok.stdout)["scenario"].startswith("Nova launch")
    missing = str(tmp_path / "missing.yaml")
    failed = subprocess.run(
        [sys.executable, "-m", "alignment", "validate", missing],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert failed.returncode == 2
    assert failed.stderr == f"{missing}: no such file; check the path\n"
