"""A first wait estimate for a waiting ticket: people ahead and a range of minutes.

Deliberately simple until the simulation-checked estimator replaces it: tickets of
the same service queued earlier, times the service's mean minutes, shared among the
open counters that serve it first (tier 1), widened to a range.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lobby.models import Counter, Service, Ticket, WorkProfileEntry
from lobby.states import TicketState

LOW, HIGH = 0.7, 1.3


@dataclass(frozen=True)
class WaitEstimate:
    """People ahead and the predicted wait as a range of minutes."""

    ahead: int
    low_min: int
    high_min: int


def estimate_wait(session: Session, ticket_id: int) -> WaitEstimate:
    """The estimate for a waiting ticket (0 ahead, 0-0 min when it is not waiting)."""
    ticket = session.get_one(Ticket, ticket_id)
    if ticket.state != TicketState.WAITING.value:
        return WaitEstimate(0, 0, 0)
    ahead = (
        session.scalar(
            select(func.count(Ticket.id)).where(
                Ticket.service_id == ticket.service_id,
                Ticket.business_day == ticket.business_day,
                Ticket.state == TicketState.WAITING.value,
                Ticket.queued_at < ticket.queued_at,
            )
        )
        or 0
    )
    counters = open_counters(session, ticket.service_id)
    mean = session.get_one(Service, ticket.service_id).mean_service_min
    return wait_range(ahead, mean, counters)


def wait_range(ahead: int, mean_service_min: float, counters: int) -> WaitEstimate:
    """The range for ``ahead`` people shared among ``counters`` at the mean service time."""
    centre = ahead * mean_service_min / max(1, counters)
    return WaitEstimate(ahead, int(centre * LOW), math.ceil(centre * HIGH))


def open_counters(session: Session, service_id: int) -> int:
    """How many open counters serve the service first (tier 1); at least 1."""
    count = session.scalar(
        select(func.count(Counter.id))
        .join(WorkProfileEntry, WorkProfileEntry.profile_id == Counter.profile_id)
        .where(
            WorkProfileEntry.service_id == service_id,
            WorkProfileEntry.tier == 1,
            Counter.active,
            Counter.status == "open",
        )
    )
    return max(1, int(count or 0))
