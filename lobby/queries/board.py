"""What the hall display and the CLI ``board`` show: open calls and waiting per service."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lobby.admin.notices import current_notices
from lobby.clock import business_day
from lobby.engine.common import OPEN_STATES, ticket_view
from lobby.journal import last_event_id
from lobby.models import Branch, Counter, Event, Service, Ticket
from lobby.queries.queues import queue_outlook
from lobby.views import BoardView, CallView, CounterState, QueueOutlook
from lobby.vocabulary import CALLS, CounterStatus

#: Journal kinds the hall display announces.
CALL_KINDS = CALLS
RECENT_CALLS = 10


def board(
    session: Session, now: datetime, queues: tuple[QueueOutlook, ...] | None = None
) -> BoardView:
    """The current board of the branch's business day at ``now``.

    The last event id is read first, so a feed that resumes from it can only see an
    event twice, never miss one.

    Args:
        session: A read session.
        now: The moment.
        queues: The queues' outlook, when the caller has just predicted it
            (:func:`lobby.queries.queues.outlook_of`); read here otherwise.
    """
    last_id = last_event_id(session)
    timezone = session.scalar(select(Branch.timezone).where(Branch.id == 1)) or "UTC"
    today = business_day(now, timezone)
    calls = session.scalars(
        select(Ticket)
        .options(selectinload(Ticket.service), selectinload(Ticket.counter))
        .where(Ticket.business_day == today, Ticket.state.in_(OPEN_STATES))
        .order_by(Ticket.called_at.desc())
    ).all()
    if queues is None:
        queues = queue_outlook(session, now, today=today)
    branch = session.get_one(Branch, 1)
    return BoardView(
        calls=tuple(ticket_view(t) for t in calls),
        queues=queues,
        last_event_id=last_id,
        recent=recent_calls(session, today),
        counters=counter_states(session, today),
        branch_zh=branch.name_zh,
        branch_en=branch.name_en,
        notices=tuple(f"{n.text_zh}  {n.text_en}" for n in current_notices(session, now)),
        timezone=timezone,
    )


def recent_calls(session: Session, today: date, limit: int = RECENT_CALLS) -> tuple[CallView, ...]:
    """The latest calls of the day (called, recalled, resumed), newest first."""
    rows = session.execute(
        select(Event.id, Event.kind, Event.at, Ticket.number, Counter.number, Service)
        .join(Ticket, Ticket.id == Event.ticket_id)
        .join(Counter, Counter.id == Event.counter_id)
        .join(Service, Service.id == Ticket.service_id)
        .where(Event.kind.in_(sorted(CALL_KINDS)), Ticket.business_day == today)
        .order_by(Event.id.desc())
        .limit(limit)
    )
    return tuple(
        CallView(event_id, kind, number, counter, service.name_zh, service.name_en, at)
        for event_id, kind, at, number, counter, service in rows
    )


def counter_states(session: Session, today: date) -> tuple[CounterState, ...]:
    """Each active counter, its status and the number it is calling or serving."""
    rows = session.execute(
        select(Ticket.counter_id, Ticket.number).where(
            Ticket.business_day == today, Ticket.state.in_(OPEN_STATES)
        )
    )
    current = {counter_id: number for counter_id, number in rows}
    counters = session.scalars(select(Counter).where(Counter.active).order_by(Counter.number))
    return tuple(
        CounterState(c.number, c.name_zh, c.name_en, CounterStatus(c.status), current.get(c.id))
        for c in counters
    )
