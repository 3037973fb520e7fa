"""The scenario gate refuses every hostile file quickly, cheaply and with a message that helps."""

from __future__ import annotations

import json
import math
import os
import time
import tracemalloc
import types
import typing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from alignment.levers import with_value
from alignment.scenario import Scenario
from alignment.scenario_io import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_NODES,
    MAX_PROBLEMS,
    ScenarioError,
    dump_scenario,
    field_path,
    load_scenario,
    parse_yaml,
    save_scenario,
    scenario_from_data,
)

HERE = Path(__file__).resolve().parent
HOSTILE = HERE / "hostile"
EXAMPLE = HERE.parent / "scenarios" / "launch_conflict.yaml"
BASE = EXAMPLE.read_text(encoding="utf-8")

SECONDS_LIMIT = 1.0
PEAK_MEMORY_LIMIT = 50 * 1024 * 1024
LONGEST_PROBLEM = 400  # characters: a message never quotes a huge value

# Every file in tests/hostile/ and the phrases its refusal must contain.
EXPECTED = {
    "alias_bomb.yaml": ["a (line 1)", "anchor (&a)", "write values in full"],
    "undefined_alias.yaml": ["metadata.author", "alias (*someone)"],
    "merge_key.yaml": ["anchor (&defaults)"],
    "python_tag.yaml": ["metadata.notes", "tag !!python/object/apply:os.system", "remove the tag"],
    "custom_tag.yaml": ["products[0].price", "tag !price"],
    "binary_tag.yaml": ["metadata.notes", "tag !!binary"],
    "tag_directive.yaml": ["products[0].price", "explicit tag"],
    "multi_document.yaml": ["line 101", "more than one YAML document", "keep one"],
    "duplicate_key.yaml": ["sales_team.reps: key appears twice (lines 67 and 68)", "keep one"],
    "unknown_field.yaml": ["products[0].unit_cots: unknown field; did you mean 'unit_cost'?"],
    "unknown_section.yaml": ["marketting: unknown field; did you mean 'marketing'?"],
    "missing_section.yaml": ["goals: field required; add it"],
    "nan.yaml": ["products[0].price: .nan is not a finite number", "write an ordinary number"],
    "infinity.yaml": ["products[0].reference_price: .inf is not a finite number"],
    "float_overflow.yaml": ["segments[0].size: 1.0e+400 is too large for a number"],
    "quoted_number.yaml": ["sales_team.reps: expected a whole number, got '12'", "without quotes"],
    "boolean_number.yaml": ["sales_team.reps: expected a whole number, got true"],
    "norway_boolean.yaml": ["products[2].strategic: expected true or false, got 'no'"],
    "sexagesimal.yaml": ["sales_team.hours_per_rep: expected a number, got '1:30'"],
    "bad_date.yaml": ["products[0].price: expected a number, got '2024-13-45'"],
    "out_of_range.yaml": ["products[0].reference_share: must be less than 1, got 1.5"],
    "cross_field.yaml": ["sales_team: on_target_earnings (50000) must exceed base_salary"],
    "shares_over_one.yaml": ["segment 'mid_market'", "must stay below 1"],
    "unknown_reference.yaml": ["commission.kickers.ghost: unknown product id"],
    "wrong_section_type.yaml": ["products: expected a list", "got 'lots'"],
    "empty.yaml": ["file is empty"],
    "comment_only.yaml": ["file is empty"],
    "top_level_list.yaml": ["top level must be a mapping", "got a list of 2 items"],
    "top_level_scalar.yaml": ["top level must be a mapping", "got 'just some text'"],
    "future_version.yaml": ["schema_version: the file is version 3", "reads versions 0 to 2"],
    "version_as_text.yaml": ["schema_version: must be a whole number", "got '1'"],
    "deep_nesting.yaml": ["metadata[0]", f"nested more than {MAX_DEPTH} levels"],
    "non_string_key.yaml": ["commission.kickers (line 60): key '1' is not a name"],
    "complex_key.yaml": ["commission.kickers", "is not a name"],
    "syntax_error.yaml": ["line 68, column 16: not valid YAML"],
    "tab_indentation.yaml": ["line 67, column 1: not valid YAML"],
    "binary_junk.bin": ["NUL bytes", "binary data"],
    "nul_byte.yaml": ["NUL bytes (at byte 102)"],
    "not_utf8.yaml": ["not UTF-8", "byte 106"],
    "utf16.yaml": ["UTF-16", "save it as UTF-8"],
    "control_character.yaml": ["line 4: control character U+001B"],
    "yaml_escape_controls.yaml": [
        "metadata.name: contains the control character U+0000 (NUL) at position 3 and 3 more "
        "hidden characters; remove them"
    ],
    "bidi_override.yaml": [
        "products[2].name: contains the direction control U+202E (right-to-left override) at "
        "position 6; remove it"
    ],
    "control_in_key.yaml": ["commission.kickers.nova\\u001b[8m", "got 'nova\\x1b[8m'"],
    "duplicate_name.yaml": [
        'products[2].name: "analyser pro " reads the same as "Analyser Pro", which is already '
        "the name of products[0]; give each product its own name"
    ],
}


