"""Hosted mode: the facilitator passcode, the limits on guessing it, and single-laptop mode."""

from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path

import pytest
import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError
from streamlit.testing.v1 import AppTest

from alignment.attempts import AttemptLimiter, AttemptPolicy
from workshop_ui import access
from workshop_ui.access import (
    MIN_PASSCODE_LENGTH,
    PASSCODE_ENV,
    is_facilitator,
    passcode_matches,
    passcode_setting,
    wait_text,
)

ROOT = Path(__file__).resolve().parents[1]
RUN_SH = ROOT / "hosted" / "run.sh"
PASSCODE = "lantern-42"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def workshop_store(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGNMENT_DATA_DIR", str(tmp_path / "workshop_data"))
    monkeypatch.delenv(PASSCODE_ENV, raising=False)


@pytest.fixture(autouse=True)
def clock(monkeypatch) -> FakeClock:
    """A fresh server-wide limiter on a clock that moves only when a test says so."""
    fake = FakeClock()
    monkeypatch.setattr(access, "LIMITER", AttemptLimiter(AttemptPolicy(), clock=fake))
    return fake


def open_app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()


def sidebar_text(app: AppTest) -> str:
    parts = [c.value for c in app.sidebar.caption] + [s.value for s in app.sidebar.success]
    parts += [w.value for w in app.sidebar.warning] + [i.value for i in app.sidebar.info]
    return " ".join(parts + [e.value for e in app.sidebar.error])


def try_passcode(app: AppTest, typed: str) -> AppTest:
    app.text_input(key="facilitator_passcode_input").input(typed)
    return app.button(key="facilitator_unlock").click().run()


def run_sh(passcode: str | None) -> subprocess.CompletedProcess[str]:
    """``hosted/run.sh --check`` with ``echo`` in place of Python, so nothing starts."""
    env = {key: value for key, value in os.environ.items() if key != PASSCODE_ENV}
    env["PYTHON"] = "echo"
    if passcode is not None:
        env[PASSCODE_ENV] = passcode
    return subprocess.run(
        ["bash", str(RUN_SH), "--check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


# --- The passcode itself ----------------------------------------------------------------------


def test_passcodes_match_only_exactly():
    assert passcode_matches(PASSCODE, PASSCODE)
    assert not passcode_matches(PASSCODE.upper(), PASSCODE)
    assert not passcode_matches("", PASSCODE)
    assert not passcode_matches(PASSCODE + " ", PASSCODE)


def test_the_passcode_comes_from_the_environment_without_surrounding_whitespace(monkeypatch):
    monkeypatch.setenv(PASSCODE_ENV, f"  {PASSCODE}\n")
    assert passcode_setting().passcode == PASSCODE
    assert passcode_setting().problem is None


@pytest.mark.parametrize("blank", ["", " ", "\t", " \n "])
def test_a_set_but_blank_passcode_keeps_the_workshop_hosted_and_locked(monkeypatch, blank):
    monkeypatch.setenv(PASSCODE_ENV, blank)
    setting = passcode_setting()
    assert setting.hosted
    assert setting.passcode is None
    assert setting.problem == f"{PASSCODE_ENV} is set but blank; set a real passcode and restart."
    assert not is_facilitator()


def test_a_passcode_shorter_than_the_minimum_keeps_the_workshop_locked(monkeypatch):
    monkeypatch.setenv(PASSCODE_ENV, "  " + "x" * (MIN_PASSCODE_LENGTH - 1) + "  ")
    setting = passcode_setting()
    assert setting.hosted and setting.passcode is None
    assert f"shorter than {MIN_PASSCODE_LENGTH} characters" in setting.problem
    assert not is_facilitator()
    monkeypatch.setenv(PASSCODE_ENV, "x" * MIN_PASSCODE_LENGTH)
    assert passcode_setting().passcode == "x" * MIN_PASSCODE_LENGTH


def test_the_secret_follows_the_same_rules(monkeypatch):
    monkeypatch.setattr(st, "secrets", {"facilitator_passcode": "   "})
    assert "facilitator_passcode is set but blank" in passcode_setting().problem
    monkeypatch.setattr(st, "secrets", {"facilitator_passcode": f" {PASSCODE} "})
    assert passcode_setting().passcode == PASSCODE
    monkeypatch.setattr(st, "secrets", {})
    assert not passcode_setting().hosted
    assert is_facilitator()


def test_a_set_environment_variable_wins_over_the_secret_even_when_blank(monkeypatch):
    monkeypatch.setattr(st, "secrets", {"facilitator_passcode": PASSCODE})
    monkeypatch.setenv(PASSCODE_ENV, " ")
    assert passcode_setting().passcode is None
    assert not is_facilitator()


class UnreadableSecrets:
    def get(self, key):
        raise StreamlitSecretNotFoundError(
            "Error parsing secrets file", error_id="failed-parsing-secrets-file"
        )


def test_an_unreadable_secrets_file_keeps_the_workshop_locked(monkeypatch):
    monkeypatch.setattr(st, "secrets", UnreadableSecrets())
    assert "secrets file cannot be read" in passcode_setting().problem
    assert not is_facilitator()


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.2, "1 s"), (1, "1 s"), (4.01, "5 s"), (60, "1 min"), (150, "2 min 30 s"), (300, "5 min")],
)
def test_waits_read_in_whole_seconds_and_minutes(seconds, text):
    assert wait_text(seconds) == text


