"""Fuzzing the scenario gate: whatever comes in, the only failure is a ScenarioError, and
whatever it lets through evaluates to finite numbers."""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alignment import evaluate
from alignment.scenario import Scenario
from alignment.scenario_io import ScenarioError, dump_data, field_path, load_scenario, parse_yaml

EXAMPLE = Path(__file__).resolve().parent.parent / "scenarios" / "launch_conflict.yaml"
EXAMPLE_BYTES = EXAMPLE.read_bytes()
EXAMPLE_LINES = EXAMPLE_BYTES.decode("utf-8").splitlines(keepends=True)
EXAMPLE_DATA = parse_yaml(EXAMPLE_BYTES)

# FUZZ_EXAMPLES=5000 for a longer hunt; the default keeps the suite quick.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

NASTY_TOKENS = [
    ".inf", "-.inf", ".nan", "1e400", "-1e400", "1e-400", "0", "-0", "-1", "1e-300", "5e-324",
    "1e12", "1e13", "9" * 400, "no", "yes", "on", "off", "~", "null", "true", "false", "010",
    "0x10", "0o17", "1:30", "1_000", "2024-13-45", "2024-01-01", "''", '""', "'12'", "[]", "{}",
    "[[[[", "]]]", "{a: 1}", "[1, 2]", "&a x", "*a", "!!python/object:os.system", "!x 1",
    "!!binary aGk=", "|", ">", "- x", "? x", "<<", "=", "%", "@", "`", "#", "---", "...",
    "\t", "\\u0000", "'unterminated", '"unterminated', "é", "\U0001f600", "a" * 300,
]  # fmt: skip


def load_or_refuse(source: str | bytes) -> Scenario | None:
    """The scenario, or None after checking the refusal is a readable ScenarioError."""
    try:
        return load_scenario(source)
    except ScenarioError as refused:
        assert refused.problems
        assert all(isinstance(p, str) and 0 < len(p) <= 400 for p in refused.problems)
        return None


def assert_evaluates_to_finite_numbers(scenario: Scenario) -> None:
    outcomes = evaluate(scenario)
    for field in dataclasses.fields(outcomes):
        values = np.asarray(getattr(outcomes, field.name))
        if values.dtype.kind == "f":
            assert np.isfinite(values).all(), f"{field.name} is not finite: {values}"


@FUZZ
@given(st.binary(max_size=3_000))
def test_arbitrary_bytes_raise_nothing_but_scenario_error(raw):
    load_or_refuse(raw)


@FUZZ
@given(st.text(max_size=3_000))
def test_arbitrary_text_raises_nothing_but_scenario_error(text):
    load_or_refuse(text)


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(EXAMPLE_BYTES)),
            st.sampled_from(["insert", "delete", "replace"]),
            st.binary(min_size=1, max_size=8),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_byte_mutations_of_a_valid_file_are_loaded_or_refused_cleanly(edits):
    raw = bytearray(EXAMPLE_BYTES)
    for position, operation, payload in edits:
        position = min(position, len(raw))
        if operation == "insert":
            raw[position:position] = payload
        elif operation == "delete":
            del raw[position : position + len(payload)]
        else:
            raw[position : position + len(payload)] = payload
    scenario = load_or_refuse(bytes(raw))
    if scenario is not None:
        assert_evaluates_to_finite_numbers(scenario)


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(EXAMPLE_LINES) - 1),
            st.one_of(
                st.sampled_from(NASTY_TOKENS),
                st.floats().map(repr),
                st.integers(-(10**15), 10**15).map(str),
                st.text(max_size=20),
            ),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_nasty_values_in_a_valid_file_are_loaded_or_refused_cleanly(edits):
    lines = list(EXAMPLE_LINES)
    for index, token in edits:
        key, colon, _ = lines[index].partition(":")
        if colon:
            lines[index] = f"{key}: {token}\n"
        else:
            lines[index] = f"{token}\n"
    scenario = load_or_refuse("".join(lines))
    if scenario is not None:
        assert_evaluates_to_finite_numbers(scenario)


def numeric_leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(data, dict):
        return [leaf for key, value in data.items() for leaf in numeric_leaves(value, (*path, key))]
    if isinstance(data, list):
        return [leaf for i, value in enumerate(data) for leaf in numeric_leaves(value, (*path, i))]
    if isinstance(data, int | float) and not isinstance(data, bool):
        return [path]
    return []


NUMERIC_LEAVES = numeric_leaves(EXAMPLE_DATA)
EXTREME_NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-2.0, max_value=2.0),
    st.integers(-(10**13), 10**13),
    st.sampled_from([0, 0.0, -0.0, 5e-324, 1e-300, 1e-12, 1e-6, 0.999999, 1.0, 1e9, 1e12]),
)


def set_path(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def copied(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: copied(value) for key, value in data.items()}
    if isinstance(data, list):
        return [copied(value) for value in data]
    return data


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(NUMERIC_LEAVES), EXTREME_NUMBERS), max_size=4))
def test_extreme_numbers_are_refused_or_evaluate_to_finite_numbers(edits):
    data = copied(EXAMPLE_DATA)
    for path, value in edits:
        set_path(data, path, value)
    scenario = load_or_refuse(yaml.safe_dump(data, sort_keys=False))
    if scenario is not None:
        assert_evaluates_to_finite_numbers(scenario)


TEXT_FIELDS = [
    ("metadata", "name"),
    ("metadata", "author"),
    ("metadata", "description"),
    ("metadata", "notes"),
    ("segments", 0, "name"),
    ("products", 2, "name"),
]
# Characters no text field may hold, and those only paragraphs (description, notes) may hold.
HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
LINE_BREAKS_AND_TABS = re.compile("[\t\n\u2028\u2029]")
TRICKY_CHARACTERS = "ab :\t\n\r\x00\x1b\x7f\x85\u061c\u200e\u202e\u2066\u2028\ufeff\U0001f600"


@FUZZ
@given(
    st.sampled_from(TEXT_FIELDS),
    st.text(max_size=300) | st.text(st.sampled_from(TRICKY_CHARACTERS), max_size=20),
)
def test_text_in_any_field_is_stored_exactly_and_visibly_or_refused_naming_the_field(path, text):
    data = copied(EXAMPLE_DATA)
    set_path(data, path, text)
    try:
        scenario = load_scenario(dump_data(data))  # the app's writer: raw Unicode, escaped controls
    except ScenarioError as refused:
        assert any(p.startswith(field_path(path)) for p in refused.problems), refused.problems
        return
    stored = scenario.model_dump()
    for part in path:
        stored = stored[part]
    assert stored == text
    assert not HIDDEN.search(stored)
    if path[-1] in ("name", "author"):
        assert not LINE_BREAKS_AND_TABS.search(stored)
