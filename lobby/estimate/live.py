"""The wait estimate on the live branch: the database read into a :class:`QueueSnapshot`.

A snapshot takes eight small queries (branch, services, counters and profiles, waiting
tickets, open tickets, recent finished tickets, recent calls, and the same hours of
the same weekday in past weeks, through the index on the business day); the replay
itself runs in memory. Times are aware UTC datetimes as the models return them.
"""

from __future__ import annotations

from collections import Counter as Tally
from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from lobby.clock import business_day, zone
from lobby.engine.common import waiting_candidates
from lobby.engine.occupancy import holders
from lobby.estimate.calibration import Calibration, Residual
from lobby.estimate.core import predict
from lobby.estimate.snapshot import (
    PROFILE_SLOT_MIN,
    OpenCounter,
    QueueSnapshot,
    ServiceRates,
    WaitEstimate,
    service_rates,
)
from lobby.models import Branch, Counter, Event, Service, Ticket, WorkProfileEntry
from lobby.routing import RoutingPolicy
from lobby.states import TicketState
from lobby.vocabulary import EventKind

#: Finished tickets per service whose durations make the recent mean. Twenty left the
#: mean of a cv 0.7 service 15 % off at random, and every wait with it; eighty
#: (about half an hour of cash finishes) took the weekday MAE from 17.6 % to 15.0 % of
#: the mean wait and the month start's from 15.1 % to 12.9 % (tuning families, seed 1).
RECENT_SERVICES = 80
#: Minutes of arrivals that make the recent arrival rate.
ARRIVAL_WINDOW_MIN = 30.0
#: Same weekdays of past weeks that tell the coming hours' arrivals.
HISTORY_WEEKS = 4
#: Slots of :data:`PROFILE_SLOT_MIN` minutes looked ahead in history.
HISTORY_SLOTS = 8
#: Days back whose estimates at issue, against the waits that followed, set the ranges.
CALIBRATION_DAYS = 7
#: The most recent of those read (newest calls first).
CALIBRATION_TICKETS = 1200
_OPEN = (TicketState.CALLED.value, TicketState.SERVING.value)


def routing_policy(stored: dict[str, Any] | None) -> RoutingPolicy:
    """The routing policy stored on the branch row (defaults for what it lacks)."""
    stored = stored or {}
    defaults = RoutingPolicy()
    return RoutingPolicy(
        head_start_min=stored.get("head_start_min", defaults.head_start_min),
        interleave=stored.get("interleave", defaults.interleave),
        appointment_grace_min=stored.get("appointment_grace_min", defaults.appointment_grace_min),
    )


def live_snapshot(
    session: Session,
    now: datetime,
    today: date | None = None,
    *,
    history_weeks: int = HISTORY_WEEKS,
) -> QueueSnapshot:
    """Read the branch's queue at ``now`` into a snapshot for :func:`lobby.estimate.predict`.

    Args:
        session: A session that can read the branch.
        now: The moment of the estimate (aware).
        today: The business day; derived from ``now`` and the branch's time zone if omitted.
        history_weeks: Same weekdays to learn the coming hours' arrivals from (0: none).
    """
    branch = session.get_one(Branch, 1)
    if today is None:
        today = business_day(now, branch.timezone)
    services = {s.id: s for s in session.scalars(select(Service))}
    waiting = waiting_candidates(session, today)
    return QueueSnapshot(
        now=now,
        waiting=waiting,
        counters=_open_counters(session, today),
        services=_service_rates(
            session,
            today,
            now,
            services,
            _expected_arrivals(session, branch, today, now, history_weeks),
            _arrived_so_far(session, branch, today, now, history_weeks),
        ),
        policy=routing_policy(branch.policy),
        calibration=recent_calibration(session, today, now),
    )


