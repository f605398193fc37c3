"""One teller per counter: sign-in at a counter, sign-out, idle sign-out, takeover.

Who holds a counter is read from the journal: the counter's latest occupancy entry
(``counter_signed_in``, ``counter_signed_out``, ``counter_taken_over``). A second
teller is refused with the holder's name, unless a manager's PIN hands the counter
over (journalled with the manager). Leaving a counter parks its open ticket, so a
customer is never lost, and closes the counter until a teller opens it again.

A console beats while it runs (:mod:`lobby.engine.presence`). A holder whose console
has not been heard from within ``console_expiry_s`` has *lapsed*: the next teller to
sign in there takes the counter without a manager (journalled as the old holder's
``counter_signed_out`` with ``why: lapsed``, their open ticket parked), and the
silent console, if it comes back, finds out from its next beat (:class:`CounterLost`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.access import Op, authorise
from lobby.db import Database, UnitOfWork
from lobby.engine.common import counter_by_number, move, open_ticket
from lobby.engine.counter_journal import latest_id
from lobby.engine.presence import CONSOLE, beat, console_expiry, last_seen, seen_by_counter
from lobby.errors import CounterLost, CounterOccupied, InvalidInput, PermissionDenied
from lobby.models import Counter, Event, Staff, Ticket
from lobby.staff import StaffView, sign_in
from lobby.states import Action, TicketState
from lobby.vocabulary import OCCUPANCY_CHANGES, CounterStatus, EventKind

#: Why a teller left a counter.
LEAVE_REASONS = ("sign_out", "idle")
#: Why a teller lost a counter without leaving it: their console fell silent.
LAPSED = "lapsed"


@dataclass(frozen=True)
class Holder:
    """The teller signed in at a counter.

    Attributes:
        code: The teller's staff id.
        name: Their name.
        since: When they signed in (or took the counter over).
        seen: Their console's last heartbeat (``since`` if it has not beaten yet).
    """

    code: str
    name: str
    since: datetime
    seen: datetime | None = None

    def lapsed(self, now: datetime, expiry: timedelta) -> bool:
        """Whether the holder's console has been silent for longer than ``expiry``."""
        return now - (self.seen or self.since) > expiry


@dataclass(frozen=True)
class TellerDay:
    """A teller's day so far: customers served and their average service time."""

    served: int
    mean_service_min: float | None


def holder_of(session: Session, counter_id: int) -> Holder | None:
    """Who is signed in at the counter now (``None`` when nobody is)."""
    event = session.scalar(
        select(Event).where(Event.id == latest_id(counter_id, OCCUPANCY_CHANGES))
    )
    if event is None or event.kind == EventKind.COUNTER_SIGNED_OUT:
        return None
    code = str(event.payload.get("staff", ""))
    name = session.scalar(select(Staff.name).where(Staff.code == code)) or code
    seen = last_seen(session, counter_id, CONSOLE, code)
    return Holder(code, name, event.at, max(event.at, seen) if seen else event.at)


def holders(session: Session) -> dict[int, Holder]:
    """Counter id -> the teller signed in there, for every occupied counter (three queries)."""
    names = {code: name for code, name in session.execute(select(Staff.code, Staff.name))}
    beats = seen_by_counter(session, CONSOLE)
    found = {}
    for counter_id, staff, at in _latest_occupancy(session):
        who, seen = beats.get(counter_id, (staff, at))
        found[counter_id] = Holder(
            staff, names.get(staff, staff), at, max(at, seen) if who == staff else at
        )
    return found


def latest_by_counter(
    session: Session, kinds: Collection[str]
) -> list[tuple[int, str, dict[str, Any], datetime]]:
    """(counter id, kind, payload, at) of each counter's latest event of ``kinds``.

    One correlated lookup per counter (:func:`latest_id`), then those events by id: the
    cost follows the number of counters, not the length of the journal.
    """
    latest = select(latest_id(Counter.id, kinds)).select_from(Counter)
    ids = [i for i in session.scalars(latest) if i is not None]
    rows = session.execute(
        select(Event.counter_id, Event.kind, Event.payload, Event.at).where(Event.id.in_(ids))
    )
    return [
        (int(counter_id), str(kind), payload or {}, at) for counter_id, kind, payload, at in rows
    ]


