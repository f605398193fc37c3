"""One teller per counter: sign-in at a counter, sign-out, idle sign-out, takeover.

Who holds a counter is read from the journal: the counter's latest occupancy entry
(``counter_signed_in``, ``counter_signed_out``, ``counter_taken_over``). A second
teller is refused with the holder's name, unless a manager's PIN hands the counter
over (journalled with the manager). Leaving a counter parks its open ticket, so a
customer is never lost, and closes the counter until a teller opens it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lobby.access import Op, authorise
from lobby.db import Database, UnitOfWork
from lobby.engine.common import counter_by_number, move, open_ticket
from lobby.errors import CounterOccupied, InvalidInput, PermissionDenied
from lobby.models import Counter, Event, Staff, Ticket
from lobby.staff import StaffView, sign_in
from lobby.states import Action, TicketState
from lobby.vocabulary import OCCUPANCY_CHANGES, CounterStatus, EventKind

#: Why a teller left a counter.
LEAVE_REASONS = ("sign_out", "idle")


@dataclass(frozen=True)
class Holder:
    """The teller signed in at a counter."""

    code: str
    name: str
    since: datetime


@dataclass(frozen=True)
class TellerDay:
    """A teller's day so far: customers served and their average service time."""

    served: int
    mean_service_min: float | None


def holder_of(session: Session, counter_id: int) -> Holder | None:
    """Who is signed in at the counter now (``None`` when nobody is)."""
    event = session.scalar(
        select(Event)
        .where(Event.counter_id == counter_id, Event.kind.in_(list(OCCUPANCY_CHANGES)))
        .order_by(Event.id.desc())
        .limit(1)
    )
    if event is None or event.kind == EventKind.COUNTER_SIGNED_OUT:
        return None
    code = str(event.payload.get("staff", ""))
    name = session.scalar(select(Staff.name).where(Staff.code == code)) or code
    return Holder(code, name, event.at)


def holders(session: Session) -> dict[int, Holder]:
    """Counter id -> the teller signed in there, for every occupied counter (one query)."""
    names = {code: name for code, name in session.execute(select(Staff.code, Staff.name))}
    return {
        counter_id: Holder(staff, names.get(staff, staff), at)
        for counter_id, staff, at in _latest_occupancy(session)
    }


def _latest_occupancy(session: Session) -> list[tuple[int, str, datetime]]:
    """(counter id, staff, since) of every counter whose latest occupancy entry holds it."""
    latest = (
        select(func.max(Event.id).label("last"))
        .where(Event.kind.in_(list(OCCUPANCY_CHANGES)), Event.counter_id.is_not(None))
        .group_by(Event.counter_id)
        .subquery()
    )
    rows = session.execute(
        select(Event.counter_id, Event.kind, Event.payload, Event.at).join(
            latest, Event.id == latest.c.last
        )
    )
    return [
        (int(counter_id), str((payload or {}).get("staff", "")), at)
        for counter_id, kind, payload, at in rows
        if kind != EventKind.COUNTER_SIGNED_OUT
    ]


def teller_day(session: Session, staff: str, day: object) -> TellerDay:
    """What ``staff`` finished on business day ``day`` (service time from start to end)."""
    rows = session.execute(
        select(Ticket.started_at, Ticket.ended_at).where(
            Ticket.staff == staff,
            Ticket.business_day == day,
            Ticket.state == TicketState.DONE.value,
        )
    ).all()
    spans = [(end - start).total_seconds() for start, end in rows if start and end]
    mean = round(sum(spans) / len(spans) / 60, 1) if spans else None
    return TellerDay(served=len(rows), mean_service_min=mean)


def sign_in_at_counter(
    db: Database,
    code: str,
    pin: str,
    counter_number: int,
    *,
    manager: str | None = None,
    manager_pin: str | None = None,
) -> StaffView:
    """Check the teller's PIN and take the counter, or hand it over with a manager's PIN.

    Raises:
        AuthenticationFailed: A wrong staff id or PIN (the teller's or the manager's).
        CounterOccupied: Another teller holds the counter and no manager took it over.
        PermissionDenied: The second id is not a manager's.
    """
    device = f"counter-{counter_number}"
    staff = sign_in(db, code, pin, "teller", device=device)
    approver: StaffView | None = None
    if manager:
        approver = sign_in(db, manager, manager_pin or "", "manager", device=device)
        if approver.role != "manager":
            raise PermissionDenied(f"{approver.code} is not a manager: only a manager takes over")
    assert staff.credential is not None, "sign_in refuses a PIN that must change"
    with db.unit_of_work(staff.credential) as uow:
        occupy(uow, counter_number, staff, approved_by=approver)
    return staff