def refusal(source: str | bytes | Path) -> tuple[list[str], float, int]:
    """The problems, the CPU seconds the refusal took and its peak traced memory in bytes.

    CPU time, not wall time: a blow-up (an alias bomb, deep nesting) burns CPU, while a busy
    machine only stretches the wall clock.
    """
    started = time.process_time()
    with pytest.raises(ScenarioError) as refused:
        load_scenario(source)
    seconds = time.process_time() - started
    tracemalloc.start()
    try:
        with pytest.raises(ScenarioError):
            load_scenario(source)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return refused.value.problems, seconds, peak


def assert_refused_cheaply(source: str | bytes | Path, *phrases: str) -> list[str]:
    problems, seconds, peak = refusal(source)
    message = "\n".join(problems)
    for phrase in phrases:
        assert phrase in message
    assert seconds < SECONDS_LIMIT, f"took {seconds:.2f} s"
    assert peak < PEAK_MEMORY_LIMIT, f"peak {peak / 1e6:.1f} MB"
    assert all(len(problem) <= LONGEST_PROBLEM for problem in problems)
    assert len(problems) <= MAX_PROBLEMS + 1
    return problems


def edited(old: str, new: str) -> str:
    assert old in BASE
    return BASE.replace(old, new, 1)


# -- the committed corpus -----------------------------------------------------------------------


