"""Hosted mode: an optional facilitator passcode guarding the irreversible actions.

Deleting or overwriting a shared proposal and adopting the final deal need the facilitator once a
passcode is configured (environment variable ``ALIGNMENT_FACILITATOR_PASSCODE`` or the Streamlit
secret ``facilitator_passcode``). Without one the app runs in single-laptop mode: everyone present
is trusted, and the app says so.

A passcode that is set but unusable (blank, or shorter than :data:`MIN_PASSCODE_LENGTH` once
surrounding whitespace is stripped) does not fall back to single-laptop mode: the app stays
hosted with facilitator actions locked, and says why. Guessing is slowed down per session and
per server by :class:`alignment.attempts.AttemptLimiter`.
"""

from __future__ import annotations

import hmac
import math
import os
from dataclasses import dataclass
from secrets import token_hex

import streamlit as st

from alignment.attempts import Attempt, AttemptLimiter, Verdict

PASSCODE_ENV = "ALIGNMENT_FACILITATOR_PASSCODE"
PASSCODE_SECRET = "facilitator_passcode"
# Also checked by hosted/run.sh; docs/hosting.md explains the choice.
MIN_PASSCODE_LENGTH = 8
_UNLOCKED = "facilitator_unlocked"
_INPUT = "facilitator_passcode_input"
_SESSION_KEY = "facilitator_session_key"
_LAST_ATTEMPT = "facilitator_last_attempt"
_UNREADABLE_SECRETS = "failed-parsing-secrets-file"  # Streamlit's error_id for a broken file

# One limiter per server process: every session's guesses count against the same pause.
LIMITER = AttemptLimiter()


@dataclass(frozen=True)
class PasscodeSetting:
    """The facilitator passcode as configured: usable, absent, or set but unusable."""

    passcode: str | None = None
    problem: str | None = None

    @property
    def hosted(self) -> bool:
        """Whether facilitator actions are guarded: whenever anything at all is configured."""
        return self.passcode is not None or self.problem is not None


def checked_passcode(raw: str, source: str) -> PasscodeSetting:
    """``raw`` as a passcode, or the problem that keeps it from being one.

    Surrounding whitespace is never part of a passcode (nor of what people type).
    """
    passcode = raw.strip()
    if not passcode:
        return PasscodeSetting(
            problem=f"{source} is set but blank; set a real passcode and restart."
        )
    if len(passcode) < MIN_PASSCODE_LENGTH:
        return PasscodeSetting(
            problem=f"{source} is shorter than {MIN_PASSCODE_LENGTH} characters; set a longer "
            "passcode and restart."
        )
    return PasscodeSetting(passcode=passcode)


def passcode_setting() -> PasscodeSetting:
    """The facilitator passcode: the environment variable when it is set at all, else secrets."""
    from_env = os.environ.get(PASSCODE_ENV)
    if from_env is not None:
        return checked_passcode(from_env, PASSCODE_ENV)
    try:
        from_secrets = st.secrets.get(PASSCODE_SECRET)
    except FileNotFoundError as error:  # StreamlitSecretNotFoundError
        if getattr(error, "error_id", None) == _UNREADABLE_SECRETS:
            return PasscodeSetting(
                problem="The secrets file cannot be read, so the facilitator passcode in it is "
                "unknown; fix .streamlit/secrets.toml and restart."
            )
        return PasscodeSetting()
    if from_secrets is None:
        return PasscodeSetting()
    return checked_passcode(str(from_secrets), f"The secret {PASSCODE_SECRET}")


def passcode_matches(attempt: str, passcode: str) -> bool:
    """Constant-time comparison, so timing does not leak how much of a guess was right."""
    return hmac.compare_digest(attempt.encode("utf-8"), passcode.encode("utf-8"))


def hosted_mode() -> bool:
    return passcode_setting().hosted


def is_facilitator() -> bool:
    """True in single-laptop mode, or once this session has entered a usable passcode."""
    setting = passcode_setting()
    if setting.problem is not None:
        return False
    return setting.passcode is None or bool(st.session_state.get(_UNLOCKED))


def facilitator_panel() -> None:
    """Sidebar panel: the mode the app runs in, and unlocking facilitator actions."""
    setting = passcode_setting()
    with st.sidebar.expander("Facilitator", expanded=setting.problem is not None):
        if setting.problem is not None:
            st.error(f"{setting.problem} Until then facilitator actions stay locked for everyone.")
            return
        if setting.passcode is None:
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
        _unlock_form()


def _unlock_form() -> None:
    st.text_input("Passcode", type="password", key=_INPUT)
    wait = LIMITER.wait(session_key())
    label = "Unlock" if wait is None else f"Unlock (wait {wait_text(wait.seconds)})"
    st.button(label, key="facilitator_unlock", on_click=_try_unlock)
    last: Attempt | str | None = st.session_state.pop(_LAST_ATTEMPT, None)
    if isinstance(last, str):
        st.info(last)
    elif last is not None:
        _explain(last)


def _try_unlock() -> None:
    """Button callback: runs before the page, so the page shows the outcome and the new wait."""
    passcode = passcode_setting().passcode
    typed = str(st.session_state.get(_INPUT, "")).strip()
    st.session_state[_INPUT] = ""
    if passcode is None:
        return
    if not typed:  # a click before typing is not a guess
        st.session_state[_LAST_ATTEMPT] = "Type the passcode, then select Unlock."
        return
    attempt = LIMITER.attempt(session_key(), lambda: passcode_matches(typed, passcode))
    if attempt.verdict is Verdict.ACCEPTED:
        st.session_state[_UNLOCKED] = True
    else:
        st.session_state[_LAST_ATTEMPT] = attempt


def _explain(attempt: Attempt) -> None:
    wait = attempt.wait
    if attempt.verdict is Verdict.REJECTED:
        then = "" if wait is None else f" Wait {wait_text(wait.seconds)} before trying again."
        st.error(f"That passcode is not right. Ask the workshop facilitator.{then}")
    elif wait is not None and wait.server_wide:
        st.warning(
            "Passcode attempts are paused on this server after too many wrong guesses. "
            f"Try again in {wait_text(wait.seconds)}; the passcode was not checked."
        )
    elif wait is not None:
        st.warning(
            f"Too many wrong passcodes from this session: wait {wait_text(wait.seconds)} "
            "before trying again; the passcode was not checked."
        )


def session_key() -> str:
    """A random key for this session, known only to the server; the limiter counts by it."""
    if _SESSION_KEY not in st.session_state:
        st.session_state[_SESSION_KEY] = token_hex(16)
    return str(st.session_state[_SESSION_KEY])


def wait_text(seconds: float) -> str:
    """A wait in words, rounded up to whole seconds: ``"4 s"``, ``"2 min 30 s"``, ``"5 min"``."""
    whole = max(1, math.ceil(seconds))
    minutes, rest = divmod(whole, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min" if not rest else f"{minutes} min {rest} s"


def require_facilitator(action: str) -> bool:
    """Whether ``action`` may go ahead; explains what to do when it may not."""
    if is_facilitator():
        return True
    if passcode_setting().problem is not None:
        st.warning(
            f"Only the facilitator can {action}, and facilitator actions are locked: the "
            "facilitator passcode is not set up correctly (see Facilitator in the sidebar)."
        )
        return False
    st.warning(
        f"Only the facilitator can {action} in this hosted workshop. "
        "Unlock facilitator actions in the sidebar with the passcode."
    )
    return False
