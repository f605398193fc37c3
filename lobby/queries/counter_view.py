"""What a teller console shows: its counter, the open ticket, parked tickets, its queues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.clock import business_day
from lobby.engine.common import OPEN_STATES, ticket_view
from lobby.engine.customer import on_the_way_since
from lobby.engine.missed import MissedTicket, grace_time, missed_tickets
from lobby.engine.occupancy import CounterBreak, Holder, TellerDay, breaks, holder_of, teller_day
from lobby.engine.presence import PadPresence, PadStatus, pad_expiry, pad_presence
from lobby.engine.visits import visit_view
from lobby.errors import NotFound
from lobby.journal import last_event_id
from lobby.models import Branch, Counter, Service, Staff, Ticket, WorkProfileEntry
from lobby.queries.queues import queue_outlook
from lobby.states import TicketState
from lobby.views import QueueOutlook, TicketView, VisitView
from lobby.vocabulary import CounterStatus


@dataclass(frozen=True)
class ServiceChoice:
    """A service a ticket can be transferred to."""

    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class CounterOverview:
    """Everything a teller console shows, read in one go."""

    number: int
    name_zh: str
    name_en: str
    status: CounterStatus
    current: TicketView | None
    visit: VisitView | None
    parked: tuple[TicketView, ...]
    queues: tuple[QueueOutlook, ...]
    services: tuple[ServiceChoice, ...]
    counters: tuple[int, ...]
    last_event_id: int
    documents: tuple[tuple[str, str], ...] = ()
    missed: tuple[MissedTicket, ...] = ()
    issuer: str = ""
    timezone: str = "UTC"
    rating_pad: bool = False  # a pad is online: it asks the customer, the console does not
    pad: PadPresence | None = None
    holder: Holder | None = None
    teller_day: TellerDay | None = None
    on_break: CounterBreak | None = None
    idle_sign_out_min: float = 20.0
    grace_min: int = 15
    on_the_way_at: datetime | None = None


def counter_overview(session: Session, number: int, now: datetime) -> CounterOverview:
    """Read the console's state for counter ``number`` at ``now``.

    Raises:
        NotFound: No active counter with that number.
    """
    last_id = last_event_id(session)
    counter = session.scalar(select(Counter).where(Counter.number == number, Counter.active))
    if counter is None:
        raise NotFound(f"no counter {number}")
    branch = session.get_one(Branch, 1)
    timezone = branch.timezone
    grace = grace_time(branch.policy)
    holder = holder_of(session, counter.id)
    pad = pad_presence(session, counter.id, now, pad_expiry(branch.policy))
    today = business_day(now, timezone)
    current = session.scalar(
        select(Ticket).where(Ticket.counter_id == counter.id, Ticket.state.in_(OPEN_STATES))
    )
    parked = session.scalars(
        select(Ticket)
        .where(
            Ticket.counter_id == counter.id,
            Ticket.state == TicketState.PARKED.value,
            Ticket.business_day == today,
        )
        .order_by(Ticket.called_at)
    ).all()
    served = session.scalars(
        select(WorkProfileEntry.service_id)
        .where(WorkProfileEntry.profile_id == counter.profile_id)
        .order_by(WorkProfileEntry.tier, WorkProfileEntry.id)
    ).all()
    services = session.scalars(
        select(Service).where(Service.active).order_by(Service.sort_order)
    ).all()
    counters = session.scalars(
        select(Counter.number).where(Counter.active).order_by(Counter.number)
    ).all()
    return CounterOverview(
        number=counter.number,
        name_zh=counter.name_zh,
        name_en=counter.name_en,
        status=CounterStatus(counter.status),
        current=ticket_view(current) if current else None,
        visit=visit_view(session, current.visit) if current else None,
        parked=tuple(ticket_view(t) for t in parked),
        queues=queue_outlook(session, now, served, today),
        services=tuple(ServiceChoice(s.code, s.name_zh, s.name_en) for s in services),
        counters=tuple(counters),
        last_event_id=last_id,
        documents=tuple((d["key"], f"{d['zh']} {d['en']}") for d in current.service.documents)
        if current
        else (),
        missed=missed_tickets(session, now, grace, list(served)),
        grace_min=round(grace.total_seconds() / 60),
        issuer=issuer_text(session, current.visit.created_by) if current else "",
        timezone=timezone,
        rating_pad=pad is not None and pad.status == PadStatus.ONLINE,
        pad=pad,
        holder=holder,
        teller_day=teller_day(session, holder.code, today) if holder else None,
        on_break=breaks(session).get(counter.id) if counter.status == "break" else None,
        idle_sign_out_min=float((branch.policy or {}).get("idle_sign_out_min", 20.0)),
        on_the_way_at=on_the_way_since(session, current) if current else None,
    )


ROLE_WORDS = {"greeter": "迎宾 Greeter", "teller": "柜员 Teller", "manager": "主任 Manager"}


def issuer_text(session: Session, actor: str) -> str:
    """Who issued a ticket, as staff read it: the greeter by name, else the device.

    An actor that is neither a staff member nor an enrolled device (a command run by
    an operating-system account) is shown as the command line, never by that account.
    """
    member = session.scalar(select(Staff).where(Staff.code == actor))
    if member is not None:
        return f"{ROLE_WORDS.get(member.role, member.role)} {member.name} ({member.code})"
    if actor.startswith(DEVICE_PREFIXES):
        return f"设备 Device {actor}"
    return "命令行 Command line"


#: Actor names of devices (kiosks, counters, rating pads) rather than people.
DEVICE_PREFIXES = ("device", "kiosk", "greeter", "counter-", "pad-", "rating-")
