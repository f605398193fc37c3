"""Each service's queue as the screens show it now: waiting, longest wait, where it is heading."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.clock import business_day
from lobby.estimate import QueueSnapshot, WaitEstimate, live_snapshot, predict
from lobby.estimate.live import staffed_services
from lobby.models import Branch, Service
from lobby.views import QueueOutlook

__all__ = ["QueueOutlook", "active_services", "outlook_of", "queue_outlook"]


def queue_outlook(
    session: Session,
    now: datetime,
    service_ids: Sequence[int] | None = None,
    today: date | None = None,
) -> tuple[QueueOutlook, ...]:
    """Each active service's queue (or that of ``service_ids``, in their order).

    One call reads the database once (a handful of queries) and replays the routing
    rule in memory; it takes milliseconds and is meant to be called on every journal
    change or every few seconds.

    Args:
        session: A session that can read the branch.
        now: The current time (aware), e.g. the app's clock.
        service_ids: The services to report, in this order (default: every active
            service in display order); inactive or unknown ones are left out.
        today: The business day of ``now``, when the caller already has it.

    Returns:
        One :class:`QueueOutlook` per service. ``heading_past_target`` is true when a
        customer joining now is expected to wait longer than the service's
        ``target_wait_min``, or when someone has already waited longer than that:
        the manager's alert.
    """
    if today is None:
        today = business_day(now, session.get_one(Branch, 1).timezone)
    snapshot = live_snapshot(session, now, today)
    services = active_services(session)
    ids = list(services) if service_ids is None else [i for i in service_ids if i in services]
    staffed = staffed_services(session, today, snapshot)
    return outlook_of(snapshot, services, ids, predict(snapshot, [], ids).new_arrivals, staffed)


def active_services(session: Session) -> dict[int, Service]:
    """The active services by id, in display order."""
    return {
        s.id: s
        for s in session.scalars(
            select(Service).where(Service.active).order_by(Service.sort_order, Service.id)
        )
    }


def outlook_of(
    snapshot: QueueSnapshot,
    services: Mapping[int, Service],
    ids: Sequence[int],
    estimates: Mapping[int, WaitEstimate],
    staffed: set[int],
) -> tuple[QueueOutlook, ...]:
    """The queues of ``ids`` from a snapshot and its arrivals' estimates (by service id).

    ``staffed``: the services a staffed counter serves
    (:func:`lobby.estimate.live.staffed_services`).

    For a caller that predicts once for more than the queues (``lobby web`` estimates
    every waiting ticket in the same replay).
    """
    now = snapshot.now
    outlook = []
    for service_id in ids:
        service = services[service_id]
        queue = [c for c in snapshot.waiting if c.service_id == service_id]
        longest_s = max(((now - c.queued_at).total_seconds() for c in queue), default=0.0)
        estimate = estimates[service_id]
        target = service.target_wait_min
        outlook.append(
            QueueOutlook(
                service=service.code,
                prefix=service.prefix,
                name_zh=service.name_zh,
                name_en=service.name_en,
                waiting=len(queue),
                longest_wait_min=round(max(0.0, longest_s) / 60, 1),
                predicted_wait_min=round(estimate.expected_min, 1),
                wait_low_min=estimate.low_min,
                wait_high_min=estimate.high_min,
                target_wait_min=target,
                heading_past_target=estimate.expected_min > target or longest_s > target * 60,
                counters_open=sum(
                    1 for c in snapshot.counters if service_id in c.tiers and not c.on_break
                ),
                wait_rough=estimate.rough,
                unserved=service_id not in staffed,
            )
        )
    return tuple(outlook)
