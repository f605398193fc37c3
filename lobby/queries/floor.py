"""The branch floor as the manager sees it now: every counter and every queue.

Counters show who signed in there today, what they are calling or serving and
for how long; queues show the waiting, the longest wait, the predicted wait for a
customer arriving now and whether the queue is heading past its target wait.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lobby.clock import business_day
from lobby.engine.common import OPEN_STATES
from lobby.journal import last_event_id
from lobby.models import Branch, Counter, Event, Service, Ticket
from lobby.queries.queues import QueueOutlook, service_outlook
from lobby.views import JsonView
from lobby.vocabulary import EventKind


@dataclass(frozen=True)
class FloorCounter(JsonView):
    """One counter right now.

    Attributes:
        status: open, break or closed.
        staff: Who last signed in at the counter today (``None`` if nobody).
        ticket: The ticket being called or served, if any.
        phase: ``called`` or ``serving`` while a ticket is open, else ``None``.
        since: When the open ticket was called (or service started).
        served_today: Tickets finished at this counter today.
    """

    number: int
    name_zh: str
    name_en: str
    status: str
    staff: str | None
    ticket: str | None
    service_zh: str | None
    service_en: str | None
    phase: str | None
    since: datetime | None
    served_today: int

    def seconds_so_far(self, now: datetime) -> float | None:
        """Seconds the open ticket has been called or served at ``now``."""
        if self.since is None:
            return None
        return max(0.0, (now - self.since).total_seconds())


@dataclass(frozen=True)
class FloorView(JsonView):
    """The whole floor at one moment."""

    at: datetime
    business_day: date
    counters: tuple[FloorCounter, ...]
    queues: tuple[QueueOutlook, ...]
    last_event_id: int

    @property
    def alerts(self) -> tuple[QueueOutlook, ...]:
        """Queues heading past their target wait."""
        return tuple(q for q in self.queues if q.heading_past_target)


def floor_view(session: Session, now: datetime) -> FloorView:
    """Read the floor at ``now`` (one read transaction)."""
    last_id = last_event_id(session)
    timezone = session.scalar(select(Branch.timezone).where(Branch.id == 1)) or "UTC"
    today = business_day(now, timezone)
    open_tickets = {
        ticket.counter_id: ticket
        for ticket in session.scalars(
            select(Ticket).where(Ticket.business_day == today, Ticket.state.in_(OPEN_STATES))
        )
    }
    served: dict[int | None, int] = {
        counter_id: count
        for counter_id, count in session.execute(
            select(Ticket.counter_id, func.count())
            .where(Ticket.business_day == today, Ticket.state == "done")
            .group_by(Ticket.counter_id)
        )
    }
    staff = _signed_in_staff(session, today, timezone)
    counters = []
    for counter in session.scalars(select(Counter).where(Counter.active).order_by(Counter.number)):
        ticket = open_tickets.get(counter.id)
        service: Service | None = ticket.service if ticket else None
        counters.append(
            FloorCounter(
                number=counter.number,
                name_zh=counter.name_zh,
                name_en=counter.name_en,
                status=counter.status,
                staff=(ticket.staff if ticket and ticket.staff else None)
                or staff.get(counter.number),
                ticket=ticket.number if ticket else None,
                service_zh=service.name_zh if service else None,
                service_en=service.name_en if service else None,
                phase=ticket.state if ticket else None,
                since=(ticket.started_at or ticket.called_at) if ticket else None,
                served_today=int(served.get(counter.id, 0)),
            )
        )
    return FloorView(
        at=now,
        business_day=today,
        counters=tuple(counters),
        queues=tuple(service_outlook(session, now)),
        last_event_id=last_id,
    )


def _signed_in_staff(session: Session, today: date, timezone: str) -> dict[int, str]:
    """Counter number -> staff code of the latest teller sign-in there today."""
    rows = session.execute(
        select(Event.actor, Event.payload, Event.at)
        .where(Event.kind == EventKind.SIGNED_IN, Event.actor.like("counter-%"))
        .order_by(Event.id.desc())
        .limit(500)
    )
    found: dict[int, str] = {}
    for actor, payload, at in rows:
        if business_day(at, timezone) != today:
            break
        number = actor.removeprefix("counter-")
        if number.isdigit() and int(number) not in found:
            found[int(number)] = str((payload or {}).get("staff", ""))
    return found
