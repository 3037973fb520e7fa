"""Rooms in the workshop database: the :class:`~alignment.rooms.RoomStore` for many servers.

Behaves as :class:`alignment.room_store.LocalRoomStore` does. Every change runs in one
transaction that first locks the room's row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's
write transaction excludes every other writer), checks the room is open, makes the change,
raises the room's version and writes the audit log — so any number of server processes on one
database serve the same room, and a screen that sees the version unchanged has nothing to
fetch.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Connection, Row, select, update

from alignment.room_store import PARTICIPANT_ID, RoomItems
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
from alignment.sql_database import Database, acting_as
from alignment.sql_schema import DEFAULT_ROOM_CREATED, participants, rooms, votes
from alignment.sql_store import SqlStore, _insert, database_url, shared_database
from alignment.storage import ItemStore, StorageError, StoredScenario, is_valid_key
from alignment.storage_format import checked_scenario_data, item_bytes, item_from_bytes

T = TypeVar("T")
AnyRow = Row[*tuple[Any, ...]]
_SCENARIO_KEY = "20000101-000000-000000"  # what the folder store's scenario.yaml is saved as


class SqlRoomStore:
    """A :class:`~alignment.rooms.RoomStore` in the workshop database."""

    def __init__(self, database: Database) -> None:
        self.db = database

    # -- rooms -------------------------------------------------------------------------------

    def open_room(self, name: str, scenario: Scenario) -> Room:
        """A new open room, started from ``scenario``, under a code no other room has."""
        name = parse_name(name, "the room's name")
        data, scenario = checked_scenario_data(scenario)
        with self.db.writing("open the room") as connection:
            for _ in range(50):
                code, now = new_code(), datetime.now(UTC)
                document = item_bytes(StoredScenario(_SCENARIO_KEY, scenario, 1, now), data)
                added = connection.execute(
                    _insert(connection, rooms)
                    .values(
                        code=code,
                        name=name,
                        status="open",
                        created_at=now,
                        version=1,
                        tally_revealed=False,
                        agenda_step=0,
                        scenario=document,
                    )
                    .on_conflict_do_nothing()
                )
                if added.rowcount == 1:
                    self.db.record(connection, "open_room", room=code, detail=name)
                    return Room(code, name, "open", now)
        raise StorageError("could not find a free join code; try again")

    def room(self, code: str) -> Room:
        """The room with this code (the default room always exists)."""
        _require_code(code)
        with self.db.reading(f"read room {code}") as connection:
            return self._room(connection, code)

    def rooms(self) -> list[Room]:
        """Every room on this server except the default one, newest first."""
        with self.db.reading("list the rooms") as connection:
            rows = connection.execute(
                select(*_ROOM).where(rooms.c.code != DEFAULT_ROOM)
                .order_by(rooms.c.created_at.desc())
            ).all()  # fmt: skip
        return [_room_from(row) for row in rows]

    def version(self, code: str) -> int:
        """The room's version: raised by every change in it (0 for a default room never used)."""
        _require_code(code)
        with self.db.reading(f"check room {code}") as connection:
            found = connection.execute(
                select(rooms.c.version).where(rooms.c.code == code)
            ).scalar_one_or_none()
        return 0 if found is None else int(found)

    def scenario(self, code: str) -> Scenario | None:
        """The scenario the room was opened from; None for the default room."""
        _require_code(code)
        with self.db.reading(f"read room {code}") as connection:
            room = self._room(connection, code)
            if code == DEFAULT_ROOM:
                return None
            cache_key = (self.db.where, code, room.created_at)
            cached = _SCENARIOS.get(cache_key)
            if cached is not None:
                return cached
            document = connection.execute(
                select(rooms.c.scenario).where(rooms.c.code == code)
            ).scalar_one_or_none()
        if document is None:
            raise RoomError(f"room {code} has lost its scenario; restore it from a backup")
        scenario = item_from_bytes(_SCENARIO_KEY, document, f"rooms/{code}/scenario").scenario
        if len(_SCENARIOS) >= 1024:
            _SCENARIOS.clear()
        _SCENARIOS[cache_key] = scenario
        return scenario

    def close(self, code: str) -> Room:
        """Close and archive the room: from now on it can be looked at, not changed."""
        if code == DEFAULT_ROOM:
            raise RoomError("the default room cannot be closed; open a room to close it later")
        return self.change(code, lambda: None, closing=True)  # type: ignore[return-value]

    def items(self, code: str) -> ItemStore:
        """The room's proposals and saved scenarios; writes go through the room's change."""
        self.room(code)
        return SqlRoomItems(self, code, SqlStore(self.db, code))

    def change(
        self, code: str, action: Callable[[], T], *, closing: bool = False, shown: bool = True
    ) -> T:
        """Run ``action`` in the room's transaction if the room is open, then raise its version
        (unless what changed is ``shown=False``: nothing a screen shows, like who joined)."""
        _require_code(code)
        with self.db.writing(f"change room {code}") as connection:
            room = self._room(connection, code, lock=True)
            if room.read_only:
                raise RoomClosedError(
                    f"room {code} is closed and archived: nothing in it can be added or changed"
                )
            result = action()
            if not shown:
                return result
            closed = {"status": "closed", "closed_at": datetime.now(UTC)} if closing else {}
            connection.execute(
                update(rooms).where(rooms.c.code == code)
                .values(version=rooms.c.version + 1, **closed)
            )  # fmt: skip
            if closing:
                self.db.record(connection, "close_room", room=code)
                return self._room(connection, code)  # type: ignore[return-value]
            return result

    # -- participants, votes and the screen --------------------------------------------------

    def join(self, code: str, participant_id: str, name: str, role: str) -> Participant:
        """Add (or rename) a participant of the room."""
        _require_participant_id(participant_id)
        person = Participant(participant_id, parse_name(name), parse_role(role), datetime.now(UTC))

        def add() -> Participant:
            with self.db.writing("join the room") as connection:
                values = {"name": person.name, "role": person.role, "joined_at": person.joined_at}
                connection.execute(
                    _insert(connection, participants)
                    .values(room=code, id=participant_id, **values)
                    .on_conflict_do_update(index_elements=["room", "id"], set_=values)
                )
                self.db.record(
                    connection, "join", room=code, actor=participant_id, detail=person.role
                )
            return person

        return self.change(code, add, shown=False)

    def participants(self, code: str) -> Mapping[str, Participant]:
        _require_code(code)
        with self.db.reading(f"read room {code}") as connection:
            self._room(connection, code)
            rows = connection.execute(
                select(participants).where(participants.c.room == code)
                .order_by(participants.c.joined_at, participants.c.id)
            ).all()  # fmt: skip
        try:
            return {
                row.id: Participant(row.id, row.name, parse_role(row.role), row.joined_at)
                for row in rows
            }
        except InvalidInputError:
            raise _damaged(code, "participants") from None

    def vote(self, code: str, proposal: str, participant_id: str, choice: str) -> Tally:
        """Record (or change) the participant's vote on one of the room's proposals."""
        if choice not in CHOICES:
            raise InvalidInputError(f"a vote is one of {', '.join(CHOICES)}")
        _require_participant_id(participant_id)
        items = self.items(code)

        def cast() -> None:
            if participant_id not in self.participants(code):
                raise InvalidInputError("join the room with your name and role before voting")
            kept = items.get("proposals", proposal)  # NotFoundError if it is not this room's
            with self.db.writing("record your vote") as connection:
                values = {"choice": choice, "voted_at": datetime.now(UTC)}
                connection.execute(
                    _insert(connection, votes)
                    .values(room=code, proposal=proposal, participant=participant_id, **values)
                    .on_conflict_do_update(
                        index_elements=["room", "proposal", "participant"], set_=values
                    )
                )
                self.db.record(
                    connection, "vote", room=code, kind="proposals", key=proposal,
                    revision=kept.revision, detail=choice, actor=participant_id,
                )  # fmt: skip

        self.change(code, cast)
        return self.tallies(code).get(proposal, Tally())

    def tallies(self, code: str) -> Mapping[str, Tally]:
        """Every proposal's votes, by proposal key."""
        _require_code(code)
        with self.db.reading(f"count the votes in room {code}") as connection:
            self._room(connection, code)
            rows = connection.execute(
                select(votes.c.proposal, votes.c.participant, votes.c.choice,
                       participants.c.name, participants.c.role)
                .join(participants, (participants.c.room == votes.c.room)
                      & (participants.c.id == votes.c.participant))
                .where(votes.c.room == code)
                .order_by(votes.c.proposal, votes.c.participant)
            ).all()  # fmt: skip
        by_proposal: dict[str, list[Vote]] = {}
        for row in rows:
            if row.choice in CHOICES and row.role in _ROLES:
                vote = Vote(row.participant, row.name, row.role, row.choice)
                by_proposal.setdefault(row.proposal, []).append(vote)
        return {key: Tally(tuple(cast)) for key, cast in by_proposal.items()}

    def show(self, code: str, proposal: str | None) -> Room:
        """Put one of the room's proposals on the big screen (None: nothing)."""
        return self._set(code, "show", proposal, on_screen=proposal)

    def reveal_tally(self, code: str, revealed: bool) -> Room:
        return self._set(code, "reveal_tally", None, tally_revealed=bool(revealed))

    def set_agenda(self, code: str, step: int) -> Room:
        """Move every screen in the room to agenda step ``step`` (an index into AGENDA)."""
        return self._set(code, "set_agenda", None, agenda_step=parse_agenda_step(step))

    def start_timer(self, code: str, minutes: float | None) -> Room:
        """Start a countdown of ``minutes`` on every screen in the room (None: stop it)."""
        length = parse_timer_minutes(minutes)
        ends = None if length is None else datetime.now(UTC) + timedelta(minutes=length)
        return self._set(code, "start_timer", None, timer_ends_at=ends)

    def agree(self, code: str, proposal: str | None) -> Room:
        """Record one of the room's proposals as the plan it agreed on (None: not yet)."""
        return self._set(code, "agree", proposal, agreed=proposal)

    def forget_proposal(self, code: str, proposal: str) -> None:
        """Drop a deleted proposal's votes and take it off the screen and out of the agreed
        plan (call inside a change)."""
        with self.db.writing(f"change room {code}") as connection:
            connection.execute(
                votes.delete().where(votes.c.room == code, votes.c.proposal == proposal)
            )
            for column in (rooms.c.on_screen, rooms.c.agreed):
                connection.execute(
                    update(rooms)
                    .where(rooms.c.code == code, column == proposal)
                    .values({column.name: None})
                )

    def _set(self, code: str, action: str, proposal: str | None, **fields: Any) -> Room:
        """Change the room's record; ``proposal``, when given, must be one of the room's."""
        items = self.items(code) if proposal is not None else None

        def write() -> None:
            revision = None
            if items is not None and proposal is not None:
                revision = items.get("proposals", proposal).revision
            with self.db.writing(f"change room {code}") as connection:
                connection.execute(update(rooms).where(rooms.c.code == code).values(**fields))
                detail = ", ".join(f"{name}={value}" for name, value in fields.items())
                self.db.record(
                    connection, action, room=code, kind="proposals" if proposal else None,
                    key=proposal, revision=revision, detail=detail,
                )  # fmt: skip

        self.change(code, write)
        return self.room(code)

    def _room(self, connection: Connection, code: str, *, lock: bool = False) -> Room:
        query = select(*_ROOM).where(rooms.c.code == code)
        row = connection.execute(query.with_for_update() if lock else query).one_or_none()
        if row is None and code == DEFAULT_ROOM:
            if not lock:
                return Room(DEFAULT_ROOM, "Default room", "open", DEFAULT_ROOM_CREATED, version=0)
            _restore_default_room(connection)
            return self._room(connection, code, lock=True)
        if row is None:
            raise RoomNotFoundError(
                f"no room has the code {code}; check the code with the facilitator"
            )
        return _room_from(row)