def recent_calibration(session: Session, today: date, now: datetime) -> Calibration:
    """The branch's latest estimates at issue against the waits that followed.

    With them, the misses already known: waiting tickets past their estimate.
    """
    rows = session.execute(
        select(Ticket.service_id, Ticket.estimate_min, Ticket.queued_at, Ticket.called_at)
        .where(
            Ticket.business_day >= today - timedelta(days=CALIBRATION_DAYS),
            Ticket.estimate_min.is_not(None),
            Ticket.called_at.is_not(None),
            Ticket.called_at <= now,
        )
        .order_by(Ticket.called_at.desc())
        .limit(CALIBRATION_TICKETS)
    ).all()
    calibration = Calibration(
        Residual(r.service_id, r.estimate_min, (r.called_at - r.queued_at).total_seconds() / 60)
        for r in reversed(rows)
    )
    waiting = session.execute(
        select(Ticket.service_id, Ticket.estimate_min, Ticket.queued_at).where(
            Ticket.business_day == today,
            Ticket.state == TicketState.WAITING.value,
            Ticket.estimate_min.is_not(None),
        )
    ).all()
    return calibration.with_overruns(
        Residual(r.service_id, r.estimate_min, (now - r.queued_at).total_seconds() / 60)
        for r in waiting
    )


def _arrived_so_far(
    session: Session, branch: Branch, today: date, now: datetime, weeks: int
) -> dict[int, tuple[int, float]]:
    """Per service, first tickets queued so far today, and history's mean by this time."""
    local = zone(branch.timezone)
    offset = now.astimezone(local) - datetime.combine(today, time(0), local)
    today_counts = dict(
        session.execute(
            select(Ticket.service_id, func.count())
            .where(Ticket.business_day == today, Ticket.hop == 0, Ticket.queued_at <= now)
            .group_by(Ticket.service_id)
        ).all()
    )
    days = [today - timedelta(weeks=k) for k in range(1, weeks + 1)]
    if not days:
        return {service_id: (count, 0.0) for service_id, count in today_counts.items()}
    past = session.execute(
        select(Ticket.business_day, Ticket.service_id, func.count())
        .where(
            Ticket.business_day.in_(days),
            Ticket.hop == 0,
            or_(
                *(
                    Ticket.queued_at.between(
                        datetime.combine(d, time(0), local),
                        datetime.combine(d, time(0), local) + offset,
                    )
                    for d in days
                )
            ),
        )
        .group_by(Ticket.business_day, Ticket.service_id)
    ).all()
    seen = {r[0] for r in past}
    usual: dict[int, float] = defaultdict(float)
    for _, service_id, count in past:
        usual[service_id] += count / max(1, len(seen))
    return {
        service_id: (today_counts.get(service_id, 0), usual.get(service_id, 0.0))
        for service_id in set(today_counts) | set(usual)
    }


def _open_counters(session: Session, today: date) -> list[OpenCounter]:
    counters = session.execute(
        select(Counter.id, Counter.profile_id, Counter.status)
        .where(Counter.active, Counter.status.in_(("open", "break")))
        .order_by(Counter.number)
    ).all()
    tiers: dict[int, dict[int, int]] = defaultdict(dict)
    for entry in session.scalars(select(WorkProfileEntry)):
        tiers[entry.profile_id][entry.service_id] = entry.tier
    busy = {
        r.counter_id: (r.service_id, r.called_at)
        for r in session.execute(
            select(Ticket.counter_id, Ticket.service_id, Ticket.called_at).where(
                Ticket.business_day == today, Ticket.state.in_(_OPEN)
            )
        )
    }
    streaks: dict[int, list[bool]] = defaultdict(list)
    for counter_id, payload in session.execute(
        select(Event.counter_id, Event.payload)
        .where(Event.kind == EventKind.CALLED)
        .order_by(Event.id.desc())
        .limit(20 * max(1, len(counters)))
    ):
        if counter_id is not None and len(streaks[counter_id]) < 10:
            streaks[counter_id].append(bool((payload or {}).get("priority")))
    result = []
    for counter_id, profile_id, status in counters:
        service_id, since = busy.get(counter_id, (None, None))
        result.append(
            OpenCounter(
                counter_id=counter_id,
                tiers=tiers.get(profile_id, {}),
                busy_service_id=service_id,
                busy_since=since,
                recent_calls_priority=tuple(streaks.get(counter_id, ())),
                on_break=status == "break",
            )
        )
    return result


