"""The workshop app, page by page, driven through Streamlit's AppTest (no browser)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

from alignment.goals import GOAL_NAMES
from alignment.levers import with_values
from workshop_ui import explain, layout, library, model

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


def metric_tile(app: AppTest, label: str):
    """The page's metric tile with this label."""
    return next(metric for metric in app.metric if metric.label == label)


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
        "New-product share", "Gross margin %", "Contribution", "Rep motivation",
        "Goal conflict",
    ]  # fmt: skip
    assert all(metric.delta == "no change" for metric in app.metric)


def test_every_headline_tile_says_its_scale_and_unit():
    app = open_app()

    tiles = {metric.label: metric for metric in app.metric}
    assert tiles["Rep motivation"].value.endswith(" / 100")
    assert tiles["New-product share"].value.endswith("%")
    assert tiles["Contribution"].value.startswith("$")
    assert "per period" in tiles["Contribution"].proto.help
    assert "selling time" in tiles["Goal conflict"].proto.help
    assert "0–100" in tiles["Rep motivation"].proto.help


@pytest.mark.parametrize("page", PAGES)
def test_every_money_tile_says_per_period_and_every_score_its_scale(page):
    app = open_app(page)

    for metric in app.metric:
        if metric.value.lstrip("−-").startswith("$"):
            assert "per period" in metric.proto.help, metric.label
        if metric.label == "Rep motivation":
            assert metric.value.endswith(" / 100")


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

    conflict = metric_tile(app, "Goal conflict")
    contribution = metric_tile(app, "Contribution")
    assert conflict.delta.startswith("-")
    assert conflict.proto.color == MetricProto.MetricColor.GREEN
    assert contribution.delta.startswith("-")
    assert contribution.proto.color == MetricProto.MetricColor.RED


def test_a_motivation_tiles_change_is_short_enough_to_show_its_verdict_whole():
    app = open_app("pages/2_Pricing.py")

    app.slider(key="price_nova").set_value(620.0).run()  # the reps give up: 25.9 -> 0

    # Five tiles to a row at 1280 px cut "-25.9 points · worse" to "-25.9 points · wo…".
    assert metric_tile(app, "Rep motivation").delta == "-25.9 pts · worse"


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
    before = working(app)

    app.text_area(key="strategic_value_reason").input("Installed base\x1b").run()

    assert working(app) == before
    assert any("goals.strategic_value_reason" in as_read(e.value) for e in app.error)


def test_the_goals_page_has_targets_and_hard_constraints_but_no_weights():
    app = open_app("pages/1_Goals.py")

    keys = {widget.key for widget in [*app.slider, *app.number_input, *app.toggle]}
    assert not [key for key in keys if key.endswith("_weight")]
    assert {"goal_contribution_target", "goal_new_product_share_target"} <= keys
    assert {f"goal_{goal}_hard" for goal in GOAL_NAMES} <= keys


def test_a_hard_constraint_toggle_writes_the_goal():
    app = open_app("pages/1_Goals.py")

    app.toggle(key="goal_new_product_share_hard").set_value(True).run()

    assert working(app).goals.new_product_share.hard is True
    assert working(app).goals.contribution.hard is False


def test_the_scorecard_says_met_near_or_missed_in_words_as_well_as_colour():
    app = open_app("pages/1_Goals.py")

    badges = [md.value for md in app.markdown if "-badge[" in md.value]
    assert len(badges) == len(GOAL_NAMES)
    assert all(any(word in badge for word in ("Met", "Near", "Missed")) for badge in badges)
    assert any(":material/" in badge for badge in badges)


def test_what_leadership_values_writes_the_scenario_and_shows_the_exchange_rate():
    app = open_app("pages/1_Goals.py")
    value_before = metric_tile(app, "Leadership's value")

    app.number_input(key="strategic_value_nova").set_value(640.0).run()

    assert working(app).goals.strategic_value == {"nova": 640.0}
    # 640 per unit × 50,000 units in Nova's segment / 100 points = 320k per point of share
    assert any(
        "Leadership values one point of Nova (new) share at $320k per period" in as_read(md.value)
        for md in app.markdown
    )
    value_after = metric_tile(app, "Leadership's value")
    assert value_after.value != value_before.value
    assert value_after.delta.startswith("+")


