"""Past business days played through the real engine, for demos, screenshots and tests.

Each day is a small event-driven run: customers arrive through the opening hours,
counters call the next ticket by the live routing rule when they are free, some
customers do not come, most rate their visit and a few complain. Every step is an
engine operation at its own moment, so the journal, the tickets and the reports
are exactly what a real day would leave behind.
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol

from lobby import engine
from lobby.access import Credential
from lobby.clock import zone
from lobby.config import SAMPLE_BRANCH, load_branch_config
from lobby.db import Database
from lobby.engine.rating_pad import pad_actor
from lobby.errors import NothingToCall
from lobby.staff import sign_in

SERVICES = (("cash", 0.5, 5.0), ("account", 0.2, 12.0), ("wealth", 0.1, 18.0),
            ("enquiry", 0.15, 6.0), ("loans", 0.05, 22.0))  # fmt: skip
CATEGORIES = (("regular", 0.8), ("elderly", 0.12), ("disabled", 0.03), ("vip", 0.05))
#: Counter number -> staff code that works there in the sample branch.
TELLERS = {1: "T01", 2: "T02", 3: "T03", 4: "T01", 5: "T02", 6: "T03"}
_SIGNED_IN: dict[tuple[int, str], Credential] = {}


def sample_pad(db: Database, counter: int) -> Credential:
    """The demo counter's rating pad, enrolled by the sample manager on first use."""
    from lobby.enrolment import enrol_device

    key = (id(db), pad_actor(counter))
    if key not in _SIGNED_IN:
        with db.unit_of_work(sample_staff(db, "M01")) as uow:
            _SIGNED_IN[key] = enrol_device(uow, pad_actor(counter), "rating_pad", counter)
    return _SIGNED_IN[key]


def sample_staff(db: Database, code: str) -> Credential:
    """The sample branch's ``code``, signed in once with the sample file's PIN.

    For the demo's throwaway branch and screenshots only (their PINs are never changed).
    """
    key = (id(db), code)
    if key not in _SIGNED_IN:
        pins = {m.code: m.pin for m in load_branch_config(SAMPLE_BRANCH).staff}
        staff = sign_in(
            db,
            code,
            pins[code] or "",
            None,
            device="demo",
            session=False,
            journal_success=False,
        )
        assert staff.credential is not None, "the demo branch waives the PIN change"
        _SIGNED_IN[key] = staff.credential
    return _SIGNED_IN[key]


class SettableClock(Protocol):
    """A clock whose time the history player can set."""

    def now(self) -> datetime:
        """The current time."""
        ...

    def set(self, moment: datetime) -> None:
        """Move the clock to ``moment``."""
        ...


@dataclass
class MovableClock:
    """A clock that shows whatever it was last set to (the wall clock until then)."""

    current: datetime | None = None

    def now(self) -> datetime:
        """The set time, or the wall clock."""
        from lobby.clock import SystemClock

        return self.current if self.current is not None else SystemClock().now()

    def set(self, moment: datetime | None) -> None:
        """Show ``moment`` from now on (``None``: the wall clock again)."""
        self.current = moment


def play_day(
    db: Database,
    clock: SettableClock,
    day: date,
    *,
    visits: int = 60,
    counters: tuple[int, ...] = (1, 4, 5),
    timezone: str = "Asia/Shanghai",
    seed: int = 0,
) -> int:
    """Play one business day through the engine; return the tickets issued.

    Args:
        db: The database (its clock must be ``clock``).
        clock: Set to each step's moment before the step runs.
        day: The business day to play.
        visits: Customers arriving between 09:00 and 16:30.
        counters: Counters that open at 09:00 and serve until the queue is empty.
        timezone: The branch's time zone.
        seed: Random seed; the same seed plays the same day.
    """
    rng = random.Random(f"{day.isoformat()}-{seed}")
    local = zone(timezone)
    opening = datetime.combine(day, time(9, 0), local)
    span = 7.5 * 3600
    # a morning ramp and a lunchtime bump: arrival times from a mixture
    moments = sorted(
        opening + timedelta(seconds=min(span, abs(rng.gauss(*rng.choice(PEAKS))) * 3600))
        for _ in range(visits)
    )
    events: list[tuple[datetime, int, str, int]] = []
    for index, moment in enumerate(moments):
        heapq.heappush(events, (moment, index, "arrive", 0))
    for number in counters:
        heapq.heappush(events, (opening, -number, "free", number))
    order = len(moments)
    issued = 0
    while events:
        moment, _, kind, counter = heapq.heappop(events)
        clock.set(moment)
        if kind == "arrive":
            _arrive(db, rng)
            issued += 1
            continue
        if kind == "free":
            called = _call(db, counter)
            if called is None:
                later = [e[0] for e in events if e[2] == "arrive"]
                if later:
                    order += 1
                    heapq.heappush(events, (min(later), order, "free", counter))
                continue
            order += 1
            if rng.random() < 0.06:
                heapq.heappush(events, (moment + timedelta(minutes=2), order, "gone", counter))
            else:
                service = dict((s, m) for s, _, m in SERVICES).get(called, 8.0)
                minutes = max(1.0, rng.expovariate(1 / service))
                clock.set(moment + timedelta(seconds=30))
                with db.unit_of_work(sample_staff(db, TELLERS.get(counter, "T01"))) as uow:
                    engine.start(uow, counter)
                heapq.heappush(
                    events, (moment + timedelta(minutes=minutes), order, "done", counter)
                )
            continue
        score: int | None = None
        with db.unit_of_work(sample_staff(db, TELLERS.get(counter, "T01"))) as uow:
            if kind == "gone":
                engine.no_show(uow, counter)
            else:
                ticket = engine.finish(uow, counter)
                score = _rating(rng) if rng.random() < 0.7 else None
                if rng.random() < 0.02:
                    engine.file_complaint(
                        uow,
                        category=rng.choice(("waiting", "service", "fees")),
                        description="等候时间太长 / waited too long",
                        contact="13800001111",
                        ticket_number=ticket.number,
                    )
        if score is not None:  # the customer rates on the counter's pad
            with db.unit_of_work(sample_pad(db, counter)) as uow:
                engine.rate_visit(uow, ticket.number, score)
        order += 1
        heapq.heappush(events, (moment, order, "free", counter))
    clock.set(datetime.combine(day, time(18, 0), local))
    with db.unit_of_work(sample_staff(db, "M01")) as uow:
        engine.close_day(uow, day)
    return issued


