"""Rooms in the local data folder: the :class:`~alignment.rooms.RoomStore` a single server uses.

Layout under the data folder::

    rooms/<CODE>/room.json          the room's record, with its version
    rooms/<CODE>/scenario.yaml      the scenario it was opened from
    rooms/<CODE>/participants.json  who joined, by participant id
    rooms/<CODE>/votes.json         proposal key → participant id → for / against
    rooms/<CODE>/proposals/, …      its items (see :class:`alignment.storage.LocalFolderStore`)
    rooms/default/…                 the default room's record, participants and votes; its
                                    items are those at the top (proposals/, scenarios/)

Every change happens under the room's lock (one thread, one process on this machine), checks
that the room is open, and raises the room's version in the same write, so a screen that sees
the version unchanged has nothing to fetch. Several server processes on one folder share the
lock files; a database store replaces this class for several machines.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from alignment.rooms import (
    CHOICES,
    DEFAULT_ROOM,
    InvalidInputError,
    Participant,
    Room,
    RoomClosedError,
    RoomError,
    RoomNotFoundError,
    Tally,
    Vote,
    is_code,
    new_code,
    parse_agenda_step,
    parse_name,
    parse_role,
    parse_timer_minutes,
)
from alignment.scenario import Scenario
from alignment.storage import (
    ROOMS,
    ItemStore,
    LocalFolderStore,
    NotFoundError,
    StorageError,
    StoredScenario,
    default_store,
    is_valid_key,
)
from alignment.storage_files import locked, read_bounded, signature, write_atomically
from alignment.storage_format import (
    checked_scenario_data,
    item_bytes,
    item_from_bytes,
)

if TYPE_CHECKING:
    from alignment.sql_rooms import SqlRoomStore

T = TypeVar("T")
PARTICIPANT_ID = re.compile(r"[0-9a-f]{16,64}")
MAX_RECORD_BYTES = 1_000_000
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def default_rooms() -> LocalRoomStore | SqlRoomStore:
    """The rooms in the workshop database if ``ALIGNMENT_DATABASE_URL`` names one (see
    :mod:`alignment.sql_rooms`), else in :func:`alignment.storage.default_store`'s folder."""
    if os.environ.get("ALIGNMENT_DATABASE_URL", "").strip():
        from alignment.sql_rooms import sql_rooms

        return sql_rooms()
    return LocalRoomStore(default_store().root)


