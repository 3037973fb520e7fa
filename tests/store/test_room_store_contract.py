"""Every room store keeps rooms the same way: the data folder, SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from alignment.rooms import (
    AGENDA,
    CODE_ALPHABET,
    DEFAULT_ROOM,
    InvalidInputError,
    RoomClosedError,
    RoomNotFoundError,
)
from alignment.scenario import Scenario
from alignment.storage import ConflictError, NotFoundError

ANA, BEN, CARA = "a" * 32, "b" * 32, "c" * 32


def named(scenario: Scenario, title: str) -> Scenario:
    meta = scenario.metadata.model_copy(update={"name": title})
    return scenario.model_copy(update={"metadata": meta})


def test_a_new_room_has_a_code_of_unambiguous_characters_and_its_scenario(backend, scenario):
    rooms = backend.rooms
    opened = rooms.open_room("Workshop", named(scenario, "Start"))
    assert len(opened.code) == 6 and set(opened.code) <= set(CODE_ALPHABET)
    assert rooms.room(opened.code) == opened
    assert rooms.scenario(opened.code).metadata.name == "Start"
    assert [r.code for r in rooms.rooms()] == [opened.code]


def test_an_unknown_code_is_refused_clearly(backend):
    with pytest.raises(RoomNotFoundError, match="no room has the code ABCDEF"):
        backend.rooms.room("ABCDEF")
    with pytest.raises(RoomNotFoundError):
        backend.rooms.items("ABCDEF")
    with pytest.raises(RoomNotFoundError):
        backend.rooms.room("../etc")


def test_two_rooms_never_see_or_touch_each_others_proposals(backend, scenario):
    rooms = backend.rooms
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
    assert rooms.items(DEFAULT_ROOM).list("proposals") == []


def test_the_default_room_holds_the_stores_own_items(backend, scenario):
    before = backend.store().create("proposals", named(scenario, "Old"))
    assert [p.key for p in backend.rooms.items(DEFAULT_ROOM).list("proposals")] == [before.key]
    backend.rooms.join(DEFAULT_ROOM, ANA, "Ana", "sales")
    backend.rooms.vote(DEFAULT_ROOM, before.key, ANA, "for")
    assert backend.rooms.tallies(DEFAULT_ROOM)[before.key].count("sales", "for") == 1


def test_the_default_room_is_always_there_and_cannot_be_closed(backend):
    rooms = backend.rooms
    assert rooms.room(DEFAULT_ROOM).status == "open"
    assert rooms.version(DEFAULT_ROOM) == 0
    assert rooms.scenario(DEFAULT_ROOM) is None
    assert rooms.rooms() == []
    with pytest.raises(Exception, match="cannot be closed"):
        rooms.close(DEFAULT_ROOM)


def test_a_closed_room_is_read_only_and_says_so(backend, scenario):
    rooms = backend.rooms
    code = rooms.open_room("A", scenario).code
    rooms.join(code, ANA, "Ana", "leadership")
    saved = rooms.items(code).create("proposals", named(scenario, "Kept"))
    closed = rooms.close(code)
    assert closed.read_only and closed.closed_at is not None
    assert rooms.room(code) == closed
    for attempt in (
        lambda: rooms.items(code).create("proposals", scenario),
        lambda: rooms.items(code).update("proposals", saved.key, scenario, 1),
        lambda: rooms.items(code).delete("proposals", saved.key, 1),
        lambda: rooms.vote(code, saved.key, ANA, "for"),
        lambda: rooms.join(code, BEN, "Ben", "sales"),
        lambda: rooms.show(code, saved.key),
        lambda: rooms.set_agenda(code, 2),
        lambda: rooms.start_timer(code, 5),
        lambda: rooms.agree(code, saved.key),
        lambda: rooms.close(code),
    ):
        with pytest.raises(RoomClosedError, match="closed and archived"):
            attempt()
    assert rooms.items(code).get("proposals", saved.key).scenario.metadata.name == "Kept"
    assert rooms.version(code) == closed.version


def test_a_rooms_overwrite_or_delete_names_the_revision_it_saw(backend, scenario):
    items = backend.rooms.items(backend.rooms.open_room("A", scenario).code)
    first = items.create("proposals", named(scenario, "v1"))
    items.update("proposals", first.key, named(scenario, "v2"), 1)
    with pytest.raises(ConflictError):
        items.update("proposals", first.key, named(scenario, "v3"), 1)
    with pytest.raises(ConflictError):
        items.delete("proposals", first.key, 1)
    items.delete("proposals", first.key, 2)
    assert items.list("proposals") == []


def test_votes_are_one_per_participant_changeable_and_tallied_by_role(backend, scenario):
    rooms = backend.rooms
    code = rooms.open_room("A", scenario).code
    key = rooms.items(code).create("proposals", scenario).key
    rooms.join(code, ANA, "Ana", "leadership")
    rooms.join(code, BEN, "Ben", "sales")
    rooms.join(code, CARA, "Cara", "sales")
    rooms.vote(code, key, ANA, "against")
    rooms.vote(code, key, ANA, "for")  # changed, not counted twice
    rooms.vote(code, key, BEN, "for")
    tally = rooms.vote(code, key, CARA, "against")
    assert (tally.count("leadership", "for"), tally.count("leadership", "against")) == (1, 0)
    assert (tally.count("sales", "for"), tally.count("sales", "against")) == (1, 1)
    assert not tally.both_sides_agree
    assert rooms.vote(code, key, CARA, "for").both_sides_agree
    assert rooms.tallies(code)[key].choice_of(ANA) == "for"
    assert set(rooms.participants(code)) == {ANA, BEN, CARA}


def test_only_participants_vote_and_only_for_or_against(backend, scenario):
    rooms = backend.rooms
    code = rooms.open_room("A", scenario).code
    key = rooms.items(code).create("proposals", scenario).key
    with pytest.raises(InvalidInputError, match="join the room"):
        rooms.vote(code, key, ANA, "for")
    rooms.join(code, ANA, "Ana", "sales")
    with pytest.raises(InvalidInputError, match="for, against"):
        rooms.vote(code, key, ANA, "maybe")
    with pytest.raises(InvalidInputError, match="pick a role"):
        rooms.join(code, BEN, "Ben", "boss")
    with pytest.raises(InvalidInputError, match="participant id"):
        rooms.join(code, "not-an-id", "Ben", "sales")


def test_a_rejoin_renames_the_participant(backend, scenario):
    rooms = backend.rooms
    code = rooms.open_room("A", scenario).code
    rooms.join(code, ANA, "Ana", "sales")
    rooms.join(code, ANA, "Ana Lopez", "leadership")
    person = rooms.participants(code)[ANA]
    assert (person.name, person.role) == ("Ana Lopez", "leadership")


def test_every_change_raises_the_rooms_version_and_joining_does_not(backend, scenario):
    rooms = backend.rooms
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
    assert rooms.room(code).tally_revealed
    seen.append(rooms.version(code))
    assert seen == list(range(seen[0], seen[0] + 5))


def test_a_refused_change_leaves_the_version_alone(backend, scenario):
    rooms = backend.rooms
    code = rooms.open_room("A", scenario).code
    item = rooms.items(code).create("proposals", scenario)
    before = rooms.version(code)
    with pytest.raises(ConflictError):
        rooms.items(code).update("proposals", item.key, scenario, 7)
    with pytest.raises(NotFoundError):
        rooms.show(code, "20260101-000000-abcdef")
    assert rooms.version(code) == before


def test_deleting_a_proposal_drops_its_votes_and_takes_it_off_screen(backend, scenario):
    rooms = backend.rooms
    code = rooms.open_room("A", scenario).code
    item = rooms.items(code).create("proposals", scenario)
    kept = rooms.items(code).create("proposals", named(scenario, "kept"))
    rooms.join(code, ANA, "Ana", "sales")
    rooms.vote(code, item.key, ANA, "for")
    rooms.vote(code, kept.key, ANA, "against")
    rooms.show(code, item.key)
    rooms.agree(code, item.key)
    rooms.items(code).delete("proposals", item.key, item.revision)
    assert list(rooms.tallies(code)) == [kept.key]
    assert (rooms.room(code).on_screen, rooms.room(code).agreed) == (None, None)


def test_agenda_timer_and_agreed_plan_belong_to_the_room_and_follow_its_version(backend, scenario):
    rooms = backend.rooms
    code, other = rooms.open_room("A", scenario).code, rooms.open_room("B", scenario).code
    key = rooms.items(code).create("proposals", scenario).key
    before = rooms.version(code)
    assert rooms.room(code).agenda == AGENDA[0]
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


def test_agenda_and_timer_refuse_what_is_out_of_range(backend, scenario):
    code = backend.rooms.open_room("A", scenario).code
    with pytest.raises(InvalidInputError, match="agenda step"):
        backend.rooms.set_agenda(code, 9)
    with pytest.raises(InvalidInputError, match="at most 180 minutes"):
        backend.rooms.start_timer(code, 600)


def test_only_the_rooms_own_proposal_can_be_agreed(backend, scenario):
    rooms = backend.rooms
    code = rooms.open_room("A", scenario).code
    elsewhere = rooms.items(rooms.open_room("B", scenario).code).create("proposals", scenario)
    with pytest.raises(NotFoundError):
        rooms.agree(code, elsewhere.key)
    assert rooms.room(code).agreed is None


def test_votes_cast_at_the_same_moment_are_all_kept(backend, scenario):
    rooms = backend.rooms
    code = rooms.open_room("A", scenario).code
    key = rooms.items(code).create("proposals", scenario).key
    people = [f"{i:032x}" for i in range(1, 13)]
    for number, person in enumerate(people):
        rooms.join(code, person, f"P{number}", ("leadership", "sales")[number % 2])
    before = rooms.version(code)
    start = threading.Barrier(len(people))
    failures: list[BaseException] = []

    def cast(person: str) -> None:
        start.wait()
        try:
            rooms.vote(code, key, person, "for")
        except BaseException as error:  # pragma: no cover - reported below
            failures.append(error)

    threads = [threading.Thread(target=cast, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    tally = rooms.tallies(code)[key]
    assert (tally.count("leadership", "for"), tally.count("sales", "for")) == (6, 6)
    assert rooms.version(code) == before + len(people)
