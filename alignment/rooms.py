"""Workshop rooms: who is in one, what they voted, and what the big screen shows.

A room is one workshop on a shared server. Its proposals, saved scenarios, votes and agreed
plan belong to it and to no other room; participants reach it by its join code (six characters
that cannot be mistaken for one another when read off a projector). A closed room is archived:
it can be looked at, and nothing in it can be added or changed.

The :data:`DEFAULT_ROOM` is the one everyone is in when no room is chosen (a single laptop with
no setup); it holds the items saved before rooms existed, and it cannot be closed.

Every change to a room raises its ``version``, one small record a screen can check cheaply to
learn that something changed (see :class:`RoomStore.version`).
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol, TypeVar, get_args

from alignment.scenario import Scenario
from alignment.storage import ItemStore, StorageError

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
DEFAULT_ROOM = "default"
MAX_NAME = 60
MAX_ROOM_NAME = 120

RoomRole = Literal["leadership", "sales", "marketing", "facilitator"]
ROOM_ROLES: tuple[str, ...] = get_args(RoomRole)
# Parties whose votes count towards agreement; the facilitator's are shown, not counted as a side.
SIDES = ("leadership", "sales", "marketing")
Choice = Literal["for", "against"]
CHOICES: tuple[str, ...] = get_args(Choice)
Status = Literal["open", "closed"]
# The facilitator's agenda: the step shown on every screen in the room, in order.
AGENDA: tuple[str, ...] = (
    "The problem today",
    "Explore prices and pay",
    "Put plans on the table",
    "Vote",
    "Agree the plan",
)
MAX_TIMER_MINUTES = 180

_CODE = re.compile(f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")
T = TypeVar("T")


class RoomError(StorageError):
    """A room cannot be used as asked; the message says why and what to do."""


class RoomNotFoundError(RoomError):
    """No room has this code."""


class RoomClosedError(RoomError):
    """The room is closed and archived: nothing in it can be added or changed."""


class InvalidInputError(RoomError):
    """A join code, name, role or vote is not one the app accepts; the message says the fix."""


def new_code() -> str:
    """Six characters from :data:`CODE_ALPHABET`: about 887 million codes."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def parse_code(text: object) -> str:
    """A join code as typed (any case, spaces or a dash allowed) → the code; else explain."""
    if not isinstance(text, str):
        raise InvalidInputError("type the room's join code")
    code = re.sub(r"[\s-]", "", text).upper()[: CODE_LENGTH * 4]
    if code == DEFAULT_ROOM.upper():
        return DEFAULT_ROOM
    if len(code) != CODE_LENGTH:
        raise InvalidInputError(
            f"a join code has {CODE_LENGTH} characters, this has {len(code)}; check it with "
            "the facilitator"
        )
    if _CODE.fullmatch(code) is None:
        wrong = sorted({c for c in code if c not in CODE_ALPHABET})
        raise InvalidInputError(
            f"a join code uses only letters and digits that cannot be mistaken for each other "
            f"(no {', '.join(repr(c) for c in wrong[:5])}); check it with the facilitator"
        )
    return code


def is_code(text: object) -> bool:
    return isinstance(text, str) and (text == DEFAULT_ROOM or _CODE.fullmatch(text) is not None)


def parse_name(text: object, what: str = "your name") -> str:
    """A name as typed, trimmed and without control characters; else say what to fix."""
    if not isinstance(text, str):
        raise InvalidInputError(f"type {what}")
    name = "".join(c for c in text if unicodedata.category(c)[0] != "C" or c == " ")
    name = " ".join(name.split())
    limit = MAX_ROOM_NAME if what == "the room's name" else MAX_NAME
    if not name:
        raise InvalidInputError(f"type {what}: it cannot be blank")
    if len(name) > limit:
        raise InvalidInputError(f"{what} is {len(name)} characters; keep it to {limit}")
    return name


def parse_agenda_step(step: object) -> int:
    if isinstance(step, bool) or not isinstance(step, int) or not 0 <= step < len(AGENDA):
        raise InvalidInputError(f"an agenda step is a number from 1 to {len(AGENDA)}")
    return step


