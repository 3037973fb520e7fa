"""User text is shown literally: no markup, links, formulas, control characters or path tricks."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alignment.safe_text import csv_safe, download_name, markdown_literal, plain_text

ROOT = Path(__file__).resolve().parent.parent
WORD_JOINER = "\u2060"

HOSTILE_TEXTS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click me](javascript:alert(document.cookie))",
    "![tracker](https://evil.example/pixel.png)",
    "**bold** _italic_ ~~strike~~ `code`",
    "# Heading\n- item\n1. numbered\n> quote\n---",
    "    indented like code",
    ":red[coloured] :smile: :material/home: :streamlit:",
    "$x^2$ and $$\\int$$",
    "https://evil.example www.evil.example me@evil.example",
    "a -> b <- c -- d >= e",
    "&amp; &lt;b&gt; &#60;",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "[ref]\n\n[ref]: https://evil.example",
    "back\\slash \\* \\",
]


def unescaped(markdown: str) -> str:
    """Undo markdown_literal's escaping: what a Markdown renderer shows as text."""
    text = markdown.replace(WORD_JOINER, "").replace("  \n", "\n")
    text = re.sub(r"^\u00a0+", lambda m: " " * len(m.group()), text, flags=re.MULTILINE)
    return re.sub(r"\\(.)", r"\1", text)


# -- plain_text --------------------------------------------------------------------------------


def test_plain_text_drops_control_characters_but_keeps_newlines_and_tabs():
    assert plain_text("a\x00b\x07c\x1b[31md\x7f\x9fe\tf\ng") == "abc[31mde\tf\ng"


def test_plain_text_turns_every_kind_of_line_break_into_a_newline():
    assert plain_text("a\r\nb\rc\u2028d\u2029e\x85f") == "a\nb\nc\nd\ne\nf"


def test_plain_text_drops_bidirectional_overrides_that_disguise_text():
    assert plain_text("invoice\u202egpj.exe\u2066x\u2069") == "invoicegpj.exex"


def test_plain_text_caps_length_and_marks_the_cut():
    assert plain_text("x" * 10, limit=5) == "xxxx…"
    assert len(plain_text("y" * 10_000_000)) == 5_000


def test_plain_text_accepts_none_and_non_text():
    assert plain_text(None) == ""
    assert plain_text(12.5) == "12.5"


def test_plain_text_replaces_lone_surrogates():
    assert plain_text("a\ud800b") == "a?b"


# -- markdown_literal --------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_markdown_literal_escapes_every_punctuation_character(text):
    markdown = markdown_literal(text).replace(WORD_JOINER, "")
    unescaped_punctuation = re.findall(
        r"(?<!\\)(?:\\\\)*([" + re.escape(string.punctuation) + "])", markdown
    )
    assert set(unescaped_punctuation) <= {"\\"}
    assert unescaped(markdown_literal(text)) == text


def test_a_javascript_link_cannot_form():
    markdown = markdown_literal("[x](javascript:alert(1))")
    assert "](" not in markdown
    assert "javascript:" not in markdown


def test_indentation_does_not_become_a_code_block():
    assert markdown_literal("    code?").startswith("\u00a0" * 4)


def test_line_breaks_stay_line_breaks():
    assert markdown_literal("one\ntwo") == "one  \ntwo"


def test_control_characters_never_reach_markdown():
    assert "\x1b" not in markdown_literal("\x1b[2Jcleared")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_markdown_literal_shows_exactly_the_cleaned_text(text):
    def as_seen(shown: str) -> str:
        return shown.replace(WORD_JOINER, "").replace("\u00a0", " ").replace("\t", "    ")

    assert as_seen(unescaped(markdown_literal(text))) == as_seen(plain_text(text))


# -- csv_safe ------------------------------------------------------------------------------------


def test_csv_safe_neutralises_formulas_in_text_cells():
    frame = pd.DataFrame(
        {
            "name": ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "ok"],
            "margin": [-0.1, 0.2, 0.3, -5.0, 1.0, 2.0, 3.0],
        }
    )
    safe = csv_safe(frame)
    assert list(safe["name"]) == [
        '\'=HYPERLINK("http://evil")',
        "'+1+1",
        "'-2+3",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "ok",
    ]
    assert list(safe["margin"]) == [-0.1, 0.2, 0.3, -5.0, 1.0, 2.0, 3.0]
    assert frame["name"].iloc[0].startswith("=")  # the original is untouched


def test_csv_safe_covers_string_dtype_columns_and_headers():
    frame = pd.DataFrame({"=cmd": pd.Series(["=1+1", None], dtype="string")})
    safe = csv_safe(frame)
    assert list(safe.columns) == ["'=cmd"]
    assert safe.iloc[0, 0] == "'=1+1"
    assert "'=1+1" in safe.to_csv(index=False)


# -- download_name -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "suffix", "name"),
    [
        ("Nova launch: Q3/Q4", ".yaml", "nova-launch-q3-q4.yaml"),
        ("../../etc/passwd", ".yaml", "etc-passwd.yaml"),
        ("Préférence d'équipe", "csv", "preference-d-equipe.csv"),
        ("", ".yaml", "scenario.yaml"),
        ("日本語", ".yaml", "scenario.yaml"),
        (None, ".yaml", "scenario.yaml"),
        ("CON", ".md", "con-file.md"),
        ("x", ".y/../aml", "x.yaml"),
        ("aux", ".txt", "aux-file.txt"),
    ],
)
def test_download_name_is_a_safe_ascii_slug(title, suffix, name):
    assert download_name(title, suffix) == name


@given(st.text(max_size=500), st.sampled_from([".yaml", ".csv", ".md"]))
def test_download_name_is_never_empty_and_bounded(title, suffix):
    name = download_name(title, suffix)
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*\.(yaml|csv|md)", name)
    assert len(name) <= 80 + len(suffix)
