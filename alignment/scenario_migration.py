"""Scenario schema versions: older files brought up to the current version, one step at a time.

Each step returns the problems it found (a field of a later version in an old file, a file
newer than this build) and which field paths it renamed, so a problem is named at the path
written in the file.
"""

from __future__ import annotations

from typing import Any

from alignment.scenario import SCHEMA_VERSION
from alignment.scenario_messages import preview

OLDEST_VERSION = 0


def migrated(data: dict[str, Any]) -> tuple[list[str], dict[str, Any], dict[str, str]]:
    """``(problems, data as the current version, {current path: path in the file})``."""
    version = data.get("schema_version", SCHEMA_VERSION)
    if type(version) is not int:
        return (
            [f"schema_version: must be a whole number such as {SCHEMA_VERSION}, "
             f"got {preview(version)}"],
            data,
            {},
        )  # fmt: skip
    if version > SCHEMA_VERSION:
        return (
            [f"schema_version: the file is version {preview(version)}, written by a newer "
             f"release; this app reads versions {OLDEST_VERSION} to {SCHEMA_VERSION} — update "
             f"the app, or save the file as version {SCHEMA_VERSION} from the newer release"],
            data,
            {},
        )  # fmt: skip
    if version < OLDEST_VERSION:
        return (
            [f"schema_version: unknown version {preview(version)}; use {SCHEMA_VERSION}"],
            data,
            {},
        )
    problems: list[str] = []
    renames: dict[str, str] = {}
    for step in range(version, SCHEMA_VERSION):
        step_problems, data, step_renames = _MIGRATIONS[step](data, version)
        problems += step_problems
        renames = _composed(step_renames, renames)
    return problems, data, renames


def _from_version_0(
    data: dict[str, Any], written: int
) -> tuple[list[str], dict[str, Any], dict[str, str]]:
    """Version 0 → 1: ``commission.gm_rate`` is now ``margin_rate``; ``negotiation`` is new."""
    problems = []
    if "negotiation" in data:
        problems.append(
            "negotiation: version 0 files have no negotiation section; remove it, or set "
            "schema_version: 1 and check the other fields"
        )
    commission = data.get("commission")
    if isinstance(commission, dict):
        if "margin_rate" in commission:
            problems.append(
                "commission.margin_rate: version 0 files call this gm_rate; rename it, or set "
                "schema_version: 1"
            )
        commission = {("margin_rate" if k == "gm_rate" else k): v for k, v in commission.items()}
    migrated = {**data, "schema_version": 1}
    if commission is not None:
        migrated["commission"] = commission
    return problems, migrated, {"commission.margin_rate": "commission.gm_rate"}


_GOAL_NAMES = ("contribution", "new_product_share", "gross_margin_pct")
# Fields version 2 added, by the section that holds them ("products" for every product).
_NEW_IN_VERSION_2 = {
    "products": ("unassisted_share", "reference_lead_generation"),
    "sales_team": (
        "min_hours_per_rep", "max_hours_per_rep", "effort_response", "new_product_target",
    ),
    "goals": ("strategic_value", "strategic_value_reason"),
    **{f"goals.{goal}": ("hard",) for goal in _GOAL_NAMES},
}  # fmt: skip


def _from_version_1(
    data: dict[str, Any], written: int
) -> tuple[list[str], dict[str, Any], dict[str, str]]:
    """Version 1 → 2: goals lose their ``weight``; every field version 2 added keeps its default.

    The weights are dropped, not converted: leadership's value is money in version 2, and no
    weight says what a unit of a strategic product is worth.
    """
    problems = [
        f"{path}: {path.rsplit('.', 1)[-1]} is new in version 2 and this file is version "
        f"{written}; remove it, or set schema_version: 2 (and delete the goals' weight lines)"
        for path in _later_fields(data)
    ]
    migrated = {**data, "schema_version": 2}
    # A version-1 file's shares were stated with its own lead-generation spend in place, so
    # that spend is today's (version 1 anchored shares at no spend and over-counted marketing).
    marketing = data.get("marketing")
    spend = marketing.get("lead_generation") if isinstance(marketing, dict) else None
    products = data.get("products")
    if isinstance(spend, dict) and isinstance(products, list):
        migrated["products"] = [
            {**item, "reference_lead_generation": spend[item["id"]]}
            if isinstance(item, dict) and isinstance(item.get("id"), str)
            and item["id"] in spend and "reference_lead_generation" not in item
            else item
            for item in products
        ]  # fmt: skip
    goals = data.get("goals")
    if isinstance(goals, dict):
        migrated["goals"] = {
            name: _without_weight(goal) if name in _GOAL_NAMES else goal
            for name, goal in goals.items()
        }
    return problems, migrated, {}


def _later_fields(data: dict[str, Any]) -> list[str]:
    """The paths of fields version 2 added that ``data`` already holds, in file order."""
    found = []
    for section, names in _NEW_IN_VERSION_2.items():
        if section == "products":
            products = data.get("products")
            places = {
                f"products[{i}]": item
                for i, item in enumerate(products if isinstance(products, list) else [])
            }
        else:
            places = {section: _at(data, section)}
        for where, mapping in places.items():
            if isinstance(mapping, dict):
                found += [f"{where}.{name}" for name in names if name in mapping]
    return found


def _at(data: dict[str, Any], dotted: str) -> Any:
    node: Any = data
    for part in dotted.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _without_weight(goal: Any) -> Any:
    if not isinstance(goal, dict):
        return goal
    return {key: value for key, value in goal.items() if key != "weight"}


# Migration steps: ``_MIGRATIONS[n]`` turns version n data into version n + 1 data.
_MIGRATIONS = {0: _from_version_0, 1: _from_version_1}


def _composed(later: dict[str, str], earlier: dict[str, str]) -> dict[str, str]:
    """Renames through two steps: {path now: path in the file}."""
    composed = dict(earlier)
    for current, previous in later.items():
        composed[current] = earlier.get(previous, previous)
    return composed


def renamed(problem: str, renames: dict[str, str]) -> str:
    for current, original in renames.items():
        if problem.startswith(current) and not problem[len(current) :][:1].isalnum():
            return original + problem[len(current) :]
    return problem
