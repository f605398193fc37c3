"""At the counter: start, finish, no-show, park, resume, transfer, cancel."""

from __future__ import annotations

from typing import Literal

from lobby.access import Op, authorise
from lobby.db import UnitOfWork
from lobby.engine.common import (
    counter_by_number,
    counter_ticket,
    move,
    require_free,
    service_by_code,
    ticket_by_number,
    ticket_view,
)
from lobby.errors import InvalidInput
from lobby.models import Ticket
from lobby.states import Action, TicketState, next_state
from lobby.views import TicketView

Outcome = Literal["done", "follow_up"]
MAX_TEXT = 500


def start(uow: UnitOfWork, counter_number: int, number: str | None = None) -> TicketView:
    """The customer has arrived at the counter: service begins."""
    authorise(uow, Op.START)
    ticket = counter_ticket(uow, counter_number, number)
    move(uow, ticket, Action.START)
    ticket.started_at = uow.now
    return ticket_view(ticket)


def finish(
    uow: UnitOfWork,
    counter_number: int,
    number: str | None = None,
    *,
    outcome: str = "done",
    follow_up: str = "",
) -> TicketView:
    """End service with an outcome; ``follow_up`` says what happens next (后续事项).

    Raises:
        InvalidInput: Unknown outcome, or a follow-up outcome without its note.
    """
    authorise(uow, Op.FINISH)
    if outcome not in ("done", "follow_up"):
        raise InvalidInput(f"unknown outcome {outcome!r}; choose done or follow_up")
    note = _text(follow_up, "follow-up note")
    if outcome == "follow_up" and not note:
        raise InvalidInput("a follow-up outcome needs a note of what happens next")
    ticket = counter_ticket(uow, counter_number, number)
    # the note itself stays on the ticket: free text is kept out of the journal
    move(uow, ticket, Action.FINISH, {"outcome": outcome, "follow_up": bool(note)})
    ticket.started_at = ticket.started_at or ticket.called_at
    ticket.ended_at, ticket.outcome, ticket.follow_up = uow.now, outcome, note or None
    return ticket_view(ticket)


def no_show(uow: UnitOfWork, counter_number: int, number: str | None = None) -> TicketView:
    """The called customer did not come."""
    authorise(uow, Op.NO_SHOW)
    ticket = counter_ticket(uow, counter_number, number)
    move(uow, ticket, Action.NO_SHOW, {"call_count": ticket.call_count})
    ticket.ended_at = uow.now
    return ticket_view(ticket)


def park(
    uow: UnitOfWork, counter_number: int, number: str | None = None, *, note: str = ""
) -> TicketView:
    """Set the customer aside (e.g. to fill in a form); the counter is free to call again."""
    authorise(uow, Op.PARK)
    ticket = counter_ticket(uow, counter_number, number)
    remark = _text(note, "note")
    move(uow, ticket, Action.PARK, {"note": bool(remark)})
    ticket.remark = remark or None
    return ticket_view(ticket)


def resume(uow: UnitOfWork, counter_number: int, number: str) -> TicketView:
    """Call a parked ticket back to the counter (announced like a call)."""
    authorise(uow, Op.RESUME)
    counter = counter_by_number(uow, counter_number, lock=True)
    require_free(uow, counter)
    ticket = ticket_by_number(uow, number)
    if ticket.state == TicketState.PARKED.value and ticket.counter_id != counter.id:
        raise InvalidInput(f"ticket {ticket.number} is parked at another counter")
    move(uow, ticket, Action.RESUME, at_counter=counter)
    ticket.counter, ticket.called_at, ticket.call_count = counter, uow.now, ticket.call_count + 1
    ticket.staff = uow.actor  # the teller who serves it now (another after a sign-out)
    return ticket_view(ticket)


def transfer(
    uow: UnitOfWork,
    counter_number: int,
    number: str | None = None,
    *,
    to_service: str | None = None,
    to_counter: int | None = None,
    note: str,
) -> TicketView:
    """End this ticket and queue the visit's next one, carrying the note.

    The customer keeps the number on their paper ticket; the new ticket is the
    visit's next hop, waits in the target service (or for the target counter only)
    and has the transfer head start in routing.

    Returns:
        The new ticket.

    Raises:
        InvalidInput: No target, both targets, an empty note, or the same counter.
    """
    authorise(uow, Op.TRANSFER)
    text = _text(note, "transfer note")
    if not text:
        raise InvalidInput("a transfer needs a note for the receiving teller")
    if (to_service is None) == (to_counter is None):
        raise InvalidInput("transfer to a service or to a counter (exactly one)")
    ticket = counter_ticket(uow, counter_number, number)
    next_state(ticket.number, TicketState(ticket.state), Action.TRANSFER)  # refuse early
    service = service_by_code(uow, to_service) if to_service else ticket.service
    target = counter_by_number(uow, to_counter) if to_counter is not None else None
    if target is not None and target.id == ticket.counter_id:
        raise InvalidInput(f"ticket {ticket.number} is already at counter {target.number}")
    ticket.ended_at = uow.now
    follower = Ticket(
        visit_id=ticket.visit_id,
        service=service,
        business_day=ticket.business_day,
        number=ticket.number,
        hop=ticket.hop + 1,
        state=TicketState.WAITING.value,
        category=ticket.category,
        appointment_due_at=ticket.appointment_due_at,
        issued_at=ticket.issued_at,
        queued_at=uow.now,
        target_counter=target,
        transfer_note=text,
        previous_id=ticket.id,
    )
    uow.session.add(follower)
    uow.session.flush()
    move(
        uow,
        ticket,
        Action.TRANSFER,
        {
            "to_service": service.code,
            "to_counter": target.number if target else None,
            "note": True,
            "new_ticket_id": follower.id,
        },
    )
    return ticket_view(follower)


def cancel(
    uow: UnitOfWork,
    number: str,
    *,
    reason: str = "",
) -> TicketView:
    """Withdraw a ticket (the customer left, or it was issued by mistake)."""
    authorise(uow, Op.CANCEL)
    ticket = ticket_by_number(uow, number)
    remark = _text(reason, "reason")
    move(uow, ticket, Action.CANCEL, {"reason": bool(remark)})
    ticket.ended_at, ticket.remark = uow.now, remark or None
    return ticket_view(ticket)


def _text(value: str, what: str) -> str:
    cleaned = value.strip()
    if len(cleaned) > MAX_TEXT:
        raise InvalidInput(f"the {what} is longer than {MAX_TEXT} characters")
    return cleaned
