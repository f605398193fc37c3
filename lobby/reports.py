"""Key figures of a period, computed from the tickets, ratings and complaints."""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from lobby.clock import business_day
from lobby.models import Branch, Complaint, Rating, Service, Ticket, Visit
from lobby.states import TicketState


@dataclass(frozen=True)
class ServiceFigures:
    """Figures of one service (or of all, under the code ``*``)."""

    service: str
    issued: int = 0
    served: int = 0
    no_show: int = 0
    cancelled: int = 0
    expired: int = 0
    transferred: int = 0
    mean_wait_min: float | None = None
    p90_wait_min: float | None = None
    mean_service_min: float | None = None
    service_level: float | None = None


@dataclass(frozen=True)
class Report:
    """A period's figures: overall, per service, ratings and complaints."""

    first_day: date
    last_day: date
    overall: ServiceFigures
    services: tuple[ServiceFigures, ...]
    ratings: int
    mean_rating: float | None
    complaints: int
    complaints_open: int
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        data = asdict(self)
        data["first_day"], data["last_day"] = self.first_day.isoformat(), self.last_day.isoformat()
        return data


def build_report(session: Session, first_day: date, last_day: date) -> Report:
    """Compute the figures of business days ``first_day`` to ``last_day`` inclusive.

    Waits count from joining the queue to the first call; a transfer's next hop is a
    wait of its own. Service level is the share of called tickets whose wait was
    within their service's target.
    """
    tickets = session.scalars(
        select(Ticket)
        .options(selectinload(Ticket.service))
        .where(Ticket.business_day >= first_day, Ticket.business_day <= last_day)
    ).all()
    by_service: dict[str, list[Ticket]] = {}
    for ticket in tickets:
        by_service.setdefault(ticket.service.code, []).append(ticket)
    order = session.scalars(select(Service.code).order_by(Service.sort_order)).all()
    services = tuple(_figures(code, by_service[code]) for code in order if code in by_service)
    rating_count, rating_mean = session.execute(
        select(func.count(Rating.id), func.avg(Rating.score))
        .join(Visit, Visit.id == Rating.visit_id)
        .where(Visit.business_day >= first_day, Visit.business_day <= last_day)
    ).one()
    timezone = session.scalar(select(Branch.timezone).where(Branch.id == 1)) or "UTC"
    complaints = [
        status
        for created_at, status in session.execute(select(Complaint.created_at, Complaint.status))
        if first_day <= business_day(created_at, timezone) <= last_day
    ]
    return Report(
        first_day=first_day,
        last_day=last_day,
        overall=_figures("*", list(tickets)),
        services=services,
        ratings=int(rating_count or 0),
        mean_rating=round(float(rating_mean), 2) if rating_mean is not None else None,
        complaints=len(complaints),
        complaints_open=sum(1 for s in complaints if s in ("open", "in_progress")),
    )


def _figures(code: str, tickets: list[Ticket]) -> ServiceFigures:
    count = {state: 0 for state in TicketState}
    waits: list[float] = []
    met = 0
    service_times: list[float] = []
    for ticket in tickets:
        count[TicketState(ticket.state)] += 1
        if ticket.called_at is not None:
            wait = (ticket.called_at - ticket.queued_at).total_seconds() / 60
            waits.append(wait)
            met += wait <= ticket.service.target_wait_min
        if ticket.state == TicketState.DONE.value and ticket.started_at and ticket.ended_at:
            service_times.append((ticket.ended_at - ticket.started_at).total_seconds() / 60)
    return ServiceFigures(
        service=code,
        issued=sum(1 for t in tickets if t.hop == 0),
        served=count[TicketState.DONE],
        no_show=count[TicketState.NO_SHOW],
        cancelled=count[TicketState.CANCELLED],
        expired=count[TicketState.EXPIRED],
        transferred=count[TicketState.TRANSFERRED],
        mean_wait_min=_round(statistics.fmean(waits)) if waits else None,
        p90_wait_min=_round(_percentile(waits, 0.9)) if waits else None,
        mean_service_min=_round(statistics.fmean(service_times)) if service_times else None,
        service_level=round(met / len(waits), 3) if waits else None,
    )


def _percentile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]


def _round(value: float) -> float:
    return round(value, 1)
