"""What every page shares: the sidebar, the headline numbers, and showing user text safely."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from alignment import Scenario
from workshop_ui import explain, model, state
from workshop_ui.formatting import Kind, delta, format_value

try:  # the model package's escaping, where it has one
    from alignment.safe_text import markdown_literal as _markdown_literal
except ImportError:  # pragma: no cover - depends on the installed model package
    _markdown_literal = None

# Streamlit's wide layout keeps 5rem either side; at 1280 px that costs the charts a sixth of
# the width, so pages use less.
_PAGE_STYLE = """
<style>
[data-testid="stMainBlockContainer"] {
  padding-left: 2rem; padding-right: 2rem; padding-top: 2.5rem; max-width: 1800px;
}
</style>
"""


@dataclass(frozen=True)
class Headline:
    field: str
    label: str
    kind: Kind
    higher_is_better: bool = True


HEADLINES = (
    Headline("new_product_share", "New-product share", "fraction"),
    Headline("gross_margin_pct", "Gross margin %", "fraction"),
    Headline("contribution", "Contribution", "money"),
    Headline("motivation", "Rep motivation", "score"),
    Headline("goal_conflict", "Goal conflict", "fraction", higher_is_better=False),
)


def sidebar() -> None:
    """The scenario being edited, and the way back to where it started. Call on every page."""
    st.html(_PAGE_STYLE)
    with st.sidebar:
        st.caption("Working scenario")
        user_text(state.working().metadata.name, strong=True)
        changed = state.is_changed()
        st.caption(
            "Changed from the status quo — every figure is compared with it."
            if changed
            else "Same as the status quo: change a lever on any page."
        )
        st.button(
            "Back to status quo",
            key="back_to_status_quo",
            icon=":material/undo:",
            on_click=state.back_to_status_quo,
            disabled=not changed,
            width="stretch",
            help="Undo every change since this scenario was loaded.",
        )


def headline_metrics(fields: tuple[Headline, ...] = HEADLINES) -> None:
    """One metric tile per headline number, with its change against the status quo."""
    now = model.total(state.working())
    before = model.total(state.status_quo())
    for column, item in zip(st.columns(len(fields)), fields, strict=True):
        change = delta(
            now[item.field] - before[item.field], item.kind, higher_is_better=item.higher_is_better
        )
        column.metric(
            item.label,
            format_value(now[item.field], item.kind),
            delta=change.text,
            delta_color=change.color,
            delta_description="vs status quo" if change.color != "off" else None,
            delta_arrow="auto" if change.color != "off" else "off",
            help=explain.FIGURES[item.field],
            border=True,
        )


def literal(text: str) -> str:
    """``text`` escaped so Markdown shows it exactly as typed (no links, colours, LaTeX)."""
    if _markdown_literal is not None:
        return _markdown_literal(text)
    # CommonMark lets a backslash escape any ASCII punctuation; that also disarms Streamlit's
    # :colour[...] and :icon: directives and $LaTeX$.
    return "".join(f"\\{c}" if c in _ASCII_PUNCTUATION else c for c in text)


_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def user_text(text: str, *, strong: bool = False) -> None:
    """Show text someone typed (a scenario name, notes) exactly as typed."""
    if _markdown_literal is None:
        st.text(text)
        return
    shown = _markdown_literal(text)
    st.markdown(f"**{shown}**" if strong and shown else shown)


def scenario_label(scenario: Scenario) -> str:
    """The scenario's name for a plain-text label (select boxes, file names shown as text)."""
    return scenario.metadata.name.strip() or "Untitled scenario"
