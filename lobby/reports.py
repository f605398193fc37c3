"""Key figures of a period, computed from the tickets, ratings and complaints.

The same :class:`Figures` keys appear for the totals and for each service, teller
and hour, so ``lobby report --json`` and the manager app read them alike.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lobby.clock import business_day, zone
from lobby.models import Branch, Complaint, Rating, Service, Ticket, Visit
from lobby.states import TicketState


@dataclass(frozen=True)
class Figures:
    """Figures of a group of tickets (all of them, a service, a teller or an hour).

    Attributes:
        issued: Tickets issued (transfers are not new tickets).
        served: Tickets finished at a counter.
        no_show: Called tickets whose customer did not come.
        no_show_share: no_show over the tickets called.
        avg_wait_s: Mean seconds from joining the queue to the first call.
        p90_wait_s: 90th percentile of those waits.
        avg_service_s: Mean seconds from start (or call) to finish.
        service_level: Share of called tickets called within their service's target wait.
    """

    issued: int = 0
    served: int = 0
    no_show: int = 0
    cancelled: int = 0
    expired: int = 0
    transferred: int = 0
    called: int = 0
    no_show_share: float | None = None
    avg_wait_s: float | None = None
    p90_wait_s: float | None = None
    avg_service_s: float | None = None
    service_level: float | None = None


@dataclass(frozen=True)
class Report:
    """A period's figures: totals, by service, teller and hour; ratings; complaints."""

    first_day: date
    last_day: date
    totals: Figures
    by_service: dict[str, Figures]
    by_teller: dict[str, Figures]
    by_hour: dict[str, Figures]
    ratings: int
    avg_rating: float | None
    rating_counts: dict[str, int]
    complaints: int
    complaints_open: int

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict with stable keys."""
        data = asdict(self)
        data["first_day"], data["last_day"] = self.first_day.isoformat(), self.last_day.isoformat()
        return data


def build_report(session: Session, first_day: date, last_day: date) -> Report:
    """Compute the figures of business days ``first_day`` to ``last_day`` inclusive.

    Waits count from joining the queue to the first call; a transfer's next hop is a
    wait of its own. Hours are the branch's local hour of joining the queue.
    """
    timezone = session.scalar(select(Branch.timezone).where(Branch.id == 1)) or "UTC"
    local = zone(timezone)
    tickets = session.scalars(
        select(Ticket)
        .options(selectinload(Ticket.service))
        .where(Ticket.business_day >= first_day, Ticket.business_day <= last_day)
    ).all()
    order = session.scalars(select(Service.code).order_by(Service.sort_order)).all()
    by_service = _grouped(tickets, lambda t: t.service.code)
    scores = session.scalars(
        select(Rating.score)
        .join(Visit, Visit.id == Rating.visit_id)
        .where(Visit.business_day >= first_day, Visit.business_day <= last_day)
    ).all()
    complaints = [
        status
        for created_at, status in session.execute(select(Complaint.created_at, Complaint.status))
        if first_day <= business_day(created_at, timezone) <= last_day
    ]
    return Report(
        first_day=first_day,
        last_day=last_day,
        totals=figures(tickets),
        by_service={code: by_service[code] for code in order if code in by_service},
        by_teller=_grouped([t for t in tickets if t.staff], lambda t: t.staff or ""),
        by_hour=_grouped(tickets, lambda t: f"{t.queued_at.astimezone(local).hour:02d}"),
        ratings=len(scores),
        avg_rating=round(statistics.fmean(scores), 2) if scores else None,
        rating_counts={str(s): sum(1 for x in scores if x == s) for s in range(1, 6)},
        complaints=len(complaints),
        complaints_open=sum(1 for s in complaints if s in ("open", "in_progress")),
    )


def _grouped(tickets: Iterable[Ticket], key: Callable[[Ticket], str]) -> dict[str, Figures]:
    groups: dict[str, list[Ticket]] = defaultdict(list)
    for ticket in tickets:
        groups[key(ticket)].append(ticket)
    return {name: figures(group) for name, group in sorted(groups.items())}


def figures(tickets: Iterable[Ticket]) -> Figures:
    """The figures of a group of tickets."""
    count = dict.fromkeys(TicketState, 0)
    waits: list[float] = []
    within = 0
    service_times: list[float] = []
    issued = 0
    for ticket in tickets:
        count[TicketState(ticket.state)] += 1
        issued += ticket.hop == 0
        if ticket.called_at is not None:
            wait = (ticket.called_at - ticket.queued_at).total_seconds()
            waits.append(wait)
            within += wait <= ticket.service.target_wait_min * 60
        if ticket.state == TicketState.DONE.value and ticket.started_at and ticket.ended_at:
            service_times.append((ticket.ended_at - ticket.started_at).total_seconds())
    called = len(waits)
    return Figures(
        issued=issued,
        served=count[TicketState.DONE],
        no_show=count[TicketState.NO_SHOW],
        cancelled=count[TicketState.CANCELLED],
        expired=count[TicketState.EXPIRED],
        transferred=count[TicketState.TRANSFERRED],
        called=called,
        no_show_share=round(count[TicketState.NO_SHOW] / called, 3) if called else None,
        avg_wait_s=round(statistics.fmean(waits), 1) if waits else None,
        p90_wait_s=round(_percentile(waits, 0.9), 1) if waits else None,
        avg_service_s=round(statistics.fmean(service_times), 1) if service_times else None,
        service_level=round(within / called, 3) if called else None,
    )


def _percentile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]
