"""On a database, the audit log names the participant who put a plan on the table."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, select
from streamlit.testing.v1 import AppTest

from alignment.sql_rooms import sql_rooms
from alignment.sql_schema import audit
from workshop_ui.library import default_scenario

ROOT = Path(__file__).resolve().parents[1]


def test_a_proposal_saved_in_a_room_is_logged_as_its_participants(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'workshop.db'}"
    monkeypatch.setenv("ALIGNMENT_DATABASE_URL", url)
    monkeypatch.setenv("ALIGNMENT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ALIGNMENT_FACILITATOR_PASSCODE", raising=False)
    code = sql_rooms().open_room("Workshop", default_scenario()).code
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.query_params["room"] = code
    app.run().switch_page("pages/9_Room.py").run()
    app.text_input(key="room_join_name").input("Sam")
    app.selectbox(key="room_join_role").set_value("sales")
    app.button(key="room_join").click().run()
    app.switch_page("pages/7_Compromise.py").run()
    app.text_input(key="proposal_title").input("Nova at 580")
    app.text_area(key="proposal_rationale").input("Reps can sell it.")
    app.button(key="proposal_save").click().run()
    assert not app.exception, app.exception

    (sam,) = sql_rooms().participants(code)
    with create_engine(url).connect() as connection:
        rows = connection.execute(
            select(audit.c.actor, audit.c.action, audit.c.kind).where(audit.c.room == code)
        ).all()
    assert (sam, "join", None) in [(r.actor, r.action, r.kind) for r in rows]
    assert (sam, "create", "proposals") in [(r.actor, r.action, r.kind) for r in rows]