class LocalRoomStore:
    """A :class:`~alignment.rooms.RoomStore` in a local folder (see the module's layout)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    # -- rooms -------------------------------------------------------------------------------

    def open_room(self, name: str, scenario: Scenario) -> Room:
        """A new open room, started from ``scenario``, under a code no other room has."""
        name = parse_name(name, "the room's name")
        data, scenario = checked_scenario_data(scenario)
        with self._os_errors("open the room"):
            for _ in range(50):
                code = new_code()
                with self._locked(code):
                    if os.path.lexists(self._file(code, "room.json")):
                        continue
                    now = datetime.now(UTC)
                    stored = StoredScenario("20000101-000000-000000", scenario, 1, now)
                    write_atomically(self._file(code, "scenario.yaml"), item_bytes(stored, data))
                    room = Room(code, name, "open", now)
                    self._write_room(room)
                    return room
        raise StorageError("could not find a free join code; try again")

    def room(self, code: str) -> Room:
        """The room with this code (the default room always exists)."""
        found = self._read_room(code)
        if found is None:
            raise RoomNotFoundError(
                f"no room has the code {code}; check the code with the facilitator"
            )
        return found

    def rooms(self) -> list[Room]:
        """Every room on this server except the default one, newest first."""
        folder = self.root / ROOMS
        try:
            names = sorted(os.listdir(folder))
        except FileNotFoundError:
            return []
        except OSError as error:
            raise StorageError(f"cannot list the rooms ({error.strerror})") from None
        found = []
        for name in names:
            if name != DEFAULT_ROOM and is_code(name):
                with contextlib.suppress(RoomError):
                    room = self._read_room(name)
                    if room is not None:
                        found.append(room)
        return sorted(found, key=lambda r: r.created_at, reverse=True)

    def version(self, code: str) -> int:
        """The room's version: raised by every change in it (0 for a default room never used)."""
        room = self._read_room(code)
        return 0 if room is None else room.version

    def scenario(self, code: str) -> Scenario | None:
        """The scenario the room was opened from; None for the default room."""
        self.room(code)
        if code == DEFAULT_ROOM:
            return None
        file = f"{ROOMS}/{code}/scenario.yaml"
        path = self._file(code, "scenario.yaml")
        try:
            read = read_bounded(path, MAX_RECORD_BYTES)
        except OSError as error:
            raise RoomError(f"cannot read {file} ({error.strerror or error})") from None
        if read is None:
            raise RoomError(f"{file} is missing; restore it from a backup")
        cached = _SCENARIO_CACHE.get(str(path))
        if cached is not None and cached[0] == read[0]:
            return cached[1]
        scenario = item_from_bytes("scenario", read[1], file).scenario
        if len(_SCENARIO_CACHE) >= _ROOM_CACHE_SIZE:
            _SCENARIO_CACHE.clear()
        _SCENARIO_CACHE[str(path)] = (read[0], scenario)
        return scenario

    def close(self, code: str) -> Room:
        """Close and archive the room: from now on it can be looked at, not changed."""
        if code == DEFAULT_ROOM:
            raise RoomError("the default room cannot be closed; open a room to close it later")
        return self.change(code, lambda: None, closing=True)

    def items(self, code: str) -> ItemStore:
        """The room's proposals and saved scenarios; writes go through the room's lock."""
        self.room(code)
        folder = LocalFolderStore(self.root, None if code == DEFAULT_ROOM else code)
        return RoomItems(self, code, folder)

    def change(
        self, code: str, action: Callable[[], T], *, closing: bool = False, shown: bool = True
    ) -> T:
        """Run ``action`` under the room's lock if the room is open, then raise its version
        (unless what changed is ``shown=False``: nothing a screen shows, like who joined)."""
        with self._os_errors(f"change room {code}"), self._locked(code):
            room = self.room(code)
            if room.read_only:
                raise RoomClosedError(
                    f"room {code} is closed and archived: nothing in it can be added or changed"
                )
            result = action()
            if not shown:
                return result
            current = self.room(code)  # the action may have changed the record
            closed = {"status": "closed", "closed_at": datetime.now(UTC)} if closing else {}
            updated = replace(current, version=current.version + 1, **closed)  # type: ignore[arg-type]
            self._write_room(updated)
            return updated if closing else result  # type: ignore[return-value]

    # -- participants, votes and the screen --------------------------------------------------

    def join(self, code: str, participant_id: str, name: str, role: str) -> Participant:
        """Add (or rename) a participant of the room."""
        _require_participant_id(participant_id)
        person = Participant(participant_id, parse_name(name), parse_role(role), datetime.now(UTC))

        def add() -> Participant:
            people = self._read_json(code, "participants.json")
            people[participant_id] = {
                "name": person.name, "role": person.role,
                "joined_at": person.joined_at.isoformat(),
            }  # fmt: skip
            self._write_json(code, "participants.json", people)
            return person

        return self.change(code, add, shown=False)

    def participants(self, code: str) -> Mapping[str, Participant]:
        self.room(code)
        people = self._read_json(code, "participants.json")
        try:
            return {
                pid: Participant(pid, p["name"], parse_role(p["role"]),
                                 datetime.fromisoformat(p["joined_at"]))
                for pid, p in people.items()
            }  # fmt: skip
        except (KeyError, TypeError, ValueError, InvalidInputError):
            raise _damaged(code, "participants.json") from None

    def vote(self, code: str, proposal: str, participant_id: str, choice: str) -> Tally:
        """Record (or change) the participant's vote on one of the room's proposals."""
        if choice not in CHOICES:
            raise InvalidInputError(f"a vote is one of {', '.join(CHOICES)}")
        _require_participant_id(participant_id)
        items = self.items(code)

        def cast() -> None:
            if participant_id not in self.participants(code):
                raise InvalidInputError("join the room with your name and role before voting")
            items.get("proposals", proposal)  # NotFoundError if it is not this room's
            votes = self._read_json(code, "votes.json")
            votes.setdefault(proposal, {})[participant_id] = choice
            self._write_json(code, "votes.json", votes)

        self.change(code, cast)
        return self.tallies(code).get(proposal, Tally())

    def tallies(self, code: str) -> Mapping[str, Tally]:
        """Every proposal's votes, by proposal key."""
        people = self.participants(code)
        votes = self._read_json(code, "votes.json")
        result = {}
        for key, by_person in votes.items():
            if not isinstance(by_person, dict):
                raise _damaged(code, "votes.json")
            result[key] = Tally(tuple(
                Vote(pid, people[pid].name, people[pid].role, choice)
                for pid, choice in sorted(by_person.items())
                if pid in people and choice in CHOICES
            ))  # fmt: skip
        return result

    def show(self, code: str, proposal: str | None) -> Room:
        """Put one of the room's proposals on the big screen (None: nothing)."""
        if proposal is not None:
            self.items(code).get("proposals", proposal)
        return self._set(code, on_screen=proposal)

    def reveal_tally(self, code: str, revealed: bool) -> Room:
        return self._set(code, tally_revealed=bool(revealed))

    def set_agenda(self, code: str, step: int) -> Room:
        """Move every screen in the room to agenda step ``step`` (an index into AGENDA)."""
        return self._set(code, agenda_step=parse_agenda_step(step))

    def start_timer(self, code: str, minutes: float | None) -> Room:
        """Start a countdown of ``minutes`` on every screen in the room (None: stop it)."""
        length = parse_timer_minutes(minutes)
        ends = None if length is None else datetime.now(UTC) + timedelta(minutes=length)
        return self._set(code, timer_ends_at=ends)

    def agree(self, code: str, proposal: str | None) -> Room:
        """Record one of the room's proposals as the plan it agreed on (None: not yet)."""
        if proposal is not None:
            self.items(code).get("proposals", proposal)
        return self._set(code, agreed=proposal)

    def forget_proposal(self, code: str, proposal: str) -> None:
        """Drop a deleted proposal's votes and take it off the screen and out of the agreed
        plan (call inside a change)."""
        votes = self._read_json(code, "votes.json")
        if votes.pop(proposal, None) is not None:
            self._write_json(code, "votes.json", votes)
        room = self.room(code)
        gone = {name: None for name in ("on_screen", "agreed") if getattr(room, name) == proposal}
        if gone:
            self._write_room(replace(room, **gone))  # type: ignore[arg-type]

    def _set(self, code: str, **fields: Any) -> Room:
        self.change(code, lambda: self._write_room(replace(self.room(code), **fields)))
        return self.room(code)

    # -- files -------------------------------------------------------------------------------

    def _file(self, code: str, name: str) -> Path:
        if not is_code(code):
            raise RoomNotFoundError(f"{str(code)[:20]!r} is not a join code")
        root = self.root.resolve()
        path = (self.root / ROOMS / code / name).resolve()
        if not path.is_relative_to(root):
            raise RoomError(f"{ROOMS}/{code} resolves outside the data folder; remove the link")
        return path

    def _read(self, path: Path) -> bytes | None:
        try:
            read = read_bounded(path, MAX_RECORD_BYTES)
        except OSError as error:
            raise RoomError(f"cannot read {path.name} ({error.strerror or error})") from None
        return None if read is None else read[1]

    def _read_room(self, code: str) -> Room | None:
        path = self._file(code, "room.json")
        try:
            info = os.stat(path)
        except (FileNotFoundError, NotADirectoryError):
            if code == DEFAULT_ROOM:
                return Room(DEFAULT_ROOM, "Default room", "open", _EPOCH, version=0)
            return None
        except OSError as error:
            raise RoomError(f"cannot read room {code} ({error.strerror})") from None
        cached = _ROOM_CACHE.get(str(path))
        if cached is not None and cached[0] == signature(info):
            return cached[1]
        raw = self._read(path)
        if raw is None:
            return self._read_room(code) if code == DEFAULT_ROOM else None
        room = _room_from(raw, code)
        if len(_ROOM_CACHE) >= _ROOM_CACHE_SIZE:
            _ROOM_CACHE.clear()
        _ROOM_CACHE[str(path)] = (signature(info), room)
        return room

    def _write_room(self, room: Room) -> None:
        record = {
            "code": room.code, "name": room.name, "status": room.status,
            "created_at": room.created_at.isoformat(), "version": room.version,
            "on_screen": room.on_screen, "tally_revealed": room.tally_revealed,
            "closed_at": room.closed_at.isoformat() if room.closed_at else None,
            "agenda_step": room.agenda_step, "agreed": room.agreed,
            "timer_ends_at": room.timer_ends_at.isoformat() if room.timer_ends_at else None,
        }  # fmt: skip
        write_atomically(self._file(room.code, "room.json"), json.dumps(record).encode())

    def _read_json(self, code: str, name: str) -> dict[str, Any]:
        raw = self._read(self._file(code, name))
        if raw is None:
            return {}
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            raise _damaged(code, name) from None
        if not isinstance(data, dict):
            raise _damaged(code, name)
        return data

    def _write_json(self, code: str, name: str, data: dict[str, Any]) -> None:
        write_atomically(self._file(code, name), json.dumps(data).encode())

    def _locked(self, code: str) -> contextlib.AbstractContextManager[None]:
        self._file(code, "room.json")  # refuses a code that is not one
        return locked(self.root / ".locks" / f"room.{code}.lock")

    @contextlib.contextmanager
    def _os_errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except OSError as error:
            raise StorageError(
                f"cannot {action} ({error.strerror or error}): the data folder {self.root} is "
                "read-only or not writable by the app; ask whoever runs the server to fix its "
                "permissions, or download your scenario to keep it"
            ) from None