def test_a_negative_value_of_a_strategic_unit_is_refused_with_its_range():
    app = open_app("pages/1_Goals.py")
    before = working(app)

    app.number_input(key="strategic_value_nova").set_value(-5.0).run()

    assert working(app) == before
    assert any("outside the allowed range" in as_read(e.value) for e in app.error)


def test_the_reason_for_the_value_writes_on_change():
    app = open_app("pages/1_Goals.py")

    app.text_area(key="strategic_value_reason").input("Each Nova placed renews for years.").run()

    assert working(app).goals.strategic_value_reason == "Each Nova placed renews for years."
    assert not app.error


def test_the_commission_page_shows_motivation_factors_and_team_hours():
    app = open_app("pages/3_Commission_plan.py")

    labels = {metric.label for metric in app.metric}
    assert {"Expectancy", "Instrumentality", "Valence", "Team selling hours"} <= labels
    assert metric_tile(app, "Team selling hours").value.endswith(" h")
    captions = " ".join(as_read(caption.value) for caption in app.caption)
    assert "Can I reach my goals?" in captions
    assert "Does more effort pay?" in captions
    assert "Is the reward worth having?" in captions
    assert "Today 40 reps × 1,500 h = 60,000 h per period" in captions


def test_a_better_paid_new_product_draws_more_selling_hours():
    app = open_app("pages/3_Commission_plan.py")

    app.number_input(key="kicker_nova").set_value(60.0).run()

    assert metric_tile(app, "Team selling hours").delta.startswith("+")


def test_with_no_effort_response_the_team_keeps_todays_hours():
    app = open_app("pages/3_Commission_plan.py")
    app.slider(key="effort_response").set_value(0.0).run()
    assert working(app).sales_team.effort_response == 0.0

    app.number_input(key="kicker_nova").set_value(60.0).run()

    assert metric_tile(app, "Team selling hours").value == "60,000 h"


def test_the_pay_per_unit_table_shows_expected_marginal_pay():
    app = open_app("pages/3_Commission_plan.py")

    nova = product_row(app, "nova")

    assert nova["expected_marginal_pay"] > 0
    assert nova["expected_marginal_pay"] != pytest.approx(nova["commission_per_unit"])


def test_the_outcomes_page_shows_leaderships_value_hours_earnings_and_motivation():
    app = open_app("pages/4_Outcomes.py")

    labels = {metric.label for metric in app.metric}
    assert {
        "Leadership's value", "Team selling hours", "Expected earnings per rep",
        "Rep utility per rep", "Rep motivation", "Expectancy", "Instrumentality", "Valence",
    } <= labels  # fmt: skip
    captions = " ".join(as_read(caption.value) for caption in app.caption)
    assert "against on-target earnings of $85k" in captions


def test_the_marketing_page_shows_deals_and_each_return_on_investment():
    app = open_app("pages/5_Marketing.py")

    tiles = {metric.label: metric for metric in app.metric}
    for label in ("Lead-generation ROI", "Push-content ROI", "Marketing ROI (both)"):
        assert tiles[label].value.endswith("%"), label
        assert "per $ spent" in tiles[label].proto.help
    assert tiles["Deals sourced"].value.endswith(" units")
    assert "adds" in tiles["Deals influenced"].proto.help


@pytest.mark.parametrize("page", PAGES)
def test_a_plan_whose_hours_did_not_settle_is_flagged_on_every_page(page, monkeypatch):
    monkeypatch.setattr(model, "converged", lambda *scenarios: False)

    app = open_app(page)

    assert not app.exception, app.exception
    assert any(explain.NOT_CONVERGED in as_read(w.value) for w in app.warning)


def test_a_settled_plan_carries_no_warning():
    app = open_app("pages/4_Outcomes.py")

    assert not any(explain.NOT_CONVERGED in as_read(w.value) for w in app.warning)


