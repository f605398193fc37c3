"""Forgiving no-shows: the missed list, recall at another counter, undo, grace time, KPIs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from lobby import engine
from lobby.db import Database
from lobby.engine.missed import grace_time, missed_tickets
from lobby.errors import InvalidInput
from lobby.models import Event, Ticket
from lobby.reports.collect import collect_days
from lobby.views import TicketView
from tests.helpers import ManualClock, actor


def issue(db: Database, service: str = "cash") -> TicketView:
    with db.unit_of_work(actor("G01")) as uow:
        return engine.issue_ticket(uow, service)


def missed_numbers(db: Database, clock: ManualClock) -> list[str]:
    with db.read() as session:
        grace = grace_time({"missed_grace_min": 15})
        return [m.ticket.number for m in missed_tickets(session, clock.now(), grace)]


def test_no_show_is_recalled_at_another_counter_and_counts_as_served(
    db: Database, clock: ManualClock
) -> None:
    ticket = issue(db)
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)
        engine.no_show(uow, 1)
    assert missed_numbers(db, clock) == [ticket.number]
    clock.advance(minutes=6)
    with db.unit_of_work(actor("T02")) as uow:
        back = engine.recall_missed(uow, 2, ticket.number)
        engine.start(uow, 2)
        clock.advance(minutes=3)
        engine.finish(uow, 2)
    assert (back.state, back.counter, back.call_count) == ("called", 2, 2)
    assert missed_numbers(db, clock) == []
    with db.read() as session:
        event = session.scalars(select(Event).where(Event.kind == "missed_recalled")).one()
        row = session.scalars(select(Ticket)).one()
        sums = collect_days(session, row.business_day, row.business_day, "Asia/Shanghai")
        assert event.actor == "T02"
        assert event.payload["missed_at_counter"] == 1
        assert event.payload["undo"] is False
        assert (row.state, row.staff) == ("done", "T02")
        day = sums[row.business_day][("total", "")]
    assert (day.served, day.no_show) == (1, 0)


def test_a_never_served_no_show_counts_once(db: Database, clock: ManualClock) -> None:
    issue(db)
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)
        engine.no_show(uow, 1)
        engine.recall_missed(uow, 1, "A001")
        engine.no_show(uow, 1)
    with db.read() as session:
        row = session.scalars(select(Ticket)).one()
        sums = collect_days(session, row.business_day, row.business_day, "Asia/Shanghai")
        day = sums[row.business_day][("total", "")]
    assert (day.served, day.no_show) == (0, 1)


def test_typing_a_missed_ticket_calls_it_back(db: Database) -> None:
    ticket = issue(db)
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)
        engine.no_show(uow, 1)
    with db.unit_of_work(actor("T02")) as uow:
        back = engine.call_ticket(uow, 2, ticket.number)
    assert (back.state, back.counter) == ("called", 2)
    assert back.reason == "called back from the missed list"


def test_grace_time_ends_the_missed_ticket(db: Database, clock: ManualClock) -> None:
    ticket = issue(db)
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)
        engine.no_show(uow, 1)
    clock.advance(minutes=15, seconds=1)
    assert missed_numbers(db, clock) == []
    with (
        pytest.raises(InvalidInput, match="no longer valid: issue a new ticket"),
        db.unit_of_work(actor("T02")) as uow,
    ):
        engine.call_ticket(uow, 2, ticket.number)


def test_only_counters_serving_the_service_call_it_back(db: Database) -> None:
    ticket = issue(db, "wealth")
    with db.unit_of_work(actor("T03")) as uow:
        engine.call_next(uow, 5)
        engine.no_show(uow, 5)
    with (
        pytest.raises(InvalidInput, match="does not serve wealth"),
        db.unit_of_work(actor("T01")) as uow,
    ):
        engine.recall_missed(uow, 1, ticket.number)
    with db.unit_of_work(actor("T03")) as uow:
        assert engine.recall_missed(uow, 5, ticket.number).state == "called"


def test_undo_within_the_window_only(db: Database, clock: ManualClock) -> None:
    first, second = issue(db), issue(db)
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)
        engine.no_show(uow, 1)
    clock.advance(seconds=8)
    with pytest.raises(InvalidInput, match="another counter"), db.unit_of_work(actor("T02")) as uow:
        engine.undo_no_show(uow, 2, first.number)
    with db.unit_of_work(actor("T01")) as uow:
        undone = engine.undo_no_show(uow, 1, first.number)
        engine.no_show(uow, 1)
    assert (undone.state, undone.counter) == ("called", 1)
    with db.read() as session:
        payloads = session.scalars(select(Event.payload).where(Event.kind == "missed_recalled"))
        assert [p["undo"] for p in payloads] == [True]
    clock.advance(seconds=11)
    with db.unit_of_work(actor("T01")) as uow:
        with pytest.raises(InvalidInput, match="can no longer be undone"):
            engine.undo_no_show(uow, 1, first.number)
        with pytest.raises(InvalidInput, match="not on the missed list"):
            engine.recall_missed(uow, 1, second.number)


def test_close_day_leaves_no_shows_as_they_are(db: Database, clock: ManualClock) -> None:
    issue(db)
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)
        engine.no_show(uow, 1)
    with db.unit_of_work(actor("M01")) as uow:
        assert engine.close_day(uow) == 0
    with db.read() as session:
        assert session.scalar(select(Ticket.state)) == "no_show"


def test_grace_time_comes_from_the_policy() -> None:
    assert grace_time(None) == timedelta(minutes=15)
    assert grace_time({"missed_grace_min": 5}) == timedelta(minutes=5)