def test_every_hostile_file_has_an_expected_message_and_a_readme_line():
    on_disk = {p.name for p in HOSTILE.iterdir() if p.name != "README.md"}
    assert on_disk == set(EXPECTED)
    readme = (HOSTILE / "README.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in readme for name in EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file_is_refused_in_under_a_second_naming_the_problem(name):
    assert_refused_cheaply(HOSTILE / name, *EXPECTED[name])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_path_bytes_and_text_meet_the_same_gate(name):
    raw = (HOSTILE / name).read_bytes()
    from_path = refusal(HOSTILE / name)[0]
    assert refusal(raw)[0] == from_path
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return
    if "\x00" not in text:
        assert refusal(text)[0] == from_path


def test_the_alias_bomb_is_refused_before_it_expands():
    problems = assert_refused_cheaply(HOSTILE / "alias_bomb.yaml")
    assert problems == [
        "a (line 1): defines an anchor (&a); scenario files do not allow anchors or aliases — "
        "remove it and write values in full"
    ]


# -- generated attacks too big to commit ----------------------------------------------------


def test_a_file_over_the_size_cap_is_refused_before_parsing():
    oversize = BASE + "#" * (MAX_FILE_BYTES - len(BASE.encode()) + 1)
    assert_refused_cheaply(oversize, f"at most {MAX_FILE_BYTES:,} bytes")


def test_a_file_just_under_the_size_cap_is_still_read():
    padded = BASE + "#" * (MAX_FILE_BYTES - len(BASE.encode()) - 1) + "\n"
    assert load_scenario(padded) == load_scenario(BASE)


def test_an_endless_file_is_read_only_up_to_the_cap(tmp_path):
    started = time.process_time()
    with pytest.raises(ScenarioError, match="at most"):
        load_scenario(Path("/dev/zero"))
    assert time.process_time() - started < SECONDS_LIMIT


def test_twenty_five_thousand_nested_brackets_are_refused_without_crashing():
    assert_refused_cheaply(
        "metadata: " + "[" * 25_000 + "]" * 25_000, f"nested more than {MAX_DEPTH} levels"
    )


def test_deep_nesting_by_indentation_is_refused():
    deep = "".join(" " * level + f"k{level}:\n" for level in range(400)) + " " * 400 + "x"
    assert_refused_cheaply(deep, "k0.k1.k2", "k19 (line 21)", "nested more than")


def test_deeply_nested_block_lists_are_refused():
    assert_refused_cheaply("- " * 1_000 + "x", "nested more than")


def test_thousands_of_values_are_refused():
    many = "metadata: [" + "0, " * (MAX_NODES + 1_000) + "]"
    assert_refused_cheaply(many, f"more than {MAX_NODES:,} values")


def test_the_slowest_file_to_read_a_near_cap_mix_of_values_and_text_is_still_quick():
    values = "a: [" + "0, " * (MAX_NODES - 10) + "]\n"
    text = "b: " + "y" * (MAX_FILE_BYTES - len(values) - 10) + "\n"
    assert_refused_cheaply(values + text, "a: unknown field", "b: unknown field")


def test_a_huge_name_is_refused_and_the_message_quotes_only_its_start():
    problems = assert_refused_cheaply(
        edited("  author: Workshop facilitator", "  author: " + "x" * 200_000),
        "metadata.author: must have at most 200 characters",
        "(200,000 characters)",
    )
    assert len(problems) == 1


def test_an_integer_beyond_pythons_digit_limit_is_refused_with_the_field():
    assert_refused_cheaply(
        edited("  reps: 40", "  reps: " + "9" * 5_000),
        "sales_team.reps: number 9999",
        "5,000 characters",
    )


def test_a_float_with_a_hundred_thousand_digits_is_refused_with_the_field():
    assert_refused_cheaply(
        edited("  size: 50000", "  size: 1" + "0" * 100_000 + ".5"), "segments[0].size: number"
    )


def test_a_huge_unknown_key_is_named_briefly():
    problems = assert_refused_cheaply(BASE + "? " + "k" * 100_000 + "\n: 1\n", "unknown field")
    assert "k" * 100 not in "\n".join(problems)


def test_a_ten_level_alias_bomb_is_refused_as_fast_as_a_small_one():
    levels = [f"l0: &l0 [{', '.join(['lol'] * 10)}]"]
    levels += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 10)]
    assert_refused_cheaply("\n".join(levels), "anchor (&l0)")


def test_thousands_of_schema_errors_are_capped_to_a_readable_list():
    head, tail = BASE.split("products:\n")[0], BASE.split("commission:\n")[1]
    empty_products = head + "products:\n" + "  - {}\n" * 30 + "commission:\n" + tail
    problems = assert_refused_cheaply(empty_products, "products[0].id: field required")
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].startswith("… and ") and problems[-1].endswith(" more problems")


# -- how scalars are read: YAML 1.2 core, not 1.1 --------------------------------------------


def parsed_value(text: str) -> object:
    return parse_yaml(f"value: {text}\n".encode())["value"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("010", 10),
        ("-0", 0),
        ("+12", 12),
        ("1e3", 1000.0),
        ("1.5e-3", 0.0015),
        (".5", 0.5),
        ("1.", 1.0),
        ("true", True),
        ("False", False),
        ("no", "no"),
        ("yes", "yes"),
        ("on", "on"),
        ("1:30", "1:30"),
        ("2024-01-05", "2024-01-05"),
        ("0x1F", "0x1F"),
        ("1_000", "1_000"),
        ("~", None),
        ("null", None),
        ('"12"', "12"),
        ("'true'", "true"),
        ("=", "="),
        ("<<", "<<"),
    ],
)
def test_scalars_are_read_with_yaml_1_2_core_rules(text, value):
    read = parsed_value(text)
    assert read == value and type(read) is type(value)


