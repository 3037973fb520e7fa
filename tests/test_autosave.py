"""No work lost: the working scenario is autosaved server-side under an id in the page address."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from alignment.levers import with_value
from alignment.storage import default_store, is_valid_draft_id
from workshop_ui import layout, library
from workshop_ui.state import DRAFT_PARAM

ROOT = Path(__file__).resolve().parents[1]
PRICING = "pages/2_Pricing.py"


@pytest.fixture(autouse=True)
def workshop_store(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGNMENT_DATA_DIR", str(tmp_path / "workshop_data"))
    monkeypatch.delenv("ALIGNMENT_FACILITATOR_PASSCODE", raising=False)


def open_app(draft_id: str | None = None, page: str | None = None) -> AppTest:
    """A fresh session, as after a refresh or a server restart, on ``?session=draft_id``."""
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if draft_id is not None:
        app.query_params[DRAFT_PARAM] = draft_id
    app.run()
    if page is not None:
        app.switch_page(page).run()
    return app


def draft_id_of(app: AppTest) -> str:
    return app.session_state["draft_id"]


def test_a_new_session_gets_an_unguessable_id_in_its_address():
    app = open_app()
    draft_id = draft_id_of(app)
    assert is_valid_draft_id(draft_id)
    assert app.query_params[DRAFT_PARAM] == draft_id


def test_a_price_change_survives_a_refresh_and_a_server_restart():
    first = open_app(page=PRICING)
    first.slider(key="price_nova").set_value(700.0).run()
    assert first.session_state["working_scenario"].product("nova").price == 700.0
    draft_id = draft_id_of(first)

    again = open_app(draft_id, page=PRICING)

    assert not again.exception
    assert draft_id_of(again) == draft_id
    assert again.session_state["working_scenario"].product("nova").price == 700.0
    assert again.session_state["status_quo_scenario"] == library.default_scenario()
    assert again.slider(key="price_nova").value == 700.0


def test_the_status_quo_is_restored_too_after_loading_another_scenario():
    first = open_app()
    remedy = next(s for s in library.shipped_scenarios() if "remedy" in s.path.stem)
    first.selectbox(key="shipped_choice").set_value(layout.plain(remedy.name))
    first.button(key="load_shipped").click().run()

    again = open_app(draft_id_of(first))

    assert again.session_state["status_quo_scenario"] == remedy.scenario
    assert again.session_state["working_scenario"] == remedy.scenario


def test_an_unknown_or_malformed_id_starts_from_the_default_example():
    for requested in ("not-an-id", "../../etc/passwd"):
        app = open_app(requested)
        assert not app.exception
        assert app.session_state["working_scenario"] == library.default_scenario()
        assert draft_id_of(app) != requested and is_valid_draft_id(draft_id_of(app))


def test_two_sessions_keep_separate_autosaves():
    one, two = open_app(page=PRICING), open_app(page=PRICING)
    one.slider(key="price_nova").set_value(650.0).run()
    two.slider(key="price_nova").set_value(750.0).run()

    store = default_store()
    assert store.load_draft(draft_id_of(one))[0].product("nova").price == 650.0
    assert store.load_draft(draft_id_of(two))[0].product("nova").price == 750.0


def test_the_sidebar_says_the_work_is_saved():
    app = open_app()
    assert any("Saved" in caption.value for caption in app.sidebar.caption)


def test_a_failing_autosave_warns_and_keeps_the_session_working(tmp_path, monkeypatch):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    monkeypatch.setenv("ALIGNMENT_DATA_DIR", str(blocker))

    app = open_app(page=PRICING)
    app.slider(key="price_nova").set_value(700.0).run()

    assert not app.exception
    assert app.session_state["working_scenario"].product("nova").price == 700.0
    assert any("Not saved on the server" in warning.value for warning in app.sidebar.warning)


@pytest.mark.parametrize("page", sorted(p.name for p in (ROOT / "pages").glob("*.py")))
def test_every_page_still_works_when_the_data_folder_is_unusable(tmp_path, monkeypatch, page):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    monkeypatch.setenv("ALIGNMENT_DATA_DIR", str(blocker))

    app = open_app(page=f"pages/{page}")

    assert not app.exception, app.exception


def test_an_id_the_server_did_not_issue_is_refused_even_when_well_formed():
    for made_up in ("A" * 40, "a" * 32, "x" * 64):
        app = open_app(made_up)
        assert not app.exception
        assert draft_id_of(app) != made_up
        assert any("did not start" in info.value for info in app.sidebar.info)
    assert not (default_store().root / "drafts" / f"{'A' * 40}.json").exists()


def test_an_older_unsigned_id_still_restores_its_existing_autosave():
    legacy = "L" * 32  # an id from before ids were signed, with work saved under it
    scenario = library.default_scenario()
    moved = with_value(scenario, "products.nova.price", 650.0)
    default_store().save_draft(legacy, moved, scenario)

    app = open_app(legacy)

    assert draft_id_of(app) == legacy
    assert app.session_state["working_scenario"] == moved


def test_an_unreadable_autosave_is_kept_aside_and_never_overwritten():
    first = open_app(page=PRICING)
    first.slider(key="price_nova").set_value(700.0).run()
    draft_id = draft_id_of(first)
    path = default_store().root / "drafts" / f"{draft_id}.json"
    damaged = path.read_bytes()[:-40]  # cut short, as by a full disk or a crash mid-copy
    path.write_bytes(damaged)

    again = open_app(draft_id, page=PRICING)
    again.slider(key="price_nova").set_value(650.0).run()

    assert not again.exception
    assert draft_id_of(again) != draft_id
    kept = list((default_store().root / "drafts" / "unreadable").glob(f"{draft_id}-*.json"))
    assert [k.read_bytes() for k in kept] == [damaged]
    assert not path.exists() or path.read_bytes() == damaged
    notice = " ".join(w.value for w in again.sidebar.warning)
    assert "could not be read" in notice and "unreadable" in notice