RESOLUTIONS = (
    "已致电客户说明并致歉 / called the customer and apologised",
    "午间加开窗口 / an extra counter opens at lunchtime",
    "费用已退还 / the fee was refunded",
)
#: Monday is the busiest day, Friday the next; month starts add a quarter more.
WEEKDAY_LOAD = (1.3, 1.0, 0.9, 1.0, 1.15)
#: (centre hour after opening, spread in hours) of the arrival bumps.
PEAKS = ((1.0, 0.8), (1.5, 1.2), (4.0, 0.7), (6.0, 1.0))


def _arrive(db: Database, rng: random.Random) -> None:
    service = rng.choices([s for s, _, _ in SERVICES], [w for _, w, _ in SERVICES])[0]
    category = rng.choices([c for c, _ in CATEGORIES], [w for _, w in CATEGORIES])[0]
    with db.unit_of_work(sample_staff(db, "G01")) as uow:
        engine.issue_ticket(uow, service, category=category)


def _call(db: Database, counter: int) -> str | None:
    """Call the next ticket at ``counter``; its service code, or None if none waits."""
    try:
        with db.unit_of_work(sample_staff(db, TELLERS.get(counter, "T01"))) as uow:
            return engine.call_next(uow, counter).service
    except NothingToCall:
        return None


def _rating(rng: random.Random) -> int:
    return rng.choices((5, 4, 3, 2, 1), (0.55, 0.28, 0.1, 0.05, 0.02))[0]


def play_days(
    db: Database,
    clock: SettableClock,
    last_day: date,
    days: int,
    *,
    visits: int = 60,
    seed: int = 0,
) -> int:
    """Play ``days`` business days ending with ``last_day`` (weekends skipped)."""
    issued = 0
    first = last_day - timedelta(days=days - 1)
    day = first
    while day <= last_day:
        if day.weekday() < 5:
            busier = WEEKDAY_LOAD[day.weekday()] * (1.25 if day.day <= 3 else 1.0)
            issued += play_day(db, clock, day, visits=round(visits * busier), seed=seed)
        day += timedelta(days=1)
    _follow_up_complaints(db, clock, last_day, random.Random(seed))
    return issued


def _follow_up_complaints(
    db: Database, clock: SettableClock, last_day: date, rng: random.Random
) -> None:
    """The manager works through most complaints a day or two after they came in."""
    from sqlalchemy import select

    from lobby.complaints import follow_up
    from lobby.models import Complaint

    with db.read() as session:
        filed = session.execute(select(Complaint.reference, Complaint.created_at)).all()
    end = datetime.combine(last_day, time(18, 30), UTC)
    for reference, created_at in sorted(filed, key=lambda row: row[1]):
        answered = created_at + timedelta(hours=rng.uniform(4, 60))
        if answered > end:
            continue
        clock.set(answered)
        with db.unit_of_work(sample_staff(db, "M01")) as uow:
            follow_up(uow, reference, status="in_progress", assign_to="M01")
        if rng.random() < 0.75:
            clock.set(answered + timedelta(hours=rng.uniform(1, 20)))
            with db.unit_of_work(sample_staff(db, "M01")) as uow:
                follow_up(uow, reference, status="resolved", resolution=rng.choice(RESOLUTIONS))
                follow_up(uow, reference, status="informed", channel="phone")
