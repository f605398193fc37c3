"""Where every ticket of the day stands, as the customer's phone page shows it.

One :func:`hall_status` call reads the day's tickets in a few small queries, so one
process can tell every phone in the hall after each journal change without a query
per phone. The wait estimates (:func:`hall_estimates`: the same
:func:`lobby.estimate.predict` the greeter's printed ticket uses, replayed once for
all waiting tickets) cost far more with a long queue, so they are read apart and
handed in: a call reaches the phones without waiting for the replay. Nothing here is
personal: numbers, services, states, counters and waits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.clock import business_day
from lobby.engine.missed import grace_time
from lobby.estimate import WaitEstimate, live_snapshot, predict
from lobby.estimate.live import staffed_services
from lobby.journal import last_event_id
from lobby.models import Branch, Counter, Event, Rating, Service, Ticket
from lobby.queries.board import recent_calls
from lobby.queries.queues import active_services, outlook_of
from lobby.states import TicketState
from lobby.views import CallView, JsonView, QueueOutlook
from lobby.vocabulary import EventKind

#: Ticket states as the customer is told them.
CUSTOMER_STATES: dict[str, str] = {
    TicketState.WAITING.value: "waiting",
    TicketState.PARKED.value: "parked",
    TicketState.CALLED.value: "called",
    TicketState.SERVING.value: "serving",
    TicketState.DONE.value: "done",
    TicketState.NO_SHOW.value: "missed",
    TicketState.CANCELLED.value: "cancelled",
    TicketState.EXPIRED.value: "expired",
    TicketState.TRANSFERRED.value: "waiting",
}


@dataclass(frozen=True)
class TicketStatus(JsonView):
    """One ticket (its latest hop, after any transfer) as its customer sees it.

    Attributes:
        number: The ticket number, e.g. ``A012``.
        service_zh: The service's Chinese name.
        service_en: The service's English name.
        state: ``waiting``, ``called``, ``serving``, ``done``, ``missed``,
            ``cancelled``, ``expired`` or ``parked`` (set aside at its counter,
            to be called back there) (:data:`CUSTOMER_STATES`).
        counter: The counter calling or serving it.
        ahead: Tickets the routing rule calls before it (waiting only; ``None`` until
            the estimate has been read).
        wait_low_min: Lower end of the estimated wait.
        wait_high_min: Upper end of the estimated wait.
        rated: Its visit already has a rating.
        called_at: When it was last called.
        valid_until: A missed ticket's end of grace time (``None`` once it has passed:
            the ticket is then simply missed).
        on_the_way: The customer told the counter from the phone since the last call.
    """

    number: str
    service_zh: str
    service_en: str
    state: str
    counter: int | None
    ahead: int | None = None
    wait_low_min: int = 0
    wait_high_min: int = 0
    rated: bool = False
    called_at: datetime | None = None
    valid_until: datetime | None = None
    on_the_way: bool = False


@dataclass(frozen=True)
class HallStatus:
    """Every ticket of one business day, by number, and the journal position it reflects."""

    day: date
    last_event_id: int
    tickets: dict[str, TicketStatus] = field(default_factory=dict)
    recent: tuple[CallView, ...] = ()


def hall_estimates(session: Session, now: datetime) -> dict[int, WaitEstimate]:
    """The wait estimate of every waiting ticket of the day, by ticket id."""
    return hall_outlook(session, now).tickets


@dataclass(frozen=True)
class HallOutlook:
    """One snapshot's estimates: every waiting ticket's, and each queue's for a newcomer."""

    tickets: dict[int, WaitEstimate]
    queues: tuple[QueueOutlook, ...]


def hall_outlook(session: Session, now: datetime) -> HallOutlook:
    """Every waiting ticket's estimate and the queues' outlook, from one snapshot.

    The same :func:`lobby.estimate.predict` as the greeter and the display, on one read
    of the queue: the tickets' estimates, then the newcomers' (what the board shows,
    as :func:`lobby.queries.queues.queue_outlook` gives it). Predicted apart, as the
    greeter and the display do: together, the newcomers' random replays would have to
    run as long as the slowest ticket's.
    """
    timezone = session.scalar(select(Branch.timezone).where(Branch.id == 1)) or "UTC"
    today = business_day(now, timezone)
    snapshot = live_snapshot(session, now, today)
    services = active_services(session)
    tickets = predict(snapshot, [c.ticket_id for c in snapshot.waiting]).tickets
    arrivals = predict(snapshot, [], list(services)).new_arrivals
    staffed = staffed_services(session, today, snapshot)
    return HallOutlook(
        dict(tickets), outlook_of(snapshot, services, list(services), arrivals, staffed)
    )


