"""Proposals on the Compromise page: the form that saves one, the table, and the comparison.

A proposal is the working scenario named and annotated by a party (title, author, role and
rationale) and saved to the workshop store for everyone to compare. The comparison values
every plan in the working scenario, so all sit on the same axes.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Collection, Sequence
from typing import get_args

import numpy as np
import pandas as pd
import streamlit as st

from alignment import Scenario, ScenarioError
from alignment import compromise as engine
from alignment.compromise import RepUtility, format_value
from alignment.levers import with_values
from alignment.scenario import Role
from alignment.storage import ItemStore, Listing, StorageError, StoredScenario
from workshop_ui import layout, proposal_limits, state
from workshop_ui.compromise_search import _scenario
from workshop_ui.rooms import Here

__all__ = [
    "DOUBLE_CLICK_SECONDS",
    "PROPOSAL_COLUMNS",
    "ROLES",
    "ROLE_LABELS",
    "as_proposal",
    "comparable",
    "comparison",
    "comparison_frame",
    "forget_missing",
    "list_proposals",
    "proposal_form",
    "proposal_label",
    "proposal_labels",
    "proposals_table",
    "show_comparison",
]

ROLES: tuple[str, ...] = get_args(Role)
ROLE_LABELS = {
    "leadership": "Leadership",
    "sales": "Sales",
    "marketing": "Marketing",
    "facilitator": "Facilitator",
}


def proposal_label(item: StoredScenario) -> str:
    """``Title (author, role, 14:05)``: short enough for a chip, distinct for equal titles."""
    meta = item.scenario.metadata
    who = ", ".join(x for x in (layout.plain(meta.author), ROLE_LABELS[meta.role]) if x)
    return f"{layout.plain(meta.name)} ({who}, {item.saved_at:%H:%M})"


def proposal_labels(proposals: Sequence[StoredScenario]) -> dict[str, str]:
    """Key → :func:`proposal_label`, each one different.

    A select box tells its options apart by their labels, so two proposals with the same title,
    author, role and minute would be one option: the second gets its key appended.
    """
    labels = {p.key: proposal_label(p) for p in proposals}
    counts = Counter(labels.values())
    return {
        key: label if counts[label] == 1 else f"{label} #{key}" for key, label in labels.items()
    }


def as_proposal(scenario: Scenario, title: str, author: str, role: str, rationale: str) -> Scenario:
    """The scenario named and annotated as a proposal (raises ScenarioError naming the field)."""
    return with_values(
        scenario,
        {"metadata.name": title.strip(), "metadata.author": author.strip(),
         "metadata.role": role, "metadata.notes": rationale},
    )  # fmt: skip


def list_proposals(store: ItemStore | None) -> Listing | None:
    """Every proposal of the room (readable newest first, and those that cannot be read); None,
    and a message saying why, when they cannot be read or this person has not joined the room.
    """
    if store is None:
        st.info("Join the room on the Room page to see its proposals and put yours forward.")
        return None
    try:
        return store.listing("proposals")
    except StorageError as error:
        st.warning(f"The proposals cannot be listed: {layout.literal(str(error))}")
        return None


_LAST_SAVED = "proposal_last_saved"
DOUBLE_CLICK_SECONDS = 10.0


def _just_saved(proposal: Scenario) -> bool:
    """Whether this session saved exactly this proposal a moment ago."""
    last = st.session_state.get(_LAST_SAVED)
    return (
        last is not None
        and last[0] == proposal.model_dump_json()
        and time.monotonic() - last[1] < DOUBLE_CLICK_SECONDS
    )


def _save_proposal(store: ItemStore, here: Here | None) -> None:
    s = st.session_state
    me = here.participant if here is not None else None
    author = me.name if me is not None else s.get("proposal_author", "")
    role = me.role if me is not None else s.get("proposal_role", "facilitator")
    try:
        proposal = as_proposal(
            state.working(), s["proposal_title"], author, role, s["proposal_rationale"]
        )
        if _just_saved(proposal):  # a double click: the first click already saved it
            s["proposal_outcome"] = ("saved", [proposal.metadata.name])
            return
        refused = proposal_limits.refusal(store)
        if refused is not None:
            s["proposal_outcome"] = ("error", [f"Not saved: {refused}."])
            return
        saved = store.create("proposals", proposal)
    except ScenarioError as error:
        s["proposal_outcome"] = ("error", error.problems)
        return
    except StorageError as error:
        s["proposal_outcome"] = ("error", [str(error)])
        return
    s["proposal_outcome"] = ("saved", [saved.scenario.metadata.name])
    s[_LAST_SAVED] = (proposal.model_dump_json(), time.monotonic())
    # Saved: empty the form for the next proposal (a refused one keeps what was typed).
    for key in ("proposal_title", "proposal_rationale"):
        s[key] = ""


def proposal_form(store: ItemStore | None, here: Here | None = None) -> None:
    """Turn the working scenario into a proposal: title, author, role and rationale.

    In a room the author and role are the participant's own, as they joined.
    """
    st.subheader("Propose the working scenario")
    if store is None:
        return
    if here is not None and here.room.read_only:
        st.info(f"Room {here.code} is closed and archived: no more proposals can be added.")
        return
    me = here.participant if here is not None else None
    with st.form("proposal_form", border=False):
        st.text_input("Title", key="proposal_title", max_chars=200,
                      placeholder="e.g. Nova at 650 with a 25 kicker")  # fmt: skip
        if me is None:
            author, role = st.columns(2)
            author.text_input("Author", key="proposal_author", max_chars=200)
            role.selectbox("Role", ROLES, format_func=ROLE_LABELS.get, key="proposal_role")
        else:
            st.caption(f"Proposed by {layout.literal(me.name)} ({ROLE_LABELS[me.role]})")
        st.text_area(
            "Rationale",
            key="proposal_rationale",
            max_chars=5000,
            height=90,
            placeholder="Why this plan works for your side, and what you would trade",
        )
        st.form_submit_button(
            "Save as a proposal", key="proposal_save", icon=":material/how_to_vote:",
            on_click=_save_proposal, args=(store, here), type="primary",
        )  # fmt: skip
    outcome, details = st.session_state.pop("proposal_outcome", (None, []))
    if outcome == "saved":
        st.success(f"Saved the proposal “{layout.literal(details[0])}” for everyone to compare.")
    elif outcome == "error":
        layout.show_problems("Not saved; fix this and save again:", details)


def comparable(proposals: Sequence[StoredScenario], working: Scenario) -> list[StoredScenario]:
    """The proposals about the working scenario's products (others cannot be compared)."""
    return [p for p in proposals if p.scenario.product_ids == working.product_ids]


