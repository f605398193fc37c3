"""The customer's rating pad at a counter: its presence, and the ticket it asks about.

A pad is an enrolled device (role ``rating_pad``) bound to one counter
(``lobby device-enrol pad-N --role rating_pad --counter N``). It journals when it
starts and stops there and beats while it runs (:mod:`lobby.engine.presence`);
while it is online, the teller's console leaves the rating to it. A console's own
customer panel (``rating-counter-N``) is a device of the same kind, bound the same
way. :func:`lobby.engine.visits.rate_visit` lets either rate only the visit just
finished at its counter.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.access import Op, authorise
from lobby.db import UnitOfWork
from lobby.engine.common import counter_by_number
from lobby.engine.presence import PAD, beat
from lobby.errors import PermissionDenied
from lobby.models import Counter, Rating, Ticket
from lobby.states import TicketState
from lobby.vocabulary import EventKind


def pad_actor(counter_number: int) -> str:
    """The device id of the rating pad at a counter."""
    return f"pad-{counter_number}"


def console_rating_actor(counter_number: int) -> str:
    """The device id of a console's customer panel (used when no pad is online)."""
    return f"rating-counter-{counter_number}"


def _own_counter(uow: UnitOfWork, counter_number: int) -> Counter:
    """The counter, if it is the one the acting pad is enrolled for."""
    authorise(uow, Op.RATING_PAD_PRESENCE)
    counter = counter_by_number(uow, counter_number)
    if uow.principal.counter_id != counter.id:
        raise PermissionDenied(
            f"rating pad {uow.actor} is not enrolled for counter {counter.number}"
        )
    return counter


def pad_started(uow: UnitOfWork, counter_number: int) -> None:
    """Journal that a rating pad now faces the customers of its counter."""
    counter = _own_counter(uow, counter_number)
    beat(uow, counter.id, PAD)
    uow.record(
        EventKind.RATING_PAD_ONLINE, counter_id=counter.id, payload={"counter": counter.number}
    )


def pad_heartbeat(uow: UnitOfWork, counter_number: int) -> None:
    """The pad still runs (not journalled; see :mod:`lobby.engine.presence`)."""
    beat(uow, _own_counter(uow, counter_number).id, PAD)


def pad_stopped(uow: UnitOfWork, counter_number: int) -> None:
    """Journal that the counter's rating pad has closed."""
    counter = _own_counter(uow, counter_number)
    uow.record(
        EventKind.RATING_PAD_OFFLINE, counter_id=counter.id, payload={"counter": counter.number}
    )


def awaits_rating(session: Session, ticket_id: int) -> bool:
    """Whether a ticket is finished and its visit not yet rated."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or ticket.state != TicketState.DONE.value:
        return False
    return session.scalar(select(Rating.id).where(Rating.visit_id == ticket.visit_id)) is None
