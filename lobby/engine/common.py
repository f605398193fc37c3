"""Lookups and the single state-move helper shared by the engine operations."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, object_session

from lobby.db import UnitOfWork
from lobby.errors import CounterBusy, InvalidInput, NotFound
from lobby.models import Branch, Counter, Service, Ticket
from lobby.routing import Candidate
from lobby.states import Action, TicketState, next_state
from lobby.ticket_code import decode, encode, looks_like_code
from lobby.validation import SCANNED_MAX, check_text
from lobby.views import TicketView

OPEN_STATES = (TicketState.CALLED.value, TicketState.SERVING.value)


def waiting_candidates(
    session: Session, today: date, *conditions: ColumnElement[bool]
) -> list[Candidate]:
    """The day's waiting tickets as routing sees them (``conditions`` narrow the query).

    The engine's call and the wait estimate both rank exactly these.
    """
    rows = session.execute(
        select(
            Ticket.id,
            Ticket.number,
            Ticket.service_id,
            Ticket.category,
            Ticket.queued_at,
            Ticket.hop,
            Ticket.appointment_due_at,
            Ticket.target_counter_id,
        ).where(
            Ticket.state == TicketState.WAITING.value, Ticket.business_day == today, *conditions
        )
    )
    return [
        Candidate(
            ticket_id=r.id,
            number=r.number,
            service_id=r.service_id,
            category=r.category,
            queued_at=r.queued_at,
            is_transfer=r.hop > 0,
            appointment_due_at=r.appointment_due_at,
            target_counter_id=r.target_counter_id,
        )
        for r in rows
    ]


def service_by_code(uow: UnitOfWork, code: str) -> Service:
    """The active service called ``code``, or a clear error listing the valid ones."""
    service = uow.session.scalar(select(Service).where(Service.code == code, Service.active))
    if service is None:
        codes = uow.session.scalars(
            select(Service.code).where(Service.active).order_by(Service.sort_order)
        )
        raise InvalidInput(f"unknown service {code!r}; choose one of: {', '.join(codes)}")
    return service


def counter_by_number(uow: UnitOfWork, number: int, *, lock: bool = False) -> Counter:
    """The active counter numbered ``number``.

    Args:
        uow: The unit of work.
        number: The counter's number as announced.
        lock: Take the counter's row lock (PostgreSQL) so two actions at one counter
            run one after the other.
    """
    query = select(Counter).where(Counter.number == number, Counter.active)
    if lock:
        query = query.with_for_update()
    counter = uow.session.scalar(query)
    if counter is None:
        raise NotFound(f"no counter {number}")
    return counter


def ticket_by_number(uow: UnitOfWork, number: str, *, lock: bool = True) -> Ticket:
    """Today's ticket numbered ``number`` (its latest hop, after any transfers).

    ``number`` may also be the signed code scanned from the ticket's QR.
    """
    check_text("ticket number", number, SCANNED_MAX, multiline=False)  # typed or scanned
    cleaned = number.strip().upper()
    if looks_like_code(cleaned):
        ref = decode(uow.branch.secret, uow.branch.code, cleaned)
        if ref.day != uow.today:
            raise InvalidInput(f"ticket {ref.number} is from {ref.day}, not today")
        cleaned = ref.number
    query = (
        select(Ticket)
        .where(Ticket.business_day == uow.today, Ticket.number == cleaned)
        .order_by(Ticket.hop.desc())
        .limit(1)
    )
    if lock:
        query = query.with_for_update(of=Ticket)
    ticket = uow.session.scalar(query)
    if ticket is None:
        raise NotFound(f"no ticket {cleaned} today")
    return ticket


def open_ticket(uow: UnitOfWork, counter: Counter) -> Ticket | None:
    """The ticket the counter is calling or serving, if any."""
    return uow.session.scalar(
        select(Ticket)
        .where(Ticket.counter_id == counter.id, Ticket.state.in_(OPEN_STATES))
        .with_for_update(of=Ticket)
    )


def require_free(uow: UnitOfWork, counter: Counter) -> None:
    """Refuse to call while the counter still holds an open ticket."""
    held = open_ticket(uow, counter)
    if held is not None:
        raise CounterBusy(
            f"counter {counter.number} still has ticket {held.number} open: "
            "finish, park, transfer or mark it no-show first"
        )


def counter_ticket(uow: UnitOfWork, counter_number: int, number: str | None) -> Ticket:
    """The ticket a counter-side command acts on: ``number`` if given, else the open one."""
    counter = counter_by_number(uow, counter_number, lock=True)
    if number is not None:
        ticket = ticket_by_number(uow, number)
        if ticket.counter_id not in (None, counter.id) and TicketState(ticket.state).is_open:
            raise InvalidInput(f"ticket {ticket.number} is open at another counter")
        return ticket
    held = open_ticket(uow, counter)
    if held is None:
        raise NotFound(f"counter {counter.number} has no open ticket")
    return held


def move(
    uow: UnitOfWork,
    ticket: Ticket,
    action: Action,
    payload: dict[str, Any] | None = None,
    *,
    at_counter: Counter | None = None,
) -> None:
    """Apply ``action`` by the transition table and journal it.

    Call it before changing anything else on the ticket, so a refused move leaves
    the row untouched.

    Args:
        uow: The unit of work.
        ticket: The ticket to move.
        action: The operation.
        payload: Extra journal details.
        at_counter: Where it happens, when not the ticket's own counter (a call).
    """
    ticket.state = next_state(ticket.number, TicketState(ticket.state), action).value
    where = at_counter or ticket.counter
    body: dict[str, Any] = {"number": ticket.number, "service": ticket.service.code}
    if where is not None:
        body["counter"] = where.number
    body.update(payload or {})
    uow.record(
        action.kind,
        ticket_id=ticket.id,
        counter_id=where.id if where else None,
        payload=body,
    )


def ticket_view(ticket: Ticket) -> TicketView:
    """The plain view of a ticket row, with the signed code its QR carries."""
    session = object_session(ticket)
    assert session is not None, "ticket_view needs a ticket attached to a session"
    branch = session.get_one(Branch, 1)
    return TicketView(
        id=ticket.id,
        number=ticket.number,
        service=ticket.service.code,
        service_zh=ticket.service.name_zh,
        service_en=ticket.service.name_en,
        state=TicketState(ticket.state),
        category=ticket.category,
        counter=ticket.counter.number if ticket.counter else None,
        visit_id=ticket.visit_id,
        hop=ticket.hop,
        business_day=ticket.business_day,
        issued_at=ticket.issued_at,
        queued_at=ticket.queued_at,
        called_at=ticket.called_at,
        started_at=ticket.started_at,
        ended_at=ticket.ended_at,
        staff=ticket.staff,
        call_count=ticket.call_count,
        reason=ticket.call_reason,
        outcome=ticket.outcome,
        follow_up=ticket.follow_up,
        transfer_note=ticket.transfer_note,
        target_counter=ticket.target_counter.number if ticket.target_counter else None,
        code=encode(branch.secret, branch.code, ticket.business_day, ticket.number),
    )