# Narrow columns for the short fields, so the rationale keeps room at 1280 px.
PROPOSAL_COLUMNS = {
    "Title": st.column_config.TextColumn(width="medium"),
    "Author": st.column_config.TextColumn(width="small"),
    "Role": st.column_config.TextColumn(width="small"),
    "Rationale": st.column_config.TextColumn(width="large"),
}


def proposals_table(proposals: Sequence[StoredScenario]) -> pd.DataFrame:
    """One row per proposal: title, author, role and rationale, as typed."""
    return pd.DataFrame(
        [
            {
                "Title": layout.plain(p.scenario.metadata.name),
                "Author": layout.plain(p.scenario.metadata.author) or "—",
                "Role": ROLE_LABELS[p.scenario.metadata.role],
                "Rationale": layout.plain(p.scenario.metadata.notes) or "—",
            }
            for p in proposals
        ],
        columns=["Title", "Author", "Role", "Rationale"],
    )


def comparison_frame(comparison: engine.Comparison) -> pd.DataFrame:
    """The side-by-side table as text: each party's utility first, then outcomes, then inputs."""
    table = comparison.table()
    order = {"Utility": 0, "Outcomes": 1, "Inputs": 2}
    table = table.iloc[np.argsort([order[s] for s in table["section"]], kind="stable")]
    # The reps' utility row says it already.
    table = table.drop(index=comparison.rep_utility, errors="ignore")
    shown = pd.DataFrame({"": table["label"].to_numpy()})
    for i, name in enumerate(comparison.names):
        shown["Status quo" if i == 0 else name] = [
            format_value(None if pd.isna(v) else float(v), unit)
            for v, unit in zip(table[name], table["unit"], strict=True)
        ]
    return shown


@st.cache_resource(max_entries=32, show_spinner=False)
def _comparison(
    working_json: str, status_quo_json: str, proposal_jsons: tuple[str, ...], rep_utility: str
) -> engine.Comparison:
    return engine.compare(
        _scenario(status_quo_json), [_scenario(p) for p in proposal_jsons],
        rep_utility,  # type: ignore[arg-type]
        working=_scenario(working_json),
    )  # fmt: skip


def comparison(
    working: Scenario,
    status_quo: Scenario,
    proposals: Sequence[Scenario],
    rep_utility: RepUtility = "rep_utility",
) -> engine.Comparison:
    """The status quo and ``proposals`` side by side, every plan valued in ``working``."""
    return _comparison(
        working.model_dump_json(), status_quo.model_dump_json(),
        tuple(p.model_dump_json() for p in proposals), rep_utility,
    )  # fmt: skip


def show_comparison(
    working: Scenario,
    status_quo: Scenario,
    chosen: Sequence[StoredScenario],
    rep_utility: RepUtility,
) -> None:
    """The chosen proposals beside the status quo, and what each side gains or gives up."""
    result = comparison(working, status_quo, [p.scenario for p in chosen], rep_utility)
    frame = comparison_frame(result)
    table, gains = st.columns([3, 2], gap="large")
    table.dataframe(
        frame, hide_index=True, width="stretch", key="proposal_comparison",
        height=38 + 35 * len(frame),
    )  # fmt: skip
    with gains:
        st.subheader("Who gains, who gives up")
        st.caption(
            "Each proposal against the status quo, on each side's own measure; every plan "
            "valued in the working scenario (its market, team, goals and strategic values)."
        )
        for change in result.changes:
            with st.container(border=True):
                st.markdown(f"**{layout.literal(change.name)}**")
                st.markdown(change.summary)


def forget_missing(key: str, options: Collection[str]) -> None:
    """Drop from widget ``key``'s value the proposals someone deleted since the last run."""
    value = st.session_state.get(key)
    if isinstance(value, list):
        st.session_state[key] = [v for v in value if v in options]
    elif value is not None and value not in options:
        del st.session_state[key]
