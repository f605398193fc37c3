"""Customers the greeter sends to a machine: journalled, with no ticket and no number used."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lobby import engine
from lobby.db import Database
from lobby.errors import InvalidInput
from lobby.models import Event, Ticket
from tests.helpers import actor


def events(db: Database) -> list[tuple[str, str, dict[str, object]]]:
    with db.read() as session:
        rows = session.execute(select(Event.kind, Event.actor, Event.payload).order_by(Event.id))
        return [(kind, actor, payload) for kind, actor, payload in rows]


def test_a_diversion_is_journalled_without_a_ticket(db: Database) -> None:
    before = events(db)
    with db.unit_of_work(actor("G01")) as uow:
        engine.record_diversion(uow, "cash")
    assert events(db)[len(before) :] == [
        ("diverted", "G01", {"service": "cash", "reason": "self_service"})
    ]
    with db.read() as session:
        assert session.scalar(select(func.count(Ticket.id))) == 0
    with db.unit_of_work(actor("G01")) as uow:  # the diversion took no number
        assert engine.issue_ticket(uow, "cash").number == "A001"


@pytest.mark.parametrize(
    ("service", "reason", "message"),
    [
        ("nosuch", "self_service", "unknown service 'nosuch'"),
        ("wealth", "self_service", "'wealth' has no self-service machine"),
        ("cash", "bored", "unknown diversion reason 'bored'"),
    ],
)
def test_a_diversion_that_makes_no_sense_is_refused_and_writes_nothing(
    db: Database, service: str, reason: str, message: str
) -> None:
    before = events(db)
    with pytest.raises(InvalidInput, match=message), db.unit_of_work(actor("G01")) as uow:
        engine.record_diversion(uow, service, reason)
    assert events(db) == before
