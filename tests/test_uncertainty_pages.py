"""The "How sure are we?" sections of the Outcomes and Compromise pages, and their charts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from alignment import load_scenario
from alignment.levers import with_value
from alignment.sensitivity import sensitivity_ranking
from alignment.uncertainty import FIGURES, plan_uncertainty
from tests.chart_data import arrow_rows
from workshop_ui import charts, uncertainty_charts, uncertainty_view

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 120


@pytest.fixture(autouse=True)
def workshop_store(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGNMENT_DATA_DIR", str(tmp_path / "workshop_data"))
    monkeypatch.setattr(uncertainty_view, "PAGE_DRAWS", 12)
    monkeypatch.setattr(uncertainty_view, "PAGE_TRAJECTORIES", 2)


def open_page(page: str) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    app.switch_page(page).run()
    return app


def test_outcomes_shows_how_sure_we_are_without_an_exception():
    app = open_page("pages/4_Outcomes.py")
    assert not app.exception
    assert "How sure are we?" in [h.value for h in app.subheader]
    assert any("based on 12 draws" in c.value for c in app.caption)
    assert any("working plan is the status quo" in i.value for i in app.info)


def test_a_changed_plan_shows_the_chance_both_sides_gain_in_words():
    app = open_page("pages/4_Outcomes.py")
    working = app.session_state["working_scenario"]
    cheaper = with_value(working, "products.nova.price", working.product("nova").price * 0.85)
    app.session_state["working_scenario"] = cheaper
    app.run()
    assert not app.exception
    (tile,) = [m for m in app.metric if m.label == "Working"]
    assert tile.value in {
        "None",
        "Every one",
        "Under 1 in 10",
        "Over 9 in 10",
    } or tile.value.endswith(" in 10")


def test_a_spread_slider_writes_into_the_working_scenario():
    app = open_page("pages/4_Outcomes.py")
    app.slider(key="uncertainty_spread_price_elasticity").set_value(50.0).run()
    assert not app.exception
    assert app.session_state["working_scenario"].uncertainty.spread["price_elasticity"] == 0.5


def band_titles(app: AppTest) -> list[str]:
    """The titles of the band charts on the page, in order."""
    band_names = {title for _, title, _ in FIGURES}
    titles = []
    for chart in app.get("vega_lite_chart"):
        title = json.loads(chart.proto.spec).get("title", {})
        text = title.get("text") if isinstance(title, dict) else title
        if text in band_names:
            titles.append(text)
    return titles


def test_three_bands_show_by_default_and_every_figure_on_request():
    # Each band is a chart the browser redraws when the plans move: three by default (what
    # each side bargains over and the launch's goal), all nine when asked.
    app = open_page("pages/4_Outcomes.py")
    assert band_titles(app) == [
        "Leadership's value", "Reps' earnings less the cost of effort", "New-product share",
    ]  # fmt: skip
    app.toggle(key="outcomes_every_band").set_value(True).run()
    assert not app.exception
    assert band_titles(app) == [title for _, title, _ in FIGURES]


def test_compromise_shows_how_sure_we_are_without_an_exception():
    app = open_page("pages/7_Compromise.py")
    assert not app.exception
    assert any(h.value.endswith("How sure are we?") for h in app.header)


@pytest.mark.parametrize(
    ("probability", "words"),
    [(0.0, "None"), (0.02, "Under 1 in 10"), (0.68, "7 in 10"), (0.97, "Over 9 in 10"),
     (1.0, "Every one")],
)  # fmt: skip
def test_the_chance_reads_as_people_say_it(probability, words):
    assert uncertainty_view.chance_words(probability) == words


def test_the_chance_sentence_says_how_many_draws_are_behind_it():
    assert uncertainty_view.chance_sentence(0.7, 300).startswith(
        "7 in 10 chances both sides are better off than today (210 of 300 draws"
    )


@pytest.fixture(scope="module")
def found_and_ranking():
    today = load_scenario(ROOT / "scenarios" / "launch_conflict.yaml")
    cheaper = with_value(today, "products.nova.price", today.product("nova").price * 0.85)
    found = plan_uncertainty(cheaper, [today, cheaper], today, draws=12,
                             names=["Status quo", "Working"])  # fmt: skip
    return found, sensitivity_ranking(cheaper, None, today, trajectories=2)


def test_every_band_chart_is_a_valid_spec_with_one_row_per_plan(found_and_ranking):
    found, _ = found_and_ranking
    for field, title, kind in FIGURES:
        spec = uncertainty_charts.band_chart(found, field, title, kind, currency="USD").to_dict()
        assert len(spec["layer"]) == 3
        assert spec["title"]["text"] == title
    colours = uncertainty_charts.plan_colours(["Status quo", "Working", "Deal"])
    assert colours["Status quo"] == "#A3A3A3" and len(set(colours.values())) == 3


def test_a_band_spec_from_its_template_is_the_band_chart_with_the_same_data(found_and_ranking):
    # The page draws specs filled into a template kept per figure; they must show what the
    # chart built afresh shows: the same layers, rows, values and axis range.
    found, _ = found_and_ranking
    for field, title, kind in FIGURES:
        fresh = charts.spec_of(
            uncertainty_charts.band_chart(found, field, title, kind, currency="EUR")
        )
        kept = uncertainty_charts.band_spec(found, field, title, kind, currency="EUR")
        fresh_rows = {
            layer["data"]["name"]: fresh["datasets"][layer["data"]["name"]].to_dict("records")
            for layer in fresh["layer"]
        }
        kept_rows = [arrow_rows(kept["datasets"][layer["data"]["name"]]) for layer in kept["layer"]]
        assert kept_rows == [fresh_rows[layer["data"]["name"]] for layer in fresh["layer"]]
        for fresh_layer, kept_layer in zip(fresh["layer"], kept["layer"], strict=True):
            assert kept_layer["encoding"] == fresh_layer["encoding"]
            assert kept_layer["mark"] == fresh_layer["mark"]
        assert kept["config"] == fresh["config"] and kept["height"] == fresh["height"]
    # Fewer plans: their own rows only, nothing left from the spec drawn before.
    fewer = uncertainty_charts.band_spec(
        found[:1], "contribution", "Contribution", "money", currency="EUR"
    )
    assert [row["plan"] for row in arrow_rows(fewer["datasets"]["bands"])] == [found[0].name]


def test_a_euro_scenarios_band_charts_show_euros_scaled_as_the_pages_write_money(
    found_and_ranking,
):
    found, _ = found_and_ranking
    for field, title, kind in FIGURES:
        spec = uncertainty_charts.band_chart(found, field, title, kind, currency="EUR").to_dict()
        assert spec["config"]["locale"]["number"]["currency"] == ["€", ""]
        assert spec["config"]["locale"]["number"]["percent"] == " %"
        axis = spec["layer"][0]["encoding"]["x"]["axis"]
        if kind == "money":
            assert "'M'" in axis["labelExpr"] and "~s" not in axis["labelExpr"]
        else:
            assert not axis["format"].startswith("$")


def test_the_ranking_chart_puts_the_most_decisive_input_on_top(found_and_ranking):
    _, ranking = found_and_ranking
    spec = uncertainty_charts.ranking_chart(ranking).to_dict()
    frame = uncertainty_charts.ranking_frame(ranking)
    assert spec["encoding"]["y"]["sort"][0] == ranking.influences[0].parameter.label
    assert set(frame["party"]) == {"Leadership", "Sales"}
    assert len(frame) <= 2 * uncertainty_charts.TOP_INPUTS