def hall_status(
    session: Session, now: datetime, estimates: Mapping[int, WaitEstimate] | None = None
) -> HallStatus:
    """Where each of today's tickets stands at ``now``, and the day's latest calls.

    The last event id is read first, so a feed resuming from it sees an event twice
    at worst, never misses one.

    Args:
        session: A read session.
        now: The moment.
        estimates: :func:`hall_estimates`, perhaps of a moment ago; a waiting ticket
            it lacks has ``ahead=None``. ``None``: read them now.
    """
    last_id = last_event_id(session)
    timezone = session.scalar(select(Branch.timezone).where(Branch.id == 1)) or "UTC"
    today = business_day(now, timezone)
    rows = session.execute(
        select(
            Ticket.id,
            Ticket.number,
            Ticket.hop,
            Ticket.state,
            Ticket.visit_id,
            Ticket.called_at,
            Ticket.queued_at,
            Ticket.ended_at,
            Service.name_zh,
            Service.name_en,
            Counter.number,
        )
        .join(Service, Service.id == Ticket.service_id)
        .outerjoin(Counter, Counter.id == Ticket.counter_id)
        .where(Ticket.business_day == today)
        .order_by(Ticket.number, Ticket.hop)
    ).all()
    if estimates is None:
        estimates = hall_estimates(session, now)
    visits = {r[4] for r in rows}
    rated: set[int] = set()
    if visits:
        rated.update(session.scalars(select(Rating.visit_id).where(Rating.visit_id.in_(visits))))
    tickets: dict[str, TicketStatus] = {}
    branch = session.get_one(Branch, 1)
    grace = grace_time(branch.policy)
    told: dict[int, datetime] = {}
    for ticket_id, at in session.execute(
        select(Event.ticket_id, Event.at)
        .join(Ticket, Ticket.id == Event.ticket_id)
        .where(Event.kind == EventKind.ON_THE_WAY.value, Ticket.business_day == today)
    ):
        if ticket_id is not None:
            told[ticket_id] = max(at, told.get(ticket_id, at))
    for row in rows:
        ticket_id, number, _hop, state, visit_id, called_at, queued_at, ended_at = row[:8]
        name_zh, name_en, counter = row[8:]
        estimate = estimates.get(ticket_id) if state == TicketState.WAITING.value else None
        shown = CUSTOMER_STATES.get(state, state)
        valid_until = None
        if state == TicketState.NO_SHOW.value and ended_at is not None and now <= ended_at + grace:
            valid_until = ended_at + grace
        tickets[number] = TicketStatus(  # the latest hop comes last and wins
            number=number,
            service_zh=name_zh,
            service_en=name_en,
            state=shown,
            counter=counter if shown in ("called", "serving", "done", "parked") else None,
            ahead=estimate.ahead if estimate else (None if shown == "waiting" else 0),
            wait_low_min=estimate.low_min if estimate else 0,
            wait_high_min=estimate.high_min if estimate else 0,
            rated=visit_id in rated,
            called_at=called_at,
            valid_until=valid_until,
            on_the_way=ticket_id in told and told[ticket_id] >= (called_at or queued_at),
        )
    return HallStatus(
        day=today, last_event_id=last_id, tickets=tickets, recent=recent_calls(session, today)
    )


@dataclass(frozen=True)
class BranchKeys:
    """What checks the branch's signed links, and the names pages show."""

    code: str
    secret: str
    name_zh: str
    name_en: str
    timezone: str


def branch_keys(session: Session) -> BranchKeys:
    """The branch's code, link secret, names and time zone."""
    branch = session.get_one(Branch, 1)
    return BranchKeys(branch.code, branch.secret, branch.name_zh, branch.name_en, branch.timezone)
