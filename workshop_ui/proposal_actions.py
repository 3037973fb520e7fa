"""Load, overwrite or delete one saved proposal, acting only on the proposal the person saw.

An overwrite or a delete is asked for, confirmed, then done. What is asked for names the
proposal by its key and the revision this session saw (:class:`PendingChange`), so it is done to
that proposal or not at all: if someone else changed it meanwhile the store refuses it as a
conflict, and if someone deleted it the page says so. It is never redirected to whichever
proposal happens to be selected afterwards, and picking another proposal drops it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import streamlit as st

from alignment.safe_text import plain_text
from alignment.storage import (
    ConflictError,
    ItemStore,
    Listing,
    NotFoundError,
    StorageError,
    StoredScenario,
)
from workshop_ui import access, layout, proposal_limits, state
from workshop_ui.compromise_view import forget_missing, proposal_label, proposal_labels

Action = Literal["overwrite", "delete"]
DONE = {"overwrite": "overwritten", "delete": "deleted"}

_SELECTED = "proposal_manage"  # the selectbox
_OPENED = "proposal_opened"
_PENDING = "proposal_pending"
_CONFLICT = "proposal_conflict"
_OUTCOME = "proposal_manage_outcome"


@dataclass(frozen=True)
class ProposalRef:
    """One proposal as this session saw it: which (key), at which revision, and its label."""

    key: str
    revision: int
    label: str

    @classmethod
    def of(cls, item: StoredScenario, label: str | None = None) -> ProposalRef:
        return cls(item.key, item.revision, label or proposal_label(item))


@dataclass(frozen=True)
class PendingChange:
    """An overwrite or delete asked for and not yet confirmed."""

    action: Action
    target: ProposalRef


def proposal_notices(listing: Listing | None) -> None:
    """Say what became of the proposal this session had open, and how its last action went.

    Shown above the list, so it is seen even when the proposal was the last one on the table.
    ``listing`` is None when the proposals could not be listed: nothing is then said missing.
    """
    s = st.session_state
    keys = {p.key for p in listing.items} if listing is not None else set()
    opened: ProposalRef | None = s.get(_OPENED)
    pending: PendingChange | None = s.get(_PENDING)
    if listing is not None and opened is not None and opened.key not in keys:
        damaged = opened.key in {u.key for u in listing.unreadable}
        what = "can no longer be read (see above)" if damaged else "was deleted by someone else"
        if pending is not None and pending.target.key == opened.key:
            s[_OUTCOME] = ("error", f"{opened.label} {what}; nothing was {DONE[pending.action]}.")
        else:
            s[_OUTCOME] = ("info", f"{opened.label}, the proposal you had open, {what}.")
        for key in (_OPENED, _PENDING, _CONFLICT):
            s.pop(key, None)
    outcome = s.pop(_OUTCOME, None)
    if outcome is not None:
        kind, message = outcome
        show = {"done": st.success, "info": st.info}.get(kind, st.error)
        show(layout.literal(message))


def manage_proposal(
    store: ItemStore, proposals: Sequence[StoredScenario], *, read_only: bool = False
) -> None:
    """Load, overwrite or delete one proposal; overwriting and deleting ask twice (and are
    not offered in a closed room)."""
    s = st.session_state
    by_key = {p.key: p for p in proposals}
    labels = proposal_labels(proposals)
    forget_missing(_SELECTED, by_key)
    key = st.selectbox("Proposal", list(by_key), format_func=labels.get, key=_SELECTED)
    item = by_key[key]
    opened: ProposalRef | None = s.get(_OPENED)
    if opened is None or opened.key != key:
        s[_OPENED] = opened = ProposalRef.of(item, labels[key])
        s.pop(_CONFLICT, None)
    pending: PendingChange | None = s.get(_PENDING)
    if pending is not None and pending.target.key != key:
        s.pop(_PENDING)  # asked about another proposal: this one was not confirmed
        pending = None
    load, overwrite, delete = st.columns(3)
    if item.scenario.product_ids == state.status_quo().product_ids:
        load.button("Load as working scenario", key="proposal_load", width="stretch",
                    on_click=state.set_working, args=(item.scenario,))  # fmt: skip
    else:  # other products: nothing to compare it with but itself
        load.button("Load as the new status quo", key="proposal_load", width="stretch",
                    on_click=state.load, args=(item.scenario,))  # fmt: skip
    overwrite.button("Overwrite with working", key="proposal_overwrite", width="stretch",
                     on_click=_ask, args=("overwrite", opened), disabled=read_only)  # fmt: skip
    delete.button("Delete", key="proposal_delete", width="stretch",
                  on_click=_ask, args=("delete", opened), disabled=read_only)  # fmt: skip
    pending = s.get(_PENDING)
    if pending is not None:
        _confirm(store, pending)
    if s.get(_CONFLICT) == key:
        _conflict(store, item)


def _ask(action: Action, target: ProposalRef) -> None:
    st.session_state[_PENDING] = PendingChange(action, target)
    st.session_state.pop(_CONFLICT, None)


def _confirm(store: ItemStore, pending: PendingChange) -> None:
    label = layout.literal(pending.target.label)
    what = pending.action
    with st.container(border=True):
        if what == "overwrite":
            st.warning(f"Replace the plan in **{label}** with the working scenario? Its title, "
                       "author, role and rationale stay.")  # fmt: skip
        else:
            st.warning(f"Delete **{label}** for everyone in this room? This cannot be undone.")
        if not access.require_facilitator(f"{what} a proposal"):
            return
        yes, no = st.columns(2)
        yes.button(f"Yes, {what} it", key="proposal_confirm", type="primary", width="stretch",
                   on_click=_apply, args=(store, pending))  # fmt: skip
        no.button("Cancel", key="proposal_cancel", width="stretch",
                  on_click=st.session_state.pop, args=(_PENDING, None))  # fmt: skip


def _apply(store: ItemStore, pending: PendingChange) -> None:
    """Do the confirmed change to the proposal it names, at the revision it was asked at."""
    s = st.session_state
    s.pop(_PENDING, None)
    target, action = pending.target, pending.action
    if s.get(_SELECTED) != target.key:
        s[_OUTCOME] = ("error", f"Nothing was {DONE[action]}: you picked another proposal "
                                "before confirming. Ask again for the one you mean.")  # fmt: skip
        return
    if not access.is_facilitator():
        s[_OUTCOME] = ("error", f"Nothing was {DONE[action]}: only the facilitator can "
                                f"{action} a proposal.")  # fmt: skip
        return
    try:
        if action == "overwrite":
            current = store.get("proposals", target.key)
            meta = current.scenario.metadata
            updated = state.working().model_copy(update={"metadata": meta})
            saved = store.update("proposals", target.key, updated, target.revision)
            s[_OPENED] = ProposalRef.of(saved)
            s[_OUTCOME] = ("done", f"Overwrote {target.label}.")
        else:
            store.delete("proposals", target.key, target.revision)
            s.pop(_OPENED, None)
            s[_OUTCOME] = ("done", f"Deleted {target.label}.")
    except ConflictError:
        s[_CONFLICT] = target.key
    except NotFoundError:
        s.pop(_OPENED, None)
        s[_OUTCOME] = ("error", _deleted_elsewhere(target, action))
    except StorageError as error:
        s[_OUTCOME] = ("error", f"Nothing was {DONE[action]}: {error}")


def _deleted_elsewhere(target: ProposalRef, action: Action) -> str:
    return f"{target.label} was deleted by someone else; nothing was {DONE[action]}."


def _conflict(store: ItemStore, item: StoredScenario) -> None:
    st.error(
        "Someone saved this proposal since you opened it: "
        f"**{layout.literal(proposal_label(item))}** now holds their version. Reload it to see "
        "their version, or save your working scenario as a new proposal so neither is lost."
    )
    reload, as_new = st.columns(2)
    reload.button("Reload the proposal", key="proposal_reload", width="stretch",
                  on_click=_reload, args=(item,))  # fmt: skip
    as_new.button("Save mine as new", key="proposal_save_as_new", width="stretch",
                  on_click=_save_as_new, args=(store, item))  # fmt: skip


def _reload(item: StoredScenario) -> None:
    st.session_state[_OPENED] = ProposalRef.of(item)
    st.session_state.pop(_CONFLICT, None)


def _save_as_new(store: ItemStore, item: StoredScenario) -> None:
    s = st.session_state
    s.pop(_CONFLICT, None)
    meta = item.scenario.metadata
    name = plain_text(f"{meta.name} (my version)", 200)
    copy = state.working().model_copy(update={"metadata": meta.model_copy(update={"name": name})})
    refused = proposal_limits.refusal(store)
    if refused is not None:
        s[_OUTCOME] = ("error", f"Not saved: {refused}.")
        return
    try:
        saved = store.create("proposals", copy)
    except StorageError as error:
        s[_OUTCOME] = ("error", f"Not saved: {error}")
        return
    s[_SELECTED] = saved.key
    s[_OPENED] = ProposalRef.of(saved)
    s[_OUTCOME] = ("done", f"Saved as {proposal_label(saved)}.")
