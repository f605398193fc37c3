"""Forgiving no-shows: the missed list, calling a missed ticket back, and undo.

A ticket marked no-show stays on its service's *missed* list for the branch's grace
time (``missed_grace_min`` in the routing policy, 15 minutes by default). Any counter
serving that service may call it back during that time; the counter that marked it
may undo its own no-show. Reports count a ticket by its last state, so a missed
ticket that is served in the end counts as served, never as a no-show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.access import Op, authorise
from lobby.db import UnitOfWork
from lobby.engine.common import counter_by_number, move, require_free, ticket_by_number, ticket_view
from lobby.errors import InvalidInput
from lobby.models import Counter, Ticket, WorkProfileEntry
from lobby.states import Action, TicketState
from lobby.views import TicketView

DEFAULT_GRACE_MIN = 15
#: How long the counter that marked a no-show may still undo it (the console's offer).
UNDO_WINDOW = timedelta(seconds=10)


@dataclass(frozen=True)
class MissedTicket:
    """A no-show still inside its grace time.

    Attributes:
        ticket: The ticket as it stands (state ``no_show``).
        missed_at: When it was marked no-show.
        valid_until: The end of its grace time.
    """

    ticket: TicketView
    missed_at: datetime
    valid_until: datetime


def grace_time(policy: dict[str, Any] | None) -> timedelta:
    """The branch's grace time for missed tickets (``missed_grace_min``, default 15)."""
    minutes = (policy or {}).get("missed_grace_min", DEFAULT_GRACE_MIN)
    return timedelta(minutes=float(minutes))


def missed_tickets(
    session: Session, now: datetime, grace: timedelta, service_ids: list[int] | None = None
) -> tuple[MissedTicket, ...]:
    """No-shows whose grace time has not ended at ``now``, oldest first.

    Args:
        session: A read session.
        now: The moment to judge by.
        grace: The branch's grace time.
        service_ids: Only these services (a counter's), or every service.
    """
    query = select(Ticket).where(
        Ticket.state == TicketState.NO_SHOW.value,
        Ticket.ended_at.is_not(None),
        Ticket.ended_at >= now - grace,
    )
    if service_ids is not None:
        query = query.where(Ticket.service_id.in_(service_ids))
    rows = session.scalars(query.order_by(Ticket.ended_at, Ticket.id)).all()
    return tuple(_missed(t, grace) for t in rows if t.ended_at is not None)


def still_valid(ticket: Ticket, now: datetime, grace: timedelta) -> bool:
    """Whether a no-show ticket may still be called back at ``now``."""
    return ticket.ended_at is not None and now - ticket.ended_at <= grace


def recall_missed(uow: UnitOfWork, counter_number: int, number: str) -> TicketView:
    """Call a missed ticket back to a counter serving its service (announced like a call).

    Raises:
        InvalidInput: The ticket is not a no-show, its grace time ended, the counter
            does not serve its service or is not open.
        CounterBusy: The counter still has a ticket open.
    """
    authorise(uow, Op.RECALL_MISSED)
    counter = counter_by_number(uow, counter_number, lock=True)
    if counter.status != "open":
        raise InvalidInput(f"counter {counter.number} is {counter.status}: open it before calling")
    require_free(uow, counter)
    ticket = _missed_ticket(uow, number)
    served = uow.session.scalar(
        select(WorkProfileEntry.id).where(
            WorkProfileEntry.profile_id == counter.profile_id,
            WorkProfileEntry.service_id == ticket.service_id,
        )
    )
    if served is None and ticket.counter_id != counter.id:
        raise InvalidInput(
            f"counter {counter.number} does not serve {ticket.service.code}: "
            f"call ticket {ticket.number} back at a counter that does"
        )
    return _call_back(uow, ticket, counter, undo=False)


def undo_no_show(uow: UnitOfWork, counter_number: int, number: str) -> TicketView:
    """Take back this counter's no-show within :data:`UNDO_WINDOW`: the ticket is called again.

    Raises:
        InvalidInput: Another counter marked it, or the window has passed.
    """
    authorise(uow, Op.UNDO_NO_SHOW)
    counter = counter_by_number(uow, counter_number, lock=True)
    require_free(uow, counter)
    ticket = _missed_ticket(uow, number)
    if ticket.counter_id != counter.id:
        raise InvalidInput(f"ticket {ticket.number} was marked no-show at another counter")
    assert ticket.ended_at is not None
    if uow.now - ticket.ended_at > UNDO_WINDOW:
        raise InvalidInput(
            f"the no-show of ticket {ticket.number} can no longer be undone; "
            "call it back from the missed list"
        )
    return _call_back(uow, ticket, counter, undo=True)


def _missed_ticket(uow: UnitOfWork, number: str) -> Ticket:
    ticket = ticket_by_number(uow, number)
    if ticket.state != TicketState.NO_SHOW.value:
        raise InvalidInput(f"ticket {ticket.number} is not on the missed list")
    grace = grace_time(uow.branch.policy)
    if not still_valid(ticket, uow.now, grace):
        minutes = round(grace.total_seconds() / 60)
        raise InvalidInput(
            f"ticket {ticket.number} missed its call more than {minutes} min ago "
            "and is no longer valid: issue a new ticket"
        )
    return ticket


def _call_back(uow: UnitOfWork, ticket: Ticket, counter: Counter, *, undo: bool) -> TicketView:
    assert ticket.ended_at is not None
    missed_at = ticket.ended_at
    move(
        uow,
        ticket,
        Action.RECALL_MISSED,
        {
            "call_count": ticket.call_count + 1,
            "missed_at": missed_at.isoformat(),
            "missed_at_counter": ticket.counter.number if ticket.counter else None,
            "undo": undo,
        },
        at_counter=counter,
    )
    # called_at stays the first call: the wait ended then, whatever happened after
    ticket.counter, ticket.staff, ticket.ended_at = counter, uow.actor, None
    ticket.call_count += 1
    ticket.call_reason = "called back from the missed list"
    return ticket_view(ticket)


def _missed(ticket: Ticket, grace: timedelta) -> MissedTicket:
    assert ticket.ended_at is not None
    return MissedTicket(ticket_view(ticket), ticket.ended_at, ticket.ended_at + grace)


@dataclass(frozen=True)
class MissedStanding:
    """What the greeter can tell a customer holding a ticket that was called.

    Attributes:
        number: The ticket's number.
        state: Its state now.
        still_valid: A no-show still inside its grace time (tell the counter).
        valid_until: The end of that grace time, for a no-show.
    """

    number: str
    state: str
    still_valid: bool
    valid_until: datetime | None


def missed_standing(uow: UnitOfWork, text: str) -> MissedStanding:
    """Look up a returning customer's ticket by its typed number or scanned code (no write).

    Raises:
        NotFound: No such ticket today.
        InvalidInput: A forged code or another day's ticket.
    """
    ticket = ticket_by_number(uow, text, lock=False)
    grace = grace_time(uow.branch.policy)
    missed = ticket.state == TicketState.NO_SHOW.value and ticket.ended_at is not None
    return MissedStanding(
        number=ticket.number,
        state=ticket.state,
        still_valid=missed and still_valid(ticket, uow.now, grace),
        valid_until=ticket.ended_at + grace if missed and ticket.ended_at else None,
    )
