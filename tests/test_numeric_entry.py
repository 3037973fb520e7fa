"""Prices and rates can be typed as well as slid: a number input beside each slider, bound to the
same field, so a phone can set an exact price its slider's steps cannot reach (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from alignment.levers import with_value
from alignment.storage import LocalFolderStore
from workshop_ui import library

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60


@pytest.fixture(autouse=True)
def workshop_store(tmp_path, monkeypatch):
    """Every test saves into a folder of its own."""
    monkeypatch.setenv("ALIGNMENT_DATA_DIR", str(tmp_path / "workshop_data"))
    return tmp_path / "workshop_data"


def open_page(page: str, query: dict[str, str] | None = None) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    app.query_params.update(query or {})
    app.run()
    app.switch_page(page).run()
    return app


def working(app: AppTest):
    return app.session_state["working_scenario"]


def refusals(app: AppTest) -> list[str]:
    return [error.value.replace("\\", "") for error in app.error]


def test_a_typed_price_changes_the_working_scenario_and_the_slider_follows():
    app = open_page("pages/2_Pricing.py")

    app.number_input(key="price_nova_entry").set_value(613.0).run()

    assert not app.exception
    assert working(app).product("nova").price == 613.0
    assert app.slider(key="price_nova").value == 613.0
    assert app.number_input(key="price_nova_entry").value == 613.0


def test_a_moved_slider_shows_in_the_price_input_beside_it():
    app = open_page("pages/2_Pricing.py")

    app.slider(key="price_pro").set_value(1250.0).run()

    assert working(app).product("pro").price == 1250.0
    assert app.number_input(key="price_pro_entry").value == 1250.0


def test_a_typed_price_outside_the_range_is_refused_naming_field_and_range():
    app = open_page("pages/2_Pricing.py")
    before = working(app)

    app.number_input(key="price_nova_entry").set_value(50_000.0).run()

    assert not app.exception
    assert working(app) == before
    assert app.number_input(key="price_nova_entry").value == before.product("nova").price
    assert app.slider(key="price_nova").value == before.product("nova").price
    (message,) = [text for text in refusals(app) if "outside the allowed range" in text]
    assert "Nova (new) price ($): 50000 is outside the allowed range" in message
    assert "450 to 800 (the negotiation range agreed for this price)" in message


def test_typed_commission_rates_are_percentages_of_the_same_field_as_the_sliders():
    app = open_page("pages/3_Commission_plan.py")

    app.number_input(key="margin_rate_entry").set_value(12.5).run()
    app.number_input(key="revenue_rate_entry").set_value(2.75).run()

    assert not app.exception
    plan = working(app).commission
    assert plan.margin_rate == pytest.approx(0.125)
    assert plan.revenue_rate == pytest.approx(0.0275)
    assert app.slider(key="margin_rate").value == pytest.approx(12.5)
    assert app.slider(key="revenue_rate").value == pytest.approx(2.75)


def test_a_typed_rate_outside_the_range_changes_nothing():
    app = open_page("pages/3_Commission_plan.py")
    before = working(app)

    app.number_input(key="margin_rate_entry").set_value(45.0).run()

    assert working(app) == before
    assert any("Margin rate (%): 45.00 is outside the allowed range" in t for t in refusals(app))


def test_a_euro_scenario_labels_prices_and_amounts_in_euros(workshop_store):
    in_euros = with_value(library.default_scenario(), "metadata.currency", "EUR")
    LocalFolderStore(workshop_store).save_draft("euro-session-draft-0001", in_euros, in_euros)

    pricing = open_page("pages/2_Pricing.py", {"session": "euro-session-draft-0001"})
    commission = open_page("pages/3_Commission_plan.py", {"session": "euro-session-draft-0001"})

    assert working(pricing).metadata.currency == "EUR"
    assert pricing.slider(key="price_nova").label == "Price (€ per unit)"
    assert pricing.number_input(key="price_nova_entry").label == "Nova (new) price (€)"
    labels = [w.label for w in (*commission.number_input, *commission.slider)]
    assert "Quota per rep (€ thousand per period)" in labels
    assert "Kickers (€ per unit)" in [header.value for header in commission.subheader]
    assert not [label for label in labels if "$" in label]


def test_a_euro_scenario_labels_goals_marketing_and_the_compromise_in_euros(workshop_store):
    in_euros = with_value(library.default_scenario(), "metadata.currency", "EUR")
    LocalFolderStore(workshop_store).save_draft("euro-session-draft-0002", in_euros, in_euros)
    query = {"session": "euro-session-draft-0002"}

    goals = open_page("pages/1_Goals.py", query)
    marketing = open_page("pages/5_Marketing.py", query)
    compromise = open_page("pages/7_Compromise.py", query)

    goal_labels = [w.label for w in (*goals.number_input, *goals.slider)]
    assert "Target (€ million per period)" in goal_labels
    assert any(label.endswith("beyond its margin (€ per unit)") for label in goal_labels)
    assert "Budget (€ thousand per period)" in [h.value for h in marketing.subheader]
    assert "Min contribution (€)" in [w.label for w in compromise.number_input]
    assert (
        "Earnings less the cost of effort (€ per rep)"
        in compromise.radio(key="rep_utility").options
    )
    texts = [w.label for w in (*goals.number_input, *marketing.number_input,
                               *compromise.number_input)]  # fmt: skip
    assert not [label for label in texts if "$" in label]


def test_a_stale_echo_of_the_input_beside_a_moved_slider_does_not_undo_the_move():
    """The browser's next message after a slider move can still carry the input's old value:
    with the slider moved again in the same message, the input's old value is not a change."""
    app = open_page("pages/2_Pricing.py")
    app.slider(key="price_nova").set_value(650.0).run()  # the page sends 650 to the input

    app.slider(key="price_nova").set_value(700.0)
    app.number_input(key="price_nova_entry").set_value(600.0)  # not yet drawn: still 600
    app.run()

    assert working(app).product("nova").price == 700.0
    assert app.number_input(key="price_nova_entry").value == 700.0
    assert app.slider(key="price_nova").value == 700.0


def test_typing_back_the_price_the_slider_moved_from_is_a_real_change():
    app = open_page("pages/2_Pricing.py")
    app.slider(key="price_nova").set_value(650.0).run()

    app.number_input(key="price_nova_entry").set_value(600.0).run()

    assert working(app).product("nova").price == 600.0
    assert app.slider(key="price_nova").value == 600.0


def test_a_stale_echo_arriving_with_another_fields_change_is_ignored_too():
    app = open_page("pages/3_Commission_plan.py")
    app.slider(key="revenue_rate").set_value(1.25).run()

    app.slider(key="margin_rate").set_value(9.0)
    app.number_input(key="revenue_rate_entry").set_value(0.0)  # the old rate, still shown
    app.run()

    plan = working(app).commission
    assert plan.revenue_rate == pytest.approx(0.0125)
    assert plan.margin_rate == pytest.approx(0.09)
    assert app.number_input(key="revenue_rate_entry").value == pytest.approx(1.25)
