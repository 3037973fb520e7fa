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
import os
import re
import secrets
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.nodes import Node, ScalarNode

from alignment.scenario import Scenario
from alignment.scenario_messages import MAX_PROBLEMS, capped, preview, problem, short
from alignment.scenario_messages import field_path as field_path
from alignment.scenario_migration import OLDEST_VERSION as OLDEST_VERSION
from alignment.scenario_migration import migrated, renamed
from alignment.yaml_gate import (
    CORE_RESOLVER,
    MAX_NODES,
    STR_TAG,
    GateLoader,
    Refused,
    build,
    syntax_problem,
)
from alignment.yaml_gate import MAX_DEPTH as MAX_DEPTH
from alignment.yaml_gate import MAX_NUMBER_DIGITS as MAX_NUMBER_DIGITS
from alignment.yaml_gate import SMALLEST_NUMBER as SMALLEST_NUMBER

MAX_FILE_BYTES = 256 * 1024

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
    loader = GateLoader(text, max_nodes)
    try:
        node = loader.get_single_node()
    except Refused as refused:
        raise ScenarioError([refused.message], name) from None
    except yaml.MarkedYAMLError as error:
        raise ScenarioError([syntax_problem(error)], name) from None
    except (yaml.YAMLError, ValueError, RecursionError, OverflowError) as error:
        raise ScenarioError([f"not valid YAML: {short(str(error), 200)}"], name) from None
    finally:
        loader.dispose()
    if node is None:
        raise ScenarioError(["file is empty; start from a file in scenarios/"], name)
    problems: list[str] = []
    data = build(node, (), problems)
    if problems:
        raise ScenarioError(capped(problems), name)
    if data is None:
        raise ScenarioError(["file is empty; start from a file in scenarios/"], name)
    _require_sections(data, name)
    return data


def _require_sections(data: Any, name: str) -> None:
    if not isinstance(data, dict):
        raise ScenarioError(
            [f"top level must be a mapping of sections (metadata, products, ...), "
             f"got {preview(data)}"],
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
    version_problems, data, renames = migrated(data)
    if version_problems:
        raise ScenarioError(version_problems, name)
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        errors = error.errors(include_url=False)
        total = len(errors)
        problems = [renamed(problem(item), renames) for item in errors[: MAX_PROBLEMS + 1]]
    except (TypeError, ValueError, RecursionError, OverflowError) as error:
        total = 1
        problems = [f"cannot be read as a scenario: {short(str(error), 200)}"]
    raise ScenarioError(capped(problems, total), name)


def validation_problems(error: ValidationError) -> list[str]:
    """One readable line per pydantic error: ``path: what is wrong, got <value>; fix``."""
    return [problem(item) for item in error.errors(include_url=False)]


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


# -- writing ------------------------------------------------------------------------------------


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
        if kind is ScalarNode and implicit[0] and tag == STR_TAG:
            return CORE_RESOLVER.resolve(kind, value, implicit)
        return tag
