"""A day to simulate, learnt from the branch's own tickets of the same weekday in past weeks."""

from __future__ import annotations

import math
from collections import Counter as Tally
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.clock import business_day, zone
from lobby.errors import InvalidInput
from lobby.estimate.live import routing_policy
from lobby.models import Branch, Counter, Service, Ticket, WorkProfile, WorkProfileEntry
from lobby.simulate.model import CounterPlan, DayModel, Distribution, ServicePlan

HOUR = 60.0


def model_from_history(
    session: Session, day: date | None = None, *, now: datetime, weeks: int = 4
) -> DayModel:
    """The day to simulate for ``day``, learnt from the same weekday of past weeks.

    Raises:
        InvalidInput: ``weeks`` out of range, or no tickets to learn from.
    """
    if not 1 <= weeks <= 52:
        raise InvalidInput(f"weeks must be between 1 and 52, not {weeks}")
    branch = session.get_one(Branch, 1)
    local = zone(branch.timezone)
    if day is None:
        day = business_day(now, branch.timezone) + timedelta(days=1)
    days = [day - timedelta(weeks=k) for k in range(1, weeks + 1)]
    rows = session.execute(
        select(
            Ticket.business_day,
            Ticket.service_id,
            Ticket.category,
            Ticket.hop,
            Ticket.state,
            Ticket.issued_at,
            Ticket.called_at,
            Ticket.started_at,
            Ticket.ended_at,
        ).where(Ticket.business_day.in_(days))
    ).all()
    firsts = [r for r in rows if r.hop == 0]
    if not firsts:
        listed = ", ".join(d.isoformat() for d in days)
        raise InvalidInput(f"no tickets on {listed} to learn from")
    seen_days = len({r.business_day for r in firsts})
    services = {s.id: s for s in session.scalars(select(Service))}
    arrivals: dict[int, Tally[int]] = defaultdict(Tally)
    hours_seen: set[int] = set()
    for r in firsts:
        hour = r.issued_at.astimezone(local).hour
        arrivals[r.service_id][hour] += 1
        hours_seen.add(hour)
    first_hour, last_hour = min(hours_seen), max(hours_seen) + 1
    durations: dict[int, list[float]] = defaultdict(list)
    for r in rows:
        begun = r.started_at or r.called_at
        if r.state in ("done", "transferred") and begun is not None and r.ended_at is not None:
            durations[r.service_id].append(max(0.05, (r.ended_at - begun).total_seconds() / 60))
    plans = []
    for service_id, per_hour in sorted(arrivals.items()):
        service = services[service_id]
        rates = tuple(
            ((h - first_hour) * HOUR, (h - first_hour + 1) * HOUR, n / seen_days / HOUR)
            for h, n in sorted(per_hour.items())
        )
        plans.append(
            ServicePlan(
                service_id=service_id,
                code=service.code,
                rates=rates,
                time=_fitted(durations.get(service_id, []), service.mean_service_min),
                configured_mean_min=service.mean_service_min,
                target_wait_min=float(service.target_wait_min),
            )
        )
    called = [r for r in rows if r.called_at is not None]
    no_shows = sum(1 for r in called if r.state == "no_show")
    transfers = [r for r in rows if r.hop > 0]
    categories = Tally(r.category for r in firsts if r.category not in ("regular", "appointment"))
    start = datetime.combine(day, time(first_hour), local)  # hour labels in local time
    return DayModel(
        name=(
            f"history of {seen_days} {day.strftime('%A')}{'s' if seen_days != 1 else ''} "
            f"before {day.isoformat()}"
        ),
        start=start,
        close_min=(last_hour - first_hour) * HOUR,
        services=tuple(plans),
        counters=tuple(_branch_counters(session, (last_hour - first_hour) * HOUR)),
        categories={c: n / len(firsts) for c, n in categories.items()},
        no_show_share=min(0.5, no_shows / len(called)) if called else 0.0,
        transfer_share=min(0.5, len(transfers) / len(firsts)),
        transfer_to={s: float(n) for s, n in Tally(r.service_id for r in transfers).items()},
        policy=routing_policy(branch.policy),
        service_codes={s.id: s.code for s in services.values()},
        timezone=branch.timezone,
    )


def _fitted(durations: Sequence[float], configured_mean: float) -> Distribution:
    if len(durations) < 5:
        return Distribution("exponential", configured_mean)
    mean = sum(durations) / len(durations)
    variance = sum((d - mean) ** 2 for d in durations) / len(durations)
    cv = math.sqrt(variance) / mean
    return Distribution("lognormal", mean, cv) if cv > 0.05 else Distribution("fixed", mean)


def _branch_counters(session: Session, close_min: float) -> list[CounterPlan]:
    tiers: dict[int, dict[int, int]] = defaultdict(dict)
    for entry in session.scalars(select(WorkProfileEntry)):
        tiers[entry.profile_id][entry.service_id] = entry.tier
    codes = {p.id: p.code for p in session.scalars(select(WorkProfile))}
    counters = session.scalars(select(Counter).where(Counter.active).order_by(Counter.number))
    return [
        CounterPlan(c.id, codes[c.profile_id], tiers[c.profile_id], ((0.0, close_min),))
        for c in counters
        if tiers[c.profile_id]
    ]
