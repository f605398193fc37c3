"""What the customer does from the phone page: say "I'm on my way", cancel, rate.

The operations take the ticket by its number, as the counter's do; ``lobby web``
has checked the signed code before. Cancelling and rating are the engine's own
:func:`~lobby.engine.serving.cancel` and :func:`~lobby.engine.visits.rate_visit`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.access import Op, authorise
from lobby.db import UnitOfWork
from lobby.engine.common import ticket_by_number, ticket_view
from lobby.errors import InvalidInput
from lobby.models import Event, Ticket
from lobby.states import TicketState
from lobby.views import TicketView
from lobby.vocabulary import EventKind

#: The states in which telling the teller "on my way" means something.
ON_THE_WAY_STATES = (TicketState.WAITING.value, TicketState.CALLED.value)


def on_the_way(uow: UnitOfWork, number: str) -> TicketView:
    """Tell the counter that the customer of ticket ``number`` is coming (once per call).

    Raises:
        InvalidInput: The ticket is not waiting or called, or the customer said so
            already since its last call.
    """
    authorise(uow, Op.ON_THE_WAY)
    ticket = ticket_by_number(uow, number)
    if ticket.state not in ON_THE_WAY_STATES:
        raise InvalidInput(f"ticket {ticket.number} is {ticket.state}: nobody is waiting for it")
    if on_the_way_since(uow.session, ticket) is not None:
        raise InvalidInput(f"the counter already knows ticket {ticket.number} is on its way")
    uow.record(
        EventKind.ON_THE_WAY,
        ticket_id=ticket.id,
        counter_id=ticket.counter_id,
        payload={"number": ticket.number, "state": ticket.state},
    )
    return ticket_view(ticket)


def on_the_way_since(session: Session, ticket: Ticket) -> datetime | None:
    """When the customer said "on my way" since the ticket's last call (or its queueing)."""
    since = ticket.called_at or ticket.queued_at
    return session.scalar(
        select(Event.at)
        .where(
            Event.ticket_id == ticket.id,
            Event.kind == EventKind.ON_THE_WAY.value,
            Event.at >= since,
        )
        .order_by(Event.id.desc())
        .limit(1)
    )