# --- hosted/run.sh ----------------------------------------------------------------------------


@pytest.mark.parametrize("passcode", [None, "", " ", "\t", " \t\n "])
def test_run_sh_refuses_a_missing_or_blank_passcode_before_starting(passcode):
    result = run_sh(passcode)
    assert result.returncode == 2
    assert "unset, empty or only whitespace" in result.stderr
    assert "streamlit" not in result.stdout


@pytest.mark.parametrize("passcode", ["abc1234", "   abc1234\t", "x"])
def test_run_sh_refuses_a_passcode_too_short_to_resist_guessing(passcode):
    result = run_sh(passcode)
    assert result.returncode == 2
    assert f"shorter than {MIN_PASSCODE_LENGTH} characters" in result.stderr
    assert passcode.strip() not in result.stderr
    assert "streamlit" not in result.stdout


@pytest.mark.parametrize("passcode", [PASSCODE, "x" * MIN_PASSCODE_LENGTH, f"  {PASSCODE} "])
def test_run_sh_starts_the_app_with_a_good_passcode(passcode):
    result = run_sh(passcode)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("-m workshop_ui.serve --server.headless true")


# --- The app ----------------------------------------------------------------------------------


def test_without_a_passcode_the_app_says_it_runs_in_single_laptop_mode():
    app = open_app()
    assert "Single-laptop mode" in sidebar_text(app)
    assert not any(t.key == "facilitator_passcode_input" for t in app.sidebar.text_input)


def test_a_blank_passcode_shows_the_facilitator_why_everything_is_locked(monkeypatch):
    monkeypatch.setenv(PASSCODE_ENV, " ")
    app = open_app()
    text = sidebar_text(app)
    assert "Single-laptop mode" not in text
    assert f"{PASSCODE_ENV} is set but blank; set a real passcode and restart." in text
    assert not any(t.key == "facilitator_passcode_input" for t in app.sidebar.text_input)


def test_a_wrong_passcode_unlocks_nothing_and_the_right_one_unlocks(monkeypatch):
    monkeypatch.setenv(PASSCODE_ENV, PASSCODE)
    app = open_app()
    assert "Single-laptop mode" not in sidebar_text(app)

    try_passcode(app, "guess-one")
    assert "That passcode is not right" in sidebar_text(app)
    assert "facilitator_unlocked" not in app.session_state

    try_passcode(app, f" {PASSCODE} ")  # surrounding whitespace is not part of a passcode
    assert app.session_state["facilitator_unlocked"]
    assert "unlocked" in sidebar_text(app)


def test_after_three_wrong_guesses_even_the_right_passcode_waits(monkeypatch, clock, caplog):
    caplog.set_level(logging.WARNING, logger="alignment.attempts")
    monkeypatch.setenv(PASSCODE_ENV, PASSCODE)
    app = open_app()
    for guess in ("guess-one", "guess-two", "guess-three"):
        try_passcode(app, guess)
    assert "Wait 1 s before trying again" in sidebar_text(app)
    assert app.button(key="facilitator_unlock").label == "Unlock (wait 1 s)"

    try_passcode(app, PASSCODE)
    assert "wait 1 s before trying again; the passcode was not checked" in sidebar_text(app)
    assert "facilitator_unlocked" not in app.session_state

    clock.now += 1
    try_passcode(app, PASSCODE)
    assert app.session_state["facilitator_unlocked"]

    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "3 in a row" in logged
    assert "guess" not in logged and PASSCODE not in logged


def test_wrong_guesses_from_many_sessions_pause_the_whole_server(monkeypatch, clock):
    monkeypatch.setenv(PASSCODE_ENV, PASSCODE)
    policy = AttemptPolicy(server_failures=2, server_pause=120)
    monkeypatch.setattr(access, "LIMITER", AttemptLimiter(policy, clock=clock))
    for guess in ("guess-one", "guess-two", "guess-three"):
        try_passcode(open_app(), guess)  # a new session each time

    facilitator = try_passcode(open_app(), PASSCODE)
    assert "paused on this server" in sidebar_text(facilitator)
    assert "Try again in 2 min" in sidebar_text(facilitator)
    assert "facilitator_unlocked" not in facilitator.session_state

    clock.now += 120
    try_passcode(facilitator, PASSCODE)
    assert facilitator.session_state["facilitator_unlocked"]


def test_clicking_unlock_before_typing_is_not_counted_as_a_guess(monkeypatch):
    monkeypatch.setenv(PASSCODE_ENV, PASSCODE)
    app = open_app()
    for _ in range(5):
        app.button(key="facilitator_unlock").click().run()
    assert "Type the passcode" in sidebar_text(app)
    assert access.LIMITER.wait(app.session_state["facilitator_session_key"]) is None