@pytest.mark.parametrize("text", [".inf", "-.inf", ".NaN", "1e400", "-1e400"])
def test_non_finite_numbers_are_refused_with_the_field(text):
    with pytest.raises(ScenarioError, match=r"^scenario: value: .* finite|too large"):
        parse_yaml(f"value: {text}\n".encode())


@pytest.mark.parametrize("text", ["5e-324", "1e-300", "-1e-12"])
def test_numbers_too_close_to_zero_to_mean_anything_are_refused(text):
    with pytest.raises(ScenarioError) as refused:
        load_scenario(edited("    reference_hours: 6000", f"    reference_hours: {text}"))
    assert refused.value.problems == [
        f"products[2].reference_hours: {text} is too close to zero to mean anything; write 0 "
        "or a number of at least 1e-09"
    ]


def test_a_name_that_yaml_1_1_would_turn_into_false_stays_text():
    scenario = load_scenario(edited("  author: Workshop facilitator", "  author: no"))
    assert scenario.metadata.author == "no"


def test_an_integer_where_a_float_belongs_is_accepted():
    scenario = load_scenario(edited("  size: 50000", "  size: 5e4"))
    assert scenario.segments[0].size == 50_000.0


def test_a_float_where_a_whole_number_belongs_is_refused_with_a_hint():
    with pytest.raises(ScenarioError) as refused:
        load_scenario(edited("  reps: 40", "  reps: 40.0"))
    assert refused.value.problems == [
        "sales_team.reps: expected a whole number, got 40.0; write a whole number without a "
        "decimal point"
    ]


# -- files that are fine -------------------------------------------------------------------------


def test_a_utf8_byte_order_mark_and_windows_line_endings_are_accepted():
    raw = b"\xef\xbb\xbf" + BASE.replace("\n", "\r\n").encode()
    assert load_scenario(raw) == load_scenario(EXAMPLE)


def test_a_file_without_schema_version_is_read_as_the_current_version():
    assert load_scenario(BASE.replace("schema_version: 2\n", "")) == load_scenario(EXAMPLE)


def test_every_scenario_in_the_library_passes_the_gate():
    for path in sorted((HERE.parent / "scenarios").glob("*.yaml")):
        assert isinstance(load_scenario(path), Scenario)


def test_a_dumped_scenario_reads_back_equal_and_never_uses_aliases():
    scenario = load_scenario(EXAMPLE)
    shared = {"min": 0.0, "max": 1.0}
    data = scenario.model_dump(mode="json")
    data["negotiation"]["prices"] = {pid: shared for pid in scenario.product_ids}
    widened = scenario_from_data(data)
    text = dump_scenario(widened)
    assert "&" not in text and "*" not in text
    assert load_scenario(text) == widened


TRICKY_TEXT = ["1e3", "1.0e5", "no", "010", "2024-01-01", "1:30", ".inf", "~", "True", "+12", "-"]


DIRECTION_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Any character a name may hold: no controls (Cc), no direction controls, no line separators.
NAME_CHARACTERS = st.characters(
    exclude_categories=("Cc", "Cs"), exclude_characters=DIRECTION_CONTROLS + "\u2028\u2029"
)


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(TRICKY_TEXT) | st.text(NAME_CHARACTERS, min_size=1, max_size=200),
    st.text(NAME_CHARACTERS | st.sampled_from("\t\n\u2028\u2029"), max_size=300),
)
def test_any_name_survives_a_save_and_load_as_the_same_text(name, notes):
    data = load_scenario(EXAMPLE).model_dump()
    data["metadata"]["name"] = name
    data["metadata"]["notes"] = notes
    scenario = Scenario.model_validate(data)
    assert load_scenario(dump_scenario(scenario)) == scenario


