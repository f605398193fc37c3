"""One service's queue as the screens show it now: waiting, longest wait, where it is heading."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.clock import business_day
from lobby.estimate import live_snapshot, predict
from lobby.models import Branch, Service
from lobby.views import JsonView


@dataclass(frozen=True)
class QueueOutlook(JsonView):
    """How one service's queue stands and where it is heading.

    Attributes:
        service: The service's code.
        name_zh: The service's Chinese name.
        name_en: The service's English name.
        waiting: Tickets waiting now.
        longest_wait_s: Seconds the longest-waiting ticket has waited.
        predicted_wait_min: Expected wait of a regular customer joining now.
        low_min: Lower end of that prediction's range.
        high_min: Upper end of that prediction's range.
        target_wait_min: The service's target wait.
        heading_past_target: The predicted wait, or the longest wait so far, is past
            the target.
        counters_open: Open counters that serve the service (any tier).
        rough: The prediction has little to go on; its range is wide.
    """

    service: str
    name_zh: str
    name_en: str
    waiting: int
    longest_wait_s: float
    predicted_wait_min: float
    low_min: int
    high_min: int
    target_wait_min: int
    heading_past_target: bool
    counters_open: int
    rough: bool = False

    @property
    def longest_wait_min(self) -> float:
        """The longest wait so far in minutes, to a tenth."""
        return round(self.longest_wait_s / 60, 1)


def service_outlook(session: Session, now: datetime) -> list[QueueOutlook]:
    """The live floor for the manager: each active service's queue and where it is heading.

    One call reads the database once (a handful of queries) and replays the routing
    rule in memory; it takes milliseconds and is meant to be called on every journal
    change or every few seconds.

    Args:
        session: A session that can read the branch.
        now: The current time (aware), e.g. the app's clock.

    Returns:
        One :class:`QueueOutlook` per active service, in display order.
        ``heading_past_target`` is true when a customer joining now is expected to
        wait longer than the service's ``target_wait_min``, or when someone has
        already waited longer than that: the manager's alert.
    """
    branch = session.get_one(Branch, 1)
    today = business_day(now, branch.timezone)
    snapshot = live_snapshot(session, now, today)
    services = session.scalars(
        select(Service).where(Service.active).order_by(Service.sort_order, Service.id)
    ).all()
    estimates = predict(snapshot, [], [s.id for s in services]).new_arrivals
    outlook = []
    for service in services:
        queue = [c for c in snapshot.waiting if c.service_id == service.id]
        longest = max(((now - c.queued_at).total_seconds() for c in queue), default=0.0)
        estimate = estimates[service.id]
        target = service.target_wait_min
        outlook.append(
            QueueOutlook(
                service=service.code,
                name_zh=service.name_zh,
                name_en=service.name_en,
                waiting=len(queue),
                longest_wait_s=max(0.0, longest),
                predicted_wait_min=round(estimate.expected_min, 1),
                low_min=estimate.low_min,
                high_min=estimate.high_min,
                target_wait_min=target,
                heading_past_target=estimate.expected_min > target or longest > target * 60,
                counters_open=sum(
                    1 for c in snapshot.counters if service.id in c.tiers and not c.on_break
                ),
                rough=estimate.rough,
            )
        )
    return outlook
