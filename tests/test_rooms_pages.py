"""The Room page and the room-aware Compromise and Scenarios pages, through AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from alignment.levers import with_values
from alignment.room_store import LocalRoomStore
from workshop_ui.library import default_scenario

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 90
ROOM_PAGE = "pages/9_Room.py"


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "workshop_data"
    monkeypatch.setenv("ALIGNMENT_DATA_DIR", str(folder))
    monkeypatch.delenv("ALIGNMENT_FACILITATOR_PASSCODE", raising=False)
    return folder


def room_page(room: str | None = None) -> AppTest:
    app = AppTest.from_file(str(ROOT / ROOM_PAGE), default_timeout=TIMEOUT)
    if room is not None:
        app.query_params["room"] = room
    return app.run()


def texts(app: AppTest) -> str:
    parts = [m.value for m in app.markdown] + [c.value for c in app.caption]
    parts += [e.value for e in app.error] + [i.value for i in app.info]
    return "\n".join(str(p) for p in parts).replace("\\", "")


def proposal(title: str, nova_price: float):
    plan = with_values(default_scenario(), {"metadata.name": title, "metadata.role": "sales"})
    products = [p.model_copy(update={"price": nova_price}) if p.id == "nova" else p
                for p in plan.products]  # fmt: skip
    return plan.model_copy(update={"products": products})


def test_a_facilitator_opens_a_room_and_gets_its_code_link_and_qr_code():
    app = room_page()
    app.text_input(key="room_open_name").input("Nova pricing")
    app.text_input(key="room_open_you").input("Fay")
    app.button(key="room_open").click().run()
    assert not app.exception
    code = app.query_params["room"]
    assert app.title[0].value == f"Room {code}"
    assert app.get("image"), "no QR code on the page"
    assert f"/Room?room={code}" in texts(app) + "".join(c.value for c in app.code)


def test_a_participant_joins_by_the_address_with_a_name_and_role(data_dir):
    code = LocalRoomStore(data_dir).open_room("Workshop", default_scenario()).code
    app = room_page(code)
    assert "Join room" in texts(app)
    assert not app.get("metric")  # nothing of the room before joining
    app.text_input(key="room_join_name").input("Sam *the* rep")
    app.selectbox(key="room_join_role").set_value("sales")
    app.button(key="room_join").click().run()
    assert not app.exception
    people = LocalRoomStore(data_dir).participants(code)
    assert [(p.name, p.role) for p in people.values()] == [("Sam *the* rep", "sales")]
    assert "On the table (0)" in [h.value for h in app.header]


@pytest.mark.parametrize(("typed", "says"), [("ZZZZZZ", "no room has the code"),
                                             ("abc", "6 characters")])  # fmt: skip
def test_an_unknown_or_malformed_code_in_the_address_is_refused(typed, says):
    app = room_page(typed)
    assert not app.exception
    assert says in texts(app)
    assert app.title[0].value == "Room"  # still in the default room
    assert "room" not in app.query_params


def test_the_facilitator_role_needs_the_passcode_in_a_hosted_workshop(data_dir, monkeypatch):
    monkeypatch.setenv("ALIGNMENT_FACILITATOR_PASSCODE", "correct horse")
    code = LocalRoomStore(data_dir).open_room("Workshop", default_scenario()).code
    app = room_page(code)
    app.text_input(key="room_join_name").input("Mallory")
    app.selectbox(key="room_join_role").set_value("facilitator")
    app.button(key="room_join").click().run()
    assert "needs the facilitator passcode" in texts(app)
    assert LocalRoomStore(data_dir).participants(code) == {}


def test_a_card_shows_the_plans_own_numbers_not_its_title(data_dir):
    rooms = LocalRoomStore(data_dir)
    code = rooms.open_room("Workshop", default_scenario()).code
    rooms.items(code).create("proposals", proposal("Nova at $550", 580))
    app = room_page(code)
    app.text_input(key="room_join_name").input("Lee")
    app.selectbox(key="room_join_role").set_value("leadership")
    app.button(key="room_join").click().run()
    shown = texts(app)
    assert "Nova at $550" in shown
    assert "Nova (new) price $600 → $580" in shown
    labels = [m.label for m in app.metric]
    assert labels == ["Leadership's value", "Reps: earnings less effort"]


def test_a_vote_is_counted_by_role_and_can_be_changed(data_dir):
    rooms = LocalRoomStore(data_dir)
    code = rooms.open_room("Workshop", default_scenario()).code
    key = rooms.items(code).create("proposals", proposal("Plan", 620)).key
    rooms.reveal_tally(code, True)
    app = room_page(code)
    app.text_input(key="room_join_name").input("Lee")
    app.selectbox(key="room_join_role").set_value("leadership")
    app.button(key="room_join").click().run()
    app.button(key=f"vote_against_{key}").click().run()
    app.button(key=f"vote_for_{key}").click().run()
    tally = rooms.tallies(code)[key]
    assert (tally.count("leadership", "for"), tally.count("leadership", "against")) == (1, 0)
    assert "Leadership 1 for · 0 against" in texts(app)


def test_a_closed_room_shows_read_only_and_offers_no_votes(data_dir):
    rooms = LocalRoomStore(data_dir)
    code = rooms.open_room("Workshop", default_scenario()).code
    key = rooms.items(code).create("proposals", proposal("Plan", 620)).key
    app = room_page(code)
    app.text_input(key="room_join_name").input("Lee")
    app.button(key="room_join").click().run()
    rooms.close(code)
    app.run()
    assert "closed and archived" in texts(app)
    assert not [b for b in app.button if b.key == f"vote_for_{key}"]


def test_the_compromise_page_lists_only_the_rooms_proposals(data_dir):
    rooms = LocalRoomStore(data_dir)
    code = rooms.open_room("Workshop", default_scenario()).code
    rooms.items(code).create("proposals", proposal("In the room", 620))
    rooms.items("default").create("proposals", proposal("On the laptop", 640))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    app.query_params["room"] = code
    app.run().switch_page(ROOM_PAGE).run()
    app.text_input(key="room_join_name").input("Lee")
    app.button(key="room_join").click().run()
    app.switch_page("pages/7_Compromise.py").run()
    assert not app.exception
    subheaders = [s.value for s in app.subheader]
    assert "On the table (1)" in subheaders
    table = app.dataframe[0].value
    assert list(table["Title"]) == ["In the room"]


def test_joining_a_room_keeps_the_changes_made_before_in_the_rooms_library(data_dir):
    room_scenario = proposal("The room's plan", 640)
    code = LocalRoomStore(data_dir).open_room("Workshop", room_scenario).code
    app = room_page()
    mine = proposal("My own plan", 555)
    app.session_state["working_scenario"] = mine  # changes since the status quo
    app.text_input(key="room_code_input").input(code)
    app.button(key="room_go").click().run()
    app.text_input(key="room_join_name").input("Sam")
    app.selectbox(key="room_join_role").set_value("sales")
    app.button(key="room_join").click().run()
    assert not app.exception
    kept = LocalRoomStore(data_dir).items(code).list("scenarios")
    assert [k.scenario.metadata.name for k in kept] == ["Sam's plan before joining"]
    nova = [p.price for p in kept[0].scenario.products if p.id == "nova"]
    assert nova == [555]
    assert app.session_state["working_scenario"] == room_scenario  # now on the room's plan


def test_guessing_join_codes_is_slowed_down_after_a_few_unknown_ones(data_dir, monkeypatch):
    from alignment.attempts import AttemptLimiter, AttemptPolicy
    from workshop_ui import rooms

    # The app's own limits, with a wait long enough that a slow test run cannot outlast it.
    policy = rooms.CODE_GUESSES.policy
    slow = AttemptPolicy(free_failures=policy.free_failures, first_delay=600.0, max_delay=600.0)
    monkeypatch.setattr(rooms, "CODE_GUESSES", AttemptLimiter(slow, noun="room join code"))
    code = LocalRoomStore(data_dir).open_room("Workshop", default_scenario()).code
    app = room_page()
    for guess in ("ZZZZZZ", "YYYYYY", "XXXXXX", "WWWWWW", "VVVVVV")[: policy.free_failures]:
        app.text_input(key="room_code_input").input(guess)
        app.button(key="room_go").click().run()
        assert "no room has the code" in texts(app)
    app.text_input(key="room_code_input").input(code)
    app.button(key="room_go").click().run()
    assert not app.exception
    assert "too many unknown join codes" in texts(app)
    assert app.title[0].value == "Room"  # the right code waits too: guesses are not checked


def test_the_report_is_of_the_rooms_agreed_plan_with_its_votes_and_participants(data_dir):
    from workshop_ui import compromise_report, rooms

    store = LocalRoomStore(data_dir)
    code = store.open_room("Workshop", default_scenario()).code
    agreed = store.items(code).create("proposals", proposal("Nova at 580", 580))
    other = store.items(code).create("proposals", proposal("Nova at 640", 640))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    app.query_params["room"] = code
    app.run().switch_page(ROOM_PAGE).run()
    app.text_input(key="room_join_name").input("Lee")
    app.selectbox(key="room_join_role").set_value("sales")
    app.button(key="room_join").click().run()
    lee = next(iter(store.participants(code)))
    store.vote(code, other.key, lee, "against")
    store.agree(code, agreed.key)
    app.switch_page("pages/7_Compromise.py").run()
    assert not app.exception
    assert "The room's agreed plan, **Nova at 580**" in texts(app)

    here = rooms.Here(store.room(code), store.participants(code)[lee])
    listed = store.items(code).list("proposals")
    record = compromise_report.room_record(here, listed, [])
    assert record.agreed is not None and record.agreed.key == agreed.key
    assert [p.key for p in record.proposals] == [other.key]  # the agreed plan is not repeated
    assert [(v.proposal, v.role, v.in_favour, v.against) for v in record.votes] == [
        (0, "sales", 0, 1)
    ]
    assert [(p.name, p.role) for p in record.participants] == [("Lee", "sales")]
