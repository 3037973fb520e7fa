"""Hosted mode: the facilitator passcode, and the single-laptop mode without one."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from workshop_ui.access import PASSCODE_ENV, configured_passcode, passcode_matches

ROOT = Path(__file__).resolve().parents[1]
PASSCODE = "lantern-42"


@pytest.fixture(autouse=True)
def workshop_store(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGNMENT_DATA_DIR", str(tmp_path / "workshop_data"))
    monkeypatch.delenv(PASSCODE_ENV, raising=False)


def sidebar_text(app: AppTest) -> str:
    parts = [c.value for c in app.sidebar.caption] + [s.value for s in app.sidebar.success]
    return " ".join(parts + [e.value for e in app.sidebar.error])


def test_passcodes_match_only_exactly():
    assert passcode_matches(PASSCODE, PASSCODE)
    assert not passcode_matches(PASSCODE.upper(), PASSCODE)
    assert not passcode_matches("", PASSCODE)
    assert not passcode_matches(PASSCODE + " ", PASSCODE)


def test_the_passcode_comes_from_the_environment_and_blank_means_none(monkeypatch):
    monkeypatch.setenv(PASSCODE_ENV, "  ")
    assert configured_passcode() is None
    monkeypatch.setenv(PASSCODE_ENV, PASSCODE)
    assert configured_passcode() == PASSCODE


def test_without_a_passcode_the_app_says_it_runs_in_single_laptop_mode():
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert "Single-laptop mode" in sidebar_text(app)
    assert not any(t.key == "facilitator_passcode_input" for t in app.sidebar.text_input)


def test_a_wrong_passcode_unlocks_nothing_and_the_right_one_unlocks(monkeypatch):
    monkeypatch.setenv(PASSCODE_ENV, PASSCODE)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert "Single-laptop mode" not in sidebar_text(app)

    app.text_input(key="facilitator_passcode_input").input("guess")
    app.button(key="facilitator_unlock").click().run()
    assert "That passcode is not right" in sidebar_text(app)
    assert "facilitator_unlocked" not in app.session_state

    app.text_input(key="facilitator_passcode_input").input(PASSCODE)
    app.button(key="facilitator_unlock").click().run()
    assert app.session_state["facilitator_unlocked"]
    assert "unlocked" in sidebar_text(app)
