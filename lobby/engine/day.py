"""Closing a business day and opening or pausing counters."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from lobby.access import Op, authorise
from lobby.clock import business_day
from lobby.db import UnitOfWork
from lobby.engine.common import counter_by_number, open_ticket
from lobby.errors import CounterBusy, InvalidInput
from lobby.models import Appointment, Ticket
from lobby.reports import roll_up_closed_days
from lobby.states import Action, TicketState, next_state
from lobby.vocabulary import CounterStatus, EventKind

COUNTER_STATUSES = tuple(CounterStatus)


def close_day(uow: UnitOfWork, day: date | None = None) -> int:
    """Expire every unfinished ticket of ``day`` and earlier days; mark missed appointments.

    Numbering restarts by itself the next business day (the sequence is per day);
    closing only settles what was left over. Closed days before today get their
    report rollups (today's tickets and ratings may still change, so today waits for
    the next close).

    Args:
        uow: The unit of work.
        day: The last business day to close; defaults to today.

    Returns:
        How many tickets expired.
    """
    authorise(uow, Op.CLOSE_DAY)
    last = day or uow.today
    leftovers = uow.session.scalars(
        select(Ticket)
        .where(
            Ticket.business_day <= last,
            Ticket.state.not_in([s.value for s in TicketState if s.is_final]),
        )
        .with_for_update(of=Ticket)
    ).all()
    for ticket in leftovers:
        ticket.state = next_state(ticket.number, TicketState(ticket.state), Action.EXPIRE).value
        ticket.ended_at = uow.now
    missed = 0
    for appointment in uow.session.scalars(
        select(Appointment).where(Appointment.status == "booked")
    ):
        if business_day(appointment.due_at, uow.branch.timezone) <= last:
            appointment.status = "missed"
            missed += 1
    rolled = roll_up_closed_days(
        uow.session, min(last, uow.today - timedelta(days=1)), uow.branch.timezone, uow.now
    )
    uow.record(
        EventKind.DAY_CLOSED,
        payload={
            "day": last.isoformat(),
            "expired": len(leftovers),
            "expired_numbers": [t.number for t in leftovers][:200],
            "missed_appointments": missed,
            "rolled_up_days": rolled,
        },
    )
    return len(leftovers)


#: Why a teller takes a break (shown on the manager's live floor with its timer).
BREAK_REASONS = ("lunch", "training", "meeting", "other")


def set_counter_status(
    uow: UnitOfWork, counter_number: int, status: str, *, reason: str | None = None
) -> None:
    """Open a counter, send it on a break (with a reason), or close it.

    Raises:
        InvalidInput: Unknown status or break reason.
        CounterBusy: Closing or pausing a counter that still has an open ticket.
    """
    authorise(uow, Op.COUNTER_STATUS)
    if status not in COUNTER_STATUSES:
        raise InvalidInput(f"unknown counter status {status!r}; choose open, break or closed")
    if reason is not None and (status != "break" or reason not in BREAK_REASONS):
        raise InvalidInput(
            f"a break reason is one of {', '.join(BREAK_REASONS)} and goes with a break"
        )
    counter = counter_by_number(uow, counter_number, lock=True)
    if status != "open" and (held := open_ticket(uow, counter)) is not None:
        raise CounterBusy(f"counter {counter.number} still has ticket {held.number} open")
    counter.status = status
    payload: dict[str, object] = {"counter": counter.number}
    if status == "break":
        payload["reason"] = reason or "other"
    uow.record(CounterStatus(status).kind, counter_id=counter.id, payload=payload)
