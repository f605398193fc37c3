"""Alembic environment: runs on the connection handed in by :mod:`lobby.migrate`."""

from alembic import context
from sqlalchemy import Connection

from lobby import models_reports  # noqa: F401  # its tables belong to Base.metadata too
from lobby.models import Base

config = context.config


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through lobby.migrate.upgrade, not the alembic command")
run(connection)