class RoomItems:
    """One room's proposals and saved scenarios: an :class:`~alignment.storage.ItemStore`
    whose writes are refused once the room is closed and raise the room's version. ``rooms``
    is any store with ``change`` and ``forget_proposal`` (the folder's or the database's);
    ``items`` holds the room's items."""

    def __init__(self, rooms: Any, code: str, items: ItemStore) -> None:
        self.rooms, self.code, self.items = rooms, code, items

    def list(self, kind: Any) -> list[StoredScenario]:
        return self.items.list(kind)

    def listing(self, kind: Any) -> Any:
        return self.items.listing(kind)

    def get(self, kind: Any, key: str) -> StoredScenario:
        return self.items.get(kind, key)

    def create(self, kind: Any, scenario: Scenario) -> StoredScenario:
        return self.rooms.change(self.code, lambda: self.items.create(kind, scenario))

    def update(
        self, kind: Any, key: str, scenario: Scenario, expected_revision: int
    ) -> StoredScenario:
        return self.rooms.change(
            self.code, lambda: self.items.update(kind, key, scenario, expected_revision)
        )

    def delete(self, kind: Any, key: str, expected_revision: int) -> None:
        def remove() -> None:
            self.items.delete(kind, key, expected_revision)
            if kind == "proposals":
                self.rooms.forget_proposal(self.code, key)

        self.rooms.change(self.code, remove)