def occupy(
    uow: UnitOfWork, counter_number: int, staff: StaffView, *, approved_by: StaffView | None
) -> None:
    """Sign ``staff`` in at the counter (again is fine), taking it over if a manager approved."""
    authorise(uow, Op.OCCUPY_COUNTER)
    counter = counter_by_number(uow, counter_number, lock=True)
    holder = holder_of(uow.session, counter.id)
    body = {"counter": counter.number, "staff": staff.code}
    if holder is not None and holder.code != staff.code:
        if approved_by is None:
            raise CounterOccupied(
                f"counter {counter.number} is signed in by {holder.name} ({holder.code}): "
                "they sign out first, or a manager's PIN takes it over"
            )
        uow.record(
            EventKind.COUNTER_TAKEN_OVER,
            counter_id=counter.id,
            payload={**body, "from_staff": holder.code, "manager": approved_by.code},
        )
        return
    elsewhere = _held_elsewhere(uow, staff.code, counter.id)
    if elsewhere is not None:
        raise InvalidInput(
            f"{staff.code} is still signed in at counter {elsewhere}: sign out there first"
        )
    uow.record(EventKind.COUNTER_SIGNED_IN, counter_id=counter.id, payload=body)


def sign_out(uow: UnitOfWork, counter_number: int, *, why: str = "sign_out") -> str | None:
    """The teller leaves the counter: its open ticket is parked, the counter closes.

    Args:
        uow: The unit of work (its actor is the teller leaving).
        counter_number: The counter.
        why: ``sign_out`` (the teller chose to) or ``idle`` (the console timed out).

    Returns:
        The number of the ticket parked, if one was open.

    Raises:
        InvalidInput: An unknown reason, or the actor does not hold the counter.
    """
    authorise(uow, Op.LEAVE_COUNTER)
    if why not in LEAVE_REASONS:
        raise InvalidInput(f"unknown sign-out reason {why!r}")
    counter = counter_by_number(uow, counter_number, lock=True)
    holder = holder_of(uow.session, counter.id)
    if holder is None or holder.code != uow.actor:
        raise InvalidInput(f"{uow.actor} is not signed in at counter {counter.number}")
    parked = None
    ticket = open_ticket(uow, counter)
    if ticket is not None:
        move(uow, ticket, Action.PARK, {"note": True, "why": why})
        ticket.call_reason = "parked when the teller signed out"
        parked = ticket.number
    if counter.status != CounterStatus.CLOSED:
        counter.status = CounterStatus.CLOSED.value
        uow.record(
            CounterStatus.CLOSED.kind, counter_id=counter.id, payload={"counter": counter.number}
        )
    uow.record(
        EventKind.COUNTER_SIGNED_OUT,
        counter_id=counter.id,
        payload={"counter": counter.number, "staff": holder.code, "why": why, "parked": parked},
    )
    return parked


def _held_elsewhere(uow: UnitOfWork, staff: str, counter_id: int) -> int | None:
    """Another counter ``staff`` still holds, if any."""
    for other, code, _ in _latest_occupancy(uow.session):
        if other != counter_id and code == staff:
            return uow.session.scalar(select(Counter.number).where(Counter.id == other))
    return None


@dataclass(frozen=True)
class CounterBreak:
    """A counter's break: why, and since when."""

    reason: str
    since: datetime


def breaks(session: Session) -> dict[int, CounterBreak]:
    """Counter id -> its break, for every counter whose latest status entry is a break."""
    status_kinds = [k.kind.value for k in CounterStatus]
    latest = (
        select(func.max(Event.id).label("last"))
        .where(Event.kind.in_(status_kinds), Event.counter_id.is_not(None))
        .group_by(Event.counter_id)
        .subquery()
    )
    rows = session.execute(
        select(Event.counter_id, Event.kind, Event.payload, Event.at).join(
            latest, Event.id == latest.c.last
        )
    )
    return {
        int(counter_id): CounterBreak(str((payload or {}).get("reason", "other")), at)
        for counter_id, kind, payload, at in rows
        if kind == EventKind.COUNTER_BREAK
    }
