"""Showing text a user typed exactly as typed: in Markdown, in CSV exports and in file names.

Names, notes and rationales come from scenario files and from people in the room. Rendered as
Markdown they could inject links (``[x](javascript:...)``), images, HTML, colour directives,
emoji shortcodes or LaTeX; opened in a spreadsheet, a cell starting with ``=`` is a formula;
used as a file name, ``../`` walks out of the folder. These helpers make such text inert.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import pandas as pd

DEFAULT_LIMIT = 5_000
NAME_LIMIT = 80
LABEL_LIMIT = 200

# C0 and C1 control characters except tab and newline; bidirectional embeddings, overrides and
# isolates, which can make text read differently from how it is stored ("Trojan source").
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile("\r\n|\r|\u2028|\u2029|\x85")

# Markdown, CommonMark with GitHub's extensions as Streamlit reads it, can only start where one
# of these characters stands; a backslash before it makes it an ordinary character. Anywhere in
# a line: code spans, emphasis, strikethrough, math, HTML and autolinks (<...>), entities,
# inline links and images (``](``), directives (``:red[...]``) and a backslash that would
# escape what follows it. ``_`` inside a word never starts emphasis, so snake_case stays as is.
_ESCAPED_IN_A_LINE = re.compile(
    r"[`*~$]"
    r"|\\(?=[!-/:-@\[-`{-~]|\Z)"
    r"|(?<![^\W_])_|_(?![^\W_])"
    r"|<(?=[A-Za-z/!?])"
    r"|&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)"
    r"|\](?=\()"
    r"|:(?=[A-Za-z])"
)
# At the start of a line: headings, block quotes, list items, link and footnote definitions,
# setext underlines, thematic breaks and table delimiter rows; and the dot or parenthesis of
# an ordered list item ("2026. Plan" would become a list starting at 2026).
_BLOCK_START = re.compile(
    r"#{1,6}(?=[ \t]|\Z)|>|[-+](?=[ \t]|\Z)|\[|=+[ \t]*\Z|[|: \t-]*-[|: \t-]*\Z"
)
_ORDERED_ITEM = re.compile(r"[0-9]{1,9}(?=[.)](?:[ \t]|\Z))")

# Streamlit also changes text after parsing, where escapes are gone (streamlit 1.67,
# StreamlitMarkdown): emoji and icon shortcodes (:smile:, :+1:, :material/home:, :streamlit:),
# arrows and dashes between spaces (-> becomes →, -- becomes —) and autolinked web addresses
# and e-mail addresses. An invisible word joiner (U+2060) at the end of each match of these
# patterns breaks the one transform that would otherwise apply, and nothing else: it is only
# inserted there, because it also travels with copied text. Digits alone are not an emoji
# name, except 100 and 1234, so times such as 10:30:15 keep no joiner.
_WORD_JOINER = "\u2060"
_JOINER_AFTER = tuple(
    re.compile(pattern)
    for pattern in (
        r":(?=(?:(?![0-9]+:)[A-Za-z0-9_+-]+|100|1234):|material/)",
        r"(?<![^\s\ufeff])(?=(?:<->|->|<-|--|>=|<=|~=)(?![^\s\ufeff]))[<>~-]",
        r"(?<![^\W_])(?i:www)(?=\.)",
        r"(?i:https?):(?=//)",
        r"[-.+A-Za-z0-9_](?=@[-A-Za-z0-9_]+(?:\.[-A-Za-z0-9_]+)+)",
    )
)
_LEADING_BLANKS = re.compile(r"[ \t]+")
# Names Windows reserves for devices, with or without an extension.
_WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|")


def plain_text(text: Any, limit: int = DEFAULT_LIMIT) -> str:
    """``text`` as a string without control characters (newlines and tabs kept), at most
    ``limit`` characters long (an ellipsis marks a cut).

    Line breaks of any kind become ``\\n``. ``None`` becomes an empty string.
    """
    if text is None:
        return ""
    text = text if isinstance(text, str) else str(text)
    if len(text) > 4 * limit + 16:
        text = text[: 4 * limit + 16]  # bound the work before cleaning a huge value
    text = _LINE_BREAKS.sub("\n", text)
    text = _CONTROL.sub("", text)
    text = text.encode("utf-8", errors="replace").decode("utf-8")  # no lone surrogates
    if len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    return text


def markdown_literal(text: Any, limit: int = DEFAULT_LIMIT) -> str:
    """Markdown that ``st.markdown`` renders as exactly the characters of ``text``.

    Only what could start Markdown syntax where it stands gets a backslash (``*``, ``[`` at the
    start of a line, ``](``, ``$``, ...), and only what Streamlit would turn into an emoji, an
    icon, an arrow or a link gets an invisible word joiner (U+2060), so copied text stays the
    text: ``"Nova (new) costs $1,200.50"`` becomes ``"Nova (new) costs \\$1,200.50"``. Line
    breaks become hard breaks, and leading spaces no-break spaces (indentation is not read as a
    code block).
    """
    text = plain_text(text, limit)
    return "  \n".join(_literal_line(line) for line in text.split("\n"))


def markdown_label(text: Any, limit: int = LABEL_LIMIT) -> str:
    """Markdown for a widget label that shows exactly ``text``, on one line.

    Streamlit reads labels as Markdown and puts the same string in the widget's ``aria-label``,
    so a label carries as few escapes as ``markdown_literal`` allows: ``"Nova (new)"`` stays
    ``"Nova (new)"``. Line breaks and tabs become spaces; leading and trailing spaces go.
    """
    one_line = re.sub(r"[\t\n]", " ", plain_text(text, limit)).strip(" ")
    return markdown_literal(one_line, limit)


def _literal_line(line: str) -> str:
    indent = _LEADING_BLANKS.match(line)
    lead = indent.group().replace("\t", "    ").replace(" ", "\u00a0") if indent else ""
    body = line[indent.end() :] if indent else line
    joins = {m.end() for pattern in _JOINER_AFTER for m in pattern.finditer(body)}
    escapes = {m.start() for m in _ESCAPED_IN_A_LINE.finditer(body)}
    escapes -= {i for i in escapes if body[i] == ":" and i + 1 in joins}  # no directive left
    if _BLOCK_START.match(body):
        escapes.add(0)
    ordered = _ORDERED_ITEM.match(body)
    if ordered:
        escapes.add(ordered.end())
    shown = [
        (_WORD_JOINER if i in joins else "") + ("\\" if i in escapes else "") + character
        for i, character in enumerate(body)
    ]
    return lead + "".join(shown) + (_WORD_JOINER if len(body) in joins else "")


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot run as spreadsheet formulas.

    A text cell starting with ``=``, ``+``, ``-``, ``@``, ``|``, a tab, a carriage return or a
    newline gets a leading apostrophe (OWASP's advice for CSV injection); column names too.
    Numbers are left alone, so a negative margin stays a number.
    """
    safe = frame.copy()
    for column in safe.columns:
        values = safe[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            safe[column] = values.map(_cell_safe).astype(object)
    safe.columns = [_cell_safe(c) for c in safe.columns]
    return safe


def download_name(title: Any, suffix: str, limit: int = NAME_LIMIT) -> str:
    """A safe file name from a title: lower-case ASCII letters, digits and ``-``, never empty.

    The suffix keeps only its letters and digits (``".yaml"`` and ``"yaml"`` both give
    ``.yaml``); names Windows reserves for devices (``con``, ``aux``, ...) get ``-file``.

    ``download_name("Nova launch: Q3/Q4", ".yaml")`` → ``"nova-launch-q3-q4.yaml"``.
    """
    ascii_title = (
        unicodedata.normalize("NFKD", plain_text(title, 4 * limit))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:limit].strip("-")
    if slug in _WINDOWS_DEVICES:
        slug += "-file"
    letters = re.sub(r"[^A-Za-z0-9]", "", suffix)[:10].lower()
    return (slug or "scenario") + ("." + letters if letters else "")


def _cell_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
