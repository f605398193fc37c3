"""Checks that a database can be trusted: storage integrity, schema, ticket states, journal.

:func:`journal_problems` is where the journal's own verification belongs; restore and
``lobby doctor`` both call it.
"""

from __future__ import annotations

from sqlalchemy import func, select

from lobby.db import Database
from lobby.journal import verify_chain
from lobby.models import Event, Ticket
from lobby.schema import HEAD, current_revision
from lobby.states import TicketState


def storage_problems(db: Database, *, full: bool = False) -> list[str]:
    """SQLite's ``quick_check`` (``integrity_check`` when ``full``) and foreign keys.

    PostgreSQL keeps its own pages and constraints; reaching it is checked elsewhere.
    """
    if not db.is_sqlite:
        return []
    pragma = "integrity_check" if full else "quick_check"
    with db.engine.connect() as conn:
        results = [row[0] for row in conn.exec_driver_sql(f"PRAGMA {pragma}")]
        broken_keys = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
    problems = [] if results == ["ok"] else [f"{pragma}: {'; '.join(results[:3])}"]
    if broken_keys:
        tables = sorted({str(row[0]) for row in broken_keys})
        problems.append(f"{len(broken_keys)} rows with a broken reference in {', '.join(tables)}")
    return problems


def schema_problems(db: Database) -> list[str]:
    """The schema revision must be this Lobby's."""
    revision = current_revision(db.engine)
    if revision == HEAD:
        return []
    return [f"schema revision {revision or 'none'}, this Lobby needs {HEAD}"]


def ticket_problems(db: Database) -> list[str]:
    """Every ticket is in a known state."""
    known = [s.value for s in TicketState]
    with db.read() as session:
        unknown = session.execute(
            select(Ticket.state, func.count()).where(Ticket.state.not_in(known))
            .group_by(Ticket.state)
        ).all()  # fmt: skip
    return [f"{n} tickets in unknown state {state!r}" for state, n in unknown]


def journal_problems(db: Database) -> list[str]:
    """The journal's hash chain holds (``lobby audit verify``) and each event's ticket exists."""
    with db.read() as session:
        chain = verify_chain(session)
        orphans = session.scalar(
            select(func.count())
            .select_from(Event)
            .outerjoin(Ticket, Ticket.id == Event.ticket_id)
            .where(Event.ticket_id.is_not(None), Ticket.id.is_(None))
        )
    problems = [] if chain.intact else [chain.message]
    if orphans:
        problems.append(f"{orphans} journal events name a ticket that does not exist")
    return problems


def database_problems(db: Database, *, full: bool = True) -> list[str]:
    """Everything a restored database must pass; an empty list when it is sound."""
    problems = storage_problems(db, full=full)
    if problems:
        return problems  # reading further from a damaged file tells nothing more
    return schema_problems(db) + ticket_problems(db) + journal_problems(db)
