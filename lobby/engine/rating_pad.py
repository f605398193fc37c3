"""The customer's rating pad at a counter: its presence, and the ticket it asks about.

A pad journals when it starts and stops at its counter; while one is there, the
teller's console leaves the rating to it. The pad's actor (``pad-N``) is an enrolled
device (role ``rating_pad``), which is what :func:`lobby.engine.visits.rate_visit`
requires of a rating; so is a console's customer panel (``rating-counter-N``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.access import Op, authorise
from lobby.db import UnitOfWork
from lobby.engine.common import counter_by_number
from lobby.models import Event, Rating, Ticket
from lobby.states import TicketState
from lobby.vocabulary import EventKind

PAD_KINDS = (EventKind.RATING_PAD_ONLINE, EventKind.RATING_PAD_OFFLINE)


def pad_actor(counter_number: int) -> str:
    """The journal's name for the rating pad at a counter."""
    return f"pad-{counter_number}"


def console_rating_actor(counter_number: int) -> str:
    """The actor of a rating given on the console's customer panel (no pad present)."""
    return f"rating-counter-{counter_number}"


def pad_started(uow: UnitOfWork, counter_number: int) -> None:
    """Journal that a rating pad now faces the customers of a counter."""
    authorise(uow, Op.RATING_PAD_PRESENCE)
    counter = counter_by_number(uow, counter_number)
    uow.record(
        EventKind.RATING_PAD_ONLINE, counter_id=counter.id, payload={"counter": counter.number}
    )


def pad_stopped(uow: UnitOfWork, counter_number: int) -> None:
    """Journal that the counter's rating pad has closed."""
    authorise(uow, Op.RATING_PAD_PRESENCE)
    counter = counter_by_number(uow, counter_number)
    uow.record(
        EventKind.RATING_PAD_OFFLINE, counter_id=counter.id, payload={"counter": counter.number}
    )


def pad_present(session: Session, counter_id: int) -> bool:
    """Whether the counter's latest pad entry says a pad is there."""
    latest = session.scalar(
        select(Event.kind)
        .where(Event.counter_id == counter_id, Event.kind.in_(PAD_KINDS))
        .order_by(Event.id.desc())
        .limit(1)
    )
    return latest == EventKind.RATING_PAD_ONLINE


def awaits_rating(session: Session, ticket_id: int) -> bool:
    """Whether a ticket is finished and its visit not yet rated."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or ticket.state != TicketState.DONE.value:
        return False
    return session.scalar(select(Rating.id).where(Rating.visit_id == ticket.visit_id)) is None