def _expected_arrivals(
    session: Session, branch: Branch, today: date, now: datetime, weeks: int
) -> dict[int, tuple[float, tuple[float, ...]]]:
    """Per service, history's arrivals per minute over the recent window and in each slot ahead.

    History is the same weekday of the last ``weeks`` weeks, at the same local time of
    day: what a day like today usually brings in the coming hours.
    """
    if weeks <= 0:
        return {}
    local = zone(branch.timezone)
    days = [today - timedelta(weeks=k) for k in range(1, weeks + 1)]
    offset = now.astimezone(local) - datetime.combine(today, time(0), local)
    first = -ARRIVAL_WINDOW_MIN
    last = HISTORY_SLOTS * PROFILE_SLOT_MIN
    windows = [
        (
            datetime.combine(d, time(0), local) + offset + timedelta(minutes=first),
            datetime.combine(d, time(0), local) + offset + timedelta(minutes=last),
        )
        for d in days
    ]
    rows = session.execute(
        select(Ticket.business_day, Ticket.service_id, Ticket.queued_at).where(
            Ticket.business_day.in_(days),
            Ticket.hop == 0,
            or_(*(Ticket.queued_at.between(a, b) for a, b in windows)),
        )
    ).all()
    seen = {r.business_day for r in rows}
    if not seen:
        return {}
    counts: dict[int, list[float]] = defaultdict(lambda: [0.0] * (HISTORY_SLOTS + 1))
    starts = dict(zip(days, (a for a, _ in windows), strict=True))
    for day, service_id, queued_at in rows:
        minutes = (queued_at - starts[day]).total_seconds() / 60 + first
        slot = 0 if minutes < 0 else 1 + min(HISTORY_SLOTS - 1, int(minutes // PROFILE_SLOT_MIN))
        counts[service_id][slot] += 1
    n = len(seen)
    return {
        service_id: (
            c[0] / n / ARRIVAL_WINDOW_MIN,
            tuple(x / n / PROFILE_SLOT_MIN for x in c[1:]),
        )
        for service_id, c in counts.items()
    }


def _service_rates(
    session: Session,
    today: date,
    now: datetime,
    services: dict[int, Service],
    expected: dict[int, tuple[float, tuple[float, ...]]],
    so_far: dict[int, tuple[int, float]],
) -> dict[int, ServiceRates]:
    durations: dict[int, list[float]] = defaultdict(list)
    for service_id, started, called, ended in session.execute(
        select(Ticket.service_id, Ticket.started_at, Ticket.called_at, Ticket.ended_at)
        .where(
            Ticket.business_day == today,
            Ticket.state.in_((TicketState.DONE.value, TicketState.TRANSFERRED.value)),
            Ticket.ended_at.is_not(None),
        )
        .order_by(Ticket.ended_at.desc())
        .limit(RECENT_SERVICES * max(1, len(services)) * 2)
    ):
        begun = started or called
        if begun is None or ended is None or len(durations[service_id]) >= RECENT_SERVICES:
            continue
        durations[service_id].append(max(0.0, (ended - begun).total_seconds() / 60))
    arrivals: dict[int, list[str]] = defaultdict(list)
    since = now - timedelta(minutes=ARRIVAL_WINDOW_MIN)
    for service_id, category, hop in session.execute(
        select(Ticket.service_id, Ticket.category, Ticket.hop).where(
            Ticket.business_day == today, Ticket.queued_at > since, Ticket.queued_at <= now
        )
    ):
        arrivals[service_id].append("transfer" if hop > 0 else category)
    return {
        service_id: service_rates(
            service.mean_service_min,
            durations.get(service_id, ()),
            arrivals=len(arrivals.get(service_id, ())),
            priority_arrivals=sum(1 for c in arrivals.get(service_id, ()) if c != "regular"),
            categories=Tally(c for c in arrivals.get(service_id, ()) if c != "regular"),
            window_min=ARRIVAL_WINDOW_MIN,
            expected_per_min=expected.get(service_id, (0.0, ()))[1],
            expected_recent_per_min=expected.get(service_id, (0.0, ()))[0],
            arrived_today=so_far.get(service_id, (0, 0.0))[0],
            expected_today=so_far.get(service_id, (0, 0.0))[1],
        )
        for service_id, service in services.items()
    }


def _latest_moment(session: Session) -> datetime | None:
    return session.scalar(select(Event.at).order_by(Event.id.desc()).limit(1))


def estimate_at_issue(session: Session, ticket_id: int, now: datetime, today: date) -> float:
    """The replay's own expected wait for a ticket just issued: what the ticket keeps.

    The issuing unit of work stores it (``Ticket.estimate_min``); the ranges of later
    estimates calibrate themselves on it against the wait that followed.
    """
    snapshot = live_snapshot(session, now, today)
    estimate = predict(snapshot, [ticket_id]).tickets.get(ticket_id)
    if estimate is None or estimate.model_min is None:
        return 0.0
    return round(estimate.model_min, 3)


def estimate_wait(session: Session, ticket_id: int, now: datetime | None = None) -> WaitEstimate:
    """The estimate for a waiting ticket (0 ahead, 0-0 min when it is not waiting).

    Args:
        session: A session that can read the ticket.
        ticket_id: The ticket.
        now: The moment of the estimate; by default the later of the ticket's queueing
            and the newest journal entry (the branch's "now" as far as the data knows).
    """
    ticket = session.get_one(Ticket, ticket_id)
    if ticket.state != TicketState.WAITING.value:
        return WaitEstimate(0, 0, 0)
    if now is None:
        latest = _latest_moment(session)
        now = max(ticket.queued_at, latest) if latest is not None else ticket.queued_at
    snapshot = live_snapshot(session, now, ticket.business_day)
    estimate = predict(snapshot, [ticket_id]).tickets.get(ticket_id, WaitEstimate(0, 0, 0))
    if ticket.service_id not in staffed_services(session, ticket.business_day, snapshot):
        return replace(estimate, unserved=True)
    return estimate


def arrival_estimates(
    session: Session, now: datetime, today: date | None = None
) -> dict[int, WaitEstimate]:
    """For every active service (by id), the estimate for a regular customer joining now."""
    snapshot = live_snapshot(session, now, today)
    active = session.scalars(select(Service.id).where(Service.active)).all()
    staffed = staffed_services(session, today or business_day_of(session, now), snapshot)
    return {
        service_id: estimate if service_id in staffed else replace(estimate, unserved=True)
        for service_id, estimate in predict(snapshot, [], active).new_arrivals.items()
    }


def business_day_of(session: Session, now: datetime) -> date:
    """The branch's business day at ``now``."""
    return business_day(now, session.get_one(Branch, 1).timezone)


def staffed_services(session: Session, today: date, snapshot: QueueSnapshot) -> set[int]:
    """Services that a staffed counter serves now; nobody will call the others' tickets.

    A counter is staffed when it is open or on a break (it is in ``snapshot``) and a
    teller is signed in there, or it has called a customer today and nobody signed
    out since (a counter worked from the command line). A counter merely marked open
    in the configuration, with nobody at it, serves no one.
    """
    signed_in = set(holders(session))
    worked = set(
        session.scalars(
            select(Ticket.counter_id)
            .where(Ticket.business_day == today, Ticket.called_at.is_not(None))
            .distinct()
        )
    )
    served: set[int] = set()
    for counter in snapshot.counters:
        if counter.counter_id in signed_in or counter.counter_id in worked:
            served.update(counter.tiers)
    return served