def parse_timer_minutes(minutes: object) -> float | None:
    """A countdown's length in minutes (None stops the timer)."""
    if minutes is None:
        return None
    if (
        isinstance(minutes, bool)
        or not isinstance(minutes, int | float)
        or not (0 < minutes <= MAX_TIMER_MINUTES)
    ):
        raise InvalidInputError(
            f"a timer runs for more than 0 and at most {MAX_TIMER_MINUTES} minutes"
        )
    return float(minutes)


def parse_role(text: object) -> RoomRole:
    if text not in ROOM_ROLES:
        raise InvalidInputError(f"pick a role: one of {', '.join(ROOM_ROLES)}")
    return text  # type: ignore[return-value]


@dataclass(frozen=True)
class Room:
    """A room's record: its code, name, state and what the big screen shows."""

    code: str
    name: str
    status: Status
    created_at: datetime
    version: int = 1
    on_screen: str | None = None  # a proposal's key
    tally_revealed: bool = False
    closed_at: datetime | None = None
    agenda_step: int = 0  # an index into AGENDA
    timer_ends_at: datetime | None = None  # the facilitator's countdown, if one runs
    agreed: str | None = None  # the proposal the room agreed on

    @property
    def agenda(self) -> str:
        return AGENDA[self.agenda_step]

    def seconds_left(self, now: datetime) -> float | None:
        """Seconds until the timer ends (0 once it has), None without a timer."""
        if self.timer_ends_at is None:
            return None
        return max((self.timer_ends_at - now).total_seconds(), 0.0)

    @property
    def is_default(self) -> bool:
        return self.code == DEFAULT_ROOM

    @property
    def read_only(self) -> bool:
        return self.status == "closed"


@dataclass(frozen=True)
class Participant:
    """Someone who joined a room, known by an id the server derives from their session."""

    id: str
    name: str
    role: RoomRole
    joined_at: datetime


@dataclass(frozen=True)
class Vote:
    participant: str  # the participant's id
    name: str
    role: RoomRole
    choice: Choice


@dataclass(frozen=True)
class Tally:
    """Votes on one proposal, for and against, by role."""

    votes: tuple[Vote, ...] = ()

    def count(self, role: str, choice: str) -> int:
        return sum(1 for v in self.votes if v.role == role and v.choice == choice)

    def leaning(self, role: str) -> Choice | None:
        """``for`` when more of ``role`` voted for than against, ``against`` when fewer."""
        yes, no = self.count(role, "for"), self.count(role, "against")
        return "for" if yes > no else "against" if no > yes else None

    @property
    def both_sides_agree(self) -> bool:
        """Leadership and sales both lean for: the proposal both sides could sign."""
        return self.leaning("leadership") == "for" and self.leaning("sales") == "for"

    def choice_of(self, participant: str) -> Choice | None:
        return next((v.choice for v in self.votes if v.participant == participant), None)


class RoomStore(Protocol):
    """Rooms, their participants, votes and screen, behind one small interface.

    Every method that changes a room raises :class:`RoomClosedError` when it is closed and
    :class:`RoomNotFoundError` when no room has the code, and raises the room's version.
    """

    def open_room(self, name: str, scenario: Scenario) -> Room: ...

    def room(self, code: str) -> Room: ...

    def rooms(self) -> list[Room]: ...

    def version(self, code: str) -> int: ...

    def scenario(self, code: str) -> Scenario | None: ...

    def close(self, code: str) -> Room: ...

    def items(self, code: str) -> ItemStore: ...

    def join(self, code: str, participant_id: str, name: str, role: str) -> Participant: ...

    def participants(self, code: str) -> Mapping[str, Participant]: ...

    def vote(self, code: str, proposal: str, participant_id: str, choice: str) -> Tally: ...

    def tallies(self, code: str) -> Mapping[str, Tally]: ...

    def show(self, code: str, proposal: str | None) -> Room: ...

    def reveal_tally(self, code: str, revealed: bool) -> Room: ...

    def set_agenda(self, code: str, step: int) -> Room: ...

    def start_timer(self, code: str, minutes: float | None) -> Room: ...

    def agree(self, code: str, proposal: str | None) -> Room: ...

    def change(self, code: str, action: Callable[[], T]) -> T: ...