def _require_participant_id(participant_id: str) -> None:
    if not isinstance(participant_id, str) or PARTICIPANT_ID.fullmatch(participant_id) is None:
        raise InvalidInputError("not a participant id the app gives; join the room again")


def _room_from(raw: bytes, code: str) -> Room:
    try:
        data = json.loads(raw)
        room = Room(
            code=data["code"], name=str(data["name"]), status=data["status"],
            created_at=datetime.fromisoformat(data["created_at"]), version=int(data["version"]),
            on_screen=data["on_screen"], tally_revealed=bool(data["tally_revealed"]),
            closed_at=datetime.fromisoformat(data["closed_at"]) if data["closed_at"] else None,
            # Records written before agendas, timers and agreed plans have none of them.
            agenda_step=parse_agenda_step(data.get("agenda_step", 0)),
            agreed=data.get("agreed"),
            timer_ends_at=_time_or_none(data.get("timer_ends_at")),
        )  # fmt: skip
    except (ValueError, KeyError, TypeError, RecursionError, InvalidInputError):
        raise _damaged(code, "room.json") from None
    if room.code != code or room.status not in ("open", "closed"):
        raise _damaged(code, "room.json")
    for key in (room.on_screen, room.agreed):
        if key is not None and not is_valid_key(key):
            raise _damaged(code, "room.json")
    return room


def _time_or_none(text: object) -> datetime | None:
    if text is None:
        return None
    if not isinstance(text, str):
        raise TypeError("a time is written as text")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a time needs its time zone")
    return moment


def _damaged(code: str, name: str) -> RoomError:
    return RoomError(
        f"{ROOMS}/{code}/{name} in the data folder is damaged; restore it from a backup"
    )


# The live check reads room.json about once a second per screen: parse it once per change.
# A plain dict under the GIL: a lost race only costs one more parse.
_ROOM_CACHE: dict[str, tuple[tuple[int, ...], Room]] = {}
# Every screen of a room shows its status quo: parse the room's scenario once, not per rerun.
_SCENARIO_CACHE: dict[str, tuple[tuple[int, ...], Scenario]] = {}
_ROOM_CACHE_SIZE = 1024

__all__ = ["LocalRoomStore", "NotFoundError", "RoomItems", "default_rooms"]
