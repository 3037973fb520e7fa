"""The workshop database's tables, as the SQL store reads and writes them.

The same tables serve PostgreSQL (the hosted store) and SQLite (a file, for one machine). They
are created and changed only by the migrations in ``alignment/migrations/``; this module states
what the current migration head holds, and a test checks that the two agree.

``rooms``
    one row per room (the default room's included), with the version every screen polls.
``participants``, ``votes``
    who joined each room, and each participant's vote on each of its proposals.
``items``
    saved scenarios and proposals. ``document`` holds the very YAML the folder store writes in
    ``<kind>/<key>.yaml``; ``data`` the same scenario as JSON, read back 170 times faster. Both
    go through :func:`alignment.scenario_io.scenario_from_data`, so an older scenario migrates
    on load wherever it is read from.
``drafts``
    each session's autosave (working scenario and status quo, as JSON).
``audit``
    one row per change: when, in which room, who (a participant id, or ``system``), what, and
    the revision it made.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)

DEFAULT_ROOM_CREATED = datetime(2000, 1, 1, tzinfo=UTC)

# Constraint names stated once, so a migration can address them on every database.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UtcDateTime(TypeDecorator[datetime]):
    """A moment in UTC: stored with its time zone where the database keeps one (PostgreSQL),
    as UTC text where it does not (SQLite), and always read back aware, in UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError("the store keeps only moments with a time zone")
        moment = value.astimezone(UTC)
        return moment.replace(tzinfo=None) if dialect.name == "sqlite" else moment

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment: datetime = value
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)


rooms = Table(
    "rooms",
    metadata,
    Column("code", String(16), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("status", String(8), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("closed_at", UtcDateTime()),
    Column("version", Integer, nullable=False),
    Column("on_screen", String(32)),
    Column("tally_revealed", Boolean, nullable=False),
    Column("agenda_step", Integer, nullable=False),
    Column("timer_ends_at", UtcDateTime()),
    Column("agreed", String(32)),
    # The scenario the room was opened from, as the folder store's scenario.yaml.
    Column("scenario", LargeBinary),
    CheckConstraint("status IN ('open', 'closed')", name="status"),
    CheckConstraint("version >= 0", name="version"),
    CheckConstraint("agenda_step >= 0", name="agenda_step"),
)

participants = Table(
    "participants",
    metadata,
    Column("room", String(16), ForeignKey("rooms.code", ondelete="CASCADE"), primary_key=True),
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("joined_at", UtcDateTime(), nullable=False),
)

votes = Table(
    "votes",
    metadata,
    Column("room", String(16), primary_key=True),
    Column("proposal", String(32), primary_key=True),
    Column("participant", String(64), primary_key=True),
    Column("choice", String(8), nullable=False),
    Column("voted_at", UtcDateTime(), nullable=False),
    ForeignKeyConstraint(
        ["room", "participant"], ["participants.room", "participants.id"], ondelete="CASCADE"
    ),
    CheckConstraint("choice IN ('for', 'against')", name="choice"),
)

items = Table(
    "items",
    metadata,
    Column("room", String(16), ForeignKey("rooms.code", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("key", String(32), primary_key=True),
    Column("revision", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("author", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("document", LargeBinary, nullable=False),
    Column("data", Text),
    CheckConstraint("revision >= 1", name="revision"),
    Index(None, "room", "kind", "updated_at"),
)

drafts = Table(
    "drafts",
    metadata,
    # A draft set aside as unreadable keeps its row under ``<id>-<UTC time>Z``.
    Column("id", String(100), primary_key=True),
    Column("scenario", Text, nullable=False),
    Column("baseline", Text, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("set_aside_at", UtcDateTime()),
    Index(None, "updated_at"),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("room", String(16)),
    Column("actor", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("kind", String(16)),
    Column("key", String(100)),
    Column("revision", Integer),
    Column("detail", String(200)),
    Index(None, "room", "at"),
)
