"""The workshop's tables: rooms, participants, votes, items, drafts and the audit log.

Revision ID: 0001
Revises:
Create Date: 2026-05-01
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "rooms",
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("closed_at", MOMENT, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("on_screen", sa.String(32), nullable=True),
        sa.Column("tally_revealed", sa.Boolean(), nullable=False),
        sa.Column("agenda_step", sa.Integer(), nullable=False),
        sa.Column("timer_ends_at", MOMENT, nullable=True),
        sa.Column("agreed", sa.String(32), nullable=True),
        sa.Column("scenario", sa.LargeBinary(), nullable=True),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_rooms_status")),
        sa.CheckConstraint("version >= 0", name=op.f("ck_rooms_version")),
        sa.CheckConstraint("agenda_step >= 0", name=op.f("ck_rooms_agenda_step")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_rooms")),
    )
    op.create_table(
        "participants",
        sa.Column("room", sa.String(16), nullable=False),
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("joined_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(
            ["room"], ["rooms.code"], name=op.f("fk_participants_room_rooms"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("room", "id", name=op.f("pk_participants")),
    )
    op.create_table(
        "votes",
        sa.Column("room", sa.String(16), nullable=False),
        sa.Column("proposal", sa.String(32), nullable=False),
        sa.Column("participant", sa.String(64), nullable=False),
        sa.Column("choice", sa.String(8), nullable=False),
        sa.Column("voted_at", MOMENT, nullable=False),
        sa.CheckConstraint("choice IN ('for', 'against')", name=op.f("ck_votes_choice")),
        sa.ForeignKeyConstraint(
            ["room", "participant"],
            ["participants.room", "participants.id"],
            name=op.f("fk_votes_room_participant_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("room", "proposal", "participant", name=op.f("pk_votes")),
    )
    op.create_table(
        "items",
        sa.Column("room", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.String(32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.Column("document", sa.LargeBinary(), nullable=False),
        sa.Column("data", sa.Text(), nullable=True),
        sa.CheckConstraint("revision >= 1", name=op.f("ck_items_revision")),
        sa.ForeignKeyConstraint(
            ["room"], ["rooms.code"], name=op.f("fk_items_room_rooms"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("room", "kind", "key", name=op.f("pk_items")),
    )
    op.create_index(op.f("ix_items_room_kind_updated_at"), "items", ["room", "kind", "updated_at"])
    op.create_table(
        "drafts",
        sa.Column("id", sa.String(100), nullable=False),
        sa.Column("scenario", sa.Text(), nullable=False),
        sa.Column("baseline", sa.Text(), nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.Column("set_aside_at", MOMENT, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drafts")),
    )
    op.create_index(op.f("ix_drafts_updated_at"), "drafts", ["updated_at"])
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("room", sa.String(16), nullable=True),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=True),
        sa.Column("key", sa.String(100), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=True),
        sa.Column("detail", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit")),
    )
    op.create_index(op.f("ix_audit_room_at"), "audit", ["room", "at"])
    # The default room, where everyone is without a room: version 0 until its first change.
    created = datetime(2000, 1, 1, tzinfo=UTC)
    if op.get_bind().dialect.name == "sqlite":
        created = created.replace(tzinfo=None)  # SQLite keeps UTC as plain text
    op.execute(
        sa.text(
            "INSERT INTO rooms (code, name, status, created_at, version, tally_revealed, "
            "agenda_step) VALUES ('default', 'Default room', 'open', :created, 0, :no, 0)"
        ).bindparams(sa.bindparam("created", created, MOMENT), sa.bindparam("no", False))
    )


def downgrade() -> None:
    for table in ("audit", "drafts", "items", "votes", "participants", "rooms"):
        op.drop_table(table)
