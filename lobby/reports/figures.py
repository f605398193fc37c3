"""The report's data: per-day sums of a group, their merge over a period, and figures.

A :class:`DaySums` holds what one group (all tickets, a service, a teller or an
hour) did on one business day, as exact integers plus that day's exact 90th
percentile wait and a wait histogram. Sums of several days add up; the percentile
of several days comes from the added histograms (bins of :data:`WAIT_BIN_S`).

A histogram is stored as little-endian 32-bit counts per bin. Read as one big
integer, adding two histograms is adding two integers (no count reaches 2**32), so
a year's histograms add up in microseconds.
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

#: Width of the wait histogram's bins: the p90 of a period longer than a day is within it.
WAIT_BIN_S = 15
#: Bins kept (4 hours); longer waits share the last bin, bounded by the longest wait.
HIST_BINS = 960
_BIN_US = WAIT_BIN_S * 1_000_000
GroupKey = tuple[str, str]


@dataclass
class Tally:
    """How many tickets of a group went which way: the counts that add up over days.

    Attributes:
        issued: Tickets issued (transfers are not new tickets).
        served: Tickets finished at a counter.
        no_show: Called tickets whose customer did not come.
        cancelled: Tickets cancelled while waiting.
        expired: Tickets still open when their day closed.
        transferred: Tickets passed on to another service.
        called: Tickets called at least once.
    """

    issued: int = 0
    served: int = 0
    no_show: int = 0
    cancelled: int = 0
    expired: int = 0
    transferred: int = 0
    called: int = 0

    def add_tally(self, other: Tally) -> None:
        """Add the counts of ``other`` to these."""
        for name in TALLY_KEYS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


#: The counts of :class:`Tally`, in order: the first keys of both the sums and the figures.
TALLY_KEYS = ("issued", "served", "no_show", "cancelled", "expired", "transferred", "called")


@dataclass
class DaySums(Tally):
    """What one group of tickets did on one business day.

    Times are whole microseconds, so sums are exact whatever order they are added in.

    Attributes:
        within_target: Called tickets whose wait was within their service's target.
        wait_us: Sum of the waits of the called tickets.
        p90_wait_s: The exact 90th percentile of the day's waits (``None`` without waits).
        timed: Served tickets with a start and end time; ``service_us`` sums their durations.
        ratings: Counts of the scores 1 to 5 of ratings linked to the group's tickets.
        hist: Waits per :data:`WAIT_BIN_S` bin from zero (see :func:`pack_hist`).
    """

    within_target: int = 0
    wait_us: int = 0
    wait_min_us: int | None = None
    wait_max_us: int | None = None
    p90_wait_s: float | None = None
    timed: int = 0
    service_us: int = 0
    ratings: list[int] = field(default_factory=lambda: [0] * 5)
    hist: bytes = b""


def wait_bin(wait_us: int) -> int:
    """The histogram bin of a wait."""
    return min(max(wait_us, 0) // _BIN_US, HIST_BINS - 1)


def pack_hist(sorted_waits_us: list[int]) -> bytes:
    """The histogram of sorted waits, as stored: 32-bit little-endian counts per bin."""
    if not sorted_waits_us:
        return b""
    counts = array("I")
    before = 0
    for index in range(wait_bin(sorted_waits_us[-1]) + 1):
        edge = (index + 1) * _BIN_US if index < HIST_BINS - 1 else sorted_waits_us[-1] + 1
        upto = bisect_left(sorted_waits_us, edge, before)
        counts.append(upto - before)
        before = upto
    if sys.byteorder == "big":
        counts.byteswap()
    return counts.tobytes()


def unpack_hist(packed: int) -> list[int]:
    """Counts per bin from a histogram read as an integer (or the sum of several)."""
    counts = array("I", packed.to_bytes((packed.bit_length() + 31) // 32 * 4, "little"))
    if sys.byteorder == "big":
        counts.byteswap()
    return counts.tolist()


def exact_p90(sorted_waits_us: list[int]) -> float:
    """The 90th percentile in seconds of sorted waits, in exact integer steps.

    It interpolates between ranks like PostgreSQL's ``percentile_cont`` and Python's
    inclusive quantiles.
    """
    last = len(sorted_waits_us) - 1
    below, tenths = divmod(9 * last, 10)
    if not tenths:
        return sorted_waits_us[below] / 1e6
    low, high = sorted_waits_us[below], sorted_waits_us[below + 1]
    return (low * (10 - tenths) + high * tenths) / 10_000_000


def hist_p90(hist: list[int], low_us: int, high_us: int) -> float:
    """The 90th percentile from a histogram, within one bin width of :func:`exact_p90`.

    Like the exact one it interpolates between the two waits around rank
    ``0.9 * (n - 1)``; each of those is estimated within its bin (a bin's waits taken
    as spread evenly across it), so the result is off by less than a bin width (for
    waits under four hours: past the last bin it is only bounded by the longest wait).

    Args:
        hist: Counts per :data:`WAIT_BIN_S` bin from zero.
        low_us: The shortest wait.
        high_us: The longest wait.
    """
    below, tenths = divmod(9 * (sum(hist) - 1), 10)  # rank 0.9 * (n - 1), as exact_p90
    value = _order_statistic(hist, below, low_us, high_us)
    if tenths:
        above = _order_statistic(hist, below + 1, low_us, high_us)
        value += tenths / 10 * (above - value)
    return value


def _order_statistic(hist: list[int], k: int, low_us: int, high_us: int) -> float:
    """The ``k``-th shortest wait (from 0), estimated from the histogram."""
    low, high = low_us / 1e6, high_us / 1e6
    before = 0
    for index, in_bin in enumerate(hist):
        if k < before + in_bin:
            start = index * WAIT_BIN_S
            width = WAIT_BIN_S if index < HIST_BINS - 1 else max(high - start, 0.0)
            return min(max(start + width * (k - before + 0.5) / in_bin, low), high)
        before += in_bin
    return high


@dataclass
class Figures(Tally):
    """Figures of a group of tickets (all of them, a day, a service, a teller or an hour).

    The counts of :class:`Tally` first, then what follows from the sums.

    Attributes:
        no_show_share: no_show over the tickets called.
        avg_wait_s: Mean seconds from joining the queue to the call.
        p90_wait_s: 90th percentile of those waits: exact when one day contributes,
            else from a histogram with bins of :data:`WAIT_BIN_S` seconds.
        avg_service_s: Mean seconds from start (or call) to finish.
        service_level: Share of called tickets called within their service's target wait.
        ratings: Satisfaction ratings linked to these tickets (totals and days: all of
            the visits' ratings).
        avg_rating: Their mean score.
        rating_counts: How many of each score, ``"1"`` to ``"5"``.
    """

    no_show_share: float | None = None
    avg_wait_s: float | None = None
    p90_wait_s: float | None = None
    avg_service_s: float | None = None
    service_level: float | None = None
    ratings: int = 0
    avg_rating: float | None = None
    rating_counts: dict[str, int] = field(
        default_factory=lambda: {str(score): 0 for score in range(1, 6)}
    )


#: Figure keys in order, as the CSV export and the JSON use them.
FIGURE_KEYS = tuple(k for k in Figures.__dataclass_fields__ if k != "rating_counts")


class Period:
    """Adds up a group's :class:`DaySums` over a period and turns them into figures.

    The p90 is the day's exact one while a single day has waits; with more, it comes
    from the days' histograms, added as integers.
    """

    def __init__(self) -> None:
        self.sums = DaySums()
        self.days_with_waits = 0
        self.packed_hist = 0

    def add(
        self, day: DaySums, days_with_waits: int | None = None, packed: int | None = None
    ) -> None:
        """Add one day of the group, or several days already added up (by SQL).

        Args:
            day: The sums; for several days, ``p90_wait_s`` is that of the only day
                with waits, if there is just one.
            days_with_waits: How many days with waits ``day`` holds (default: one day).
            packed: Their histograms added as integers (default: ``day.hist``).
        """
        s = self.sums
        s.add_tally(day)
        s.within_target += day.within_target
        s.wait_us += day.wait_us
        s.timed += day.timed
        s.service_us += day.service_us
        s.ratings = [a + b for a, b in zip(s.ratings, day.ratings, strict=True)]
        waited = (1 if day.called else 0) if days_with_waits is None else days_with_waits
        if not waited:
            return
        if day.wait_min_us is not None and (
            s.wait_min_us is None or day.wait_min_us < s.wait_min_us
        ):
            s.wait_min_us = day.wait_min_us
        if day.wait_max_us is not None and (
            s.wait_max_us is None or day.wait_max_us > s.wait_max_us
        ):
            s.wait_max_us = day.wait_max_us
        s.p90_wait_s = day.p90_wait_s if not self.days_with_waits else None
        self.days_with_waits += waited
        self.packed_hist += int.from_bytes(day.hist, "little") if packed is None else packed

    def p90_wait_s(self) -> float | None:
        """Exact when one day has waits, else from the days' added histograms."""
        if self.days_with_waits <= 1:
            return self.sums.p90_wait_s
        low, high = self.sums.wait_min_us or 0, self.sums.wait_max_us or 0
        return hist_p90(unpack_hist(self.packed_hist), low, high)

    def figures(self) -> Figures:
        """The figures of the period."""
        s = self.sums
        called, rated = s.called, sum(s.ratings)
        p90 = self.p90_wait_s()
        score_sum = sum(score * n for score, n in enumerate(s.ratings, start=1))
        return Figures(
            **{name: getattr(s, name) for name in TALLY_KEYS},
            no_show_share=round(s.no_show / called, 3) if called else None,
            avg_wait_s=round(s.wait_us / called / 1e6, 1) if called else None,
            p90_wait_s=None if p90 is None else round(p90, 1),
            avg_service_s=round(s.service_us / s.timed / 1e6, 1) if s.timed else None,
            service_level=round(s.within_target / called, 3) if called else None,
            ratings=rated,
            avg_rating=round(score_sum / rated, 2) if rated else None,
            rating_counts={str(score): n for score, n in enumerate(s.ratings, start=1)},
        )


@dataclass(frozen=True)
class ComplaintFigures:
    """Complaints filed in a period, and how their follow-up went.

    Attributes:
        count: Complaints filed.
        open: Not yet resolved.
        overdue: Not yet resolved and past their answer deadline at the report's time.
        resolved: Resolved (or the customer already informed).
        avg_resolve_h: Mean hours from filing to resolution of the resolved ones.
        max_resolve_h: The longest of those.
    """

    count: int = 0
    open: int = 0
    overdue: int = 0
    resolved: int = 0
    avg_resolve_h: float | None = None
    max_resolve_h: float | None = None


@dataclass(frozen=True)
class Report:
    """A period's figures: totals; by service, teller, hour and day; ratings; complaints.

    Attributes:
        by_service: Per service code, in the branch's service order.
        by_teller: Per staff code of the teller who called the ticket.
        by_hour: Per local hour of joining the queue, ``"09"`` .. ``"17"``.
        by_day: Per business day, ISO date keys in order.
        ratings: All ratings of the period's visits (= ``totals.ratings``).
        complaints: Complaints filed in the period (= ``complaint_figures.count``).
        complaints_open: Those not yet resolved.
        wait_bin_s: Bin width of the histogram behind multi-day p90 figures.
    """

    first_day: date
    last_day: date
    totals: Figures
    by_service: dict[str, Figures]
    by_teller: dict[str, Figures]
    by_hour: dict[str, Figures]
    by_day: dict[str, Figures]
    ratings: int
    avg_rating: float | None
    rating_counts: dict[str, int]
    complaints: int
    complaints_open: int
    complaint_figures: ComplaintFigures
    complaints_by_category: dict[str, ComplaintFigures]
    wait_bin_s: int = WAIT_BIN_S

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict with stable keys."""
        data = asdict(self)
        data["first_day"], data["last_day"] = self.first_day.isoformat(), self.last_day.isoformat()
        return data
