"""Sessions whose browser has gone: kept for the grace period, closed after it."""

from __future__ import annotations

import asyncio
import warnings

import pytest

from workshop_ui import session_reaper
from workshop_ui.session_reaper import Reaper, Sessions, Sweep


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def sessions(connected=(), disconnected=(), with_uploads=()) -> Sessions:
    return Sessions(frozenset(connected), frozenset(disconnected), frozenset(with_uploads))


def test_a_session_disconnected_for_the_grace_period_is_closed_and_only_then():
    clock = Clock()
    reaper = Reaper(30, clock)
    assert reaper.sweep(sessions(disconnected={"gone"})) == Sweep()
    clock.now = 29.9
    assert reaper.sweep(sessions(disconnected={"gone"})) == Sweep()
    clock.now = 30.0
    assert reaper.sweep(sessions(disconnected={"gone"})).close == ("gone",)


def test_connected_sessions_are_never_closed():
    clock = Clock()
    reaper = Reaper(0, clock)
    for clock.now in (0.0, 1_000.0, 100_000.0):
        assert reaper.sweep(sessions(connected={"here"}, with_uploads={"here"})) == Sweep()


def test_a_browser_that_comes_back_within_the_grace_period_starts_the_count_afresh():
    clock = Clock()
    reaper = Reaper(30, clock)
    reaper.sweep(sessions(disconnected={"blip"}))
    clock.now = 20.0
    reaper.sweep(sessions(connected={"blip"}))  # the browser reconnected
    clock.now = 25.0
    assert reaper.sweep(sessions(disconnected={"blip"})) == Sweep()  # gone again
    clock.now = 54.0
    assert reaper.sweep(sessions(disconnected={"blip"})) == Sweep()
    clock.now = 55.0
    assert reaper.sweep(sessions(disconnected={"blip"})).close == ("blip",)


def test_uploads_of_a_session_the_server_no_longer_holds_are_dropped():
    reaper = Reaper(30, Clock())
    sweep = reaper.sweep(
        sessions(connected={"a"}, disconnected={"b"}, with_uploads={"a", "b", "forgotten"})
    )
    assert sweep == Sweep(close=(), drop_uploads=("forgotten",))


def test_a_grace_period_past_streamlits_own_two_minutes_is_refused():
    with pytest.raises(ValueError, match="from 0 to 100"):
        Reaper(session_reaper.MAX_GRACE_SECONDS + 1)


@pytest.mark.parametrize(
    ("setting", "grace"),
    [("", 30), ("0", 0), ("90", 90), ("101", 30), ("soon", 30), ("-5", 30), ("²", 30)],
)
def test_the_grace_period_comes_from_the_environment_and_a_bad_one_is_logged(
    setting, grace, monkeypatch, caplog
):
    monkeypatch.setenv(session_reaper.GRACE_ENV, setting)
    assert session_reaper.grace_from_environment() == grace
    assert (session_reaper.GRACE_ENV in caplog.text) == (setting in {"101", "soon", "-5", "²"})


def test_without_a_streamlit_server_nothing_starts():
    assert session_reaper.start() is False
    assert session_reaper.sweep_once(Reaper(30)) == Sweep()


def test_a_sweep_while_the_server_stops_is_empty_and_says_nothing(monkeypatch, caplog):
    loop = asyncio.new_event_loop()
    loop.close()  # Streamlit's loop, closed as the server stops
    monkeypatch.setattr(session_reaper, "_server", lambda: (object(), loop))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the sweep's coroutine is closed, not left unawaited
        assert session_reaper.sweep_once(Reaper(30)) == Sweep()
    assert "skipped a sweep" not in caplog.text