def test_preferred_prices_at_the_edge_of_the_search_say_at_least_or_at_most(monkeypatch):
    found = model.price_preferences

    def at_the_edges(scenario, status_quo=None):
        return {
            pid: replace(
                preference,
                rep_price_at_edge="high",
                rep_price_below_cost=True,
                best_price_at_edge="low",
            )
            for pid, preference in found(scenario, status_quo).items()
        }

    monkeypatch.setattr(model, "price_preferences", at_the_edges)
    app = open_app("pages/2_Pricing.py")

    lines = [as_read(md.value) for md in app.markdown if "Reps would pick" in md.value]
    assert lines and all("at least $" in line and "at most $" in line for line in lines)
    assert all("(below unit cost)" in line for line in lines)


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

    tables = {frame.value.columns[0]: frame.value for frame in app.dataframe}
    differing = tables["Input"]
    assert list(differing["Input"]) == ["Nova (new): price"]
    assert list(differing.iloc[0, 1:]) == ["$600", "$700"]
    rows = tables["Outcome"].set_index("Outcome")
    assert rows.loc["Reps' hours settled", "Before"] == rows.loc["Reps' hours settled", "After"]
    assert rows.loc["Reps' hours settled", "After"] == "yes"
    assert rows.loc["Rep motivation", "Before"].endswith(" / 100")


def out_of_reach_warnings(app: AppTest) -> list[str]:
    return [as_read(w.value) for w in app.warning if "out of reach" in w.value]


@pytest.mark.parametrize("page", ["pages/0_Overview.py", "pages/2_Pricing.py",
                                  "pages/3_Commission_plan.py"])  # fmt: skip
def test_a_target_out_of_reach_says_why_motivation_fell_to_zero(page):
    app = open_app("pages/2_Pricing.py")
    assert out_of_reach_warnings(app) == []  # today's plan can still reach it

    # Nova's share falls just below what the team's hours can lift to the reps' target: they
    # give up, and with fewer hours the target slips further away (the shipped scenario).
    app.slider(key="price_nova").set_value(620.0).run()
    app.switch_page(page).run()

    (warning,) = out_of_reach_warnings(app)
    assert "12.0 %" in warning  # the share reps are held to
    assert "all 30,000 selling hours moved to Nova (new)" in warning
    assert "fewest hours (30,000 h; 60,000 today)" in warning
    assert metric_tile(app, "Rep motivation").value == "0 / 100"
    assert metric_tile(app, "Goal conflict").value == "100.0 %"


def test_a_target_out_of_reach_with_hours_held_names_no_floor():
    held = with_values(library.default_scenario(), {"sales_team.effort_response": 0.0})
    totals = {"goal_conflict": 1.0, "team_hours": 60_000.0}

    text = explain.target_out_of_reach(totals, held)

    assert text is not None and "60,000 selling hours" in text
    assert "fewest hours" not in text
    assert explain.target_out_of_reach({**totals, "goal_conflict": 0.999}, held) is None


def test_price_charts_say_where_the_reps_target_is_out_of_reach():
    app = open_app("pages/2_Pricing.py")

    captions = [as_read(c.value) for c in app.caption if "out of reach" in c.value]

    # Nova dearer, or Pro or Standard cheaper, takes Nova's share below what every hour lifts.
    assert len(captions) == 3
    pro, standard, nova = captions
    assert pro.startswith("Reps' new-product target out of reach up to about $1,05")
    assert standard.startswith("Reps' new-product target out of reach up to about $68")
    assert nova.startswith("Reps' new-product target out of reach from about $61")
    assert nova.endswith("the team sells only its fewest hours (the step in the curve).")


@pytest.mark.parametrize(
    ("spans", "respond", "expected"),
    [
        ([], True, None),
        ([(1.0, 4.0)], True, "at every price shown: not even every selling hour would reach "
         "it, so motivation is 0 and the team sells only its fewest hours."),
        ([(2.0, 3.0)], False, "from about $2 to $3: not even every selling hour would reach "
         "it, so motivation is 0."),
        ([(1.0, 2.0), (3.0, 4.0)], True, "up to about $2, and from about $3 up: "),
    ],
)  # fmt: skip
def test_the_out_of_reach_caption_names_its_prices(spans, respond, expected):
    text = explain.out_of_reach_prices(spans, 1.0, 4.0, hours_respond=respond)

    if expected is None:
        assert text is None
    else:
        assert expected in text
