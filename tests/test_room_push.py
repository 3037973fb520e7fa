"""The room watcher: reruns exactly the screens whose room moved on, once, and keeps going."""

from __future__ import annotations

from alignment.storage import StorageError
from workshop_ui.room_push import Follower, RoomWatcher
from workshop_ui.room_push import follow as follow_from_script

ROOM_PAGE = "room-page-hash"


class FakeRooms:
    def __init__(self, **versions: int) -> None:
        self.versions = versions
        self.broken: set[str] = set()
        self.reads: list[str] = []

    def version(self, code: str) -> int:
        self.reads.append(code)
        if code in self.broken:
            raise StorageError("the data folder cannot be read")
        return self.versions[code]


class FakeSessions:
    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []
        self.answers: dict[str, str] = {}

    def rerun(self, session_id: str, page: str) -> str:
        self.asked.append((session_id, page))
        return self.answers.get(session_id, "rerun")


def watcher(rooms: FakeRooms, sessions: FakeSessions) -> RoomWatcher:
    watching = RoomWatcher(rooms.version, sessions.rerun)  # type: ignore[arg-type]
    watching._thread = object()  # type: ignore[assignment]  # driven by check_once here
    return watching


def test_only_the_screens_of_a_room_that_moved_on_are_rerun():
    rooms, sessions = FakeRooms(AAAAAA=3, BBBBBB=7), FakeSessions()
    watching = watcher(rooms, sessions)
    watching.follow("ana", Follower("AAAAAA", 3, ROOM_PAGE))
    watching.follow("ben", Follower("AAAAAA", 3, ROOM_PAGE))
    watching.follow("cara", Follower("BBBBBB", 7, ROOM_PAGE))
    assert watching.check_once() == {}
    rooms.versions["AAAAAA"] = 4
    assert watching.check_once() == {"ana": "rerun", "ben": "rerun"}
    assert sorted(sessions.asked) == [("ana", ROOM_PAGE), ("ben", ROOM_PAGE)]
    assert set(watching.followers()) == {"cara"}  # a rerun registers the screen again


def test_each_room_is_read_once_per_check_however_many_screens_show_it():
    rooms, sessions = FakeRooms(AAAAAA=1), FakeSessions()
    watching = watcher(rooms, sessions)
    for person in range(100):
        watching.follow(f"p{person}", Follower("AAAAAA", 1, ROOM_PAGE))
    watching.check_once()
    assert rooms.reads == ["AAAAAA"]


def test_a_busy_session_is_asked_again_and_a_gone_one_is_dropped():
    rooms, sessions = FakeRooms(AAAAAA=2), FakeSessions()
    watching = watcher(rooms, sessions)
    watching.follow("busy", Follower("AAAAAA", 1, ROOM_PAGE))
    watching.follow("gone", Follower("AAAAAA", 1, ROOM_PAGE))
    sessions.answers = {"busy": "busy", "gone": "gone"}
    watching.check_once()
    assert set(watching.followers()) == {"busy"}
    sessions.answers = {}
    assert watching.check_once() == {"busy": "rerun"}
    assert watching.followers() == {}


def test_a_screen_that_registered_again_meanwhile_is_kept():
    rooms, sessions = FakeRooms(AAAAAA=2), FakeSessions()
    watching = watcher(rooms, sessions)
    watching.follow("ana", Follower("AAAAAA", 1, ROOM_PAGE))

    def rerun_and_register(session_id: str, page: str) -> str:
        watching.follow(session_id, Follower("AAAAAA", 2, page))  # the rerun read version 2
        return "rerun"

    watching._rerun = rerun_and_register  # type: ignore[method-assign]
    watching.check_once()
    assert watching.followers() == {"ana": Follower("AAAAAA", 2, ROOM_PAGE)}


def test_an_unreadable_room_waits_and_the_other_rooms_carry_on():
    rooms, sessions = FakeRooms(AAAAAA=2, BBBBBB=2), FakeSessions()
    rooms.broken.add("AAAAAA")
    watching = watcher(rooms, sessions)
    watching.follow("ana", Follower("AAAAAA", 1, ROOM_PAGE))
    watching.follow("ben", Follower("BBBBBB", 1, ROOM_PAGE))
    assert watching.check_once() == {"ben": "rerun"}
    rooms.broken.clear()
    assert watching.check_once() == {"ana": "rerun"}


def test_outside_a_streamlit_server_the_page_is_told_to_check_from_the_browser():
    assert follow_from_script("AAAAAA", 1) is False