def test_save_scenario_writes_a_file_that_loads_back(tmp_path):
    scenario = load_scenario(EXAMPLE)
    target = tmp_path / "saved.yaml"
    save_scenario(scenario, target)
    assert load_scenario(target) == scenario
    assert [p.name for p in tmp_path.iterdir()] == ["saved.yaml"]


def test_a_failed_save_keeps_the_old_file(tmp_path, monkeypatch):
    scenario = load_scenario(EXAMPLE)
    target = tmp_path / "saved.yaml"
    target.write_text("old", encoding="utf-8")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError):
        save_scenario(scenario, target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["saved.yaml"]


# -- versions --------------------------------------------------------------------------------

VERSION_1 = (HERE / "fixtures" / "v1" / "launch_conflict.yaml").read_text(encoding="utf-8")
VERSION_0 = (
    VERSION_1.replace("schema_version: 1", "schema_version: 0")
    .replace("  margin_rate: 0.08", "  gm_rate: 0.08")
    .split("negotiation:")[0]
)


def test_a_version_0_file_is_migrated_gm_rate_becoming_margin_rate():
    scenario = load_scenario(VERSION_0)
    assert scenario.schema_version == 2
    assert scenario.commission.margin_rate == 0.08
    assert scenario.negotiation == Scenario.model_fields["negotiation"].default


def test_a_problem_in_a_version_0_file_names_the_field_as_written_there():
    with pytest.raises(ScenarioError) as refused:
        load_scenario(VERSION_0.replace("gm_rate: 0.08", "gm_rate: 1.5"))
    assert refused.value.problems == [
        "commission.gm_rate: must be less than or equal to 1, got 1.5"
    ]


def test_a_version_0_file_with_version_1_fields_is_refused_with_the_fix():
    mixed = VERSION_0.replace("  gm_rate: 0.08", "  gm_rate: 0.08\n  margin_rate: 0.08")
    with pytest.raises(ScenarioError, match=r"commission\.margin_rate: version 0 files call"):
        load_scenario(mixed)
    with pytest.raises(ScenarioError, match="negotiation: version 0 files have no"):
        load_scenario(VERSION_0 + "negotiation: {}\n")


@pytest.mark.parametrize("version", ["-1", "2.0", "true", "null", "99"])
def test_other_schema_versions_are_refused_naming_the_version_read(version):
    with pytest.raises(ScenarioError, match=r"^scenario: schema_version: .*(2|whole number)"):
        load_scenario(BASE.replace("schema_version: 2", f"schema_version: {version}"))


# -- messages --------------------------------------------------------------------------------


def test_an_unknown_field_without_a_near_name_lists_the_fields_there():
    with pytest.raises(ScenarioError) as refused:
        load_scenario(edited("  reps: 40", "  reps: 40\n  zzz: 1"))
    assert refused.value.problems[0].startswith("sales_team.zzz: unknown field; remove it (fields")
    assert "hours_per_rep" in refused.value.problems[0]


def test_a_missing_field_says_what_it_is():
    with pytest.raises(ScenarioError) as refused:
        load_scenario(edited("    unit_cost: 600\n", ""))
    assert refused.value.problems == [
        "products[0].unit_cost: field required; add it — variable cost per unit (c)."
    ]


def test_data_with_nan_is_refused_by_scenario_from_data_naming_the_field():
    data = load_scenario(EXAMPLE).model_dump()
    data["products"][1]["price"] = math.nan
    with pytest.raises(ScenarioError) as refused:
        scenario_from_data(data)
    assert refused.value.problems == [
        "products[1].price: must be a finite number, got nan; write an ordinary number"
    ]


@pytest.mark.parametrize("data", [None, [], "text", 3])
def test_data_that_is_not_a_mapping_is_refused(data):
    with pytest.raises(ScenarioError, match="top level must be a mapping"):
        scenario_from_data(data)


def test_unreadable_paths_and_unknown_inputs_are_refused(tmp_path):
    with pytest.raises(ScenarioError, match="cannot read the file"):
        load_scenario(tmp_path / "missing.yaml")
    with pytest.raises(ScenarioError, match="cannot read the file"):
        load_scenario(tmp_path)
    with pytest.raises(ScenarioError, match="expected a file path, YAML text or bytes"):
        load_scenario(42)  # type: ignore[arg-type]


def test_text_with_a_lone_surrogate_is_refused_as_not_utf8():
    with pytest.raises(ScenarioError, match="not UTF-8"):
        load_scenario(edited("Workshop", "Work\ud800shop"))


def test_field_paths_read_like_the_file():
    assert field_path(("products", 2, "reference_share")) == "products[2].reference_share"
    assert field_path(()) == ""
    assert len(field_path(("x" * 1_000,))) <= 60


# -- text a room can read, names it can tell apart ---------------------------------------------

KEY = "<key>"  # in a place: the text is a mapping key


def unwrapped(annotation: Any) -> Any:
    """``Annotated[X, ...]`` and ``X | None`` → ``X``."""
    while typing.get_origin(annotation) in (typing.Annotated, typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = options[0]
    return annotation


def text_places(annotation: Any, loc: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place the schema holds text, found from the model itself, so a text field added
    later is tested too: list items at index 0, mapping values under the product id ``nova``."""
    annotation = unwrapped(annotation)
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [
            place
            for name, field in annotation.model_fields.items()
            for place in text_places(field.annotation, (*loc, name))
        ]
    if origin is list:
        return text_places(typing.get_args(annotation)[0], (*loc, 0))
    if origin is dict:
        key, value = typing.get_args(annotation)
        keys = [(*loc, KEY)] if unwrapped(key) is str else []
        return keys + text_places(value, (*loc, "nova"))
    return [loc] if annotation is str else []


TEXT_PLACES = text_places(Scenario)


def with_text(place: tuple[Any, ...], text: str) -> dict[str, Any]:
    """The example scenario as data, with ``text`` at ``place``."""
    data = load_scenario(EXAMPLE).model_dump(mode="json")
    *route, last = place
    parent: Any = data
    for part in route:
        if isinstance(parent, dict) and part not in parent:
            # A mapping the example leaves empty (uncertainty ranges): add an entry to hold it.
            parent[part] = {"low": 0.0, "high": 100.0}
        parent = parent[part]
    if last == KEY:
        value = next(iter(parent.values()), 0.0)
        parent.clear()
        parent[text] = value
    elif isinstance(parent, list):
        parent[last : last + 1] = [text]
    else:
        parent[last] = text
    return data


def test_the_schema_holds_text_in_every_place_a_room_reads_or_writes():
    readable = {field_path(p) for p in TEXT_PLACES}
    assert {"metadata.name", "metadata.author", "metadata.description", "metadata.notes",
            "segments[0].name", "products[0].name", "negotiation.locked[0]",
            "commission.kickers.<key>", "products[0].id"} <= readable  # fmt: skip


@pytest.mark.parametrize(
    "character", ["\x00", "\x1b", "\x7f", "\x85", "\u202e", "\u2066", "\u061c"]
)
@pytest.mark.parametrize("place", TEXT_PLACES, ids=field_path)
def test_every_text_field_refuses_control_and_direction_characters_naming_field_and_position(
    place, character
):
    with pytest.raises(ScenarioError) as refused:
        scenario_from_data(with_text(place, f"nova{character}x"))
    path = field_path(place[:-1]) if place[-1] == KEY else field_path(place)
    named = [p for p in refused.value.problems if p.startswith(path)]
    assert named, refused.value.problems
    code = f"U+{ord(character):04X}"
    if place[-1] in ("id", "segment", "currency", KEY):  # codes: the pattern refuses it
        assert "should match pattern" in named[0]
    else:
        assert f"{code}" in named[0] and "at position 5; remove it" in named[0]
    assert character not in "\n".join(refused.value.problems)


def test_a_name_written_with_yaml_escapes_is_refused_at_its_first_hidden_character():
    problems = assert_refused_cheaply(
        edited(
            'name: "Nova launch: priced for share, paid on margin"',
            'name: "Q3\\e[31m plan \\u202E lmth.yaml"',
        )
    )
    assert problems == [
        "metadata.name: contains the control character U+001B (escape) at position 3 and 1 more "
        "hidden character; remove them"
    ]


@pytest.mark.parametrize("field", ["name", "author"])
@pytest.mark.parametrize(("character", "what"), [("\n", "a line break"), ("\t", "a tab")])
def test_a_name_is_one_line(field, character, what):
    data = load_scenario(EXAMPLE).model_dump()
    data["metadata"][field] = f"Nova{character}launch"
    with pytest.raises(ScenarioError) as refused:
        scenario_from_data(data)
    assert refused.value.problems[0].startswith(f"metadata.{field}: contains {what} (U+000")


@pytest.mark.parametrize("field", ["description", "notes"])
def test_descriptions_and_notes_keep_their_line_breaks_and_tabs(field):
    data = load_scenario(EXAMPLE).model_dump()
    data["metadata"][field] = "Why:\n\t- margin first\n\t- then share\u2028(see notes)"
    assert getattr(scenario_from_data(data).metadata, field) == data["metadata"][field]


@pytest.mark.parametrize(("path", "text", "problem"), [
    ("metadata.name", "Q3\x1b[31m", "metadata.name: contains the control character U+001B "
     "(escape) at position 3; remove it"),
    ("metadata.notes", "fine\nline\u202e", "metadata.notes: contains the direction control "
     "U+202E (right-to-left override) at position 10; remove it"),
    ("products.nova.name", "Nova\u2066", "products[2].name: contains the direction control "
     "U+2066 (left-to-right isolate) at position 5; remove it"),
])  # fmt: skip
def test_text_typed_in_the_app_is_refused_with_the_same_message(path, text, problem):
    with pytest.raises(ScenarioError) as refused:
        with_value(load_scenario(EXAMPLE), path, text)
    assert refused.value.problems == [problem]


def test_a_key_holding_a_control_character_is_named_with_the_character_made_visible():
    problems = assert_refused_cheaply(HOSTILE / "control_in_key.yaml")
    assert "\x1b" not in "\n".join(problems)
    assert problems[0].startswith("commission.kickers.nova\\u001b[8m")


@pytest.mark.parametrize(
    ("second", "problem"),
    [
        ("Analyser Pro", '"Analyser Pro" is already the name of products[0]'),
        ("analyser pro", '"analyser pro" reads the same as "Analyser Pro", which is already'),
        ("  Analyser   Pro ", '"  Analyser   Pro " reads the same as "Analyser Pro"'),
        ("ＡＮＡＬＹＳＥＲ ＰＲＯ", '"ＡＮＡＬＹＳＥＲ ＰＲＯ" reads the same as "Analyser Pro"'),
        ("Analyser\u00a0Pro\u200b", '"Analyser\u00a0Pro\u200b" reads the same as "Analyser Pro"'),
    ],
)
def test_two_products_may_not_share_a_name_whatever_the_case_or_spacing(second, problem):
    with pytest.raises(ScenarioError) as refused:
        load_scenario(edited("    name: Nova (new)", f'    name: "{second}"'))
    (message,) = refused.value.problems
    assert message.startswith(f"products[2].name: {problem}")
    assert message.endswith("; give each product its own name")


def test_two_segments_may_not_share_a_name():
    data = load_scenario(EXAMPLE).model_dump()
    data["segments"].append({**data["segments"][0], "id": "enterprise", "name": "MID-MARKET LABS"})
    with pytest.raises(ScenarioError) as refused:
        scenario_from_data(data)
    assert refused.value.problems == [
        'segments[1].name: "MID-MARKET LABS" reads the same as "Mid-market labs", which is '
        "already the name of segments[0]; give each segment its own name"
    ]


def test_products_with_different_names_are_fine_even_when_one_contains_the_other():
    scenario = load_scenario(edited("    name: Nova (new)", "    name: Analyser Pro 2"))
    assert [p.name for p in scenario.products][-1] == "Analyser Pro 2"


def test_the_json_schema_file_states_the_same_rule_for_editors():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((HERE.parent / "schema" / "scenario.schema.json").read_text("utf-8"))
    data = load_scenario(EXAMPLE).model_dump(mode="json")
    data["metadata"]["notes"] = "Line one\n\tline two"
    jsonschema.validate(data, schema)
    for field, text in (("name", "Nova\u202e"), ("notes", "Q3\x1b[31m"), ("author", "a\nb")):
        data["metadata"][field] = text
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(data, schema)
        data["metadata"][field] = "fine"


# -- the fields version 2 added --------------------------------------------------------------


def test_strategic_value_is_stated_for_strategic_products_only():
    data = load_scenario(EXAMPLE).model_dump()
    data["goals"]["strategic_value"] = {"nova": 250.0, "pro": 100.0}
    with pytest.raises(ScenarioError) as refused:
        scenario_from_data(data)
    assert refused.value.problems == [
        "goals.strategic_value.pro: pro is not a strategic product; mark it strategic or remove it"
    ]
    data["goals"]["strategic_value"] = {"ghost": 1.0}
    with pytest.raises(ScenarioError, match=r"goals\.strategic_value\.ghost: unknown product id"):
        scenario_from_data(data)
    data["goals"]["strategic_value"] = {"nova": 250.0}
    assert scenario_from_data(data).goals.strategic_value == {"nova": 250.0}


def test_a_hard_new_product_share_goal_needs_a_strategic_product():
    data = load_scenario(EXAMPLE).model_dump()
    data["goals"]["new_product_share"]["hard"] = True
    data["goals"]["strategic_value"] = {}  # only strategic products may carry a value
    for product in data["products"]:
        product["strategic"] = False
    with pytest.raises(ScenarioError, match=r"^scenario: goals\.new_product_share\.hard: no "):
        scenario_from_data(data)


@pytest.mark.parametrize(
    ("field", "hours", "problem"),
    [
        ("min_hours_per_rep", 1600.0, "min_hours_per_rep (1600) must not exceed hours_per_rep"),
        ("max_hours_per_rep", 1400.0, "max_hours_per_rep (1400) must be at least hours_per_rep"),
    ],
)
def test_the_range_of_hours_per_rep_holds_todays_hours(field, hours, problem):
    with pytest.raises(ScenarioError) as refused:
        with_value(load_scenario(EXAMPLE), f"sales_team.{field}", hours)
    assert refused.value.problems == [f"sales_team: {problem} (1500)"]


def test_the_hours_range_is_as_stated_or_half_to_one_and_a_quarter_times_todays():
    scenario = with_value(load_scenario(EXAMPLE), "sales_team.max_hours_per_rep", None)
    assert (scenario.sales_team.hours_floor, scenario.sales_team.hours_ceiling) == (750.0, 1875.0)
    stated = with_value(scenario, "sales_team.min_hours_per_rep", 1200.0)
    stated = with_value(stated, "sales_team.max_hours_per_rep", 1500.0)
    assert (stated.sales_team.hours_floor, stated.sales_team.hours_ceiling) == (1200.0, 1500.0)


def test_reps_are_held_to_their_own_new_product_target_or_else_leaderships():
    scenario = load_scenario(EXAMPLE)
    assert scenario.reps_new_product_target == scenario.goals.new_product_share.target == 0.12
    held = with_value(scenario, "sales_team.new_product_target", 0.08)
    assert held.reps_new_product_target == 0.08


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        ("products.nova.unassisted_share", 1.0, "products[2].unassisted_share: must be less"),
        ("sales_team.effort_response", 2.5, "sales_team.effort_response: must be less than or"),
        ("sales_team.new_product_target", 1.5, "sales_team.new_product_target: must be less than"),
    ],
)
def test_the_new_fields_refuse_values_out_of_range(path, value, problem):
    with pytest.raises(ScenarioError) as refused:
        with_value(load_scenario(EXAMPLE), path, value)
    assert refused.value.problems[0].startswith(problem)
