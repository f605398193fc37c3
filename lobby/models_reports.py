"""Per-day report rollups: the sums a report needs, kept once a business day is over.

A report over a year reads about ten thousand of these rows instead of a million
tickets. Rows are written by :func:`lobby.reports.roll_up_days` (called when a day
closes) and only for days that are past and closed, whose tickets no operation can
change any more. They live apart from :mod:`lobby.models` but share its ``Base``, so
one metadata describes the whole schema.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from lobby.models import Base


class ReportDay(Base):
    """A business day whose figures are rolled up in :class:`ReportGroupDay`.

    Attributes:
        wait_bin_s: Width of the wait histogram's bins when the rollup was built; a
            rollup built with another width is ignored (and rebuilt at the next close).
        tickets: Tickets of the day (a check for people reading the table).
    """

    __tablename__ = "report_day"

    business_day: Mapped[date] = mapped_column(Date, primary_key=True)
    built_at: Mapped[datetime]
    wait_bin_s: Mapped[int]
    tickets: Mapped[int]


class ReportGroupDay(Base):
    """The sums of one group of one day's tickets: all, a service, a teller or an hour.

    Times are whole microseconds so sums are exact and independent of order.
    ``p90_wait_s`` is the exact 90th percentile of the group's waits that day;
    ``wait_hist`` (32-bit little-endian counts per ``wait_bin_s`` bin from 0) lets a
    longer period combine days into a percentile without the tickets.
    """

    __tablename__ = "report_group_day"

    business_day: Mapped[date] = mapped_column(Date, primary_key=True)
    group_kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    group_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    issued: Mapped[int]
    served: Mapped[int]
    no_show: Mapped[int]
    cancelled: Mapped[int]
    expired: Mapped[int]
    transferred: Mapped[int]
    called: Mapped[int]
    within_target: Mapped[int]
    wait_us: Mapped[int] = mapped_column(BigInteger)
    wait_min_us: Mapped[int | None] = mapped_column(BigInteger)
    wait_max_us: Mapped[int | None] = mapped_column(BigInteger)
    p90_wait_s: Mapped[float | None]
    timed: Mapped[int]
    service_us: Mapped[int] = mapped_column(BigInteger)
    rating_1: Mapped[int]
    rating_2: Mapped[int]
    rating_3: Mapped[int]
    rating_4: Mapped[int]
    rating_5: Mapped[int]
    wait_hist: Mapped[bytes] = mapped_column(LargeBinary)
