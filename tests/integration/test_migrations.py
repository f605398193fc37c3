"""Schema migrations: an empty database, a repeated upgrade, stored older databases."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, func, select

from lobby.db import make_engine
from lobby.migrate import revisions, upgrade
from lobby.models import Base, Service, Ticket
from lobby.schema import HEAD, SCHEMA_REVISIONS, current_revision
from tests.pgserver import PostgresServer

STORED = Path(__file__).resolve().parent.parent / "data" / "schemas"


def _assert_matches_models(url: str) -> None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
        assert current_revision(engine) == HEAD
    finally:
        engine.dispose()


def test_empty_sqlite_upgrades_to_the_models(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    engine = make_engine(url)
    assert current_revision(engine) is None
    upgrade(engine)
    upgrade(engine)  # idempotent
    engine.dispose()
    _assert_matches_models(url)


@pytest.mark.postgres
def test_empty_postgresql_upgrades_to_the_models(pg_server: PostgresServer) -> None:
    pg_server.create_database("migrate_empty")
    url = pg_server.url("migrate_empty")
    engine = make_engine(url)
    upgrade(engine)
    upgrade(engine)
    engine.dispose()
    _assert_matches_models(url)
    pg_server.drop_database("migrate_empty")


@pytest.mark.parametrize("stored", sorted(STORED.glob("*.sqlite")), ids=lambda p: p.stem)
def test_stored_database_of_each_schema_upgrades(stored: Path, tmp_path: Path) -> None:
    path = tmp_path / stored.name
    shutil.copy(stored, path)
    url = f"sqlite:///{path}"
    plain = create_engine(url)
    with plain.connect() as conn:
        tickets_before = conn.scalar(select(func.count()).select_from(Ticket.__table__))
    plain.dispose()
    engine = make_engine(url)
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Ticket.__table__)) == tickets_before
        assert conn.scalar(select(func.count()).select_from(Service.__table__)) == 8
    engine.dispose()
    _assert_matches_models(url)


def test_every_released_schema_has_a_stored_database() -> None:
    stored = {p.stem.split("_")[0] for p in STORED.glob("*.sqlite")}
    assert set(revisions()) <= stored, "store a database of each schema in tests/data/schemas"


def test_schema_revisions_constant_matches_the_migrations() -> None:
    assert list(SCHEMA_REVISIONS) == revisions()