class SqlRoomItems(RoomItems):
    """One room's proposals and saved scenarios in the database (see
    :class:`alignment.room_store.RoomItems`)."""


def sql_rooms() -> SqlRoomStore:
    """The rooms in the database ``ALIGNMENT_DATABASE_URL`` names (see
    :func:`alignment.room_store.default_rooms`)."""
    url = database_url()
    if url is None:
        raise StorageError("set ALIGNMENT_DATABASE_URL to use the workshop database")
    return SqlRoomStore(shared_database(url))


_ROOM = (
    rooms.c.code, rooms.c.name, rooms.c.status, rooms.c.created_at, rooms.c.version,
    rooms.c.on_screen, rooms.c.tally_revealed, rooms.c.closed_at, rooms.c.agenda_step,
    rooms.c.timer_ends_at, rooms.c.agreed,
)  # fmt: skip
_ROLES = ("leadership", "sales", "marketing", "facilitator")
# A room's scenario never changes once it is open, and every screen shows it on each rerun:
# parsed once per process. A plain dict under the GIL: a lost race costs one more parse.
_SCENARIOS: dict[tuple[str, str, datetime], Scenario] = {}


def _room_from(row: AnyRow) -> Room:
    if row.status not in ("open", "closed") or any(
        key is not None and not is_valid_key(key) for key in (row.on_screen, row.agreed)
    ):
        raise _damaged(row.code, "room")
    try:
        step = parse_agenda_step(row.agenda_step)
    except InvalidInputError:
        raise _damaged(row.code, "room") from None
    return Room(
        code=row.code, name=row.name, status=row.status, created_at=row.created_at,
        version=int(row.version), on_screen=row.on_screen,
        tally_revealed=bool(row.tally_revealed), closed_at=row.closed_at, agenda_step=step,
        timer_ends_at=row.timer_ends_at, agreed=row.agreed,
    )  # fmt: skip


def _restore_default_room(connection: Connection) -> None:
    """The default room's row, should it ever have been deleted by hand."""
    connection.execute(
        _insert(connection, rooms)
        .values(
            code=DEFAULT_ROOM,
            name="Default room",
            status="open",
            created_at=DEFAULT_ROOM_CREATED,
            version=0,
            tally_revealed=False,
            agenda_step=0,
        )
        .on_conflict_do_nothing()
    )


def _require_code(code: str) -> None:
    if not is_code(code):
        raise RoomNotFoundError(f"{str(code)[:20]!r} is not a join code")


def _require_participant_id(participant_id: str) -> None:
    if not isinstance(participant_id, str) or PARTICIPANT_ID.fullmatch(participant_id) is None:
        raise InvalidInputError("not a participant id the app gives; join the room again")


def _damaged(code: str, what: str) -> RoomError:
    return RoomError(
        f"the {what} record of room {code} in the workshop database is damaged; restore it "
        "from a backup"
    )


__all__ = ["SqlRoomItems", "SqlRoomStore", "acting_as", "sql_rooms"]
