"""Issuing tickets: numbering per (service, business day), appointments."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from lobby.access import Op, authorise
from lobby.clock import business_day
from lobby.db import UnitOfWork
from lobby.engine.common import service_by_code, ticket_by_number, ticket_view
from lobby.errors import InvalidInput, NotFound
from lobby.models import Appointment, Service, Ticket, TicketSequence, Visit
from lobby.phone import normalize_phone
from lobby.states import Category, TicketState
from lobby.validation import SCANNED_MAX, check_text
from lobby.views import TicketView
from lobby.vocabulary import EventKind

MAX_NOTE = 500
MAX_DAILY_NUMBER = 999


def next_sequence(uow: UnitOfWork, service: Service) -> int:
    """Draw the service's next number for today in this transaction.

    One ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` statement: the row lock it
    takes lasts until commit, so two issuers can never draw the same value.
    """
    dialect = uow.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    seq = TicketSequence
    stmt = (
        insert(seq)
        .values(service_id=service.id, business_day=uow.today, last_value=1)
        .on_conflict_do_update(
            index_elements=[seq.service_id, seq.business_day],
            set_={"last_value": seq.last_value + 1},
        )
        .returning(seq.last_value)
    )
    value = uow.session.execute(stmt).scalar_one()
    if value > MAX_DAILY_NUMBER:
        raise InvalidInput(f"service {service.code} has issued {MAX_DAILY_NUMBER} tickets today")
    return int(value)


def parse_category(value: str) -> Category:
    """The category named ``value`` or a clear error listing the valid ones."""
    try:
        return Category(value.strip().lower())
    except ValueError:
        names = ", ".join(c.value for c in Category)
        raise InvalidInput(f"unknown category {value!r}; choose one of: {names}") from None


def issue_ticket(
    uow: UnitOfWork,
    service_code: str,
    *,
    category: str = "regular",
    phone: str | None = None,
    note: str = "",
    documents: Sequence[str] = (),
    appointment_code: str | None = None,
) -> TicketView:
    """Open a visit and its first ticket; everything is checked before anything is written.

    Args:
        uow: The unit of work.
        service_code: The service the customer needs.
        category: Priority category chosen at triage.
        phone: Optional contact number (validated, stored whole, shown masked).
        note: The greeter's note for the teller.
        documents: Keys of the service's documents the customer has with them.
        appointment_code: Check in this appointment (its service and time apply).

    Raises:
        InvalidInput: Unknown service, category or document, malformed phone,
            over-long note.
        NotFound: The appointment code does not exist.
    """
    authorise(uow, Op.ISSUE)
    service = service_by_code(uow, service_code)
    cat = parse_category(category)
    stored_phone = normalize_phone(phone) if phone else None
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"the note is longer than {MAX_NOTE} characters")
    known = {d["key"] for d in service.documents}
    unknown = [d for d in documents if d not in known]
    if unknown:
        raise InvalidInput(f"service {service.code} has no document {unknown[0]!r}")
    due_at: datetime | None = None
    appointment: Appointment | None = None
    if appointment_code is not None:
        appointment = _bookable_appointment(uow, appointment_code)
        if appointment.service_id != service.id:
            raise InvalidInput(
                f"appointment {appointment.code} is for {appointment.service.code}, "
                f"not {service.code}"
            )
        if business_day(appointment.due_at, uow.branch.timezone) != uow.today:
            raise InvalidInput(
                f"appointment {appointment.code} is for "
                f"{business_day(appointment.due_at, uow.branch.timezone)}, not today"
            )
        due_at, cat = appointment.due_at, Category.APPOINTMENT
        stored_phone = stored_phone or appointment.phone
    elif cat is Category.APPOINTMENT:
        raise InvalidInput("the appointment category needs an appointment code")

    seq = next_sequence(uow, service)
    visit = Visit(
        business_day=uow.today,
        created_at=uow.now,
        created_by=uow.actor,
        need=service.code,
        category=cat.value,
        phone=stored_phone,
        note=note.strip(),
        documents_checked=list(documents),
    )
    ticket = Ticket(
        visit=visit,
        service=service,
        business_day=uow.today,
        number=f"{service.prefix}{seq:03d}",
        state=TicketState.WAITING.value,
        category=cat.value,
        appointment_due_at=due_at,
        issued_at=uow.now,
        queued_at=uow.now,
    )
    uow.session.add_all([visit, ticket])
    uow.session.flush()
    ticket.estimate_min = _estimate_at_issue(uow, ticket.id)
    payload = {"number": ticket.number, "service": service.code, "category": cat.value}
    if appointment is not None:
        appointment.status, appointment.ticket_id = "checked_in", ticket.id
        payload["appointment"] = appointment.code
    uow.record(EventKind.ISSUED, ticket_id=ticket.id, payload=payload)
    return ticket_view(ticket)


def _estimate_at_issue(uow: UnitOfWork, ticket_id: int) -> float:
    """The wait estimate for the new ticket, kept so that later ranges can learn from it."""
    # imported here: the estimate reads the engine's queue query (lobby.engine.common)
    from lobby.estimate.live import estimate_at_issue

    return estimate_at_issue(uow.session, ticket_id, uow.now, uow.today)


def check_in_appointment(uow: UnitOfWork, code: str) -> TicketView:
    """Issue the ticket of a booked appointment (typed or scanned code)."""
    authorise(uow, Op.CHECK_IN)
    appointment = _bookable_appointment(uow, code)
    return issue_ticket(uow, appointment.service.code, appointment_code=appointment.code)


def record_reprint(uow: UnitOfWork, number: str) -> TicketView:
    """Journal that today's ticket ``number`` is printed again; return it for the printer."""
    authorise(uow, Op.REPRINT)
    ticket = ticket_by_number(uow, number, lock=False)
    uow.record(EventKind.REPRINTED, ticket_id=ticket.id, payload={"number": ticket.number})
    return ticket_view(ticket)


def book_appointment(
    uow: UnitOfWork,
    service_code: str,
    due_at: datetime,
    *,
    customer: str = "",
    phone: str | None = None,
) -> str:
    """Book an appointment and return its code (what the customer types or scans)."""
    authorise(uow, Op.BOOK_APPOINTMENT)
    service = service_by_code(uow, service_code)
    if due_at <= uow.now:
        raise InvalidInput("an appointment must be in the future")
    code = f"{service.prefix}{secrets.token_hex(3).upper()}"
    uow.session.add(
        Appointment(
            code=code,
            service_id=service.id,
            due_at=due_at,
            customer=customer.strip(),
            phone=normalize_phone(phone) if phone else None,
        )
    )
    uow.record(EventKind.APPOINTMENT_BOOKED, payload={"code": code, "service": service.code})
    return code


def _bookable_appointment(uow: UnitOfWork, code: str) -> Appointment:
    # typed or scanned: the scanner may send anything
    check_text("appointment code", code, SCANNED_MAX, multiline=False)
    cleaned = code.strip().upper()
    appointment = uow.session.scalar(
        select(Appointment).where(Appointment.code == cleaned).with_for_update()
    )
    if appointment is None:
        raise NotFound(code="appointment.not_found", appointment=cleaned)
    if appointment.status != "booked":
        raise InvalidInput(f"appointment {cleaned} is {appointment.status.replace('_', ' ')}")
    return appointment
