"""Retention purge and a person's export/erase: exactly the personal data named goes.

Everything else stays: the tickets' times, states and outcomes, ratings' scores,
complaints' categories and times, and the journal, untouched.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from lobby import engine
from lobby.complaints import add_complaint_note
from lobby.config import RetentionConfig
from lobby.db import Database
from lobby.errors import PermissionDenied
from lobby.journal import events_after
from lobby.lifecycle.person import erase_person, export_person
from lobby.lifecycle.retention import PURGED, purge, purge_expired
from lobby.models import Appointment, Complaint, ComplaintNote, Rating, Ticket, Visit
from tests.helpers import ManualClock, actor, device

PHONE, OTHER = "13812345678", "13900002222"


def _day_of_visits(db: Database, clock: ManualClock) -> dict[str, str]:
    """A served, noted, rated visit with a complaint; one left waiting; a booking."""
    with db.unit_of_work(actor("G01")) as uow:
        served = engine.issue_ticket(uow, "cash", phone=PHONE, note="needs a chair")
        engine.issue_ticket(uow, "account", phone=OTHER, note="brings a guarantor")
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)
    with db.unit_of_work(actor("T01")) as uow:
        engine.transfer(uow, 1, served.number, to_service="enquiry", note="wants a card too")
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)
    with db.unit_of_work(actor("T01")) as uow:
        engine.finish(uow, 1, served.number, outcome="follow_up", follow_up="card in 7 days")
    with db.unit_of_work(device("pad-1")) as uow:
        engine.rate_visit(uow, served.number, 4, "quick and kind")
    with db.unit_of_work(actor("G01")) as uow:
        closed = engine.file_complaint(
            uow, category="waiting", description="waited long", contact=PHONE,
            ticket_number=served.number,
        )  # fmt: skip
        still_open = engine.file_complaint(uow, category="fees", description="fee", contact=OTHER)
        booking = engine.book_appointment(
            uow, "loans", clock.now() + timedelta(days=1), customer="Wang Fang", phone=OTHER
        )
    with db.unit_of_work(actor("M01")) as uow:
        engine.update_complaint(uow, closed, status="resolved", resolution="apologised")
    return {"closed": closed, "open": still_open, "booking": booking}


def _personal(db: Database) -> dict[str, list[object]]:
    with db.read() as s:
        return {
            "visits": [tuple(r) for r in s.execute(
                select(Visit.phone, Visit.note).order_by(Visit.id))],
            "tickets": [tuple(r) for r in s.execute(
                select(Ticket.follow_up, Ticket.transfer_note).order_by(Ticket.id))],
            "ratings": list(s.scalars(select(Rating.comment))),
            "appointments": [tuple(r) for r in s.execute(
                select(Appointment.customer, Appointment.phone))],
            "complaints": [tuple(r) for r in s.execute(
                select(Complaint.reference, Complaint.contact, Complaint.description,
                       Complaint.resolution).order_by(Complaint.id))],
        }  # fmt: skip


def _anonymous(db: Database) -> list[object]:
    with db.read() as s:
        return [
            [tuple(r) for r in s.execute(select(
                Ticket.id, Ticket.number, Ticket.state, Ticket.service_id, Ticket.category,
                Ticket.issued_at, Ticket.called_at, Ticket.ended_at, Ticket.outcome,
                Ticket.counter_id, Ticket.staff).order_by(Ticket.id))],
            [tuple(r) for r in s.execute(select(Rating.score, Rating.at))],
            [tuple(r) for r in s.execute(select(
                Complaint.category, Complaint.status, Complaint.created_at,
                Complaint.resolved_at).order_by(Complaint.id))],
        ]  # fmt: skip


def _purge_on(db: Database, clock: ManualClock, days_later: int, start: object) -> int:
    clock.current = start + timedelta(days=days_later)  # type: ignore[operator]
    with db.unit_of_work(actor("M01")) as uow:
        dry = purge_expired(uow.session, uow.branch, uow.today - timedelta(days=1), dry_run=True)
        done = purge(uow)
    assert dry.to_json() | {"dry_run": False} == done.to_json()
    return done.total


def test_purge_erases_exactly_what_the_retention_says(db: Database, clock: ManualClock) -> None:
    start = clock.now()
    refs = _day_of_visits(db, clock)
    with db.unit_of_work(actor("M01")) as uow:
        engine.close_day(uow)
    before, facts = _personal(db), _anonymous(db)
    with db.read() as session:
        journal_before = events_after(session, 0, limit=10_000)

    assert _purge_on(db, clock, 30, start) == 0, "30 days are kept"
    assert _personal(db) == before
    assert _purge_on(db, clock, 31, start) == 4  # 2 visits, the ticket with notes, 1 rating
    after = _personal(db)
    assert after["visits"] == [(None, ""), (None, "")]
    assert after["tickets"] == [(None, None)] * 3
    assert after["ratings"] == [""]
    assert after["appointments"] == before["appointments"]
    assert after["complaints"] == before["complaints"]
    assert _purge_on(db, clock, 91, start) == 0, "the booking was due the day after"
    assert _purge_on(db, clock, 92, start) == 1
    assert _personal(db)["appointments"] == [("", None)]
    assert _purge_on(db, clock, 365, start) == 0
    assert _purge_on(db, clock, 366, start) == 1
    complaints = _personal(db)["complaints"]
    assert complaints == [(refs["closed"], None, "", ""), before["complaints"][1]]
    assert _purge_on(db, clock, 3000, start) == 0, "an open complaint keeps its contact"

    assert _anonymous(db) == facts
    with db.read() as session:
        journal = events_after(session, 0, limit=10_000)
    assert journal[: len(journal_before)] == journal_before
    assert [e.kind for e in journal[len(journal_before) :]] == [PURGED] * 7
    assert all(set(e.payload) <= {"through", "visits", "tickets", "ratings", "appointments",
                                  "complaints", "complaint_notes"}
               for e in journal[len(journal_before):])  # fmt: skip


def test_zero_days_erases_at_the_close_of_the_day(db: Database, clock: ManualClock) -> None:
    _day_of_visits(db, clock)
    with db.unit_of_work(actor("M01")) as uow:
        engine.close_day(uow)
        done = purge_expired(uow.session, uow.branch, uow.today,
                             retention=RetentionConfig(visit_days=0, appointment_days=0,
                                                       complaint_days=0))  # fmt: skip
    # today's visits and the resolved complaint; the booking is due tomorrow
    assert (done.visits, done.tickets, done.ratings, done.complaints) == (2, 1, 1, 1)
    assert done.appointments == 0


def test_person_export_and_erase(db: Database, clock: ManualClock) -> None:
    refs = _day_of_visits(db, clock)
    with db.unit_of_work(actor("M01")) as uow:
        add_complaint_note(uow, refs["closed"], "called back on 138 1234 5678")
    with pytest.raises(PermissionDenied), db.unit_of_work(actor("T01")) as uow:
        export_person(uow, PHONE)
    with db.unit_of_work(actor("M01")) as uow:
        data = export_person(uow, "138 1234 5678")
    assert data["phone"] == "+8613812345678"
    assert [v["note"] for v in data["visits"]] == ["needs a chair"]
    hops = data["visits"][0]["tickets"]
    assert [t["transfer_note"] for t in hops] == [None, "wants a card too"]
    assert data["visits"][0]["rating"] == {"score": 4, "comment": "quick and kind"}
    assert [c["reference"] for c in data["complaints"]] == [refs["closed"]]
    assert data["appointments"] == []

    other_before = _personal(db)["complaints"][1]
    with db.unit_of_work(actor("M01")) as uow:
        done = erase_person(uow, PHONE)
    assert (done.visits, done.tickets, done.ratings, done.complaints) == (1, 1, 1, 1)
    assert done.complaint_notes == 1
    after = _personal(db)
    assert after["visits"] == [(None, ""), ("+8613900002222", "brings a guarantor")]
    assert after["complaints"][1] == other_before
    assert after["appointments"] == [("Wang Fang", "+8613900002222")]
    with db.read() as session:
        assert all(n.text == "" for n in session.scalars(select(ComplaintNote)))
        kinds = [e.kind for e in events_after(session, 0, limit=10_000)]
    assert kinds[-2:] == ["person_exported", "person_erased"]
    with db.unit_of_work(actor("M01")) as uow:
        assert export_person(uow, PHONE)["visits"] == []
