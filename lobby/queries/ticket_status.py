"""Where every ticket of the day stands, as the customer's phone page shows it.

One :func:`hall_status` call reads the day's tickets and replays the wait estimate
once for all the waiting ones (the same :func:`lobby.estimate.predict` the greeter's
printed ticket uses), so one process can tell every phone in the hall after each
journal change without a query per phone. Nothing here is personal: numbers,
services, states, counters and waits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.clock import business_day
from lobby.estimate import WaitEstimate, live_snapshot, predict
from lobby.journal import last_event_id
from lobby.models import Branch, Counter, Rating, Service, Ticket
from lobby.states import TicketState
from lobby.views import JsonView

#: Ticket states as the customer is told them.
CUSTOMER_STATES: dict[str, str] = {
    TicketState.WAITING.value: "waiting",
    TicketState.PARKED.value: "waiting",
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
            ``cancelled`` or ``expired`` (:data:`CUSTOMER_STATES`).
        counter: The counter calling or serving it.
        ahead: Tickets the routing rule calls before it (waiting only).
        wait_low_min: Lower end of the estimated wait.
        wait_high_min: Upper end of the estimated wait.
        rated: Its visit already has a rating.
        called_at: When it was last called.
    """

    number: str
    service_zh: str
    service_en: str
    state: str
    counter: int | None
    ahead: int = 0
    wait_low_min: int = 0
    wait_high_min: int = 0
    rated: bool = False
    called_at: datetime | None = None


@dataclass(frozen=True)
class HallStatus:
    """Every ticket of one business day, by number, and the journal position it reflects."""

    day: date
    last_event_id: int
    tickets: dict[str, TicketStatus] = field(default_factory=dict)


def hall_status(session: Session, now: datetime) -> HallStatus:
    """Where each of today's tickets stands at ``now``.

    The last event id is read first, so a feed resuming from it sees an event twice
    at worst, never misses one.
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
            Service.name_zh,
            Service.name_en,
            Counter.number,
        )
        .join(Service, Service.id == Ticket.service_id)
        .outerjoin(Counter, Counter.id == Ticket.counter_id)
        .where(Ticket.business_day == today)
        .order_by(Ticket.number, Ticket.hop)
    ).all()
    waiting = [r[0] for r in rows if r[3] == TicketState.WAITING.value]
    estimates: dict[int, WaitEstimate] = {}
    if waiting:
        estimates = predict(live_snapshot(session, now, today), waiting).tickets
    visits = {r[4] for r in rows}
    rated: set[int] = set()
    if visits:
        rated.update(session.scalars(select(Rating.visit_id).where(Rating.visit_id.in_(visits))))
    tickets: dict[str, TicketStatus] = {}
    for ticket_id, number, _hop, state, visit_id, called_at, name_zh, name_en, counter in rows:
        estimate = estimates.get(ticket_id, WaitEstimate(0, 0, 0))
        shown = CUSTOMER_STATES.get(state, state)
        tickets[number] = TicketStatus(  # the latest hop comes last and wins
            number=number,
            service_zh=name_zh,
            service_en=name_en,
            state=shown,
            counter=counter if shown in ("called", "serving", "done") else None,
            ahead=estimate.ahead,
            wait_low_min=estimate.low_min,
            wait_high_min=estimate.high_min,
            rated=visit_id in rated,
            called_at=called_at,
        )
    return HallStatus(day=today, last_event_id=last_id, tickets=tickets)


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
