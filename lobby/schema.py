"""Create and upgrade the schema with the Alembic migrations shipped in ``lobby/migrations``."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from lobby.db import Database, translate_errors
from lobby.errors import DatabaseUnavailable

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    """An Alembic configuration pointing at the shipped migrations (no ini file)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The newest schema revision this code knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations shipped"
    return head


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database, or ``None`` for an empty one."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision``; a database already there is left as it is."""
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def require_current_schema(db: Database) -> None:
    """Refuse a database that is missing, older or newer than this code's schema.

    Raises:
        DatabaseUnavailable: With the command that fixes it.
    """
    if not db.schema_ready():
        raise DatabaseUnavailable(f"no Lobby database at {db.engine.url!r}: run `lobby init` first")
    with translate_errors():
        stored = current_revision(db.engine)
    head = head_revision()
    if stored == head:
        return
    known = {r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if stored in known:
        raise DatabaseUnavailable(
            f"the database schema ({stored}) is older than this Lobby ({head}): "
            "run `lobby init` to upgrade it"
        )
    raise DatabaseUnavailable(
        f"the database schema ({stored}) is newer than this Lobby ({head}): update Lobby"
    )
