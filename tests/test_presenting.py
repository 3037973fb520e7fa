"""Presenting mode, the room's agenda and timer banner, and the facilitator's controls.

The address keeps presenting mode (``?present=1``); charts restyled for the big screen keep
20 px type in dark ink; the banner says the agenda step and counts the timer down; only the
room's facilitator sees the agenda, timer and "Mark as agreed" controls.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import altair as alt
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from alignment.levers import with_values
from alignment.room_store import LocalRoomStore
from alignment.rooms import Room
from workshop_ui import presenting
from workshop_ui.layout import verdict
from workshop_ui.library import default_scenario
from workshop_ui.room_sidebar import banner_html, clock_text, step_text

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 90
ROOM_PAGE = "pages/9_Room.py"
FACILITATOR_KEYS = ("room_agenda", "room_timer_minutes", "room_timer_start")


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "workshop_data"
    monkeypatch.setenv("ALIGNMENT_DATA_DIR", str(folder))
    monkeypatch.delenv("ALIGNMENT_FACILITATOR_PASSCODE", raising=False)
    return folder


def room_page(**params: str) -> AppTest:
    app = AppTest.from_file(str(ROOT / ROOM_PAGE), default_timeout=TIMEOUT)
    for name, value in params.items():
        app.query_params[name] = value
    return app.run()


def presenting_css(app: AppTest) -> bool:
    return any(f"max({presenting.TEXT_PX}px, 1em)" in e.proto.body for e in app.get("html"))


def banner(app: AppTest) -> str:
    return "".join(e.proto.body for e in app.get("html") if "room-banner" in e.proto.body)


def keys(app: AppTest) -> set[str]:
    widgets = [*app.button, *app.selectbox, *app.number_input, *app.toggle]
    return {w.key for w in widgets if w.key}


def join(app: AppTest, name: str, role: str) -> AppTest:
    app.text_input(key="room_join_name").input(name)
    app.selectbox(key="room_join_role").set_value(role)
    app.button(key="room_join").click().run()
    assert not app.exception
    return app


def plan(title: str) -> object:
    return with_values(default_scenario(), {"metadata.name": title, "metadata.role": "sales"})


# -- the address -------------------------------------------------------------------------------


def test_present_1_in_the_address_turns_presenting_on_and_stays_there():
    app = room_page(present="1")
    assert not app.exception
    assert app.toggle(key="present_toggle").value is True
    assert presenting_css(app)
    assert app.query_params["present"] == "1"
    app.run()  # a rerun (or a page switch that dropped it) keeps it in the address
    assert presenting_css(app) and "present" in app.query_params


def test_the_toggle_writes_the_address_both_ways():
    app = room_page()
    assert not presenting_css(app) and "present" not in app.query_params
    app.toggle(key="present_toggle").set_value(True).run()
    assert presenting_css(app)
    assert app.query_params["present"] == "1"
    app.toggle(key="present_toggle").set_value(False).run()
    assert not presenting_css(app)
    assert "present" not in app.query_params


def test_present_0_in_the_address_turns_presenting_off():
    app = room_page(present="1")
    app.query_params["present"] = "0"
    app.run()
    assert not presenting_css(app)
    assert app.toggle(key="present_toggle").value is False


@pytest.mark.parametrize("value", ["yes", "true", "2", "", "1<script>", "0" * 500])
def test_any_other_present_value_is_ignored(value):
    app = room_page(present=value)
    assert not app.exception
    assert not presenting_css(app)
    assert app.toggle(key="present_toggle").value is False
    assert "present" not in app.query_params


def test_an_ignored_value_leaves_presenting_as_it_was():
    app = room_page(present="1")
    app.query_params["present"] = "please"
    app.run()
    assert presenting_css(app)


# -- charts ------------------------------------------------------------------------------------


def _layered_chart() -> alt.LayerChart:
    data = pd.DataFrame({"x": [1, 2], "y": [3, 4], "label": ["a", "b"]})
    line = alt.Chart(data).mark_line().encode(x="x:Q", y="y:Q", color="label:N")
    text = (
        alt.Chart(data)
        .mark_text(fontSize=13, color="#999999")
        .encode(x="x:Q", y="y:Q", text="label:N")
    )
    config = alt.Config(axis=alt.AxisConfig(labelFontSize=13, grid=True))
    return alt.LayerChart(layer=[line, text], config=config, height=300)


def test_a_presented_chart_has_20_px_axes_legends_and_text_in_dark_ink():
    spec = presenting.presented(_layered_chart()).to_dict()
    config = spec["config"]
    for part in ("axis", "legend", "header"):
        assert config[part]["labelFontSize"] >= 20
        assert config[part]["titleFontSize"] >= 20
        for colour in (config[part]["labelColor"], config[part]["titleColor"]):
            assert presenting.contrast(colour, "#ffffff") >= 4.5
    assert config["title"]["fontSize"] >= 20
    assert config["text"]["fontSize"] >= 20
    assert config["axis"]["grid"] is True  # the chart's own settings stay
    text = spec["layer"][1]["mark"]
    assert text["fontSize"] >= 20
    assert presenting.contrast(text["color"], "#ffffff") >= 4.5  # #999 was too light


def test_a_presented_chart_draws_its_text_as_svg_with_room_to_fit():
    spec = presenting.presented(_layered_chart()).to_dict()
    assert spec["usermeta"]["embedOptions"]["renderer"] == "hybrid"  # marks canvas, text SVG
    assert spec["padding"]["right"] == presenting.TEXT_MARGIN_PX  # text beside the marks
    assert spec["config"]["axisY"]["titleLimit"] <= 300  # a long title ends in "…"
    assert spec["height"] == 300  # a continuous y axis keeps its height


def test_rows_of_bars_grow_with_their_labels():
    data = pd.DataFrame({"goal": ["Share", "Margin"], "value": [0.5, 1.2]})
    rows = alt.Chart(data).mark_bar().encode(y="goal:N", x="value:Q").properties(height=100)
    spec = presenting.presented(rows).to_dict()
    assert spec["height"] == round(100 * presenting.TEXT_PX / 13)
    assert spec["padding"]["right"] == presenting.LABEL_MARGIN_PX


def test_presenting_a_chart_leaves_the_original_as_it_was():
    chart = _layered_chart()
    before = chart.to_dict()
    presenting.presented(chart)
    assert chart.to_dict() == before


def test_a_chart_title_grows_and_darkens():
    chart = alt.Chart(pd.DataFrame({"x": [1]})).mark_bar().encode(x="x:Q")
    chart = chart.properties(title=alt.TitleParams("Bands", fontSize=14))
    spec = presenting.presented(chart).to_dict()
    assert spec["title"]["fontSize"] >= 20 and spec["title"]["color"] == presenting.INK


def test_off_the_big_screen_styled_returns_the_chart_itself(monkeypatch):
    chart = _layered_chart()
    monkeypatch.setattr(presenting, "is_on", lambda: False)
    assert presenting.styled(chart) is chart
    monkeypatch.setattr(presenting, "is_on", lambda: True)
    assert presenting.styled(chart).to_dict()["config"]["axis"]["labelFontSize"] >= 20


def test_contrast_is_the_wcag_ratio():
    assert presenting.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert presenting.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert presenting.contrast(presenting.INK, "#fff") > 17


# -- the banner --------------------------------------------------------------------------------


def _room(**fields) -> Room:
    return Room("K7QM2P", "Workshop", "open", datetime(2026, 3, 12, tzinfo=UTC), **fields)


def test_the_banner_names_the_agenda_step_and_counts_the_timer_down():
    now = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)
    room = _room(agenda_step=1, timer_ends_at=now + timedelta(minutes=9, seconds=59.2))
    html = banner_html(room, now, big=True)
    assert step_text(room) == "Step 2 of 5 · Explore prices and pay"
    assert "Step 2 of 5 · Explore prices and pay" in html
    assert "10:00 left" in html  # rounded up: a timer shows its full length at the start
    assert "data-left='599.2'" in html and "<script>" in html
    assert "room-banner keeps-size presenting" in html


def test_without_a_timer_the_banner_has_no_countdown():
    html = banner_html(_room(agenda_step=4), datetime.now(UTC))
    assert "Step 5 of 5 · Agree the plan" in html
    assert "left" not in html and "<script>" not in html


def test_a_timer_that_ran_out_says_times_up():
    now = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)
    html = banner_html(_room(timer_ends_at=now - timedelta(seconds=5)), now)
    assert "Time's up" in html and "room-timer-up" in html


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(600, "10:00 left"), (59.01, "01:00 left"), (61, "01:01 left"), (0.2, "00:01 left"),
     (0, "Time's up"), (7200, "120:00 left")],
)  # fmt: skip
def test_the_clock_reads_minutes_and_seconds(seconds, shown):
    assert clock_text(seconds) == shown


def test_the_banner_shows_on_the_page_of_a_room_and_not_in_the_default_room(data_dir):
    rooms = LocalRoomStore(data_dir)
    code = rooms.open_room("Workshop", default_scenario()).code
    rooms.set_agenda(code, 2)
    rooms.start_timer(code, 5)
    assert banner(room_page()) == ""
    shown = banner(room_page(room=code))
    assert "Step 3 of 5 · Put plans on the table" in shown
    assert "04:5" in shown or "05:00 left" in shown


# -- the facilitator's controls ----------------------------------------------------------------


def test_a_sales_participant_sees_no_facilitator_controls(data_dir):
    rooms = LocalRoomStore(data_dir)
    code = rooms.open_room("Workshop", default_scenario()).code
    key = rooms.items(code).create("proposals", plan("Kicker plan")).key
    app = join(room_page(room=code), "Sam", "sales")
    shown = keys(app)
    assert f"vote_for_{key}" in shown  # the card is there, with the votes
    assert not shown & {*FACILITATOR_KEYS, "room_timer_stop", f"agree_{key}", f"screen_{key}"}


def test_the_facilitator_moves_the_agenda_and_starts_and_stops_the_timer(data_dir):
    rooms = LocalRoomStore(data_dir)
    code = rooms.open_room("Workshop", default_scenario()).code
    app = join(room_page(room=code), "Fay", "facilitator")
    assert set(FACILITATOR_KEYS) <= keys(app)
    assert app.number_input(key="room_timer_minutes").value == 10
    app.selectbox(key="room_agenda").set_value(3).run()
    assert rooms.room(code).agenda_step == 3
    assert "Step 4 of 5 · Vote" in banner(app)
    app.number_input(key="room_timer_minutes").set_value(2).run()
    app.button(key="room_timer_start").click().run()
    left = rooms.room(code).seconds_left(datetime.now(UTC))
    assert left is not None and 100 < left <= 120
    assert "left" in banner(app)
    app.button(key="room_timer_stop").click().run()
    assert rooms.room(code).timer_ends_at is None
    assert "left" not in banner(app)


def test_the_facilitator_marks_a_plan_agreed_and_it_heads_the_room_page(data_dir):
    rooms = LocalRoomStore(data_dir)
    code = rooms.open_room("Workshop", default_scenario()).code
    key = rooms.items(code).create("proposals", plan("Kicker plan")).key
    app = join(room_page(room=code), "Fay", "facilitator")
    assert app.button(key=f"agree_{key}").label == "Mark as agreed"
    app.button(key=f"agree_{key}").click().run()
    assert rooms.room(code).agreed == key
    assert app.header[0].value == "Agreed plan"
    assert app.button(key=f"agree_{key}").label == "Agreed ✓"
    app.button(key=f"agree_{key}").click().run()  # taken back
    assert rooms.room(code).agreed is None
    assert "Agreed plan" not in [h.value for h in app.header]


def test_participants_see_the_agreed_plan_but_cannot_change_it(data_dir):
    rooms = LocalRoomStore(data_dir)
    code = rooms.open_room("Workshop", default_scenario()).code
    key = rooms.items(code).create("proposals", plan("Kicker plan")).key
    rooms.agree(code, key)
    app = join(room_page(room=code), "Lee", "leadership")
    assert app.header[0].value == "Agreed plan"
    assert f"agree_{key}" not in keys(app)


# -- good and bad in words ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "higher_is_better", "shown"),
    [("+1.2 pp", True, "+1.2 pp · better"), ("-1.2 pp", True, "-1.2 pp · worse"),
     ("+2.4 pp", False, "+2.4 pp · worse"), ("-$95.2k", False, "-$95.2k · better"),
     ("no change", True, "no change"), (None, True, None)],
)  # fmt: skip
def test_a_change_says_better_or_worse_in_words(change, higher_is_better, shown):
    assert verdict(change, higher_is_better) == shown
