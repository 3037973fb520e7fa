"""schema/scenario.schema.json is the pydantic model's schema, never stale, and fits the files."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "schema" / "scenario.schema.json"
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))


def schema_tool():
    spec = importlib.util.spec_from_file_location(
        "write_schema", ROOT / "tools" / "write_schema.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_schema_equals_the_one_the_model_generates():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_tool().scenario_schema_text(), (
        "schema/scenario.schema.json is stale: run python tools/write_schema.py"
    )


def test_schema_tool_check_mode_passes_on_the_committed_file():
    assert schema_tool().main(["--check"]) == 0


def test_schema_names_its_dialect_and_describes_every_top_level_section():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    for name, section in schema["properties"].items():
        assert section.get("description"), name


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_scenario_fits_the_json_schema(path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)


def test_json_schema_refuses_what_the_model_refuses():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    data = yaml.safe_load((ROOT / "scenarios" / "launch_conflict.yaml").read_text(encoding="utf-8"))
    data["products"][0]["reference_share"] = 1.5
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
    data["products"][0]["reference_share"] = 0.2
    data["products"][0]["colour"] = "red"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
