"""Per-day sums computed from the tickets and ratings themselves.

This is the one place that reads tickets for a report: for days without a rollup
(today, or a day not yet closed) and to build the rollups, so both paths give the
same figures by construction.

Tickets are first counted per (day, service, teller, hour), the finest group, with
one dictionary update each; the four kinds of group are then merged from those, and
sorting, sums and histograms run over whole lists. Times are read as stored (naive
UTC), skipping the ORM's per-value conversion, which would dominate the cost.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from lobby.clock import zone
from lobby.models import Rating, Service, Ticket, Visit
from lobby.reports.figures import DaySums, GroupKey, exact_p90, pack_hist
from lobby.states import TicketState

#: day -> (group kind, key) -> sums
DayGroups = dict[date, dict[GroupKey, DaySums]]
_US = timedelta(microseconds=1)
_DONE = TicketState.DONE.value
#: final states counted per group, in DaySums field order
_STATES = ("done", "no_show", "cancelled", "expired", "transferred")
_STATE_INDEX = {state: index for index, state in enumerate(_STATES)}
_STATE_FIELDS = ("served", "no_show", "cancelled", "expired", "transferred")


class _Finest:
    """Tickets of one day, service, teller and hour."""

    __slots__ = ("issued", "ratings", "service_us", "states", "timed", "waits")

    def __init__(self) -> None:
        self.issued = self.timed = self.service_us = 0
        self.states = [0] * len(_STATES)
        self.waits: list[int] = []
        self.ratings = [0] * 5


def collect_days(session: Session, first: date, last: date, timezone: str) -> DayGroups:
    """Sum the tickets and ratings of business days ``first`` to ``last`` by day and group.

    Waits count from joining the queue to the call; a transfer's next hop is a wait
    of its own. Hours are the branch's local hour of joining the queue. A rating
    counts for its visit's day and, when it names a ticket, for that ticket's
    service, teller and hour.
    """
    local = zone(timezone)
    services = {
        sid: (code, target * 60_000_000)
        for sid, code, target in session.execute(
            select(Service.id, Service.code, Service.target_wait_min)
        )
    }
    finest: dict[tuple[Any, int, str | None, int], _Finest] = {}
    of_ticket: dict[int, _Finest] = {}
    rows = (
        session.connection()
        .execute(
            select(
                Ticket.id,
                raw_value(Ticket.business_day),
                Ticket.service_id,
                Ticket.staff,
                Ticket.state,
                Ticket.hop,
                raw_value(Ticket.queued_at),
                raw_value(Ticket.called_at),
                raw_value(Ticket.started_at),
                raw_value(Ticket.ended_at),
            ).where(Ticket.business_day >= first, Ticket.business_day <= last)
        )
        .all()
    )
    for tid, day, service_id, staff, state, hop, queued, called, started, ended in rows:
        queued_at = _naive(queued)
        hour = queued_at.replace(tzinfo=UTC).astimezone(local).hour
        key = (day, service_id, staff, hour)
        acc = finest.get(key)
        if acc is None:
            acc = finest[key] = _Finest()
        of_ticket[tid] = acc
        acc.issued += hop == 0
        index = _STATE_INDEX.get(state)
        if index is not None:
            acc.states[index] += 1
        if called is not None:
            acc.waits.append((_naive(called) - queued_at) // _US)
        if state == _DONE and started is not None and ended is not None:
            acc.timed += 1
            acc.service_us += (_naive(ended) - _naive(started)) // _US
    unlinked: dict[Any, list[int]] = defaultdict(lambda: [0] * 5)
    for day, ticket_id, score in session.connection().execute(
        select(raw_value(Visit.business_day), Rating.ticket_id, Rating.score)
        .join(Visit, Visit.id == Rating.visit_id)
        .where(Visit.business_day >= first, Visit.business_day <= last)
    ):
        linked = of_ticket.get(ticket_id) if ticket_id is not None else None
        (linked.ratings if linked is not None else unlinked[day])[score - 1] += 1
    return _merge(finest, unlinked, services)


def _merge(
    finest: dict[tuple[Any, int, str | None, int], _Finest],
    unlinked: dict[Any, list[int]],
    services: dict[int, tuple[str, int]],
) -> DayGroups:
    members: dict[tuple[Any, GroupKey], list[tuple[_Finest, int]]] = defaultdict(list)
    for (day, service_id, staff, hour), acc in finest.items():
        code, target_us = services[service_id]
        acc.waits.sort()
        within = bisect_right(acc.waits, target_us)
        keys: list[GroupKey] = [("total", ""), ("service", code), ("hour", f"{hour:02d}")]
        if staff:
            keys.append(("teller", staff))
        for key in keys:
            members[day, key].append((acc, within))
    for day in unlinked:
        members.setdefault((day, ("total", "")), [])
    days: DayGroups = defaultdict(dict)
    for (raw_day, key), accs in members.items():
        day = as_date(raw_day)
        sums = days[day][key] = DaySums()
        waits: list[int] = []
        for acc, within in accs:
            sums.issued += acc.issued
            for name, count in zip(_STATE_FIELDS, acc.states, strict=True):
                setattr(sums, name, getattr(sums, name) + count)
            sums.timed += acc.timed
            sums.service_us += acc.service_us
            sums.within_target += within
            sums.ratings = [a + b for a, b in zip(sums.ratings, acc.ratings, strict=True)]
            waits += acc.waits
        if key == ("total", "") and raw_day in unlinked:
            sums.ratings = [a + b for a, b in zip(sums.ratings, unlinked[raw_day], strict=True)]
        if waits:
            waits.sort()
            sums.called, sums.wait_us = len(waits), sum(waits)
            sums.wait_min_us, sums.wait_max_us = waits[0], waits[-1]
            sums.p90_wait_s, sums.hist = exact_p90(waits), pack_hist(waits)
    return dict(days)


def raw_value(column: Any) -> Any:
    """The column as the driver gives it: SQLite's text, PostgreSQL's naive value (fast)."""
    return type_coerce(column, String)


def _naive(value: str | datetime) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def as_date(value: str | date) -> date:
    """A business day read with :func:`raw_value`."""
    return date.fromisoformat(value) if isinstance(value, str) else value
