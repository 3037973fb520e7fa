"""Scenario files: YAML in and out, through one gate (``load_scenario``).

Every way a scenario enters the app — the command line, the library folder, the upload widget,
the saved-scenario store — goes through :func:`parse_yaml` and :func:`scenario_from_data`, which
refuse anything that is not a plain, small, single YAML document of the schema, before any
object is built from it:

- at most ``MAX_FILE_BYTES`` bytes, checked before parsing; UTF-8 (an optional BOM) only, no NUL
  bytes or other control characters;
- one document, a mapping at the top, nested at most ``MAX_DEPTH`` levels with at most
  ``MAX_NODES`` values; no anchors or aliases (``&a``/``*a``, the "billion laughs" bomb), no
  explicit tags (``!!python/object``, ``!anything``), no duplicate keys, keys are names;
- scalars are read with YAML 1.2 core rules rather than PyYAML's YAML 1.1 ones: only
  ``true``/``false`` are booleans (``no`` and ``on`` stay text), integers are decimal (``010``
  is 10, ``1:30`` is text), ``1e3`` is a number, dates stay text, and ``.inf``, ``.nan`` or a
  number too large for a float are refused with the field named, as is a non-zero number
  closer to zero than ``SMALLEST_NUMBER`` (subnormal values such as 5e-324 turn the model's
  logarithms and ratios into infinities);
- then the schema (strict: no ``"12"`` for 12, no ``true`` for 1), with one message per
  problem naming the field path, what was found (shortened) and the fix. The schema also refuses
  what YAML escapes can put in text (``"\\e[31m"``, ``"\\u202E"``): control characters and
  direction overrides in any text field, and two products or two segments of the same name.

Schema versions: version 2 is current. Older files are migrated on load, one version at a time,
wherever they come from (a file, an upload, a saved proposal, an autosaved draft), and a
problem in one is named at the path written in the file:

- version 0 (before the negotiation section) named the gross-margin commission rate
  ``commission.gm_rate`` and had no ``negotiation``;
- version 1 gave each goal a ``weight``, the goals' share of a weighted score. Leadership's value
  is money since version 2 (contribution plus the stated ``goals.strategic_value`` of strategic
  units), so the weights are dropped, and the fields version 2 added (unassisted demand, the
  effort response and hours range, the reps' new-product target, hard goals, strategic value)
  take their defaults.

An old file may not hold a field of a later version (it would be half migrated); one that does
is refused naming the field and the version to declare. A file from a newer version is refused,
naming the versions this build reads.
"""

from __future__ import annotations

