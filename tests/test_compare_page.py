"""Before and after on the Scenarios page, through AppTest: any two plans, nothing loaded."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from alignment.levers import with_values
from alignment.room_store import LocalRoomStore
from workshop_ui.library import default_scenario

ROOT = Path(__file__).resolve().parents[1]
PAGE = "pages/6_Scenarios.py"
TIMEOUT = 90
REMEDY = "shipped:launch_remedy_blended_plan"
OTHER_COMPANY = "shipped:saas_tiers_smb_enterprise"


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "workshop_data"
    monkeypatch.setenv("ALIGNMENT_DATA_DIR", str(folder))
    monkeypatch.delenv("ALIGNMENT_FACILITATOR_PASSCODE", raising=False)
    return folder


def scenarios_page() -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    return app.switch_page(PAGE).run()


def in_words(app: AppTest) -> str:
    """The comparison's paragraph as the reader sees it (without Markdown's escapes)."""
    markdown = [m.value for m in app.markdown]
    paragraph = markdown[markdown.index("**In words**") + 1]
    return paragraph.replace("\u2060", "").replace("\\", "")


def table(app: AppTest, first_column: str):
    """The page's table whose first column is ``first_column``: Input, Outcome, or a product's
    name for its own table."""
    return next(f.value for f in app.dataframe if f.value.columns[0] == first_column)


def pick(app: AppTest, before: str | None = None, after: str | None = None) -> AppTest:
    if before is not None:
        app.selectbox(key="compare_before").set_value(before)
    if after is not None:
        app.selectbox(key="compare_after").set_value(after)
    return app.run()


def test_the_page_compares_the_status_quo_with_the_working_plan_by_default():
    app = scenarios_page()

    assert not app.exception, app.exception
    assert app.selectbox(key="compare_before").value == "status_quo"
    assert app.selectbox(key="compare_after").value == "working"
    assert in_words(app) == "The two plans are the same."


def test_picking_the_remedy_shows_what_it_changes_and_loads_nothing():
    app = scenarios_page()
    status_quo = app.session_state["status_quo_scenario"]
    working, revision = (
        app.session_state["working_scenario"],
        app.session_state["scenario_revision"],
    )

    pick(app, after=REMEDY)

    assert not app.exception, app.exception
    words = in_words(app)
    assert "raises Nova's kicker per unit sold from $0 to $40" in words
    assert "lowers the quota per rep from $220k to $190k" in words
    assert "Nova's share rises from 2.8 % to 8.3 % (+5.5 pp)" in words
    inputs = table(app, "Input").set_index("Input")
    assert inputs.loc["Nova (new): kicker per unit sold", "After"] == "$40"
    assert any("▲ +5.5 pp" in m.value and "better for leadership" in m.value for m in app.markdown)
    assert app.session_state["status_quo_scenario"] == status_quo == default_scenario()
    assert app.session_state["working_scenario"] == working == default_scenario()
    assert app.session_state["scenario_revision"] == revision  # nothing was set, nothing saved


def test_the_same_plan_on_both_sides_is_said_to_be_the_same():
    app = pick(scenarios_page(), before=REMEDY, after=REMEDY)

    assert not app.exception, app.exception
    assert in_words(app) == "The two plans are the same."
    assert any("same inputs" in info.value for info in app.info)


def test_a_plan_about_other_products_is_compared_on_its_totals_without_crashing():
    app = pick(scenarios_page(), after=OTHER_COMPANY)

    assert not app.exception, app.exception
    assert in_words(app).startswith("The two plans are about different products (")
    nova, copilot = table(app, "Nova (new)"), table(app, "AI Copilot (new)")
    assert list(nova.columns) == ["Nova (new)", "Before only"]
    assert copilot.set_index("AI Copilot (new)").loc["Price", "After only"] == "$25,000"


def test_the_rooms_proposals_are_offered_and_an_empty_room_says_how_to_add_one(data_dir):
    app = scenarios_page()
    assert any("No proposals in this room yet" in c.value for c in app.caption)

    plan = with_values(default_scenario(), {"metadata.name": "Cheaper Nova",
                                            "products.nova.price": 550.0})  # fmt: skip
    item = LocalRoomStore(data_dir).items("default").create("proposals", plan)
    app.run()
    pick(app, after=f"proposal:{item.key}")

    assert not app.exception, app.exception
    assert in_words(app).startswith("The after plan lowers Nova's price from $600 to $550.")
    assert app.session_state["working_scenario"] == default_scenario()


def test_the_working_plan_is_compared_as_it_stands_after_an_edit():
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    app.switch_page("pages/3_Commission_plan.py").run()
    app.number_input(key="kicker_nova").set_value(60.0).run()

    app.switch_page(PAGE).run()

    assert in_words(app).startswith(
        "The after plan raises Nova's kicker per unit sold from $0 to $60."
    )


def test_someone_not_yet_in_the_room_is_told_to_join_it_and_can_still_compare(data_dir):
    code = LocalRoomStore(data_dir).open_room("Workshop", default_scenario()).code
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    app.query_params["room"] = code
    app.run().switch_page(PAGE).run()

    assert not app.exception, app.exception
    assert any("Join the room on the Room page to compare" in i.value for i in app.info)
    pick(app, after=REMEDY)
    assert "raises Nova's kicker per unit sold from $0 to $40" in in_words(app)
