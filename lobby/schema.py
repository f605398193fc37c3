"""Which schema a database holds, checked without loading Alembic (CLI start-up stays fast).

Creating and upgrading the schema is in :mod:`lobby.migrate`.
"""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

from lobby.db import READ_ONLY, Database, translate_errors
from lobby.errors import DatabaseUnavailable

#: Every released schema revision, oldest first; a test keeps it equal to the migrations.
SCHEMA_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008")
HEAD = SCHEMA_REVISIONS[-1]


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database, or ``None`` for an empty one."""
    with engine.execution_options(**{READ_ONLY: True}).connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        revision: str | None = conn.scalar(text("SELECT version_num FROM alembic_version"))
        return revision


def require_current_schema(db: Database) -> None:
    """Refuse a database that is missing, older or newer than this code's schema.

    Raises:
        DatabaseUnavailable: With the command that fixes it.
    """
    with translate_errors(db.engine.url):
        stored = current_revision(db.engine)
    if stored == HEAD:
        return
    if stored is None:
        raise DatabaseUnavailable(f"no Lobby database at {db.engine.url!r}: run `lobby init` first")
    if stored in SCHEMA_REVISIONS:
        raise DatabaseUnavailable(
            f"the database schema ({stored}) is older than this Lobby ({HEAD}): "
            "run `lobby init` to upgrade it"
        )
    raise DatabaseUnavailable(
        f"the database schema ({stored}) is newer than this Lobby ({HEAD}): update Lobby"
    )