import contextlib
import difflib
import math
import os
import re
import secrets
import types
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from yaml.composer import Composer
from yaml.events import (
    AliasEvent,
    MappingStartEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from alignment.scenario import SCHEMA_VERSION, Scenario

MAX_FILE_BYTES = 256 * 1024
MAX_DEPTH = 20  # a scenario nests 5 levels; libyaml crashes near 25,000, Python at ~1,000
MAX_NODES = 5_000  # the largest scenario the schema allows holds about 1,600
MAX_NUMBER_DIGITS = 30  # every bound in the schema is below 1e13
MAX_PROBLEMS = 20
SMALLEST_NUMBER = 1e-9  # smaller non-zero magnitudes are refused (no quantity here is that small)
OLDEST_VERSION = 0

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"

# Characters YAML allows in a stream (YAML 1.2 §5.1), minus NUL which is refused on its own.
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_FOREIGN_BOMS = {
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\xfe\xff": "UTF-16",
    b"\xff\xfe": "UTF-16",
}
_UTF8_BOM = b"\xef\xbb\xbf"


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
        name = source.name[:80]
        raw = _read_file(source, name)
    elif isinstance(source, str):
        raw = source.encode("utf-8", errors="surrogatepass")
    elif isinstance(source, bytes | bytearray | memoryview):
        raw = bytes(source)
    else:
        raise ScenarioError(
            [f"expected a file path, YAML text or bytes, got {type(source).__name__}"], name
        )
    return scenario_from_data(parse_yaml(raw, name), name)


def parse_yaml(
    raw: bytes,
    name: str = "scenario",
    *,
    max_bytes: int = MAX_FILE_BYTES,
    max_nodes: int = MAX_NODES,
) -> Any:
    """The top-level mapping of a small, plain YAML document, or ScenarioError.

    Parameters
    ----------
    raw
        The file's bytes: UTF-8, optionally with a byte-order mark.
    name
        What to call the file in messages.
    max_bytes
        Largest accepted size, checked before anything is parsed.
    max_nodes
        Most values (mappings, lists, keys and scalars) the document may hold.
    """
    text = _decoded_text(raw, name, max_bytes)
    loader = _GateLoader(text, max_nodes)
    try:
        node = loader.get_single_node()
    except _Refused as refused:
        raise ScenarioError([refused.message], name) from None
    except yaml.MarkedYAMLError as error:
        raise ScenarioError([_syntax_problem(error)], name) from None
    except (yaml.YAMLError, ValueError, RecursionError, OverflowError) as error:
        raise ScenarioError([f"not valid YAML: {_short(str(error), 200)}"], name) from None
    finally:
        loader.dispose()
    if node is None:
        raise ScenarioError(["file is empty; start from a file in scenarios/"], name)
    problems: list[str] = []
    data = _build(node, (), problems)
    if problems:
        raise ScenarioError(_capped(problems), name)
    if data is None:
        raise ScenarioError(["file is empty; start from a file in scenarios/"], name)
    _require_sections(data, name)
    return data


def _require_sections(data: Any, name: str) -> None:
    if not isinstance(data, dict):
        raise ScenarioError(
            [f"top level must be a mapping of sections (metadata, products, ...), "
             f"got {_preview(data)}"],
            name,
        )  # fmt: skip


def scenario_from_data(data: Any, name: str = "scenario") -> Scenario:
    """Validate plain data (as :func:`parse_yaml` returns it) into a Scenario, migrating old files.

    Raises
    ------
    ScenarioError
        With one line per problem, each naming the field path and the fix.
    """
    _require_sections(data, name)
    version_problems, data, renames = _migrated(data)
    if version_problems:
        raise ScenarioError(version_problems, name)
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        errors = error.errors(include_url=False)
        total = len(errors)
        problems = [_renamed(_problem(item), renames) for item in errors[: MAX_PROBLEMS + 1]]
    except (TypeError, ValueError, RecursionError, OverflowError) as error:
        total = 1
        problems = [f"cannot be read as a scenario: {_short(str(error), 200)}"]
    raise ScenarioError(_capped(problems, total), name)


def validation_problems(error: ValidationError) -> list[str]:
    """One readable line per pydantic error: ``path: what is wrong, got <value>; fix``."""
    return [_problem(item) for item in error.errors(include_url=False)]


def field_path(loc: tuple[int | str, ...]) -> str:
    """``('products', 2, 'reference_share')`` → ``products[2].reference_share``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            part = _visible(_short(str(part), 60))
            path += f".{part}" if path else part
    return path


def dump_scenario(scenario: Scenario) -> str:
    """Human-friendly YAML in the schema's key order; ``load_scenario`` reads it back exactly."""
    return dump_data(scenario.model_dump(mode="json"))


def dump_data(data: dict[str, Any]) -> str:
    """YAML for plain data (mappings, lists, strings, numbers), never with anchors or aliases."""
    return yaml.dump(data, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True, width=100)


def save_scenario(scenario: Scenario, path: Path) -> None:
    """Write the scenario to ``path`` atomically: the old file stays whole if writing fails."""
    path = Path(path)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temp, "x", encoding="utf-8") as handle:
            handle.write(dump_scenario(scenario))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


