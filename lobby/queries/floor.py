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
from lobby.engine.occupancy import breaks, holders
from lobby.engine.presence import PadStatus, console_expiry, pad_expiry, pad_presence
from lobby.journal import last_event_id
from lobby.models import Branch, Counter, Event, Service, Ticket
from lobby.queries.queues import queue_outlook
from lobby.states import TicketState
from lobby.views import JsonView, QueueOutlook
from lobby.vocabulary import CounterStatus, EventKind


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
        break_reason: On a break: lunch, training, meeting or other.
        break_since: On a break: since when (the live floor runs its timer).
        pad: The counter's rating pad: online, unknown (silent) or offline; ``None``
            when no pad ever started there.
        console_silent: The signed-in teller's console has not been heard from within
            its expiry (crashed or cut off: its hold lapses at the next sign-in).
        staffed: A teller is signed in at the counter now, or it has a ticket open:
            an ``open`` status with nobody there serves no one.
    """

    number: int
    name_zh: str
    name_en: str
    status: CounterStatus
    staff: str | None
    ticket: str | None
    service_zh: str | None
    service_en: str | None
    phase: TicketState | None
    since: datetime | None
    served_today: int
    break_reason: str | None = None
    break_since: datetime | None = None
    pad: PadStatus | None = None
    console_silent: bool = False
    staffed: bool = False

    def seconds_so_far(self, now: datetime) -> float | None:
        """Seconds the open ticket has been called or served (or the break has run) at ``now``."""
        since = self.since or self.break_since
        if since is None:
            return None
        return max(0.0, (now - since).total_seconds())


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
    branch = session.get(Branch, 1)
    timezone = branch.timezone if branch else "UTC"
    policy = branch.policy if branch else None
    silent_after, pad_after = console_expiry(policy), pad_expiry(policy)
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
    held = holders(session)
    paused = breaks(session)
    counters = []
    for counter in session.scalars(select(Counter).where(Counter.active).order_by(Counter.number)):
        ticket = open_tickets.get(counter.id)
        service: Service | None = ticket.service if ticket else None
        holder = held.get(counter.id)
        pause = paused.get(counter.id) if counter.status == "break" else None
        pad = pad_presence(session, counter.id, now, pad_after)
        counters.append(
            FloorCounter(
                number=counter.number,
                name_zh=counter.name_zh,
                name_en=counter.name_en,
                status=CounterStatus(counter.status),
                staff=holder.code
                if holder
                else (ticket.staff if ticket and ticket.staff else None)
                or staff.get(counter.number),
                ticket=ticket.number if ticket else None,
                service_zh=service.name_zh if service else None,
                service_en=service.name_en if service else None,
                phase=TicketState(ticket.state) if ticket else None,
                since=(ticket.started_at or ticket.called_at) if ticket else None,
                served_today=int(served.get(counter.id, 0)),
                break_reason=pause.reason if pause else None,
                break_since=pause.since if pause else None,
                pad=pad.status if pad else None,
                console_silent=holder is not None and holder.lapsed(now, silent_after),
                staffed=holder is not None or ticket is not None,
            )
        )
    return FloorView(
        at=now,
        business_day=today,
        counters=tuple(counters),
        queues=queue_outlook(session, now),
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
