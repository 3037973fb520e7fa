"""Scenario files: YAML in and out, validated once at the edge (``load_scenario``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from alignment.scenario import Scenario

MAX_FILE_BYTES = 256 * 1024


class ScenarioError(ValueError):
    """A scenario file that cannot be used; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str], source: str = "scenario") -> None:
        self.problems = problems
        self.source = source
        super().__init__(f"{source}: " + "; ".join(problems))


def load_scenario(source: str | Path | bytes) -> Scenario:
    """Parse and validate a scenario from a path, YAML text or uploaded bytes.

    Raises
    ------
    ScenarioError
        With one line per problem, each naming the field path and the fix.
    """
    name = "scenario"
    if isinstance(source, Path):
        name = source.name
        try:
            raw = source.read_bytes()
        except OSError as error:
            raise ScenarioError([f"cannot read the file: {error.strerror}"], name) from None
    elif isinstance(source, str):
        raw = source.encode("utf-8")
    else:
        raw = source
    return scenario_from_data(parse_yaml(raw, name), name)


def parse_yaml(raw: bytes, name: str = "scenario", *, max_bytes: int = MAX_FILE_BYTES) -> Any:
    if len(raw) > max_bytes:
        raise ScenarioError(
            [f"file is {len(raw):,} bytes; scenario files are at most {max_bytes:,} bytes"],
            name,
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(["file is not UTF-8 text; save it as UTF-8 YAML"], name) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ScenarioError([f"not valid YAML: {_short(str(error), 200)}"], name) from None
    except (ValueError, RecursionError, OverflowError) as error:
        raise ScenarioError([f"not valid YAML: {_short(str(error), 200)}"], name) from None
    if data is None:
        raise ScenarioError(["file is empty; start from a file in scenarios/"], name)
    if not isinstance(data, dict):
        raise ScenarioError(
            [f"top level must be a mapping of sections (metadata, products, ...), "
             f"got {type(data).__name__}"],
            name,
        )  # fmt: skip
    return data


def scenario_from_data(data: Any, name: str = "scenario") -> Scenario:
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(validation_problems(error), name) from None


def validation_problems(error: ValidationError) -> list[str]:
    """One readable line per pydantic error: ``path: what is wrong, got <value>``."""
    problems = []
    for item in error.errors(include_url=False):
        path = field_path(item["loc"])
        message = item["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        line = f"{path}: {message[0].lower()}{message[1:]}" if path else message
        if item["type"] not in {"value_error", "missing"} and "input" in item:
            line += f", got {_short(repr(item['input']), 60)}"
        problems.append(line)
    return problems


def field_path(loc: tuple[int | str, ...]) -> str:
    """``('products', 2, 'reference_share')`` → ``products[2].reference_share``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def dump_scenario(scenario: Scenario) -> str:
    """Human-friendly YAML in the schema's key order; ``load_scenario`` reads it back exactly."""
    return dump_data(scenario.model_dump(mode="json"))


def dump_data(data: dict[str, Any]) -> str:
    """YAML for plain data (mappings, lists, strings, numbers), never with anchors or aliases."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def save_scenario(scenario: Scenario, path: Path) -> None:
    path.write_text(dump_scenario(scenario), encoding="utf-8")


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
