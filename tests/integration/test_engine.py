"""Engine operations on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lobby import engine
from lobby.db import Database
from lobby.errors import (
    CounterBusy,
    InvalidInput,
    InvalidTransition,
    NotFound,
    NothingToCall,
    PermissionDenied,
)
from lobby.models import Event, Ticket, Visit
from lobby.views import TicketView
from tests.helpers import ManualClock, actor, device


def issue(db: Database, service: str = "cash", **options: object) -> TicketView:
    with db.unit_of_work(actor("G01")) as uow:
        return engine.issue_ticket(uow, service, **options)  # type: ignore[arg-type]


def kinds(db: Database) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(Event.kind).order_by(Event.id)))


def row_counts(db: Database) -> tuple[int, int, int]:
    with db.read() as session:
        return (
            session.scalar(select(func.count(Ticket.id))) or 0,
            session.scalar(select(func.count(Visit.id))) or 0,
            session.scalar(select(func.count(Event.id))) or 0,
        )


def test_numbers_count_per_service(db: Database) -> None:
    numbers = [issue(db, s).number for s in ("cash", "cash", "account", "cash", "vip")]
    assert numbers == ["A001", "A002", "B001", "A003", "V001"]


def test_numbering_restarts_on_the_next_business_day(db: Database, clock: ManualClock) -> None:
    assert issue(db).number == "A001"
    assert issue(db).number == "A002"
    # 23:59 in Shanghai is still the same day; 00:00 is the next.
    clock.current = clock.current.replace(hour=15, minute=59)
    assert issue(db).number == "A003"
    clock.advance(minutes=1)
    assert issue(db).number == "A001"


def test_issue_records_triage_and_journal(db: Database) -> None:
    ticket = issue(
        db,
        category="elderly",
        phone="138 1234 5678",
        note="needs a chair",
        documents=["id_card"],
    )
    assert ticket.state == "waiting"
    assert ticket.category == "elderly"
    with db.unit_of_work(actor("T01")) as uow:
        visit = engine.visit_of(uow, ticket.number)
    assert visit.phone_masked == "138****5678"
    assert visit.note == "needs a chair"
    assert visit.documents_checked == ("id_card",)
    assert visit.created_by == "G01"
    with db.read() as session:
        stored = session.scalar(select(Visit.phone))
        who, payload = session.execute(
            select(Event.actor, Event.payload).where(Event.kind == "issued")
        ).one()
    assert stored == "+8613812345678"
    assert who == "G01"
    assert payload["number"] == ticket.number


@pytest.mark.parametrize(
    ("service", "options", "message"),
    [
        ("NOSUCH", {}, "unknown service 'NOSUCH'"),
        ("cash", {"phone": "123"}, "not a valid phone number"),
        ("cash", {"phone": "call me"}, "not a phone number"),
        ("cash", {"category": "royalty"}, "unknown category"),
        ("cash", {"category": "appointment"}, "needs an appointment code"),
        ("cash", {"documents": ["passport"]}, "no document 'passport'"),
        ("cash", {"note": "x" * 501}, "longer than 500"),
    ],
)
def test_bad_issue_is_refused_and_writes_nothing(
    db: Database, service: str, options: dict[str, object], message: str
) -> None:
    before = row_counts(db)
    with pytest.raises(InvalidInput, match=message):
        issue(db, service, **options)
    assert row_counts(db) == before


def test_full_serve_flow_journals_every_step(db: Database, clock: ManualClock) -> None:
    ticket = issue(db)
    clock.advance(minutes=6)
    with db.unit_of_work(actor("T01")) as uow:
        called = engine.call_next(uow, 1)
    assert called.number == ticket.number
    assert called.counter == 1
    assert called.reason == "first in line, waited 6 min"
    with db.unit_of_work(actor("T01")) as uow:
        engine.recall(uow, 1)
    with db.unit_of_work(actor("T01")) as uow:
        engine.start(uow, 1)
    clock.advance(minutes=4)
    with db.unit_of_work(actor("T01")) as uow:
        done = engine.finish(uow, 1, outcome="follow_up", follow_up="card posted in 7 days")
    assert done.state == "done"
    assert done.follow_up == "card posted in 7 days"
    assert done.call_count == 2
    with db.unit_of_work(device("pad-1")) as uow:
        engine.rate_visit(uow, ticket.number, 5)
    assert kinds(db)[-6:] == ["issued", "called", "recalled", "started", "finished", "visit_rated"]
    with db.read() as session:
        actors = set(
            session.scalars(
                select(Event.actor).where(
                    Event.kind.not_in(["issued", "config_loaded", "visit_rated"])
                )
            )
        )
        rater = session.scalar(select(Event.actor).where(Event.kind == "visit_rated"))
    assert actors == {"T01"}
    assert rater == "pad-1"


def test_priority_goes_first_and_says_why(db: Database, clock: ManualClock) -> None:
    regular = issue(db)
    clock.advance(minutes=2)
    elderly = issue(db, category="elderly")
    clock.advance(minutes=4)
    with db.unit_of_work(actor("T01")) as uow:
        first = engine.call_next(uow, 1)
    assert first.number == elderly.number
    assert first.reason == "elderly priority, waited 4 min"
    with db.unit_of_work(actor("T01")) as uow:
        engine.finish(uow, 1)
        second = engine.call_next(uow, 1)
    assert second.number == regular.number


def test_counter_serves_only_its_profile_and_tiers(db: Database) -> None:
    issue(db, "loans")
    with pytest.raises(NothingToCall), db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)  # a cash counter does not serve loans
    account = issue(db, "account")
    cash = issue(db, "cash")
    with db.unit_of_work(actor("T01")) as uow:
        # cash is tier 1 at counter 1, account opening tier 2: cash first though later
        assert engine.call_next(uow, 1).number == cash.number
    with db.unit_of_work(actor("T02")) as uow:
        assert engine.call_next(uow, 2).number == account.number


def test_counter_with_open_ticket_cannot_call(db: Database) -> None:
    issue(db)
    issue(db)
    with db.unit_of_work(actor("T01")) as uow:
        first = engine.call_next(uow, 1)
    with pytest.raises(CounterBusy, match=first.number), db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)


def test_nothing_to_call_is_its_own_error(db: Database) -> None:
    with pytest.raises(NothingToCall), db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)


def test_call_specific_ticket(db: Database) -> None:
    issue(db)
    second = issue(db)
    with db.unit_of_work(actor("T01")) as uow:
        called = engine.call_ticket(uow, 1, second.number.lower())
    assert called.number == second.number
    assert called.reason == "called by number"
    with (
        pytest.raises(InvalidTransition, match="has been called"),
        db.unit_of_work(actor("T02")) as uow,
    ):
        engine.call_ticket(uow, 2, second.number)
    with pytest.raises(NotFound, match="no ticket A999"), db.unit_of_work(actor("T02")) as uow:
        engine.call_ticket(uow, 2, "A999")


def test_no_show_park_resume(db: Database) -> None:
    first = issue(db)
    second = issue(db)
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)
        engine.park(uow, 1, note="filling in a form")
        # parking frees the counter
        assert engine.call_next(uow, 1).number == second.number
        engine.no_show(uow, 1)
        resumed = engine.resume(uow, 1, first.number)
    assert resumed.state == "called"
    assert resumed.call_count == 2
    with pytest.raises(InvalidTransition, match="no-show"), db.unit_of_work(actor("T01")) as uow:
        engine.start(uow, 1, second.number)


def test_parked_ticket_resumes_only_at_its_counter(db: Database) -> None:
    ticket = issue(db)
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)
        engine.park(uow, 1)
    with pytest.raises(InvalidInput, match="another counter"), db.unit_of_work(actor("T02")) as uow:
        engine.resume(uow, 2, ticket.number)


def test_transfer_keeps_number_and_chain_with_note(db: Database, clock: ManualClock) -> None:
    ticket = issue(db, "cash")
    issue(db, "account")  # waiting earlier than the transfer
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)
        engine.start(uow, 1)
    clock.advance(minutes=3)
    with db.unit_of_work(actor("T01")) as uow:
        moved = engine.transfer(uow, 1, to_service="account", note="wants a second card")
    assert moved.number == ticket.number
    assert moved.service == "account"
    assert moved.hop == 1
    assert moved.state == "waiting"
    clock.advance(minutes=1)
    with db.unit_of_work(actor("T03")) as uow:
        received = engine.call_next(uow, 4)
        visit = engine.visit_of(uow, received.number)
    # the transfer head start puts it ahead of the account ticket queued before it
    assert received.number == ticket.number
    assert received.transfer_note == "wants a second card"
    assert [(t.service, t.state, t.counter) for t in visit.tickets] == [
        ("cash", "transferred", 1),
        ("account", "called", 4),
    ]


def test_transfer_to_counter_is_only_for_that_counter(db: Database) -> None:
    ticket = issue(db)
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)
        engine.transfer(uow, 1, to_counter=3, note="supervisor signature")
    with pytest.raises(NothingToCall), db.unit_of_work(actor("T02")) as uow:
        engine.call_next(uow, 2)
    with db.unit_of_work(actor("T03")) as uow:
        assert engine.call_next(uow, 3).number == ticket.number


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"to_service": "account", "note": "  "}, "needs a note"),
        ({"note": "why"}, "exactly one"),
        ({"to_service": "account", "to_counter": 4, "note": "why"}, "exactly one"),
        ({"to_service": "nosuch", "note": "why"}, "unknown service"),
        ({"to_counter": 1, "note": "why"}, "already at counter 1"),
        ({"to_counter": 99, "note": "why"}, "no counter 99"),
    ],
)
def test_bad_transfer_changes_nothing(
    db: Database, options: dict[str, object], message: str
) -> None:
    issue(db)
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)
    before = row_counts(db)
    with (
        pytest.raises((InvalidInput, NotFound), match=message),
        db.unit_of_work(actor("T01")) as uow,
    ):
        engine.transfer(uow, 1, **options)  # type: ignore[arg-type]
    assert row_counts(db) == before


def test_finish_needs_a_valid_outcome(db: Database) -> None:
    issue(db)
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)
    with pytest.raises(InvalidInput, match="needs a note"), db.unit_of_work(actor("T01")) as uow:
        engine.finish(uow, 1, outcome="follow_up")
    with pytest.raises(InvalidInput, match="unknown outcome"), db.unit_of_work(actor("T01")) as uow:
        engine.finish(uow, 1, outcome="maybe")


def test_cancel_and_close_day_expire_leftovers(db: Database, clock: ManualClock) -> None:
    a = issue(db)
    issue(db)
    issue(db, "loans")
    with db.unit_of_work(actor("G01")) as uow:
        engine.cancel(uow, a.number, reason="left the branch")
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)
    with db.unit_of_work(actor("M01")) as uow:
        expired = engine.close_day(uow)
    assert expired == 2
    with db.read() as session:
        states = sorted(session.scalars(select(Ticket.state)))
    assert states == ["cancelled", "expired", "expired"]
    assert kinds(db)[-1] == "day_closed"


def test_appointments_check_in_with_priority(db: Database, clock: ManualClock) -> None:
    with db.unit_of_work(actor("M01")) as uow:
        code = engine.book_appointment(
            uow, "loans", clock.now() + timedelta(minutes=30), phone="13900001111"
        )
    walk_in = issue(db, "loans")
    with db.unit_of_work(actor("G01")) as uow:
        booked = engine.check_in_appointment(uow, code.lower())
    assert booked.category == "appointment"
    with pytest.raises(InvalidInput, match="checked in"), db.unit_of_work(actor("G01")) as uow:
        engine.check_in_appointment(uow, code)
    with pytest.raises(NotFound), db.unit_of_work(actor("G01")) as uow:
        engine.check_in_appointment(uow, "NOPE")
    # before it is due the appointment waits like anyone else
    with db.unit_of_work(actor("T01")) as uow:
        assert engine.call_next(uow, 5).number == walk_in.number
        engine.finish(uow, 5)
    clock.advance(minutes=25)
    later = issue(db, "loans", category="vip")
    with db.unit_of_work(actor("T01")) as uow:
        called = engine.call_next(uow, 5)
    assert called.number == booked.number
    assert called.reason == "appointment due, waited 25 min"
    assert later.number != called.number


def test_confirm_details_records_corrections(db: Database) -> None:
    ticket = issue(db, note="first visit")
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)
        visit = engine.confirm_details(
            uow,
            ticket.number,
            note="first visit, brought passport",
            phone="13800002222",
            documents=["id_card", "bank_card"],
        )
    assert visit.confirmed_by == "T01"
    assert visit.phone_masked == "138****2222"
    with db.read() as session:
        payload = session.scalar(select(Event.payload).where(Event.kind == "details_confirmed"))
    assert payload is not None
    assert payload["changes"]["documents"] == ["id_card", "bank_card"]


def test_rating_rules(db: Database) -> None:
    ticket = issue(db)
    with pytest.raises(InvalidInput, match="not finished"), db.unit_of_work(device("pad-1")) as uow:
        engine.rate_visit(uow, ticket.number, 4)
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)
        engine.finish(uow, 1)
    for bad in (0, 6):
        with pytest.raises(InvalidInput, match="1 to 5"), db.unit_of_work(device("pad-1")) as uow:
            engine.rate_visit(uow, ticket.number, bad)
    # the customer rates, not the teller who served them nor any other staff sign-in
    for staff in ("T01", "G01", "M01"):
        with (
            pytest.raises(PermissionDenied, match=f"not from the staff sign-in {staff}"),
            db.unit_of_work(actor(staff)) as uow,
        ):
            engine.rate_visit(uow, ticket.number, 5)
    with db.unit_of_work(device("pad-1")) as uow:
        engine.rate_visit(uow, ticket.number, 4)
    with (
        pytest.raises(InvalidInput, match="already rated"),
        db.unit_of_work(device("pad-1")) as uow,
    ):
        engine.rate_visit(uow, ticket.number, 5)


def test_complaints_file_and_follow_up(db: Database) -> None:
    with db.unit_of_work(actor("G01")) as uow:
        ref = engine.file_complaint(
            uow, category="waiting", description="waited 50 minutes", contact="13800003333"
        )
    assert ref.startswith("C20261123-")
    with pytest.raises(InvalidInput, match="contact number"), db.unit_of_work(actor("G01")) as uow:
        engine.file_complaint(uow, category="waiting", description="x", wished_follow_up="sms")
    with pytest.raises(InvalidInput, match="description"), db.unit_of_work(actor("G01")) as uow:
        engine.file_complaint(uow, category="waiting", description="  ")
    with pytest.raises(InvalidInput, match="category"), db.unit_of_work(actor("G01")) as uow:
        engine.file_complaint(uow, category="weather", description="rain")
    with pytest.raises(InvalidInput, match="resolution"), db.unit_of_work(actor("M01")) as uow:
        engine.update_complaint(uow, ref, status="resolved")
    with db.unit_of_work(actor("M01")) as uow:
        engine.update_complaint(uow, ref.lower(), status="resolved", resolution="apologised")
    with pytest.raises(NotFound), db.unit_of_work(actor("M01")) as uow:
        engine.update_complaint(uow, "C1-XXXX", status="closed")
    assert kinds(db)[-2:] == ["complaint_filed", "complaint_updated"]


def test_counter_on_break_does_not_call(db: Database) -> None:
    issue(db)
    with db.unit_of_work(actor("T01")) as uow:
        engine.set_counter_status(uow, 1, "break")
    with pytest.raises(InvalidInput, match="is break"), db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)
    with db.unit_of_work(actor("T01")) as uow:
        engine.set_counter_status(uow, 1, "open")
        engine.call_next(uow, 1)
    with pytest.raises(CounterBusy), db.unit_of_work(actor("T01")) as uow:
        engine.set_counter_status(uow, 1, "closed")


def test_unknown_counter(db: Database) -> None:
    with pytest.raises(NotFound, match="no counter 42"), db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 42)


def test_an_open_reader_does_not_block_a_writer(db_url: str, clock: ManualClock) -> None:
    reader = Database.open(db_url, clock=clock)
    writer = (
        Database.open(db_url, clock=clock, busy_timeout_ms=200)
        if db_url.startswith("sqlite")
        else Database.open(db_url, clock=clock)
    )
    try:
        with reader.read() as session:
            assert session.scalar(select(func.count(Ticket.id))) == 0
            assert issue(writer).number == "A001"
    finally:
        reader.dispose()
        writer.dispose()


def test_call_by_scanned_code_and_forged_code_refused(db: Database) -> None:
    first = issue(db)
    second = issue(db)
    assert second.code.startswith("LOBBY:SH-0101:20261123:A002:")
    forged = second.code[:-1] + ("A" if second.code[-1] != "A" else "B")
    with (
        pytest.raises(InvalidInput, match="forged or mistyped"),
        db.unit_of_work(actor("T01")) as uow,
    ):
        engine.call_ticket(uow, 1, forged)
    with db.unit_of_work(actor("T01")) as uow:
        called = engine.call_ticket(uow, 1, second.code)
    assert called.number == second.number
    assert first.code != second.code