# -- reading bytes ------------------------------------------------------------------------------


def _read_file(path: Path, name: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)  # enough to tell that it is too big
    except OSError as error:
        raise ScenarioError([f"cannot read the file: {error.strerror}"], name) from None


def _decoded_text(raw: bytes, name: str, max_bytes: int) -> str:
    if not isinstance(raw, bytes | bytearray | memoryview):
        raise ScenarioError([f"expected bytes, got {type(raw).__name__}"], name)
    raw = bytes(raw)
    if len(raw) > max_bytes:
        raise ScenarioError(
            [f"file is {len(raw):,} bytes or more; scenario files are at most {max_bytes:,} "
             "bytes — remove long notes or unused items"],
            name,
        )  # fmt: skip
    for bom, encoding in _FOREIGN_BOMS.items():
        if raw.startswith(bom):
            raise ScenarioError([f"file is {encoding} text; save it as UTF-8"], name)
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise ScenarioError(
            [f"file contains NUL bytes (at byte {nul:,}): it is binary data, "
             "not a YAML text file; save the scenario as UTF-8 text"],
            name,
        )  # fmt: skip
    raw = raw.removeprefix(_UTF8_BOM)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ScenarioError(
            [f"file is not UTF-8 text (byte {error.start:,} is not valid UTF-8); "
             "save it as UTF-8 YAML"],
            name,
        ) from None  # fmt: skip
    bad = _NOT_PRINTABLE.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        raise ScenarioError(
            [f"line {line}: control character U+{ord(bad.group()):04X} is not allowed in a "
             "scenario file; delete it"],
            name,
        )  # fmt: skip
    return text


# -- parsing: the gate loader -------------------------------------------------------------------


class _Refused(Exception):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class _CoreResolver(BaseResolver):
    """YAML 1.2 core schema: the plain scalars that are not text."""


for _tag, _pattern, _first in (
    (_BOOL, r"true|True|TRUE|false|False|FALSE", "tTfF"),
    (_INT, r"[-+]?[0-9]+", "-+0123456789"),
    (
        _FLOAT,
        r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
        "-+.0123456789",
    ),
    (_NULL, r"~|null|Null|NULL|", ["~", "n", "N", ""]),
):
    _CoreResolver.add_implicit_resolver(_tag, re.compile(rf"^(?:{_pattern})\Z"), list(_first))


_CORE_RESOLVER = _CoreResolver()