def _latest_occupancy(session: Session) -> list[tuple[int, str, datetime]]:
    """(counter id, staff, since) of every counter whose latest occupancy entry holds it."""
    return [
        (counter_id, str(payload.get("staff", "")), at)
        for counter_id, kind, payload, at in latest_by_counter(session, OCCUPANCY_CHANGES)
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
    expiry = console_expiry(uow.branch.policy)
    if holder is not None and holder.code != staff.code and holder.lapsed(uow.now, expiry):
        _release(uow, counter, holder, LAPSED)  # its console fell silent: no manager needed
        holder = None
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
        beat(uow, counter.id, CONSOLE)
        return
    elsewhere = _held_elsewhere(uow, staff.code, counter.id)
    if elsewhere is not None:
        other = counter_by_number(uow, elsewhere, lock=True)
        held = holder_of(uow.session, other.id)
        if held is None or not held.lapsed(uow.now, expiry):
            raise InvalidInput(
                f"{staff.code} is still signed in at counter {elsewhere}: sign out there first"
            )
        _release(uow, other, held, LAPSED)  # their console there fell silent
    uow.record(EventKind.COUNTER_SIGNED_IN, counter_id=counter.id, payload=body)
    beat(uow, counter.id, CONSOLE)


def console_heartbeat(uow: UnitOfWork, counter_number: int) -> None:
    """The signed-in console still runs: its teller keeps the counter (not journalled).

    Raises:
        CounterLost: The actor no longer holds the counter (signed out elsewhere, taken
            over, or their hold lapsed and another teller signed in); nothing is written.
    """
    authorise(uow, Op.CONSOLE_HEARTBEAT)
    beat(uow, require_holder(uow, counter_number).id, CONSOLE)


def require_holder(uow: UnitOfWork, counter_number: int) -> Counter:
    """Refuse a console's action at a counter its teller no longer holds.

    Raises:
        NotFound: No such counter.
        CounterLost: Another teller holds the counter now, or nobody does.
    """
    counter = counter_by_number(uow, counter_number)
    holder = holder_of(uow.session, counter.id)
    if holder is not None and holder.code == uow.actor:
        return counter
    why = "the teller was signed out"
    for event in _last_leaving(uow.session, counter.id):
        body = event.payload or {}
        if event.kind == EventKind.COUNTER_TAKEN_OVER and body.get("from_staff") == uow.actor:
            why = "a manager handed it to another teller"
            break
        if event.kind == EventKind.COUNTER_SIGNED_OUT and body.get("staff") == uow.actor:
            if body.get("why") == LAPSED:
                why = "this console was not heard from for too long"
            break
    now_with = f"; {holder.name} ({holder.code}) is signed in there now" if holder else ""
    raise CounterLost(f"{uow.actor} no longer holds counter {counter.number}: {why}{now_with}")


def _last_leaving(session: Session, counter_id: int) -> list[Event]:
    """The counter's latest sign-out and latest takeover, newest first."""
    kinds = (EventKind.COUNTER_SIGNED_OUT, EventKind.COUNTER_TAKEN_OVER)
    ids = [latest_id(counter_id, [kind]) for kind in kinds]
    return list(session.scalars(select(Event).where(Event.id.in_(ids)).order_by(Event.id.desc())))


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
    return _release(uow, counter, holder, why)


def _release(uow: UnitOfWork, counter: Counter, holder: Holder, why: str) -> str | None:
    """Sign ``holder`` out of the counter: park its open ticket, close the counter."""
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
    return {
        counter_id: CounterBreak(str(payload.get("reason", "other")), at)
        for counter_id, kind, payload, at in latest_by_counter(session, status_kinds)
        if kind == EventKind.COUNTER_BREAK
    }
