"""What the hall display and the CLI ``board`` show: open calls and waiting per service."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from lobby.admin.notices import current_notices
from lobby.clock import business_day
from lobby.engine.common import OPEN_STATES, ticket_view
from lobby.estimate import WaitEstimate, arrival_estimates
from lobby.journal import last_event_id
from lobby.models import Branch, Counter, Event, Service, Ticket
from lobby.states import TicketState
from lobby.views import BoardView, CallView, CounterState, ServiceQueue
from lobby.vocabulary import CALLS, CounterStatus

#: Journal kinds the hall display announces.
CALL_KINDS = CALLS
RECENT_CALLS = 10


def board(session: Session, now: datetime) -> BoardView:
    """The current board of the branch's business day at ``now``.

    The last event id is read first, so a feed that resumes from it can only see an
    event twice, never miss one.
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
    queues = service_queues(session, today, now)
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


def service_queues(
    session: Session, today: date, now: datetime, service_ids: Sequence[int] | None = None
) -> tuple[ServiceQueue, ...]:
    """Waiting count and longest wait of each active service (or of ``service_ids``, in order)."""
    waiting = {
        row.service_id: (row.n, row.oldest)
        for row in session.execute(
            select(
                Ticket.service_id,
                func.count().label("n"),
                func.min(Ticket.queued_at).label("oldest"),
            )
            .where(Ticket.business_day == today, Ticket.state == TicketState.WAITING.value)
            .group_by(Ticket.service_id)
        )
    }
    rows = {s.id: s for s in session.scalars(select(Service).where(Service.active))}
    if service_ids is None:
        service_ids = [s.id for s in sorted(rows.values(), key=lambda s: s.sort_order)]
    estimates = arrival_estimates(session, now, today)
    queues = []
    for service_id in service_ids:
        service = rows.get(service_id)
        if service is None:
            continue
        count, oldest = waiting.get(service.id, (0, None))
        estimate = estimates.get(service.id, WaitEstimate(0, 0, 0))
        longest = 0.0 if oldest is None else max(0.0, (now - oldest).total_seconds() / 60)
        queues.append(
            ServiceQueue(
                service=service.code,
                prefix=service.prefix,
                name_zh=service.name_zh,
                name_en=service.name_en,
                waiting=count,
                longest_wait_min=round(longest, 1),
                wait_low_min=estimate.low_min,
                wait_high_min=estimate.high_min,
                wait_rough=estimate.rough,
                unserved=estimate.unserved,
            )
        )
    return tuple(queues)
