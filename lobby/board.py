"""What the hall display and the CLI ``board`` show: open calls and waiting per service."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from lobby.clock import business_day
from lobby.engine.common import OPEN_STATES, ticket_view
from lobby.journal import last_event_id
from lobby.models import Branch, Service, Ticket
from lobby.states import TicketState
from lobby.views import BoardView, ServiceQueue


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
    return BoardView(tuple(ticket_view(t) for t in calls), tuple(queues), last_id)


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
    queues = []
    for service_id in service_ids:
        service = rows.get(service_id)
        if service is None:
            continue
        count, oldest = waiting.get(service.id, (0, None))
        longest = 0.0 if oldest is None else max(0.0, (now - oldest).total_seconds() / 60)
        queues.append(
            ServiceQueue(
                service=service.code,
                prefix=service.prefix,
                name_zh=service.name_zh,
                name_en=service.name_en,
                waiting=count,
                longest_wait_min=round(longest, 1),
            )
        )
    return tuple(queues)
