"""The Scenarios page's "Before and after": pick any two plans, see what differs, in words.

Picking a plan only reads it: the status quo and the working scenario stay as they are, so the
room can put the problem beside its remedy without loading either.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from alignment import Scenario
from alignment.plan_compare import NOT_IN_PLAN, FigureChange, PlanComparison
from alignment.storage import ItemStore, StorageError, StoredScenario
from workshop_ui import compare, layout, library, tables
from workshop_ui.compare import AFTER, BEFORE, STATUS_QUO, WORKING
from workshop_ui.compromise_proposals import forget_missing
from workshop_ui.unreadable import unreadable_warning

CARDS_PER_ROW = 4  # more would squeeze "$5.84M → $5.21M" onto two lines at 1280 px
PRODUCTS_PER_ROW = 2  # three cut off the change column at 1280 px
_COLOURS = {"better": "green", "worse": "red"}


def before_after(
    working: Scenario,
    status_quo: Scenario,
    room_items: ItemStore | None,
    saved: Sequence[StoredScenario],
) -> None:
    """The whole comparison: two pickers, the paragraph, the headline cards and the tables."""
    proposals = _proposals(room_items)
    choices = compare.plan_choices(
        working, status_quo, proposals or (), saved, library.shipped_scenarios()
    )
    keys = list(choices)
    left, right = st.columns(2)
    picked = []
    for column, side, default in ((left, BEFORE, STATUS_QUO), (right, AFTER, WORKING)):
        key = f"compare_{side.lower()}"
        forget_missing(key, keys)  # a proposal deleted since the last run
        chosen = column.selectbox(
            side, keys, index=keys.index(default), key=key, format_func=lambda k: choices[k].label
        )
        column.caption(layout.literal(_describe(choices[chosen])))
        picked.append(choices[chosen].scenario)
    if proposals is not None and not proposals:
        st.caption(
            "No proposals in this room yet: put a plan on the table on the Room page (or under "
            "Proposals on the Compromise page) and it is offered here."
        )
    comparison = compare.compare(picked[0], picked[1], status_quo)
    with st.container(border=True, key="compare_in_words"):
        st.markdown("**In words**")
        st.markdown(layout.literal("\n".join(comparison.sentences)))
    _cards(comparison.headlines)
    _products(comparison)
    _inputs(comparison)
    with st.expander("Every outcome side by side"):
        table = compare.outcome_differences(picked[0], picked[1], (BEFORE, AFTER), status_quo)
        st.dataframe(
            tables.comparison_styler(table, (BEFORE, AFTER)), hide_index=True, width="stretch",
            key="compare_outcomes", height=35 * (len(table) + 1) + 3,
        )  # fmt: skip


def _proposals(room_items: ItemStore | None) -> list[StoredScenario] | None:
    """The room's proposals; None (and why) when they cannot be offered."""
    if room_items is None:
        st.info(
            "Join the room on the Room page to compare its proposals and saved scenarios; the "
            "status quo, your working plan and the shipped scenarios are offered already."
        )
        return None
    try:
        listing = room_items.listing("proposals")
    except StorageError as error:
        st.warning(f"The proposals cannot be listed: {layout.literal(str(error))}")
        return None
    unreadable_warning(listing.unreadable, "proposal")
    return list(listing.items)


def _describe(choice: compare.Choice) -> str:
    meta = choice.scenario.metadata
    if choice.kind in ("status quo", "working plan"):
        return f"{choice.kind.capitalize()}: {meta.name}"
    return f"By {meta.author}" if meta.author else "No author given"


def _cards(rows: Sequence[FigureChange]) -> None:
    """One card per headline figure: before → after, the change with ▲ / ▼, who it suits."""
    for start in range(0, len(rows), CARDS_PER_ROW):
        columns = st.columns(CARDS_PER_ROW)
        for column, row in zip(columns, rows[start : start + CARDS_PER_ROW], strict=False):
            with column.container(border=True, key=f"compare_card_{row.key}"):
                st.markdown(_card(row))


def _card(row: FigureChange) -> str:
    verdicts = [(row.leadership, "leadership"), (row.reps, "the reps")]
    judged = [f":{_COLOURS[v]}[{v} for {who}]" for v, who in verdicts if v]
    colour = _COLOURS.get(row.leadership or row.reps or "", "gray")
    if row.leadership and row.reps and row.leadership != row.reps:
        colour = "orange"
    change = f":{colour}[{layout.literal(row.cue)}]"
    lines = [
        f"**{layout.literal(row.label)}**",
        f"{layout.literal(row.before_text)} → **{layout.literal(row.after_text)}**",
        " · ".join([change, *judged]),
    ]
    return "  \n".join(lines)


def _products(comparison: PlanComparison) -> None:
    """A small table per product, so each fits a phone's width without scrolling sideways."""
    st.markdown("**Per product**")
    by_product: dict[str, list[FigureChange]] = {}
    for row in comparison.products:
        by_product.setdefault(row.key.split(".")[0], []).append(row)
    for start in range(0, len(by_product), PRODUCTS_PER_ROW):
        products = list(by_product.items())[start : start + PRODUCTS_PER_ROW]
        for column, (product, rows) in zip(st.columns(PRODUCTS_PER_ROW), products, strict=False):
            name = rows[0].label.split(": ")[0]
            table = compare.figure_table(rows, name).drop(columns=["Leadership", "Reps"])
            table[name] = [row.label.removeprefix(f"{name}: ").capitalize() for row in rows]
            table = _one_side_only(table)
            both = BEFORE in table and AFTER in table
            column.dataframe(
                tables.comparison_styler(table, (BEFORE, AFTER)) if both else table,
                hide_index=True, width="stretch", key=f"compare_product_{product}",
            )  # fmt: skip


def _one_side_only(table: pd.DataFrame) -> pd.DataFrame:
    """A product in one plan only: its figures under "After only" (or "Before only")."""
    for missing, present in ((BEFORE, AFTER), (AFTER, BEFORE)):
        if (table[missing] == NOT_IN_PLAN).all():
            dropped = table.drop(columns=[missing, "Change"])
            return dropped.rename(columns={present: f"{present} only"})
    return table


def _inputs(comparison: PlanComparison) -> None:
    st.markdown("**Inputs that differ**")
    only = st.toggle("Only inputs that differ", value=True, key="compare_only_differences")
    table = compare.input_differences(comparison)
    table = table[table["Differs"]] if only else table
    if table.empty:
        st.info("The two plans have the same inputs: pick another plan for Before or After.")
        return
    st.dataframe(
        tables.comparison_styler(table.drop(columns="Differs"), (BEFORE, AFTER)),
        hide_index=True, width="stretch", key="compare_inputs",
        column_config={"Input": st.column_config.TextColumn(width="medium")},
    )  # fmt: skip
