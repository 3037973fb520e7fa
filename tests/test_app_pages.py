"""The workshop app, page by page, driven through Streamlit's AppTest (no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

from workshop_ui import layout, library

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "pages").glob("*.py"))
TIMEOUT = 60


@pytest.fixture(autouse=True)
def workshop_store(tmp_path, monkeypatch):
    """Every test saves into a folder of its own."""
    monkeypatch.setenv("ALIGNMENT_DATA_DIR", str(tmp_path / "workshop_data"))


def open_app(page: str | None = None) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    if page is not None:
        app.switch_page(page).run()
    return app


def working(app: AppTest):
    return app.session_state["working_scenario"]


def product_row(app: AppTest, product_id: str):
    """The product's row in the page's per-product table (index: product id)."""
    (table,) = app.dataframe
    return table.value.loc[product_id]


def as_read(markdown: str) -> str:
    """Markdown as the reader sees it: without the escapes that keep user text literal."""
    return markdown.replace("\u2060", "").replace("\\", "")


def share_tiles(app: AppTest) -> list[float]:
    """The per-product "Market share" tiles of the pricing page, in product order, as %."""
    return [float(m.value.rstrip("%")) for m in app.metric if m.label == "Market share"]


@pytest.mark.parametrize("page", ["app.py", *PAGES])
def test_every_page_renders_without_an_exception(page):
    app = open_app(None if page == "app.py" else page)

    assert not app.exception, app.exception
    assert app.title, f"{page} shows no title"


@pytest.mark.parametrize("shipped", library.shipped_scenarios(), ids=lambda item: item.path.stem)
def test_every_page_works_for_every_shipped_scenario(shipped):
    app = open_app()
    app.selectbox(key="shipped_choice").set_value(layout.plain(shipped.name))
    app.button(key="load_shipped").click().run()
    assert working(app) == shipped.scenario

    for page in PAGES:
        app.switch_page(page).run()
        assert not app.exception, f"{page}: {app.exception}"
        assert not app.error, f"{page}: {app.error[0].value}"


def test_the_overview_shows_the_headline_numbers_against_the_status_quo():
    app = open_app()

    labels = [metric.label for metric in app.metric]
    assert labels == [
        "New-product share", "Gross margin %", "Contribution", "Rep motivation", "Goal conflict",
    ]  # fmt: skip
    assert all(metric.delta == "no change" for metric in app.metric)


def test_raising_the_new_products_kicker_raises_its_share_and_hours():
    app = open_app("pages/3_Commission_plan.py")
    before = product_row(app, "nova")

    app.number_input(key="kicker_nova").set_value(60.0).run()

    after = product_row(app, "nova")
    assert after["share"] > before["share"]
    assert after["hours"] > before["hours"]
    assert after["commission_per_unit"] == pytest.approx(before["commission_per_unit"] + 60.0)


def test_a_lower_goal_conflict_shows_as_good_news():
    app = open_app("pages/3_Commission_plan.py")

    app.number_input(key="kicker_nova").set_value(60.0).run()

    conflict = next(metric for metric in app.metric if metric.label == "Goal conflict")
    contribution = next(metric for metric in app.metric if metric.label == "Contribution")
    assert conflict.delta.startswith("-")
    assert conflict.proto.color == MetricProto.MetricColor.GREEN
    assert contribution.delta.startswith("-")
    assert contribution.proto.color == MetricProto.MetricColor.RED


def test_raising_a_products_price_lowers_its_share():
    app = open_app("pages/2_Pricing.py")
    before = share_tiles(app)

    app.slider(key="price_nova").set_value(700.0).run()

    after = share_tiles(app)
    assert after[2] < before[2]
    assert working(app).product("nova").price == 700.0


def test_edits_persist_across_page_switches():
    app = open_app("pages/3_Commission_plan.py")
    app.number_input(key="kicker_nova").set_value(60.0).run()

    app.switch_page("pages/4_Outcomes.py").run()
    outcome_hours = product_row(app, "nova")["hours"]
    app.switch_page("pages/3_Commission_plan.py").run()

    assert app.number_input(key="kicker_nova").value == 60.0
    assert product_row(app, "nova")["hours"] == pytest.approx(outcome_hours)
    assert working(app).commission.kickers == {"nova": 60.0}


def test_an_invalid_upload_shows_every_problem_and_leaves_the_working_scenario_untouched():
    app = open_app("pages/3_Commission_plan.py")
    app.number_input(key="kicker_nova").set_value(60.0).run()
    edited = working(app)
    app.switch_page("pages/0_Overview.py").run()
    broken = library.DEFAULT_SCENARIO.read_text(encoding="utf-8")
    broken = broken.replace("reps: 40", "reps: -3").replace("price: 600", "price: cheap")

    app.file_uploader(key="scenario_upload").upload("broken.yaml", broken.encode(), "text/yaml")
    app.run()

    assert not app.exception
    (error,) = app.error
    assert "sales_team.reps" in as_read(error.value)
    assert "products[2].price" in as_read(error.value)
    assert working(app) == edited


def test_a_valid_upload_becomes_the_status_quo_and_the_working_scenario():
    text = library.DEFAULT_SCENARIO.read_text(encoding="utf-8").replace("price: 600", "price: 550")
    app = open_app()

    app.file_uploader(key="scenario_upload").upload("mine.yaml", text.encode(), "text/yaml")
    app.run()

    assert not app.error
    assert working(app).product("nova").price == 550
    assert app.session_state["status_quo_scenario"] == working(app)


def test_back_to_status_quo_restores_the_baseline_everywhere():
    app = open_app("pages/2_Pricing.py")
    app.slider(key="price_nova").set_value(700.0).run()
    app.switch_page("pages/3_Commission_plan.py").run()
    app.number_input(key="kicker_nova").set_value(60.0).run()

    app.sidebar.button(key="back_to_status_quo").click().run()

    assert working(app) == app.session_state["status_quo_scenario"]
    assert app.number_input(key="kicker_nova").value == 0.0
    app.switch_page("pages/2_Pricing.py").run()
    assert app.slider(key="price_nova").value == 600.0
    assert all(metric.delta == "no change" for metric in app.metric)


def test_a_refused_goal_change_names_the_field_and_keeps_the_scenario():
    app = open_app("pages/1_Goals.py")
    for goal in ("contribution", "new_product_share"):
        app.slider(key=f"goal_{goal}_weight").set_value(0.0).run()
    before = working(app)

    app.slider(key="goal_gross_margin_pct_weight").set_value(0.0).run()

    assert working(app) == before
    assert any("goal weight" in error.value for error in app.error)


def test_loading_a_shipped_scenario_resets_every_control():
    app = open_app("pages/3_Commission_plan.py")
    app.number_input(key="kicker_nova").set_value(60.0).run()
    app.switch_page("pages/0_Overview.py").run()

    app.selectbox(key="shipped_choice").set_value(library.default_scenario().metadata.name)
    app.button(key="load_shipped").click().run()
    app.switch_page("pages/3_Commission_plan.py").run()

    assert app.number_input(key="kicker_nova").value == 0.0
    assert working(app) == library.default_scenario()


def test_saving_puts_the_working_scenario_in_the_library():
    app = open_app("pages/6_Scenarios.py")
    app.text_input(key="save_name").set_value("Nova kicker proposal")
    app.text_input(key="save_author").set_value("Sales VP")

    app.button(key="save_scenario").click().run()

    assert not app.exception
    assert app.success
    assert working(app).metadata.name == "Nova kicker proposal"
    saved = [o for o in app.selectbox(key="library_choice").options if o.startswith("Saved: ")]
    assert len(saved) == 1 and "Nova kicker proposal (Sales VP" in saved[0]


def test_saving_without_a_name_is_refused_and_says_which_field():
    app = open_app("pages/6_Scenarios.py")
    app.text_input(key="save_name").set_value("")

    app.button(key="save_scenario").click().run()

    assert not app.success
    assert any("metadata.name" in as_read(error.value) for error in app.error)


def test_comparing_two_scenarios_marks_the_inputs_that_differ():
    app = open_app("pages/2_Pricing.py")
    app.slider(key="price_nova").set_value(700.0).run()

    app.switch_page("pages/6_Scenarios.py").run()

    _outcomes, inputs = app.dataframe
    differing = inputs.value
    assert list(differing["Field"]) == ["products.nova.price"]
    assert list(differing.iloc[0, 1:]) == ["600", "700"]
