"""The building blocks of a scenario's fields: ids, names, paragraphs, numbers, frozen models.

Names (``ShortText``) are one line with no control characters; paragraphs (``LongText``) may hold
line breaks and tabs and no other control character; ids (``Identifier``) are lower-case ASCII.
Neither names nor paragraphs may hold the Unicode direction controls, which make text display
in another order than it is stored in.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$"),
    Field(description="Lower-case id: a letter, then letters, digits or underscores (max 40)."),
]

# Text a room cannot read as stored: C0 and C1 control characters, and the Unicode direction
# controls, which make text display in another order than it is stored in ("Trojan source").
# Kept as regular-expression text so the JSON Schema states the same rule, as a ``pattern``.
_CONTROLS = r"\u0000-\u0008\u000b-\u001f\u007f-\u009f"  # every control but tab and line feed
_BREAKS = r"\t\n\u2028\u2029"  # tab and line breaks, allowed in paragraphs only
_DIRECTION_CONTROLS = r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_NOT_IN_ONE_LINE = _CONTROLS + _BREAKS + _DIRECTION_CONTROLS
_NOT_IN_PARAGRAPHS = _CONTROLS + _DIRECTION_CONTROLS
_REFUSED = {
    True: re.compile(f"[{_NOT_IN_ONE_LINE}]"),
    False: re.compile(f"[{_NOT_IN_PARAGRAPHS}]"),
}
_DIRECTION = re.compile(f"[{_DIRECTION_CONTROLS}]")
_CONTROL_NAMES = {
    "\x00": "NUL", "\x08": "backspace", "\x0b": "vertical tab", "\x0c": "form feed",
    "\r": "carriage return", "\x1b": "escape", "\x7f": "delete", "\x85": "next line",
}  # fmt: skip


def text_problem(text: str, *, one_line: bool) -> str | None:
    """Why ``text`` cannot be stored as a name (``one_line``) or as paragraphs; None if it can.

    Names the first refused character, its code point and its position (counted from 1), e.g.
    ``contains the control character U+001B (escape) at position 4; remove it``.
    """
    refused = _REFUSED[one_line]
    found = refused.search(text)
    if found is None:
        return None
    what, fix = _described(found.group())
    where = f"at position {found.start() + 1:,}"
    more = len(refused.findall(text, found.end()))
    if more:
        where += f" and {more:,} more hidden character{'s' if more > 1 else ''}"
        fix = fix.replace("remove it", "remove them")
    return f"contains {what} {where}; {fix}"


def _described(character: str) -> tuple[str, str]:
    """What the refused ``character`` is, and what to do about it."""
    code = f"U+{ord(character):04X}"
    if character in "\n\u2028\u2029":
        return f"a line break ({code})", "keep it on one line"
    if character == "\t":
        return f"a tab ({code})", "use a space instead"
    if _DIRECTION.match(character):
        return f"the direction control {code} ({unicodedata.name(character).lower()})", "remove it"
    name = _CONTROL_NAMES.get(character)
    return f"the control character {code}" + (f" ({name})" if name else ""), "remove it"


def _one_line(text: str) -> str:
    problem = text_problem(text, one_line=True)
    if problem:
        raise ValueError(problem)
    return text


def _paragraphs(text: str) -> str:
    problem = text_problem(text, one_line=False)
    if problem:
        raise ValueError(problem)
    return text


# A name: one line, at most 200 characters. Paragraphs: line breaks and tabs allowed.
ShortText = Annotated[
    str,
    StringConstraints(max_length=200),
    AfterValidator(_one_line),
    Field(json_schema_extra={"pattern": f"^[^{_NOT_IN_ONE_LINE}]*$"}),
]
LongText = Annotated[
    str,
    StringConstraints(max_length=5000),
    AfterValidator(_paragraphs),
    Field(json_schema_extra={"pattern": f"^[^{_NOT_IN_PARAGRAPHS}]*$"}),
]
Fraction = Annotated[float, Field(ge=0.0, le=1.0)]
Money = Annotated[float, Field(ge=0.0, le=1e12)]
Role = Literal["leadership", "sales", "marketing", "facilitator"]


# No quantity in a scenario is meaningfully this small; subnormal values such as 5e-324 turn
# the model's logarithms and ratios into infinities, so they are refused wherever they come from.
SMALLEST_NUMBER = 1e-9


class Frozen(BaseModel):
    model_config = ConfigDict(
        extra="forbid", strict=True, frozen=True, allow_inf_nan=False, validate_default=True
    )

    @field_validator("*", mode="after")
    @classmethod
    def _no_vanishing_numbers(cls, value: object) -> object:
        numbers = value.values() if isinstance(value, dict) else [value]
        for number in numbers:
            if isinstance(number, float) and 0.0 < abs(number) < SMALLEST_NUMBER:
                raise ValueError(
                    f"{number:g} is too close to zero to mean anything; "
                    f"write 0 or a number of at least {SMALLEST_NUMBER:g}"
                )
        return value
