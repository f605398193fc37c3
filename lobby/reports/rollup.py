"""Keeping per-day rollups: written when a day is over, read for long periods.

A day is rolled up only when it is in the past and closed: no ticket of it can move
any more and no rating can be added (both only happen to today's tickets), so its
rollup never goes stale.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, case, cast, delete, func, insert, select
from sqlalchemy.orm import Session

from lobby.models import Ticket
from lobby.models_reports import ReportDay, ReportGroupDay
from lobby.reports.collect import as_date, collect_days, raw_value
from lobby.reports.figures import WAIT_BIN_S, DaySums, GroupKey
from lobby.states import TicketState

#: The stored columns of a group's day, in :class:`DaySums` field order.
_DAY_COLUMNS = (
    "issued",
    "served",
    "no_show",
    "cancelled",
    "expired",
    "transferred",
    "called",
    "within_target",
    "wait_us",
    "wait_min_us",
    "wait_max_us",
    "p90_wait_s",
    "timed",
    "service_us",
)
#: Days collected at once when building rollups (bounds the memory a backfill takes).
MAX_RUN_DAYS = 31
_OPEN_STATES = [s.value for s in TicketState if not s.is_final]


def rolled_up_days(session: Session, first: date, last: date) -> set[date]:
    """The days of ``first`` to ``last`` that have a current rollup."""
    return set(
        session.scalars(
            select(ReportDay.business_day).where(
                ReportDay.business_day >= first,
                ReportDay.business_day <= last,
                ReportDay.wait_bin_s == WAIT_BIN_S,
            )
        )
    )


#: One group's rolled-up days added up: sums, days with waits, histograms as an integer.
RolledGroup = tuple[DaySums, int, int]


def read_rollups(
    session: Session, first: date, last: date
) -> tuple[dict[GroupKey, RolledGroup], dict[date, DaySums]]:
    """The rolled-up days of ``first`` to ``last``: each group added up, and each day's total.

    The sums are added up by the database (a year is about ten thousand rows); only
    the histograms come back row by row, and only when a group has waits on more than
    one day, as 32-bit counts added up as Python integers.
    """
    g = ReportGroupDay
    current = (
        (ReportDay.business_day == g.business_day)
        & (g.business_day >= first)
        & (g.business_day <= last)
        & (ReportDay.wait_bin_s == WAIT_BIN_S)
    )
    # Core rows straight from the connection: the ORM's row handling costs more here
    conn = session.connection()
    aggregates = [
        cast(func.min(column), BigInteger)
        if name == "wait_min_us"
        else cast(func.max(column), BigInteger)
        if name == "wait_max_us"
        else func.max(column)
        if name == "p90_wait_s"
        else cast(func.sum(column), BigInteger)
        for name, column in _columns()
    ]
    waited = func.sum(case((g.called > 0, 1), else_=0))
    groups: dict[GroupKey, RolledGroup] = {}
    several: list[GroupKey] = []
    for row in conn.execute(
        select(g.group_kind, g.group_key, waited, *aggregates)
        .where(current)
        .group_by(g.group_kind, g.group_key)
    ):
        sums = _sums(row[3:])
        groups[row[0], row[1]] = (sums, int(row[2] or 0), 0)
        if (row[2] or 0) > 1:
            several.append((row[0], row[1]))
    if several:
        packed: dict[GroupKey, int] = dict.fromkeys(several, 0)
        for kind, key, hist in conn.execute(
            select(g.group_kind, g.group_key, g.wait_hist).where(current & (g.called > 0))
        ).all():
            if (kind, key) in packed:
                packed[kind, key] += int.from_bytes(hist, "little")
        for group, hist_sum in packed.items():
            sums, days_with_waits, _ = groups[group]
            groups[group] = (sums, days_with_waits, hist_sum)
    totals = {
        as_date(row[0]): _sums(row[1:], hist=row[-1])
        for row in conn.execute(
            select(
                raw_value(g.business_day), *(column for _, column in _columns()), g.wait_hist
            ).where(current & (g.group_kind == "total"))
        ).all()
    }
    return groups, totals


def _columns() -> list[tuple[str, Any]]:
    g = ReportGroupDay
    names = [*_DAY_COLUMNS, *(f"rating_{score}" for score in range(1, 6))]
    return [(name, getattr(g, name)) for name in names]


def _sums(values: Sequence[Any], hist: bytes = b"") -> DaySums:
    """DaySums from values in :func:`_columns` order (sums of several days: no histogram)."""
    width = len(_DAY_COLUMNS)
    sums = DaySums(*values[:width])
    sums.ratings, sums.hist = [int(n) for n in values[width : width + 5]], hist
    return sums


def roll_up_days(session: Session, days: Iterable[date], timezone: str, now: datetime) -> int:
    """Compute and store the rollups of ``days`` (replacing any), in runs of adjacent days.

    The caller must make sure the days are over and closed.

    Returns:
        How many days were rolled up.
    """
    done = 0
    for first, last in day_runs(sorted(set(days)), MAX_RUN_DAYS):
        collected = collect_days(session, first, last, timezone)
        session.execute(
            delete(ReportGroupDay).where(
                ReportGroupDay.business_day >= first, ReportGroupDay.business_day <= last
            )
        )
        session.execute(
            delete(ReportDay).where(ReportDay.business_day >= first, ReportDay.business_day <= last)
        )
        day = first
        while day <= last:
            groups = collected.get(day, {})
            total = groups.get(("total", ""))
            session.execute(
                insert(ReportDay).values(
                    business_day=day,
                    built_at=now,
                    wait_bin_s=WAIT_BIN_S,
                    tickets=0 if total is None else total.issued + total.transferred,
                )
            )
            if groups:
                session.execute(insert(ReportGroupDay), list(_rows(day, groups)))
            done += 1
            day += timedelta(days=1)
    return done


def roll_up_closed_days(session: Session, through: date, timezone: str, now: datetime) -> int:
    """Roll up every day up to ``through`` that has tickets, all final, and no rollup.

    Usually that is the one day just closed; after an upgrade it is the whole history
    (once). Each candidate day costs one probe of its own tickets, so closing does not
    scan a year of tickets again.

    Args:
        session: The session of the closing unit of work (changes are flushed first).
        through: The last day that may be rolled up: closed and before today.
        timezone: The branch's time zone.
        now: The time of the rollup.

    Returns:
        How many days were rolled up.
    """
    session.flush()
    first = session.scalar(select(func.min(Ticket.business_day)))
    if first is None or first > through:
        return 0
    done = rolled_up_days(session, first, through)
    candidates = [
        day
        for day in (first + timedelta(days=n) for n in range((through - first).days + 1))
        if day not in done
    ]
    # one probe per day through its business_day index: a plan on the state index would
    # be chosen or not by the statistics, and a full scan costs a second on a big table
    tickets, open_tickets = func.count(), func.count().filter(Ticket.state.in_(_OPEN_STATES))
    settled = []
    for day in candidates:
        total, still_open = session.execute(
            select(tickets, open_tickets).where(Ticket.business_day == day)
        ).one()
        if total and not still_open:
            settled.append(day)
    return roll_up_days(session, settled, timezone, now)


def day_runs(days: list[date], longest: int = 366) -> Iterator[tuple[date, date]]:
    """Sorted days as runs of adjacent days, each ``(first, last)``, at most ``longest`` long."""
    runs: list[list[date]] = []
    for day in days:
        run = runs[-1] if runs else None
        if run and day == run[1] + timedelta(days=1) and (day - run[0]).days < longest:
            run[1] = day
        else:
            runs.append([day, day])
    return ((first, last) for first, last in runs)


def _rows(day: date, groups: dict[tuple[str, str], DaySums]) -> Iterator[dict[str, object]]:
    for (kind, key), s in groups.items():
        row: dict[str, object] = {name: getattr(s, name) for name in _DAY_COLUMNS}
        row.update(
            business_day=day,
            group_kind=kind,
            group_key=key,
            wait_hist=s.hist,
            **{f"rating_{score}": n for score, n in enumerate(s.ratings, start=1)},
        )
        yield row
