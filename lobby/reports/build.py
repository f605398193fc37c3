"""Building the report of a period from rollups where days have one, tickets elsewhere."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.access import Credential, figures_scope
from lobby.errors import InvalidInput
from lobby.models import Branch, Service
from lobby.reports.collect import collect_days
from lobby.reports.complaints import complaint_figures
from lobby.reports.figures import DaySums, Figures, GroupKey, Period, Report
from lobby.reports.rollup import day_runs, read_rollups, rolled_up_days

#: The longest period a report covers.
MAX_DAYS = 400
TOTAL: GroupKey = ("total", "")


def build_report(
    session: Session,
    first_day: date,
    last_day: date,
    *,
    reader: Credential,
    now: datetime | None = None,
    use_rollups: bool = True,
) -> Report:
    """Compute the figures of business days ``first_day`` to ``last_day`` inclusive.

    Days that are rolled up are read from their rollups; the others (today, days
    not yet closed) from their tickets. Both give the same figures. Per-teller figures
    tell who did what: a manager gets everyone's, any other member only their own
    (:func:`lobby.access.figures_scope`, checked here).

    Args:
        session: A read session.
        first_day: First business day.
        last_day: Last business day.
        reader: Who reads: a signed-in staff member's credential.
        now: The report's time (complaints past their deadline by then are overdue);
            defaults to the wall clock.
        use_rollups: Read every day from its tickets instead (for checks).

    Raises:
        InvalidInput: ``first_day`` after ``last_day``, or a period over :data:`MAX_DAYS`.
        AuthenticationFailed: ``reader`` does not hold.
        PermissionDenied: A device or the system asks.
    """
    now = now or datetime.now(UTC)
    own = figures_scope(session, reader, now)
    if first_day > last_day:
        raise InvalidInput(f"the period starts ({first_day}) after it ends ({last_day})")
    if (last_day - first_day).days + 1 > MAX_DAYS:
        raise InvalidInput(f"a report covers at most {MAX_DAYS} days")
    timezone = session.scalar(select(Branch.timezone).where(Branch.id == 1)) or "UTC"
    periods: dict[GroupKey, Period] = defaultdict(Period)
    day_totals: dict[date, DaySums] = {}
    rolled = rolled_up_days(session, first_day, last_day) if use_rollups else set()
    if rolled:
        groups, day_totals = read_rollups(session, first_day, last_day)
        for key, (sums, days_with_waits, packed) in groups.items():
            periods[key].add(sums, days_with_waits, packed)
    missing = [
        day
        for day in (first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1))
        if day not in rolled
    ]
    for run_first, run_last in day_runs(missing):
        for day, groups_of_day in collect_days(session, run_first, run_last, timezone).items():
            for key, sums in groups_of_day.items():
                periods[key].add(sums)
            if (total := groups_of_day.get(TOTAL)) is not None:
                day_totals[day] = total
    by_day: dict[str, Figures] = {}
    for day in sorted(day_totals):
        one_day = Period()
        one_day.add(day_totals[day])
        by_day[day.isoformat()] = one_day.figures()
    totals = periods.pop(TOTAL, Period()).figures()
    kinds: dict[str, dict[str, Figures]] = defaultdict(dict)
    for (kind, name), period in sorted(periods.items()):
        kinds[kind][name] = period.figures()
    order = session.scalars(select(Service.code).order_by(Service.sort_order, Service.id)).all()
    services = kinds["service"]
    complaints, by_category = complaint_figures(session, first_day, last_day, timezone, now)
    return Report(
        first_day=first_day,
        last_day=last_day,
        totals=totals,
        by_service={code: services[code] for code in order if code in services},
        by_teller={k: v for k, v in kinds["teller"].items() if own is None or k == own},
        by_hour=kinds["hour"],
        by_day=by_day,
        ratings=totals.ratings,
        avg_rating=totals.avg_rating,
        rating_counts=totals.rating_counts,
        complaints=complaints.count,
        complaints_open=complaints.open,
        complaint_figures=complaints,
        complaints_by_category=by_category,
    )
