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

# C0 and C1 control characters except tab and newline; bidirectional embeddings, overrides and
# isolates, which can make text read differently from how it is stored ("Trojan source").
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile("\r\n|\r|\u2028|\u2029|\x85")
# Every ASCII punctuation character can be backslash-escaped in CommonMark, which turns off
# emphasis, links, images, headings, lists, tables, HTML, math ($) and directives (:red[...]).
_MARKDOWN_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
# Some of Streamlit's Markdown features act on the text after parsing, where escapes are gone:
# emoji and icon shortcodes (:smile:, :material/home:), arrows (-> becomes →), autolinked URLs
# and e-mail addresses. An invisible word joiner on each side of every punctuation character
# keeps all of them from matching without changing what the reader sees.
_WORD_JOINER = "\u2060"
_LEADING_BLANKS = re.compile(r"^[ \t]+", re.MULTILINE)
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

    Every ASCII punctuation character is backslash-escaped and wrapped in invisible word
    joiners (U+2060), so neither Markdown nor Streamlit's extensions (``:red[...]``,
    ``:smile:``, ``$...$``, ``->``, bare URLs) act on it; line breaks become hard breaks and
    leading spaces no-break spaces (indentation is not read as a code block).
    """
    text = plain_text(text, limit)
    text = _MARKDOWN_PUNCTUATION.sub(_WORD_JOINER + r"\\\1" + _WORD_JOINER, text)
    text = _LEADING_BLANKS.sub(
        lambda m: m.group().replace("\t", "    ").replace(" ", "\u00a0"), text
    )
    return text.replace("\n", "  \n")


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
