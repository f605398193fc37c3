"""A writer process for the kill test: issues, calls and finishes until it is killed.

It tells the test process what it is doing through a pipe: ``begun`` once a unit of
work holds its transaction, ``written`` once the rows are flushed (the commit comes
next), and ``ack`` once the commit returned; the test kills it with SIGKILL right
after one of these, chosen at random, so the kill lands inside a transaction, in its
commit or between two. Whatever was acknowledged must be in the database afterwards.

The module is imported by the fork server before any writer starts (see
``test_kill.py``), so a writer costs a fork, not an interpreter start.
"""

from __future__ import annotations

from multiprocessing.connection import Connection

from sqlalchemy.orm import configure_mappers

from lobby import engine
from lobby.db import Database
from lobby.errors import NotFound, NothingToCall
from tests.helpers import actor


def write_until_killed(url: str, conn: Connection, staff: str, counter: int, service: str) -> None:
    """Run issue + call + finish at ``counter`` as ``staff`` for ever (until killed)."""
    db = Database.open(url)
    credential = actor(staff)
    try:
        with db.unit_of_work(credential) as uow:  # what a killed writer left open here
            finished = engine.finish(uow, counter)
        conn.send(("ack", "finish", {"id": finished.id, "counter": counter}))
    except NotFound:
        pass
    conn.send(("ready", "", None))
    while True:
        with db.unit_of_work(credential) as uow:
            conn.send(("begun", "issue", None))
            issued = engine.issue_ticket(uow, service)
            uow.session.flush()
            conn.send(("written", "issue", None))
        conn.send(
            (
                "ack",
                "issue",
                {
                    "id": issued.id,
                    "number": issued.number,
                    "business_day": issued.business_day.isoformat(),
                },
            )
        )
        try:
            with db.unit_of_work(credential) as uow:
                conn.send(("begun", "call", None))
                called = engine.call_next(uow, counter)
                uow.session.flush()
                conn.send(("written", "call", None))
        except NothingToCall:  # another writer's counter served it first
            continue
        conn.send(("ack", "call", {"id": called.id, "counter": counter, "actor": staff}))
        with db.unit_of_work(credential) as uow:
            conn.send(("begun", "finish", None))
            engine.finish(uow, counter, called.number)
            uow.session.flush()
            conn.send(("written", "finish", None))
        conn.send(("ack", "finish", {"id": called.id, "counter": counter}))


configure_mappers()  # once in the fork server, not in every writer
