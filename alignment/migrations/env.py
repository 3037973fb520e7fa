"""How Alembic reaches the workshop database.

The app passes its own connection, already inside the upgrade's transaction and holding the
upgrade lock (:func:`alignment.sql_database.upgrade`). Run from the command line, Alembic
connects to ``ALIGNMENT_DATABASE_URL`` and takes the same lock.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection, text

from alignment.sql_database import DATABASE_URL_ENV, UPGRADE_LOCK, Database
from alignment.sql_schema import metadata


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite changes a table by copying it; PostgreSQL alters it in place.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_from_command_line() -> None:
    url = os.environ.get(DATABASE_URL_ENV)
    if not url:
        raise SystemExit(f"set {DATABASE_URL_ENV} to the workshop database's URL")
    database = Database(url)
    try:
        with database.writing("migrate the workshop database") as connection:
            if not database.is_sqlite:
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": UPGRADE_LOCK}
                )
            run(connection)
    finally:
        database.dispose()


if context.is_offline_mode():
    raise SystemExit("the workshop database is migrated online: drop --sql")
given = context.config.attributes.get("connection")
if given is not None:
    run(given)
else:
    run_from_command_line()
