"""Write schema/scenario.schema.json, the JSON Schema of scenario files, from the pydantic model.

Run ``python tools/write_schema.py`` after changing ``alignment/scenario.py``;
``python tools/write_schema.py --check`` exits 1 if the committed file is stale.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from alignment.scenario import Scenario  # noqa: E402

SCHEMA_PATH = ROOT / "schema" / "scenario.schema.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def scenario_schema_text() -> str:
    """The JSON Schema of the scenario file format, as the exact text to commit."""
    schema = {"$schema": DIALECT, **Scenario.model_json_schema()}
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    args = parser.parse_args(argv)
    text = scenario_schema_text()
    if args.check:
        current = SCHEMA_PATH.read_text(encoding="utf-8") if SCHEMA_PATH.exists() else ""
        if current != text:
            print(f"{SCHEMA_PATH.relative_to(ROOT)} is stale; run python tools/write_schema.py")
            return 1
        return 0
    SCHEMA_PATH.parent.mkdir(parents=True, exist_ok=True)
    SCHEMA_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {SCHEMA_PATH.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
