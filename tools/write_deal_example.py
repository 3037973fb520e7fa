"""Write scenarios/data/deal_history_example.csv, the example deal history for the launch case.

The rows come from the seeded generator in ``alignment.calibration.synthetic`` with planted
elasticities; ``python tools/write_deal_example.py --check`` exits 1 if the file is stale.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from alignment.calibration.synthetic import launch_example  # noqa: E402

EXAMPLE_PATH = ROOT / "scenarios" / "data" / "deal_history_example.csv"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    args = parser.parse_args(argv)
    text = launch_example().csv()
    if args.check:
        current = EXAMPLE_PATH.read_text(encoding="utf-8") if EXAMPLE_PATH.exists() else ""
        if current != text:
            print(f"{EXAMPLE_PATH} is stale; run python tools/write_deal_example.py")
            return 1
        return 0
    EXAMPLE_PATH.parent.mkdir(parents=True, exist_ok=True)
    EXAMPLE_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {EXAMPLE_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
