"""Session state (workshop_ui.state) and the controls bound to it (workshop_ui.controls)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from workshop_ui import library


def session_app() -> None:
    """A page with two bound controls and the buttons that replace the working scenario."""
    import streamlit as st

    from alignment.levers import with_value
    from workshop_ui import controls, state

    state.ensure_state()
    controls.number(
        "kicker_nova", "commission.kickers.nova", "Nova kicker", min_value=0.0, max_value=200.0,
        step=5.0,
    )  # fmt: skip
    controls.slider(
        "margin_rate", "commission.margin_rate", "Margin rate", min_value=0.0, max_value=30.0,
        step=0.5, format="%.1f%%", scale=100.0,
    )  # fmt: skip
    controls.slider(
        "share_target", "goals.new_product_share.target", "Share target", min_value=1.0,
        max_value=150.0, step=1.0, scale=100.0,
    )  # fmt: skip
    other = with_value(state.status_quo(), "commission.kickers.nova", 80.0)
    st.button("Load another", key="load_other", on_click=state.load, args=(other,))
    st.button("Back", key="back", on_click=state.back_to_status_quo)


@pytest.fixture
def app() -> AppTest:
    return AppTest.from_function(session_app, default_timeout=30).run()


def working(app: AppTest):
    return app.session_state["working_scenario"]


def status_quo(app: AppTest):
    return app.session_state["status_quo_scenario"]


def test_a_new_session_starts_on_the_default_scenario_as_its_own_status_quo(app):
    assert not app.exception
    assert working(app) == library.default_scenario()
    assert status_quo(app) == working(app)


def test_a_control_shows_the_working_scenarios_value(app):
    assert app.number_input(key="kicker_nova").value == 0.0
    assert app.slider(key="margin_rate").value == 8.0  # 0.08 shown as a percentage


def test_a_control_writes_its_value_into_the_working_scenario_only(app):
    app.number_input(key="kicker_nova").set_value(50.0).run()
    app.slider(key="margin_rate").set_value(10.0).run()

    assert working(app).commission.kickers == {"nova": 50.0}
    assert working(app).commission.margin_rate == pytest.approx(0.10)
    assert status_quo(app) == library.default_scenario()


def test_every_change_to_the_working_scenario_counts_as_a_revision(app):
    before = app.session_state["scenario_revision"]

    app.number_input(key="kicker_nova").set_value(50.0).run()
    app.number_input(key="kicker_nova").set_value(60.0).run()

    assert app.session_state["scenario_revision"] == before + 2


def test_a_refused_value_names_the_field_and_leaves_scenario_and_control_as_they_were(app):
    app.slider(key="share_target").set_value(120.0).run()

    assert working(app) == library.default_scenario()
    assert app.slider(key="share_target").value == 12.0
    (error,) = app.error
    assert "goals" in error.value and "target" in error.value


def test_after_a_load_every_control_shows_the_loaded_scenario(app):
    app.number_input(key="kicker_nova").set_value(50.0).run()
    app.slider(key="margin_rate").set_value(12.0).run()

    app.button(key="load_other").click().run()

    assert app.number_input(key="kicker_nova").value == 80.0
    assert app.slider(key="margin_rate").value == 8.0
    assert status_quo(app) == working(app)


def test_back_to_status_quo_puts_the_scenario_and_every_control_back(app):
    app.number_input(key="kicker_nova").set_value(50.0).run()
    app.slider(key="margin_rate").set_value(12.0).run()

    app.button(key="back").click().run()

    assert working(app) == status_quo(app)
    assert app.number_input(key="kicker_nova").value == 0.0
    assert app.slider(key="margin_rate").value == 8.0


def test_two_controls_moved_within_one_round_trip_both_apply_without_an_error(app):
    # A hurried person moves two controls before the server has answered the first: Streamlit
    # then runs both callbacks, one after the other, before the script.
    app.number_input(key="kicker_nova").set_value(50.0)
    app.slider(key="margin_rate").set_value(12.0)
    app.run()

    assert not app.exception
    assert working(app).commission.kickers == {"nova": 50.0}
    assert working(app).commission.margin_rate == pytest.approx(0.12)
    assert app.number_input(key="kicker_nova").value == 50.0
    assert app.slider(key="margin_rate").value == 12.0


def test_a_control_nobody_touched_keeps_its_value_through_a_burst_of_changes(app):
    for value in (9.0, 9.5, 10.0, 10.5, 11.0):
        app.slider(key="margin_rate").set_value(value)
        app.number_input(key="kicker_nova").set_value(value * 2)
        app.run()

    assert not app.exception
    assert app.slider(key="share_target").value == 12.0
    assert working(app).goals.new_product_share.target == pytest.approx(0.12)
    assert working(app).commission.margin_rate == pytest.approx(0.11)
    assert working(app).commission.kickers == {"nova": 22.0}


def test_a_typed_number_outside_the_range_is_refused_with_the_range_and_why(app):
    app.number_input(key="kicker_nova").set_value(500.0).run()

    assert not app.exception
    assert working(app) == library.default_scenario()
    assert app.number_input(key="kicker_nova").value == 0.0
    (error,) = app.error
    assert "Nova kicker" in error.value
    assert "500" in error.value and "0 to 200" in error.value
    assert "range this control allows" in error.value


def test_a_value_changed_elsewhere_shows_in_the_control_on_the_next_run(app):
    from alignment.levers import with_value

    changed = with_value(working(app), "commission.margin_rate", 0.2)
    app.session_state["working_scenario"] = changed
    app.run()

    assert app.slider(key="margin_rate").value == 20.0
