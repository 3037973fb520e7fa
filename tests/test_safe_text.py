"""User text is shown literally: no markup, links, formulas, control characters or path tricks."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alignment.safe_text import (
    csv_safe,
    download_name,
    markdown_label,
    markdown_literal,
    plain_text,
)

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
    "Title\n===\nSub\n--\n+ plus\n2026) ordered\n:--|--:",
    "a:b:c:d :+1: :-1: :100: :material_home: x<->y a <-> b x ~= y <= z",
    ":blue-background[x] :color[x]{foreground=red} ::leaf[x]\n:::container\nx\n:::",
    "WWW.Evil.Example HTTP://evil.example mailto:me@evil.example first.last+tag@evil.co.uk",
    "a ~single~ b ~~double~~ c [^1] d\n\n[^1]: footnote",
    "- [ ] task <http://evil.example> <me@evil.example> <!-- comment -->",
    "\\\n:smile\\:",
    "  - indented item\n10) ten\n~~~\ncode\n~~~\n$$\nx\n$$\n```\ny\n```",
    "Title\n  ---\na | b\n- | -\nH~2~O &copy; &#x41; <=> => a\u00a0-> b c -- d",
    "x *y* z __u__ a_b_ _c_d 1*2*3 **",
    "[x]: http://e.x\n[x] <http://x.y> <a href='x'>y</a> x@localhost http://localhost",
    "line ends in a backslash\\\nand so does this one\\",
    ":a: :b_c: :+1: :-1: :thumbsup: ::: :::x ::x :x{y} :x[y]{z}",
    "Score:100: :1234: ratio 10:30:45:50",
]
# Text a room types every day: none of it needs a word joiner, and nothing in it is markup.
PLAIN_TEXTS = [
    "Nova (new)",
    "1,200",
    "$1,200.50",
    "Q3 2026 – plan B.",
    "R&D, 50% off; 10:30 or 10:30:45? Ratio 3:1!",
    "snake_case_name and naïve_café",
    "Pro+ plan - 2 seats @ 5 each",
]
DEAL_SENTENCE = (
    "Nova (new) price $1,200 → $1,250, Nova (new) kicker $0 → $25 per unit, Margin rate 8.0% "
    "→ 6.5%, Accelerator 1.5× → 2×, Quota per rep $220,000 → $240,000. Leadership gains 3.2 "
    "points of goal score; reps gain $1,450 expected earnings."
)
ASCII_PUNCTUATION = re.escape(string.punctuation)


def unescaped(markdown: str) -> str:
    """Undo markdown_literal: the text a CommonMark renderer shows (joiners still in it)."""
    text = markdown.replace("  \n", "\n")
    text = re.sub(r"^\u00a0+", lambda m: " " * len(m.group()), text, flags=re.MULTILINE)
    return re.sub(rf"\\([{ASCII_PUNCTUATION}])", r"\1", text)


# What Streamlit 1.67 changes in text after parsing (frontend StreamlitMarkdown), where
# backslash escapes no longer count. Emoji names that are digits alone are only 100 and 1234.
STREAMLIT_TRANSFORMS = {
    "emoji": re.compile(r":(?:(?![0-9]+:)[\w+-]+|100|1234):", re.ASCII),
    "icon": re.compile(r":material/", re.ASCII),
    "arrow": re.compile(r"(?<![^\s\ufeff])(?:<->|->|<-|--|>=|<=|~=)(?![^\s\ufeff])"),
    "web address": re.compile(r"(?<![^\W_])(?:https?://|www\.)", re.IGNORECASE),
    "e-mail": re.compile(r"[-.\w+]@[-\w]+(?:\.[-\w]+)+", re.ASCII),
}


def transforms_in(text: str) -> list[str]:
    """The Streamlit transforms that would act on ``text``, line by line."""
    return [
        name
        for line in text.split("\n")
        for name, pattern in STREAMLIT_TRANSFORMS.items()
        if pattern.search(line)
    ]


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
def test_markdown_literal_shows_hostile_text_as_typed_and_leaves_streamlit_nothing_to_change(text):
    markdown = markdown_literal(text)
    assert unescaped(markdown).replace(WORD_JOINER, "") == text
    assert transforms_in(unescaped(markdown)) == []


@pytest.mark.parametrize("text", [*PLAIN_TEXTS, DEAL_SENTENCE])
def test_everyday_text_gets_no_word_joiners_and_no_escapes_but_before_dollars(text):
    markdown = markdown_literal(text)
    assert WORD_JOINER not in markdown
    assert markdown == text.replace("$", "\\$")


def test_a_name_and_a_number_stay_exactly_as_typed():
    assert markdown_literal("Nova (new)") == "Nova (new)"
    assert markdown_literal("1,200") == "1,200"
    assert markdown_literal("$1,200.50") == "\\$1,200.50"


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("*Nova* _new_ `x` ~y~", "\\*Nova\\* \\_new\\_ \\`x\\` \\~y\\~"),
        ("[x](javascript:alert(1))", "\\[x\\](javascript\\:alert(1))"),
        ("see [the notes](x)", "see [the notes\\](x)"),
        ("<b> <!-- --> a < b", "\\<b> \\<!-- --> a < b"),
        ("&amp; R&D", "\\&amp; R&D"),
        (":red[x]", "\\:red[x]"),
        ("# Plan", "\\# Plan"),
        ("#1 seller", "#1 seller"),
        ("- item", "\\- item"),
        ("-5% promo", "-5% promo"),
        ("2026. Plan", "2026\\. Plan"),
        ("2026.5 units", "2026.5 units"),
        ("> quoted", "\\> quoted"),
        ("===", "\\==="),
        ("|--|--|", "\\|--|--|"),
        ("snake_case", "snake_case"),
        ("_draft", "\\_draft"),
        ("ends with \\", "ends with \\\\"),
        ("C:\\temp", "C:\\temp"),
    ],
)
def test_only_characters_that_would_start_markdown_get_a_backslash(text, markdown):
    assert markdown_literal(text) == markdown


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        (":smile:", ":\u2060smile:"),
        ("a:b:c", "a:\u2060b\\:c"),
        ("10:30:45", "10:30:45"),
        ("score:100:", "score:\u2060100:"),
        (":material/home:", ":\u2060material/home:"),
        ("a -> b", "a -\u2060> b"),
        ("a->b", "a->b"),
        ("x -- y", "x -\u2060- y"),
        ("www.evil.example", "www\u2060.evil.example"),
        ("awww.x", "awww.x"),
        ("https://evil.example", "https:\u2060//evil.example"),
        ("me@evil.example", "me\u2060@evil.example"),
        ("2 seats @ 5", "2 seats @ 5"),
    ],
)
def test_a_word_joiner_goes_only_where_streamlit_would_change_the_text(text, markdown):
    assert markdown_literal(text) == markdown


def test_a_javascript_link_cannot_form():
    markdown = markdown_literal("[x](javascript:alert(1))")
    assert not re.search(r"(?<!\\)\]\(", markdown)
    assert "javascript:" not in markdown


def test_indentation_does_not_become_a_code_block():
    assert markdown_literal("    code?").startswith("\u00a0" * 4)


def test_line_breaks_stay_line_breaks():
    assert markdown_literal("one\ntwo") == "one  \ntwo"


def test_every_line_is_escaped_as_the_start_of_a_line():
    assert markdown_literal("Plan\n# not a heading\n- nor a list") == (
        "Plan  \n\\# not a heading  \n\\- nor a list"
    )


def test_control_characters_never_reach_markdown():
    assert "\x1b" not in markdown_literal("\x1b[2Jcleared")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_markdown_literal_shows_exactly_the_cleaned_text(text):
    def as_seen(shown: str) -> str:
        return shown.replace(WORD_JOINER, "").replace("\u00a0", " ").replace("\t", "    ")

    assert as_seen(unescaped(markdown_literal(text))) == as_seen(plain_text(text))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(" \nab1:_-+<>=~@./wht$*[]()&#|\\"), max_size=60))
def test_streamlit_finds_nothing_to_change_and_joiners_go_only_where_it_would(text):
    markdown = markdown_literal(text)
    assert transforms_in(unescaped(markdown)) == []
    if not transforms_in(plain_text(text)):
        assert WORD_JOINER not in markdown


# -- markdown_label ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Nova (new)", "Analyser Pro, 2nd gen.", "Q3 2026 – plan B."])
def test_a_plain_name_is_its_own_label(name):
    assert markdown_label(name) == name


def test_a_label_is_one_line_without_surrounding_spaces():
    assert markdown_label("  Nova\n(new)\tpack ") == "Nova (new) pack"


def test_a_label_is_as_literal_as_any_markdown():
    assert markdown_label("**Nova** :smile:") == "\\*\\*Nova\\*\\* :\u2060smile:"
    assert markdown_label("- Nova") == "\\- Nova"


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
