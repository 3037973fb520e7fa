"""The Calibrate page through AppTest: empty state, the example, mapping, choosing, applying."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from workshop_ui.calibrate_charts import win_rate_chart

ROOT = Path(__file__).resolve().parents[1]
PAGE = "pages/8_Calibrate.py"


@pytest.fixture
def app() -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    return app.switch_page(PAGE).run()


def test_the_empty_page_explains_the_file_and_offers_the_example(app):
    assert not app.exception
    assert app.title[0].value == "Calibrate"
    assert "won and lost" in app.info[0].value
    assert app.button(key="calibrate_use_example")


def test_the_example_is_fitted_mapped_and_applied(app):
    app.button(key="calibrate_use_example").click().run()
    assert not app.exception and not app.error
    mapped = {box.key: box.value for box in app.selectbox if box.key.startswith("calibrate_map")}
    assert sorted(mapped.values()) == ["nova", "pro", "standard"]
    choice = app.get("button_group")
    assert len(choice) == 3
    before = app.session_state["working_scenario"]
    app.button(key="calibrate_apply").click().run()
    after = app.session_state["working_scenario"]
    assert after.product("nova").price_elasticity != before.product("nova").price_elasticity
    assert "price_elasticity.nova" in after.uncertainty.ranges
    assert "Applied" in app.success[0].value


def test_leaving_a_product_out_keeps_its_prior(app):
    app.button(key="calibrate_use_example").click().run()
    box = next(b for b in app.selectbox if b.value == "nova")
    box.set_value("").run()
    assert not app.exception
    app.button(key="calibrate_apply").click().run()
    assert app.session_state["working_scenario"].product("nova").price_elasticity == 3.0


def test_a_bad_upload_shows_row_and_column_and_no_traceback(app, monkeypatch):
    from workshop_ui import calibrate_data

    app.session_state["calibrate_source"] = calibrate_data.DealSource.of(
        "bad.csv", b"Product,ListPrice,UnitPrice,IsWon\nNova,650,abc,true\n"
    )
    app.run()
    assert not app.exception
    assert 'row 2, column "UnitPrice" (C)' in app.error[0].value.replace("\\", "")


def test_the_win_rate_chart_shows_fit_band_prior_and_data():
    curve = pd.DataFrame(
        {"relative_price": [0.8, 1.0], "fitted": [0.4, 0.3], "low": [0.35, 0.25],
         "high": [0.45, 0.35], "prior": [0.42, 0.28]}
    )  # fmt: skip
    binned = pd.DataFrame({"relative_price": [0.85], "win_rate": [0.38], "deals": [120]})
    spec = win_rate_chart(curve, binned, "#0072B2", 0.92).to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["area", "line", "circle", "rule"]
    assert spec["config"]["locale"]["number"]["percent"] == " %"  # "92.0 %", as on the page
    assert isinstance(win_rate_chart(curve.iloc[:0], binned, "#000", None), alt.LayerChart)


def test_calibrate_comes_right_after_overview_in_the_navigation(monkeypatch):
    import runpy

    import streamlit as st

    seen: list[str] = []
    monkeypatch.setattr(st, "Page", lambda page, default=False: Path(page).stem)
    monkeypatch.setattr(st, "navigation", lambda pages: seen.extend(pages) or _Runner())
    runpy.run_path(str(ROOT / "app.py"))
    assert seen[:3] == ["0_Overview", "8_Calibrate", "1_Goals"]
    assert seen[3:] == sorted(seen[3:])


class _Runner:
    def run(self) -> None:
        pass
