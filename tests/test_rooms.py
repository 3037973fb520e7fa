"""Rooms in the store: codes, isolation, closed rooms, votes, the screen and the default room."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from alignment.room_store import LocalRoomStore
from alignment.rooms import (
    AGENDA,
    CODE_ALPHABET,
    DEFAULT_ROOM,
    InvalidInputError,
    RoomClosedError,
    RoomNotFoundError,
    parse_code,
    parse_name,
)
from alignment.storage import ConflictError, LocalFolderStore, NotFoundError
from workshop_ui.library import default_scenario

ANA, BEN, CARA = "a" * 32, "b" * 32, "c" * 32


@pytest.fixture
def rooms(tmp_path) -> LocalRoomStore:
    return LocalRoomStore(tmp_path / "data")


@pytest.fixture
def scenario():
    return default_scenario()


def named(scenario, title: str):
    meta = scenario.metadata.model_copy(update={"name": title})
    return scenario.model_copy(update={"metadata": meta})


def test_a_new_room_has_a_six_character_code_of_unambiguous_characters(rooms, scenario):
    codes = {rooms.open_room("Workshop", scenario).code for _ in range(5)}
    assert len(codes) == 5
    for code in codes:
        assert len(code) == 6 and set(code) <= set(CODE_ALPHABET)
        assert not set(code) & set("01IOL")


def test_a_typed_code_is_read_in_any_case_with_spaces_and_dashes(rooms, scenario):
    code = rooms.open_room("Workshop", scenario).code
    typed = f" {code[:3].lower()}-{code[3:]} "
    assert parse_code(typed) == code


@pytest.mark.parametrize(
    ("typed", "says"),
    [("ABC", "6 characters"), ("ABCDE0", "'0'"), ("ABCDEI", "'I'"), ("", "0"), (None, "type")],
)
def test_a_malformed_code_is_refused_with_what_to_fix(typed, says):
    with pytest.raises(InvalidInputError, match=says):
        parse_code(typed)


def test_an_unknown_code_is_refused_clearly(rooms):
    with pytest.raises(RoomNotFoundError, match="no room has the code ABCDEF"):
        rooms.room("ABCDEF")
    with pytest.raises(RoomNotFoundError):
        rooms.items("ABCDEF")


def test_names_are_trimmed_and_bounded():
    assert parse_name("  Ana \x00 Lopez\n") == "Ana Lopez"
    with pytest.raises(InvalidInputError, match="blank"):
        parse_name(" \t ")
    with pytest.raises(InvalidInputError, match="keep it to 60"):
        parse_name("x" * 61)


def test_two_rooms_never_see_or_touch_each_others_proposals(rooms, scenario):
    a, b = rooms.open_room("A", scenario).code, rooms.open_room("B", scenario).code
    in_a = rooms.items(a).create("proposals", named(scenario, "Alpha"))
    rooms.items(b).create("proposals", named(scenario, "Beta"))
    assert [p.scenario.metadata.name for p in rooms.items(a).list("proposals")] == ["Alpha"]
    assert [p.scenario.metadata.name for p in rooms.items(b).list("proposals")] == ["Beta"]
    with pytest.raises(NotFoundError):
        rooms.items(b).get("proposals", in_a.key)
    with pytest.raises(NotFoundError):
        rooms.items(b).delete("proposals", in_a.key, in_a.revision)
    with pytest.raises(NotFoundError):
        rooms.items(b).update("proposals", in_a.key, scenario, in_a.revision)
    rooms.join(b, BEN, "Ben", "sales")
    with pytest.raises(NotFoundError):
        rooms.vote(b, in_a.key, BEN, "for")
    with pytest.raises(NotFoundError):
        rooms.show(b, in_a.key)
    assert rooms.items(a).get("proposals", in_a.key).scenario.metadata.name == "Alpha"


def test_a_rooms_saved_scenarios_are_its_own(rooms, scenario):
    a, b = rooms.open_room("A", scenario).code, rooms.open_room("B", scenario).code
    rooms.items(a).create("scenarios", named(scenario, "Saved in A"))
    assert rooms.items(b).list("scenarios") == []
    assert rooms.items(DEFAULT_ROOM).list("scenarios") == []


def test_a_closed_room_is_read_only_and_says_so(rooms, scenario):
    code = rooms.open_room("A", scenario).code
    rooms.join(code, ANA, "Ana", "leadership")
    saved = rooms.items(code).create("proposals", named(scenario, "Kept"))
    closed = rooms.close(code)
    assert closed.read_only and closed.closed_at is not None
    for attempt in (
        lambda: rooms.items(code).create("proposals", scenario),
        lambda: rooms.items(code).update("proposals", saved.key, scenario, 1),
        lambda: rooms.items(code).delete("proposals", saved.key, 1),
        lambda: rooms.vote(code, saved.key, ANA, "for"),
        lambda: rooms.join(code, BEN, "Ben", "sales"),
        lambda: rooms.show(code, saved.key),
        lambda: rooms.close(code),
    ):
        with pytest.raises(RoomClosedError, match="closed and archived"):
            attempt()
    assert rooms.items(code).get("proposals", saved.key).scenario.metadata.name == "Kept"
    assert [r.code for r in rooms.rooms()] == [code]


def test_an_overwrite_or_delete_names_the_revision_it_saw(rooms, scenario):
    code = rooms.open_room("A", scenario).code
    items = rooms.items(code)
    first = items.create("proposals", named(scenario, "v1"))
    items.update("proposals", first.key, named(scenario, "v2"), 1)
    with pytest.raises(ConflictError):
        items.update("proposals", first.key, named(scenario, "v3"), 1)
    with pytest.raises(ConflictError):
        items.delete("proposals", first.key, 1)
    items.delete("proposals", first.key, 2)
    assert items.list("proposals") == []


def test_votes_are_one_per_participant_changeable_and_tallied_by_role(rooms, scenario):
    code = rooms.open_room("A", scenario).code
    key = rooms.items(code).create("proposals", scenario).key
    rooms.join(code, ANA, "Ana", "leadership")
    rooms.join(code, BEN, "Ben", "sales")
    rooms.join(code, CARA, "Cara", "sales")
    rooms.vote(code, key, ANA, "against")
    rooms.vote(code, key, ANA, "for")  # changed, not counted twice
    rooms.vote(code, key, BEN, "for")
    tally = rooms.vote(code, key, CARA, "against")
    assert tally.count("leadership", "for") == 1 and tally.count("leadership", "against") == 0
    assert (tally.count("sales", "for"), tally.count("sales", "against")) == (1, 1)
    assert not tally.both_sides_agree
    tally = rooms.vote(code, key, CARA, "for")
    assert tally.both_sides_agree
    assert tally.choice_of(ANA) == "for"


def test_only_participants_vote_and_only_for_or_against(rooms, scenario):
    code = rooms.open_room("A", scenario).code
    key = rooms.items(code).create("proposals", scenario).key
    with pytest.raises(InvalidInputError, match="join the room"):
        rooms.vote(code, key, ANA, "for")
    rooms.join(code, ANA, "Ana", "sales")
    with pytest.raises(InvalidInputError, match="for, against"):
        rooms.vote(code, key, ANA, "maybe")
    with pytest.raises(InvalidInputError, match="pick a role"):
        rooms.join(code, BEN, "Ben", "boss")


def test_every_change_raises_the_rooms_version(rooms, scenario):
    code = rooms.open_room("A", scenario).code
    seen = [rooms.version(code)]
    key = rooms.items(code).create("proposals", scenario).key
    seen.append(rooms.version(code))
    rooms.join(code, ANA, "Ana", "sales")
    assert rooms.version(code) == seen[-1]  # a screen shows nothing of who joined
    rooms.vote(code, key, ANA, "for")
    seen.append(rooms.version(code))
    rooms.show(code, key)
    assert rooms.room(code).on_screen == key
    seen.append(rooms.version(code))
    rooms.reveal_tally(code, True)
    seen.append(rooms.version(code))
    assert seen == sorted(set(seen))


def test_deleting_a_proposal_drops_its_votes_and_takes_it_off_screen(rooms, scenario):
    code = rooms.open_room("A", scenario).code
    item = rooms.items(code).create("proposals", scenario)
    rooms.join(code, ANA, "Ana", "sales")
    rooms.vote(code, item.key, ANA, "for")
    rooms.show(code, item.key)
    rooms.agree(code, item.key)
    rooms.items(code).delete("proposals", item.key, item.revision)
    assert rooms.tallies(code) == {}
    assert rooms.room(code).on_screen is None
    assert rooms.room(code).agreed is None


def test_agenda_timer_and_agreed_plan_belong_to_the_room_and_follow_its_version(rooms, scenario):
    code = rooms.open_room("A", scenario).code
    other = rooms.open_room("B", scenario).code
    key = rooms.items(code).create("proposals", scenario).key
    before = rooms.version(code)
    assert rooms.room(code).agenda == AGENDA[0]
    assert rooms.room(code).seconds_left(datetime.now(UTC)) is None
    rooms.set_agenda(code, 3)
    started = datetime.now(UTC)
    rooms.start_timer(code, 10)
    finished = datetime.now(UTC)
    rooms.agree(code, key)
    room = rooms.room(code)
    assert (room.agenda, room.agreed) == (AGENDA[3], key)
    assert 600 <= room.seconds_left(started) <= 600 + (finished - started).total_seconds()
    assert room.seconds_left(started + timedelta(minutes=11)) == 0.0
    assert rooms.version(code) == before + 3
    untouched = rooms.room(other)
    assert (untouched.agenda_step, untouched.timer_ends_at, untouched.agreed) == (0, None, None)
    rooms.start_timer(code, None)
    assert rooms.room(code).timer_ends_at is None


@pytest.mark.parametrize(
    ("call", "says"),
    [
        (lambda r, c: r.set_agenda(c, 9), "agenda step is a number from 1 to 5"),
        (lambda r, c: r.set_agenda(c, True), "agenda step"),
        (lambda r, c: r.start_timer(c, 0), "at most 180 minutes"),
        (lambda r, c: r.start_timer(c, 600), "at most 180 minutes"),
        (lambda r, c: r.start_timer(c, "5"), "minutes"),
    ],
)
def test_agenda_and_timer_refuse_what_is_out_of_range(rooms, scenario, call, says):
    code = rooms.open_room("A", scenario).code
    with pytest.raises(InvalidInputError, match=says):
        call(rooms, code)


def test_only_the_rooms_own_proposal_can_be_agreed(rooms, scenario):
    code = rooms.open_room("A", scenario).code
    elsewhere = rooms.items(rooms.open_room("B", scenario).code).create("proposals", scenario)
    with pytest.raises(NotFoundError):
        rooms.agree(code, elsewhere.key)
    assert rooms.room(code).agreed is None


def test_the_default_room_holds_the_items_saved_before_rooms(tmp_path, scenario):
    before = LocalFolderStore(tmp_path / "data").create("proposals", named(scenario, "Old"))
    rooms = LocalRoomStore(tmp_path / "data")
    default = rooms.items(DEFAULT_ROOM)
    assert [p.key for p in default.list("proposals")] == [before.key]
    other = rooms.open_room("A", scenario).code
    assert rooms.items(other).list("proposals") == []
    rooms.join(DEFAULT_ROOM, ANA, "Ana", "sales")
    rooms.vote(DEFAULT_ROOM, before.key, ANA, "for")
    assert rooms.tallies(DEFAULT_ROOM)[before.key].count("sales", "for") == 1
    assert (tmp_path / "data" / "proposals" / f"{before.key}.yaml").exists()


def test_the_default_room_is_always_there_and_cannot_be_closed(rooms):
    assert rooms.room(DEFAULT_ROOM).status == "open"
    assert rooms.version(DEFAULT_ROOM) == 0
    assert rooms.rooms() == []
    with pytest.raises(Exception, match="cannot be closed"):
        rooms.close(DEFAULT_ROOM)


def test_a_room_keeps_the_scenario_it_was_opened_from(rooms, scenario):
    code = rooms.open_room("A", named(scenario, "Start")).code
    assert rooms.scenario(code).metadata.name == "Start"
    assert rooms.scenario(DEFAULT_ROOM) is None


def test_a_damaged_room_record_is_reported_not_used(rooms, scenario):
    code = rooms.open_room("A", scenario).code
    (rooms.root / "rooms" / code / "room.json").write_text("{not json")
    with pytest.raises(Exception, match="damaged"):
        rooms.room(code)
    assert rooms.rooms() == []