class _GateLoader(Reader, Scanner, Parser, Composer, _CoreResolver):
    """PyYAML's pure-Python reader, scanner and parser, with a composer that refuses.

    The pure-Python parser keeps its own stack, so only composing recurses; refusing depth here,
    before a nested node is composed, keeps recursion small. Anchors, aliases and tags are
    refused from the event itself, before any node exists for them.
    """

    def __init__(self, text: str, max_nodes: int) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _CoreResolver.__init__(self)
        self._loc: list[int | str] = []
        self._depth = 0
        self._nodes = 0
        self._max_nodes = max_nodes

    def get_single_node(self) -> Node | None:
        self.get_event()  # stream start
        if self.check_event(StreamEndEvent):
            return None
        node = self.compose_document()
        if not self.check_event(StreamEndEvent):
            raise _Refused(
                f"{self._where(self.peek_event())}: the file holds more than one YAML document; "
                "keep one scenario per file (remove the second '---' and what follows)"
            )
        self.get_event()
        return node

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if isinstance(index, ScalarNode):
            self._loc.append(index.value)
        elif isinstance(index, int):
            self._loc.append(index)
        pushed = isinstance(index, ScalarNode | int)
        try:
            return self._compose_checked(parent, index)
        finally:
            if pushed:
                self._loc.pop()

    def _compose_checked(self, parent: Node | None, index: Any) -> Node:
        event = self.peek_event()
        where = self._where(event)
        if isinstance(event, AliasEvent):
            raise _Refused(
                f"{where}: uses an alias (*{_short(str(event.anchor), 30)}); scenario files "
                "do not allow anchors or aliases — write the value out in full"
            )
        if getattr(event, "anchor", None) is not None:
            raise _Refused(
                f"{where}: defines an anchor (&{_short(str(event.anchor), 30)}); scenario "
                "files do not allow anchors or aliases — remove it and write values in full"
            )
        if getattr(event, "tag", None) is not None:
            tag = re.sub(r"^tag:yaml\.org,2002:", "!!", str(event.tag))
            raise _Refused(
                f"{where}: has an explicit tag {_visible(_short(tag, 40))}; scenario files "
                "hold plain values only — remove the tag"
            )
        self._nodes += 1
        if self._nodes > self._max_nodes:
            raise _Refused(
                f"{where}: the file holds more than {self._max_nodes:,} values; a scenario "
                "needs under 2,000 — remove repeated or unused items"
            )
        if not isinstance(event, MappingStartEvent | SequenceStartEvent):
            return super().compose_node(parent, index)
        if self._depth >= MAX_DEPTH:
            raise _Refused(
                f"{where}: nested more than {MAX_DEPTH} levels deep; a scenario nests at most "
                "5 levels — remove the extra brackets or indentation"
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def _where(self, event: Any) -> str:
        line = f"line {event.start_mark.line + 1}"
        path = field_path(tuple(self._loc))
        return f"{path} ({line})" if path else line


def _build(node: Node, loc: tuple[int | str, ...], problems: list[str]) -> Any:
    """Plain Python data from a composed node, noting each problem with its field path."""
    if isinstance(node, ScalarNode):
        return _scalar(node, loc, problems)
    if isinstance(node, SequenceNode):
        return [_build(item, (*loc, i), problems) for i, item in enumerate(node.value)]
    assert isinstance(node, MappingNode)
    mapping: dict[str, Any] = {}
    first_line: dict[str, int] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, ScalarNode) or key_node.tag != _STR:
            shown = key_node.value if isinstance(key_node, ScalarNode) else "[...]"
            problems.append(
                f"{field_path(loc) or 'top level'} (line {line}): key {_short(str(shown), 40)!r} "
                "is not a name; keys are field names or ids such as unit_cost or nova"
            )
            continue
        key = key_node.value
        if key in mapping:
            problems.append(
                f"{field_path((*loc, key))}: key appears twice (lines {first_line[key]} and "
                f"{line}); keep one of them"
            )
            continue
        first_line[key] = line
        mapping[key] = _build(value_node, (*loc, key), problems)
    return mapping


def _scalar(node: ScalarNode, loc: tuple[int | str, ...], problems: list[str]) -> Any:
    text = node.value
    if node.tag == _NULL:
        return None
    if node.tag == _BOOL:
        return text.lower() == "true"
    if node.tag in (_INT, _FLOAT) and sum(c.isdigit() for c in text) > MAX_NUMBER_DIGITS:
        problems.append(
            f"{field_path(loc)}: number {_short(text, 20)} has {len(text):,} characters; "
            "scenario numbers are at most 1e12 — write an ordinary number"
        )
        return None
    if node.tag == _INT:
        return int(text)
    if node.tag == _FLOAT:
        number = float(text) if text[-1:].isdigit() or text[-1:] == "." else math.inf
        if not math.isfinite(number):
            kind = "too large for a number" if text[-1:].isdigit() else "not a finite number"
            problems.append(
                f"{field_path(loc)}: {_short(text, 20)} is {kind}; write an ordinary number "
                "such as 1200 or 0.08"
            )
            return None
        if 0.0 < abs(number) < SMALLEST_NUMBER:
            problems.append(
                f"{field_path(loc)}: {_short(text, 20)} is too close to zero to mean anything; "
                f"write 0 or a number of at least {SMALLEST_NUMBER:g}"
            )
            return None
        return number
    return text


