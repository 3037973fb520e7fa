"""Messages about scenario files: one readable line per problem, naming the field and the fix.

Field paths (``products[2].reference_share``), short previews of what was found, hints on how
to write a value, and the cap on how many problems are listed.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel

from alignment.scenario import Scenario

MAX_PROBLEMS = 20

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


def field_path(loc: tuple[int | str, ...]) -> str:
    """``('products', 2, 'reference_share')`` → ``products[2].reference_share``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            part = visible(short(str(part), 60))
            path += f".{part}" if path else part
    return path


def problem(item: Any) -> str:
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
        line = f"{path}: expected {_NAMED_KINDS[kind]}, got {preview(value)}"
        return line + _type_hint(kind, value)
    if kind == "finite_number":
        return f"{path}: must be a finite number, got {preview(value)}; write an ordinary number"
    message = item["msg"]
    message = re.sub(r"^Input should be", "must be", message)
    message = re.sub(r"^String should have", "must have", message)
    message = re.sub(r"^List should have", "must have", message)
    message = message[:1].lower() + message[1:]
    return f"{path}: {message}, got {preview(value)}" if path else message


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


def preview(value: Any, limit: int = 60) -> str:
    """A short description of any value, never expensive to make, never long."""
    if isinstance(value, bool) or value is None:
        return repr(value).lower() if value is not None else "nothing (null)"
    if isinstance(value, int):
        if value.bit_length() > 200:
            return "a number with more than 60 digits"
        return short(str(value), limit)
    if isinstance(value, float):
        return short(repr(value), limit)
    if isinstance(value, str):
        if len(value) > limit:
            return repr(value[: limit - 1] + "…") + f" ({len(value):,} characters)"
        return repr(value)
    if isinstance(value, dict):
        return f"a mapping of {len(value):,} entries"
    if isinstance(value, list | tuple):
        return f"a list of {len(value):,} items"
    return f"a value of type {type(value).__name__}"


def capped(problems: list[str], total: int | None = None) -> list[str]:
    """The first ``MAX_PROBLEMS`` problems and how many more there are: enough to start fixing.

    ``total`` counts every problem when only the first few were formatted.
    """
    total = len(problems) if total is None else total
    if total <= MAX_PROBLEMS:
        return problems
    return [*problems[:MAX_PROBLEMS], f"… and {total - MAX_PROBLEMS:,} more problems"]


def short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def visible(text: str) -> str:
    """``text`` with every invisible or control character written as ``\\uXXXX``, so a message
    never carries a terminal escape or a direction override (keys and tags are quoted as read)."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)
