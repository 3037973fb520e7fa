"""Hosted mode: an optional facilitator passcode guarding the irreversible actions.

Deleting or overwriting a shared proposal and adopting the final deal need the facilitator once a
passcode is configured (environment variable ``ALIGNMENT_FACILITATOR_PASSCODE`` or the Streamlit
secret ``facilitator_passcode``). Without one the app runs in single-laptop mode: everyone present
is trusted, and the app says so.
"""

from __future__ import annotations

import hmac
import os

import streamlit as st

PASSCODE_ENV = "ALIGNMENT_FACILITATOR_PASSCODE"
PASSCODE_SECRET = "facilitator_passcode"
_UNLOCKED = "facilitator_unlocked"


def configured_passcode() -> str | None:
    """The facilitator passcode, from the environment first, then Streamlit secrets."""
    from_env = os.environ.get(PASSCODE_ENV, "").strip()
    if from_env:
        return from_env
    try:
        from_secrets = st.secrets.get(PASSCODE_SECRET)
    except FileNotFoundError:  # no secrets.toml at all: StreamlitSecretNotFoundError
        return None
    if from_secrets is None:
        return None
    return str(from_secrets).strip() or None


def passcode_matches(attempt: str, passcode: str) -> bool:
    """Constant-time comparison, so timing does not leak how much of a guess was right."""
    return hmac.compare_digest(attempt.encode("utf-8"), passcode.encode("utf-8"))


def hosted_mode() -> bool:
    return configured_passcode() is not None


def is_facilitator() -> bool:
    """True in single-laptop mode, or once this session has entered the passcode."""
    return not hosted_mode() or bool(st.session_state.get(_UNLOCKED))


def facilitator_panel() -> None:
    """Sidebar panel: the mode the app runs in, and unlocking facilitator actions."""
    passcode = configured_passcode()
    with st.sidebar.expander("Facilitator", expanded=False):
        if passcode is None:
            st.caption(
                "Single-laptop mode: no facilitator passcode is set, so anyone using this app "
                f"may overwrite or delete proposals and adopt the deal. Set {PASSCODE_ENV} to "
                "host a shared workshop."
            )
            return
        if st.session_state.get(_UNLOCKED):
            st.success("Facilitator actions unlocked for this session.")
            if st.button("Lock again", key="facilitator_lock"):
                st.session_state[_UNLOCKED] = False
                st.rerun()
            return
        attempt = st.text_input("Passcode", type="password", key="facilitator_passcode_input")
        if st.button("Unlock", key="facilitator_unlock"):
            if passcode_matches(attempt, passcode):
                st.session_state[_UNLOCKED] = True
                st.rerun()
            else:
                st.error("That passcode is not right. Ask the workshop facilitator.")


def require_facilitator(action: str) -> bool:
    """Whether ``action`` may go ahead; explains what to do when it may not."""
    if is_facilitator():
        return True
    st.warning(
        f"Only the facilitator can {action} in this hosted workshop. "
        "Unlock facilitator actions in the sidebar with the passcode."
    )
    return False
