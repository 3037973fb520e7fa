"""What every page shares: the sidebar, the headline numbers, and showing user text safely."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from alignment import Scenario, ScenarioError, load_scenario
from alignment.safe_text import download_name as safe_download_name
from alignment.safe_text import markdown_label, markdown_literal, plain_text
from workshop_ui import access, explain, model, presenting, room_sidebar, state
from workshop_ui.formatting import Kind, delta, format_value

# Streamlit's wide layout keeps 5rem either side; at 1280 px that costs the charts a sixth of
# the width, so pages use less.
_PAGE_STYLE = """
<style>
[data-testid="stMainBlockContainer"] {
  padding-left: 2rem; padding-right: 2rem; padding-top: 2.5rem; max-width: 1800px;
}
</style>
"""

# Scenario files are at most 256 KB; a larger upload is refused before the app reads it.
SCENARIO_UPLOAD_MB = 1


@dataclass(frozen=True)
class Headline:
    """One metric tile: a total of ``alignment.Outcomes``, its label and its kind of number.

    The value shows its unit or scale (``26 / 100``, ``12.0%``, ``$5.84M``, ``60,000 h``); the
    help gives its meaning from :data:`workshop_ui.explain.FIGURES`, period included.
    """

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
LEADERSHIP_VALUE = Headline("leadership_value", "Leadership's value", "money")
MOTIVATION_FACTORS = (
    Headline("expectancy", "Expectancy", "fraction"),
    Headline("instrumentality", "Instrumentality", "fraction"),
    Headline("valence", "Valence", "fraction"),
)


def sidebar(*, follows_room: bool = False) -> None:
    """The scenario being edited, and the way back to where it started; a warning over the
    page when the plan's hours did not settle; in a room, its agenda step and timer. Call on
    every page (``follows_room``: the page itself reruns whenever the room changes)."""
    st.html(_PAGE_STYLE)
    presenting.follow_address()
    presenting.style_page()
    room_sidebar.sidebar_panel(follows_room=follows_room)
    with st.sidebar:
        presenting.toggle()
    unsettled = st.empty()  # always there, so that it never shifts the controls below it
    if not model.converged(state.working(), state.status_quo()):
        unsettled.warning(explain.NOT_CONVERGED, icon=":material/warning:")
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
        autosave_note()
    access.facilitator_panel()
    opened = state.notice()
    if opened is not None:
        kind, message = opened
        with st.sidebar:
            (st.warning if kind == "warning" else st.info)(literal(message), icon=":material/info:")
            st.button("Got it", key="dismiss_notice", on_click=state.dismiss_notice)
    if state.was_restored():
        st.toast("Welcome back: your working scenario was restored.", icon=":material/restore:")


def autosave_note() -> None:
    """Whether the working scenario is safe on the server, and how to get back to it."""
    status = state.autosave_status()
    if status is None:
        return
    if status.problem:
        st.warning(
            f"Not saved on the server: {status.problem}. Download the scenario from the "
            "Scenarios page to keep your work.",
            icon=":material/cloud_off:",
        )
        return
    st.caption(
        f":material/cloud_done: Saved {status.saved_at:%H:%M:%S} UTC. Reload or reopen this "
        "page's address to carry on where you left off.",
        help="Every change is saved on the workshop server under the id in the address bar "
        "(?session=…). Bookmark the address to come back to this working scenario.",
    )


def headline_metrics(fields: tuple[Headline, ...] = HEADLINES, per_row: int = 5) -> None:
    """One metric tile per figure, with its change against the status quo.

    At most ``per_row`` tiles share a row: more would cut off numbers on a 1280 px screen.
    """
    status_quo = state.status_quo()
    now = model.total(state.working(), status_quo)
    before = model.total(status_quo, status_quo)
    width = min(per_row, len(fields))
    for start in range(0, len(fields), width):
        row = fields[start : start + width]
        for column, item in zip(st.columns(width), row, strict=False):
            change = delta(
                now[item.field] - before[item.field],
                item.kind,
                higher_is_better=item.higher_is_better,
                short=True,
            )
            column.metric(
                item.label,
                format_value(now[item.field], item.kind),
                delta=verdict(change.text, item.higher_is_better),
                delta_color=change.color,
                delta_arrow="auto" if change.color != "off" else "off",
                help=f"{explain.FIGURES.get(item.field, '')} Below it: the change against the "
                "status quo.",
                border=True,
            )
    if any(item.field == "goal_conflict" for item in fields):
        # Always a slot, filled or not: an element that appeared above the page's controls
        # would shift them in the page's tree, and the browser would redraw the slider being
        # dragged and drop the keys still coming.
        slot = st.empty()
        out_of_reach = explain.target_out_of_reach(now.to_dict(), state.working())
        if out_of_reach is not None:
            slot.warning(out_of_reach, icon=":material/trending_down:")


def verdict(change: str | None, higher_is_better: bool = True) -> str | None:
    """A tile's change with its verdict in words, so good or bad never rests on colour alone:
    ``+1.2 pp · better``; the arrow beside it keeps the direction."""
    if change is None or change == "no change":
        return change
    better = change.startswith("+") == higher_is_better
    return f"{change} · {'better' if better else 'worse'}"


def motivation_factors() -> None:
    """Motivation's three factors as tiles, each with a sentence on this plan's numbers."""
    now = model.total(state.working(), state.status_quo())
    sentences = explain.motivation_factors(now.to_dict(), state.working().sales_team)
    headline_metrics(MOTIVATION_FACTORS, per_row=3)
    for column, item in zip(st.columns(3), MOTIVATION_FACTORS, strict=True):
        column.caption(literal(sentences[item.field]))


def scenario_uploader(key: str, label: str = "Upload a scenario file (YAML)") -> None:
    """A file uploader that loads a scenario as the new status quo and working scenario.

    A refused file shows every problem (one line each, naming the field and the fix) and
    leaves the working scenario as it was.
    """
    problems_key = f"{key}_problems"
    st.file_uploader(
        label, type=["yaml", "yml"], key=key, on_change=_load_upload, args=(key, problems_key),
        max_upload_size=SCENARIO_UPLOAD_MB,
        help="A file saved from the Scenarios page, or written by hand from one in scenarios/.",
    )  # fmt: skip
    problems = st.session_state.get(problems_key)
    if problems:
        show_problems(
            f"The file was not loaded ({len(problems)} problem(s)); the working scenario is "
            "unchanged. Fix these lines and upload it again:",
            problems,
        )


def _load_upload(key: str, problems_key: str) -> None:
    upload = st.session_state.get(key)
    if upload is None:
        st.session_state.pop(problems_key, None)
        return
    try:
        scenario = load_scenario(upload.getvalue())
    except ScenarioError as error:
        st.session_state[problems_key] = error.problems
        return
    st.session_state.pop(problems_key, None)
    state.load(scenario)


def show_problems(header: str, problems: list[str]) -> None:
    """An error box: what happened, then one bullet per problem, each shown literally."""
    bullets = "\n".join(f"- {literal(problem)}" for problem in problems)
    st.error(f"{header}\n\n{bullets}", icon=":material/block:")


def literal(text: str) -> str:
    """``text`` as Markdown that shows exactly as typed (no links, colours, LaTeX or icons),
    with as few escapes as that takes, so copied text stays the text."""
    return markdown_literal(text)


def label(text: str) -> str:
    """``text`` as a widget label that shows, and reads to a screen reader, exactly as typed.

    Streamlit renders labels as Markdown and uses the same string as the ``aria-label``, so a
    label is escaped only where Markdown would act on it: ``label("Nova (new)") == "Nova (new)"``.
    """
    return markdown_label(text)


def user_text(text: str, *, strong: bool = False) -> None:
    """Show text someone typed (a scenario name, notes) exactly as typed."""
    shown = markdown_literal(text)
    st.markdown(f"**{shown}**" if strong and shown else shown)


def plain(text: str) -> str:
    """``text`` for a plain-text label (select boxes): no control characters, bounded length."""
    return plain_text(text, 200)


def download_name(scenario: Scenario) -> str:
    """A safe file name for the scenario's YAML, made from its name: ``nova-launch.yaml``."""
    return safe_download_name(scenario.metadata.name, ".yaml")