def _syntax_problem(error: yaml.MarkedYAMLError) -> str:
    mark = error.problem_mark or error.context_mark
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
    what = error.problem or error.context or "syntax error"
    if error.context and error.problem:
        what = f"{error.context}, {error.problem}"
    return f"{where}not valid YAML ({_short(what, 160)}); fix the indentation or punctuation there"


class _PlainDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Writes every value in full: a shared object is never turned into an anchor and alias.

    libyaml's emitter is used when present (writing is safe; only its parser is not trusted).
    """

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        """Quote text that either YAML 1.1 or this loader's 1.2 core rules would read as
        something else (``no``, ``010``, ``1e3``, ``1.0e5``), so every reader gets text back."""
        tag = super().resolve(kind, value, implicit)
        if kind is ScalarNode and implicit[0] and tag == _STR:
            return _CORE_RESOLVER.resolve(kind, value, implicit)
        return tag


# -- versions ---------------------------------------------------------------------------------


def _migrated(data: dict[str, Any]) -> tuple[list[str], dict[str, Any], dict[str, str]]:
    """``(problems, data as the current version, {current path: path in the file})``."""
    version = data.get("schema_version", SCHEMA_VERSION)
    if type(version) is not int:
        return (
            [f"schema_version: must be a whole number such as {SCHEMA_VERSION}, "
             f"got {_preview(version)}"],
            data,
            {},
        )  # fmt: skip
    if version > SCHEMA_VERSION:
        return (
            [f"schema_version: the file is version {_preview(version)}, written by a newer "
             f"release; this app reads versions {OLDEST_VERSION} to {SCHEMA_VERSION} — update "
             f"the app, or save the file as version {SCHEMA_VERSION} from the newer release"],
            data,
            {},
        )  # fmt: skip
    if version < OLDEST_VERSION:
        return (
            [f"schema_version: unknown version {_preview(version)}; use {SCHEMA_VERSION}"],
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


def _renamed(problem: str, renames: dict[str, str]) -> str:
    for current, original in renames.items():
        if problem.startswith(current) and not problem[len(current) :][:1].isalnum():
            return original + problem[len(current) :]
    return problem


# -- messages ---------------------------------------------------------------------------------

_NUMBER_TYPES = {"float_type", "int_type", "float_parsing", "int_parsing", "int_from_float"}
_NAMED_KINDS = {
    "float_type": "a number",
    "float_parsing": "a number",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "text",
    "list_type": "a list (lines starting with '- ')",
    "dict_type": "a mapping (indented 'name: value' lines)",
    "model_type": "a mapping (indented 'name: value' lines)",
    "model_attributes_type": "a mapping (indented 'name: value' lines)",
}


def _problem(item: Any) -> str:
    loc = tuple(item["loc"])
    path = field_path(loc)
    kind = item["type"]
    value = item.get("input")
    if kind == "extra_forbidden":
        if len(loc) == 3 and loc[0] == "goals" and loc[2] == "weight":
            return (
                f"{path}: goals have no weight since version 2 (leadership's value is money: "
                "contribution plus goals.strategic_value); delete the line, or write "
                "schema_version: 1 if the file is from version 1, so it is migrated"
            )
        return f"{path}: unknown field; {_suggestion(loc)}"
    if kind == "missing":
        return f"{path}: field required; add it{_described(loc)}"
    if kind == "value_error":
        message = item["msg"].removeprefix("Value error, ")
        return f"{path}: {message}" if path else message
    if kind in _NAMED_KINDS:
        line = f"{path}: expected {_NAMED_KINDS[kind]}, got {_preview(value)}"
        return line + _type_hint(kind, value)
    if kind == "finite_number":
        return f"{path}: must be a finite number, got {_preview(value)}; write an ordinary number"
    message = item["msg"]
    message = re.sub(r"^Input should be", "must be", message)
    message = re.sub(r"^String should have", "must have", message)
    message = re.sub(r"^List should have", "must have", message)
    message = message[:1].lower() + message[1:]
    return f"{path}: {message}, got {_preview(value)}" if path else message


def _type_hint(kind: str, value: Any) -> str:
    if kind in _NUMBER_TYPES and isinstance(value, str):
        if re.fullmatch(r"\s*[-+]?[0-9][0-9_,. ]*(e[-+]?[0-9]+)?\s*", value, re.IGNORECASE):
            return "; write the number without quotes, commas, spaces or underscores, e.g. 220000"
        return "; write a number such as 1200 or 0.08"
    if kind in _NUMBER_TYPES and isinstance(value, bool):
        return "; write a number, not true/false"
    if kind == "int_from_float" or (kind == "int_type" and isinstance(value, float)):
        return "; write a whole number without a decimal point"
    if kind in {"bool_type", "bool_parsing"}:
        return "; write true or false (yes/no/on/off are read as text)"
    if kind == "string_type" and isinstance(value, int | float | bool):
        return "; put the value in quotes"
    return ""


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The schema model for the mapping at ``loc``, if the location names one."""
    annotation: Any = Scenario
    for part in loc:
        annotation = _unwrapped(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if not isinstance(part, str) or part not in annotation.model_fields:
                return None
            annotation = annotation.model_fields[part].annotation
        elif typing.get_origin(annotation) is list and isinstance(part, int):
            annotation = typing.get_args(annotation)[0]
        elif typing.get_origin(annotation) is dict and isinstance(part, str):
            annotation = typing.get_args(annotation)[1]
        else:
            return None
    annotation = _unwrapped(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _unwrapped(annotation: Any) -> Any:
    """``Annotated[X, ...]`` and ``X | None`` → ``X``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation


def _suggestion(loc: tuple[int | str, ...]) -> str:
    model = _model_at(loc[:-1])
    if model is None:
        return "remove it"
    names = list(model.model_fields)
    close = difflib.get_close_matches(str(loc[-1])[:60], names, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    return f"remove it (fields here: {', '.join(names)})"


def _described(loc: tuple[int | str, ...]) -> str:
    model = _model_at(loc[:-1])
    field = model.model_fields.get(str(loc[-1])) if model is not None else None
    if field is not None and field.description:
        return f" — {field.description[:1].lower()}{field.description[1:]}"
    return ""


def _preview(value: Any, limit: int = 60) -> str:
    """A short description of any value, never expensive to make, never long."""
    if isinstance(value, bool) or value is None:
        return repr(value).lower() if value is not None else "nothing (null)"
    if isinstance(value, int):
        if value.bit_length() > 200:
            return "a number with more than 60 digits"
        return _short(str(value), limit)
    if isinstance(value, float):
        return _short(repr(value), limit)
    if isinstance(value, str):
        if len(value) > limit:
            return repr(value[: limit - 1] + "…") + f" ({len(value):,} characters)"
        return repr(value)
    if isinstance(value, dict):
        return f"a mapping of {len(value):,} entries"
    if isinstance(value, list | tuple):
        return f"a list of {len(value):,} items"
    return f"a value of type {type(value).__name__}"


def _capped(problems: list[str], total: int | None = None) -> list[str]:
    """The first ``MAX_PROBLEMS`` problems and how many more there are: enough to start fixing.

    ``total`` counts every problem when only the first few were formatted.
    """
    total = len(problems) if total is None else total
    if total <= MAX_PROBLEMS:
        return problems
    return [*problems[:MAX_PROBLEMS], f"… and {total - MAX_PROBLEMS:,} more problems"]


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _visible(text: str) -> str:
    """``text`` with every invisible or control character written as ``\\uXXXX``, so a message
    never carries a terminal escape or a direction override (keys and tags are quoted as read)."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)
