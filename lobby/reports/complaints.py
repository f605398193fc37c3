"""Complaint figures of a period: how many, how many still open or overdue, time to resolve."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lobby.clock import zone
from lobby.models import Complaint
from lobby.reports.figures import ComplaintFigures

#: Statuses after which a complaint counts as resolved (old names included).
RESOLVED_STATUSES = frozenset({"resolved", "informed", "closed"})


def day_bounds(first: date, last: date, timezone: str) -> tuple[datetime, datetime]:
    """UTC start of business day ``first`` and UTC end of ``last`` (exclusive)."""
    local = zone(timezone)
    start = datetime.combine(first, time(), tzinfo=local).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(), tzinfo=local).astimezone(UTC)
    return start, end


def complaint_figures(
    session: Session, first: date, last: date, timezone: str, now: datetime
) -> tuple[ComplaintFigures, dict[str, ComplaintFigures]]:
    """Figures of the complaints filed on business days ``first`` to ``last``.

    Time to resolve runs from filing to ``resolved_at``; a complaint resolved before
    that column existed uses its last update instead.

    Args:
        session: A read session.
        first: First business day.
        last: Last business day.
        timezone: The branch's time zone (business days are local).
        now: The report's time, for overdue.

    Returns:
        The figures of all complaints and per category (sorted by name).
    """
    start, end = day_bounds(first, last, timezone)
    resolved_at = getattr(Complaint, "resolved_at", None)
    done_at = (
        Complaint.updated_at
        if resolved_at is None
        else func.coalesce(resolved_at, Complaint.updated_at).label("done_at")
    )
    rows = session.execute(
        select(
            Complaint.category,
            Complaint.status,
            Complaint.created_at,
            Complaint.answer_due,
            done_at,
        ).where(Complaint.created_at >= start, Complaint.created_at < end)
    ).all()
    by_category: dict[str, list[tuple[str, datetime, datetime, datetime | None]]] = defaultdict(
        list
    )
    for category, status, created, due, done in rows:
        by_category[category].append((status, created, due, done))
    every = [row for group in by_category.values() for row in group]
    return _figures(every, now), {c: _figures(by_category[c], now) for c in sorted(by_category)}


def _figures(
    rows: list[tuple[str, datetime, datetime, datetime | None]], now: datetime
) -> ComplaintFigures:
    hours = [
        (_aware(done) - created).total_seconds() / 3600
        for status, created, _due, done in rows
        if status in RESOLVED_STATUSES and done is not None
    ]
    still_open = [due for status, _created, due, _done in rows if status not in RESOLVED_STATUSES]
    return ComplaintFigures(
        count=len(rows),
        open=len(still_open),
        overdue=sum(1 for due in still_open if due < now),
        resolved=len(rows) - len(still_open),
        avg_resolve_h=round(sum(hours) / len(hours), 2) if hours else None,
        max_resolve_h=round(max(hours), 2) if hours else None,
    )


def _aware(moment: datetime) -> datetime:
    # coalesce() of two UTC columns may come back without the column type's processing
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
