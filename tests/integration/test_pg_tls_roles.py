"""PostgreSQL for a branch on several hosts: least-privilege roles, TLS with the server checked."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from lobby import engine
from lobby.config import SAMPLE_BRANCH, load_branch_config
from lobby.db import Database
from lobby.errors import DatabaseUnavailable
from lobby.journal import verify_chain
from lobby.pgroles import journal_append_only_sql, least_privilege_sql
from lobby.seeding import initialise
from lobby.staff import sign_in
from tests.pgserver import PostgresServer

pytestmark = pytest.mark.postgres

PASSWORDS = {"lobby_owner": "owner-secret", "lobby_app": "app-secret"}


@pytest.fixture(scope="module")
def tls_server() -> Iterator[PostgresServer]:
    with PostgresServer(tls=True) as server:
        with server.connect_admin() as conn:
            for role, password in PASSWORDS.items():
                conn.execute(
                    sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                        sql.Identifier(role), sql.Literal(password)
                    )
                )
            conn.execute("CREATE DATABASE branch")
        with psycopg.connect(server.conninfo("branch"), autocommit=True) as conn:
            for statement in least_privilege_sql("branch", "lobby_owner", "lobby_app"):
                conn.execute(statement)
        yield server


def url(server: PostgresServer, role: str, *, host: str = "127.0.0.1", **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"postgresql+psycopg://{role}:{PASSWORDS[role]}@{host}:{server.port}/branch?{query}"


def verified(server: PostgresServer, role: str, **extra: str) -> str:
    return url(server, role, sslmode="verify-full", sslrootcert=str(server.ca_file), **extra)


def test_the_app_role_works_over_verified_tls_without_ddl(tls_server: PostgresServer) -> None:
    owner = Database.open(verified(tls_server, "lobby_owner"))
    try:
        initialise(owner, load_branch_config(SAMPLE_BRANCH), "setup", waive_pin_change=True)
        with owner.transaction() as session:
            for statement in journal_append_only_sql("lobby_app"):
                session.execute(text(statement.as_string(None)))
    finally:
        owner.dispose()
    app = Database.open(verified(tls_server, "lobby_app"))
    try:
        with app.read() as session:
            assert session.scalar(text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"))
        greeter = sign_in(app, "G01", "2468", "greeter", device="tablet").credential
        teller = sign_in(app, "T01", "1111", "teller", device="counter-1").credential
        assert greeter is not None
        assert teller is not None
        with app.unit_of_work(greeter) as uow:
            engine.issue_ticket(uow, "cash")
        with app.unit_of_work(teller) as uow:
            assert engine.call_next(uow, 1).number == "A001"
        with app.read() as session:
            assert verify_chain(session).intact
        for forbidden in (
            "CREATE TABLE sneaky (id integer)",
            "ALTER TABLE ticket ADD COLUMN sneaky integer",
            "UPDATE event SET actor = 'T02'",
            "DELETE FROM event",
            "DROP TABLE rating",
        ):
            with (
                pytest.raises(ProgrammingError, match="permission denied|must be owner"),
                app.transaction() as session,
            ):
                session.execute(text(forbidden))
    finally:
        app.dispose()


@pytest.mark.parametrize(
    "wrong",
    [
        pytest.param({"host": "localhost"}, id="name-not-in-certificate"),
        pytest.param({"sslrootcert": "/etc/ssl/certs/ca-certificates.crt"}, id="unknown-ca"),
        pytest.param({"sslmode": "disable"}, id="no-tls"),
    ],
)
def test_a_connection_that_cannot_check_the_server_is_refused(
    tls_server: PostgresServer, wrong: dict[str, str]
) -> None:
    params = {"sslmode": "verify-full", "sslrootcert": str(tls_server.ca_file)}
    host = wrong.pop("host", "127.0.0.1")
    params.update(wrong)
    db = Database.open(url(tls_server, "lobby_app", host=host, **params))
    try:
        with pytest.raises(DatabaseUnavailable), db.read() as session:
            session.execute(text("SELECT 1"))
    finally:
        db.dispose()
