"""The YAML gate: a loader that reads one small, plain YAML document into plain Python data.

Scalars follow the YAML 1.2 core schema; anchors, aliases, explicit tags, duplicate keys, deep
nesting, too many values and numbers that are not ordinary finite ones are refused, each with
the line or the field path where it happened.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml
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

from alignment.scenario_messages import field_path, short, visible

MAX_DEPTH = 20  # a scenario nests 5 levels; libyaml crashes near 25,000, Python at ~1,000
MAX_NODES = 5_000  # the largest scenario the schema allows holds about 1,600
MAX_NUMBER_DIGITS = 30  # every bound in the schema is below 1e13
SMALLEST_NUMBER = 1e-9  # smaller non-zero magnitudes are refused (no quantity here is that small)

STR_TAG = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"


class Refused(Exception):
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


CORE_RESOLVER = _CoreResolver()


class GateLoader(Reader, Scanner, Parser, Composer, _CoreResolver):
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
            raise Refused(
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
            raise Refused(
                f"{where}: uses an alias (*{short(str(event.anchor), 30)}); scenario files "
                "do not allow anchors or aliases — write the value out in full"
            )
        if getattr(event, "anchor", None) is not None:
            raise Refused(
                f"{where}: defines an anchor (&{short(str(event.anchor), 30)}); scenario "
                "files do not allow anchors or aliases — remove it and write values in full"
            )
        if getattr(event, "tag", None) is not None:
            tag = re.sub(r"^tag:yaml\.org,2002:", "!!", str(event.tag))
            raise Refused(
                f"{where}: has an explicit tag {visible(short(tag, 40))}; scenario files "
                "hold plain values only — remove the tag"
            )
        self._nodes += 1
        if self._nodes > self._max_nodes:
            raise Refused(
                f"{where}: the file holds more than {self._max_nodes:,} values; a scenario "
                "needs under 2,000 — remove repeated or unused items"
            )
        if not isinstance(event, MappingStartEvent | SequenceStartEvent):
            return super().compose_node(parent, index)
        if self._depth >= MAX_DEPTH:
            raise Refused(
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


def build(node: Node, loc: tuple[int | str, ...], problems: list[str]) -> Any:
    """Plain Python data from a composed node, noting each problem with its field path."""
    if isinstance(node, ScalarNode):
        return _scalar(node, loc, problems)
    if isinstance(node, SequenceNode):
        return [build(item, (*loc, i), problems) for i, item in enumerate(node.value)]
    assert isinstance(node, MappingNode)
    mapping: dict[str, Any] = {}
    first_line: dict[str, int] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, ScalarNode) or key_node.tag != STR_TAG:
            shown = key_node.value if isinstance(key_node, ScalarNode) else "[...]"
            problems.append(
                f"{field_path(loc) or 'top level'} (line {line}): key {short(str(shown), 40)!r} "
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
        mapping[key] = build(value_node, (*loc, key), problems)
    return mapping


def _scalar(node: ScalarNode, loc: tuple[int | str, ...], problems: list[str]) -> Any:
    text = node.value
    if node.tag == _NULL:
        return None
    if node.tag == _BOOL:
        return text.lower() == "true"
    if node.tag in (_INT, _FLOAT) and sum(c.isdigit() for c in text) > MAX_NUMBER_DIGITS:
        problems.append(
            f"{field_path(loc)}: number {short(text, 20)} has {len(text):,} characters; "
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
                f"{field_path(loc)}: {short(text, 20)} is {kind}; write an ordinary number "
                "such as 1200 or 0.08"
            )
            return None
        if 0.0 < abs(number) < SMALLEST_NUMBER:
            problems.append(
                f"{field_path(loc)}: {short(text, 20)} is too close to zero to mean anything; "
                f"write 0 or a number of at least {SMALLEST_NUMBER:g}"
            )
            return None
        return number
    return text


def syntax_problem(error: yaml.MarkedYAMLError) -> str:
    mark = error.problem_mark or error.context_mark
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
    what = error.problem or error.context or "syntax error"
    if error.context and error.problem:
        what = f"{error.context}, {error.problem}"
    return f"{where}not valid YAML ({short(what, 160)}); fix the indentation or punctuation there"
