"""Reading the journal: every app learns what happened from the events after the last it saw."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from lobby.models import Counter, Event, Ticket
from lobby.views import EventView

DEFAULT_BATCH = 500


def journal_select() -> tuple[Select[tuple[Event, str | None, int | None]], type[Counter]]:
    """Events with their ticket number and counter number (filter and order it)."""
    counter = aliased(Counter)
    stmt = (
        select(Event, Ticket.number, counter.number)
        .outerjoin(Ticket, Ticket.id == Event.ticket_id)
        .outerjoin(counter, counter.id == Event.counter_id)
    )
    return stmt, counter  # type: ignore[return-value]


def event_views(rows: Iterable[Any]) -> list[EventView]:
    """Rows of :func:`journal_select` as views."""
    return [
        EventView(
            id=event.id,
            kind=event.kind,
            at=event.at,
            ticket=number,
            ticket_id=event.ticket_id,
            counter=counter_number,
            actor=event.actor,
            payload=dict(event.payload or {}),
        )
        for event, number, counter_number in rows
    ]


def events_after(
    session: Session, after_id: int = 0, limit: int = DEFAULT_BATCH
) -> list[EventView]:
    """Journal entries with id greater than ``after_id``, oldest first.

    Args:
        session: A read session.
        after_id: The last event id the caller has seen (0 for all).
        limit: At most this many events.
    """
    stmt, _ = journal_select()
    return event_views(
        session.execute(stmt.where(Event.id > after_id).order_by(Event.id).limit(limit))
    )


def last_event_id(session: Session) -> int:
    """The newest event id (0 when the journal is empty)."""
    return int(session.scalar(select(func.max(Event.id))) or 0)
