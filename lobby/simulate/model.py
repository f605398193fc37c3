"""A branch day as a discrete-event simulation (simpy), driven by the live routing rule.

Every customer of the day is drawn first from the seed (arrival, service, category,
service time, no-show, transfer), so two runs with the same seed and different
policies or counter schedules serve the very same customers. Counters then call by
:func:`lobby.routing.choose_next`, exactly as the engine does, and each arrival can be
given the estimate of :func:`lobby.estimate.predict`, exactly as the greeter prints it.

Time is in minutes after opening. Arrivals stop at closing; a counter whose last
shift ends at closing stays until no ticket it can serve is left.
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import pairwise

import simpy

from lobby.estimate.core import predict
from lobby.estimate.live import ARRIVAL_WINDOW_MIN, HISTORY_SLOTS, RECENT_SERVICES
from lobby.estimate.queue import WaitingQueue
from lobby.estimate.snapshot import (
    PROFILE_SLOT_MIN,
    OpenCounter,
    QueueSnapshot,
    ServiceRates,
    WaitEstimate,
    service_rates,
)
from lobby.routing import Candidate, RoutingPolicy, choose_next

STREAK_WINDOW = 10


@dataclass(frozen=True)
class Distribution:
    """A service-time distribution: exponential, lognormal, gamma or fixed (minutes)."""

    kind: str
    mean_min: float
    cv: float = 1.0

    def draw(self, rng: random.Random) -> float:
        """One service time."""
        if self.kind == "exponential":
            return rng.expovariate(1.0 / self.mean_min)
        if self.kind == "lognormal":
            sigma2 = math.log1p(self.cv**2)
            return rng.lognormvariate(math.log(self.mean_min) - sigma2 / 2, math.sqrt(sigma2))
        if self.kind == "gamma":
            shape = 1.0 / self.cv**2
            return rng.gammavariate(shape, self.mean_min / shape)
        return self.mean_min


@dataclass(frozen=True)
class ServicePlan:
    """One service's arrivals and service times.

    Attributes:
        rates: (start, end, arrivals per minute) pieces, minutes after opening.
        configured_mean_min: The mean the branch has configured (the estimate's prior).
    """

    service_id: int
    code: str
    rates: tuple[tuple[float, float, float], ...]
    time: Distribution
    configured_mean_min: float
    target_wait_min: float

    def mean_rate(self, start: float, end: float) -> float:
        """Mean arrivals per minute between two moments (minutes after opening)."""
        if end <= start:
            return 0.0
        total = sum(max(0.0, min(end, b) - max(start, a)) * r for a, b, r in self.rates)
        return total / (end - start)

    @property
    def expected_visits(self) -> float:
        """Expected arrivals over the day."""
        return sum((b - a) * r for a, b, r in self.rates)


@dataclass(frozen=True)
class CounterPlan:
    """A counter, its tiers and its open intervals (minutes after opening)."""

    counter_id: int
    label: str
    tiers: Mapping[int, int]
    intervals: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class DayModel:
    """Everything a simulated day needs, in plain data."""

    name: str
    start: datetime
    close_min: float
    services: tuple[ServicePlan, ...]
    counters: tuple[CounterPlan, ...]
    categories: Mapping[str, float] = field(default_factory=dict)
    no_show_share: float = 0.0
    no_show_wait_min: float = 1.0
    transfer_share: float = 0.0
    transfer_to: Mapping[int, float] = field(default_factory=dict)
    policy: RoutingPolicy = field(default_factory=RoutingPolicy)
    service_codes: Mapping[int, str] = field(default_factory=dict)
    timezone: str = "UTC"


@dataclass(slots=True)
class SimTicket:
    """One ticket of a simulated day (times in minutes after opening).

    The ``fifo_ahead`` .. ``last_wait_min`` fields are what the customer could see at
    arrival; they are filled when the run records estimates, for the baselines of the
    accuracy benchmark.
    """

    ticket_id: int
    service_id: int
    category: str
    hop: int
    queued: float
    service_min: float
    no_show: bool
    transfer_to: int | None = None
    transfer_service_min: float = 0.0
    called: float | None = None
    ended: float | None = None
    counter_id: int | None = None
    estimate: WaitEstimate | None = None
    fifo_ahead: int = 0
    counters_open: int = 0
    mean_service_min: float = 0.0
    last_wait_min: float | None = None

    @property
    def wait_min(self) -> float | None:
        """Minutes from joining the queue to the first call."""
        return None if self.called is None else self.called - self.queued

    @property
    def is_priority(self) -> bool:
        """Whether the ticket was in a priority category (transfers count as priority)."""
        return self.category != "regular" or self.hop > 0


@dataclass(frozen=True)
class DayResult:
    """The tickets of a simulated day and the model it ran."""

    model: DayModel
    seed: int
    tickets: tuple[SimTicket, ...]
    policy: RoutingPolicy


def draw_visits(model: DayModel, seed: int) -> list[SimTicket]:
    """The day's first tickets, in arrival order, all randomness drawn from ``seed``."""
    rng = random.Random(seed)
    categories = list(model.categories.items())
    targets = list(model.transfer_to.items())
    by_id = {s.service_id: s for s in model.services}
    arrivals: list[tuple[float, ServicePlan]] = []
    for plan in model.services:
        for start, end, rate in plan.rates:
            if rate <= 0:
                continue
            at = start + rng.expovariate(rate)
            while at < end:
                arrivals.append((at, plan))
                at += rng.expovariate(rate)
    arrivals.sort(key=lambda a: (a[0], a[1].service_id))
    tickets = []
    for number, (at, plan) in enumerate(arrivals, start=1):
        category, pick = "regular", rng.random()
        for name, share in categories:
            if pick < share:
                category = name
                break
            pick -= share
        ticket = SimTicket(
            ticket_id=number,
            service_id=plan.service_id,
            category=category,
            hop=0,
            queued=at,
            service_min=plan.time.draw(rng),
            no_show=rng.random() < model.no_show_share,
        )
        if targets and rng.random() < model.transfer_share:
            to = _weighted(rng, targets)
            if to != plan.service_id:
                ticket.transfer_to = to
                ticket.transfer_service_min = by_id[to].time.draw(rng) if to in by_id else 1.0
        tickets.append(ticket)
    return tickets


def _on_break(counter: CounterPlan, now: float) -> bool:
    """Whether ``now`` falls between two of the counter's shifts."""
    return any(a[1] <= now < b[0] for a, b in pairwise(counter.intervals))


def _weighted(rng: random.Random, choices: list[tuple[int, float]]) -> int:
    total = sum(w for _, w in choices)
    pick = rng.random() * total
    for value, weight in choices:
        if pick < weight:
            return value
        pick -= weight
    return choices[-1][0]


def simulate(
    model: DayModel,
    seed: int = 1,
    *,
    policy: RoutingPolicy | None = None,
    estimates: bool = False,
    history: bool = True,
) -> DayResult:
    """Run one day.

    Args:
        model: The day.
        seed: Draws the customers (same seed, same customers).
        policy: Routing policy; the model's (the branch's) by default.
        estimates: Give every arriving ticket the live estimate (and the baselines'
            inputs); slower, for accuracy measurements.
        history: Let the estimate know the day's expected arrival profile, as weeks of
            history of this kind of day would tell it (the live branch learns it from
            its tickets); without it, the estimate only extrapolates the recent rate.
    """
    run = _Run(model, seed, policy or model.policy, estimates, history)
    return run.result()


class _Run:
    def __init__(
        self, model: DayModel, seed: int, policy: RoutingPolicy, estimates: bool, history: bool
    ) -> None:
        self.model, self.seed, self.policy, self.estimates = model, seed, policy, estimates
        self.history = history
        self.env = simpy.Environment()
        self.queue = WaitingQueue()
        self.tickets: dict[int, SimTicket] = {}
        self.waiters: dict[int, simpy.Event] = {}
        self.open: dict[int, CounterPlan] = {}
        self.busy: dict[int, tuple[int, float]] = {}
        self.streaks: dict[int, list[bool]] = {c.counter_id: [] for c in model.counters}
        self.plans = {s.service_id: s for s in model.services}
        self.recent: dict[int, deque[float]] = {
            s: deque(maxlen=RECENT_SERVICES) for s in self.plans
        }
        self.arrived: dict[int, deque[tuple[float, bool]]] = {s: deque() for s in self.plans}
        self.last_wait: dict[int, float] = {}
        self.next_id = 0
        visits = draw_visits(model, seed)
        self.next_id = len(visits)
        self.env.process(self._arrivals(visits))
        for counter in model.counters:
            self.env.process(self._counter(counter))

    def result(self) -> DayResult:
        self.env.run()
        tickets = tuple(sorted(self.tickets.values(), key=lambda t: t.ticket_id))
        return DayResult(self.model, self.seed, tickets, self.policy)

    def _at(self, minute: float) -> datetime:
        return self.model.start + timedelta(minutes=minute)

    def _candidate(self, ticket: SimTicket) -> Candidate:
        return Candidate(
            ticket_id=ticket.ticket_id,
            number=str(ticket.ticket_id),
            service_id=ticket.service_id,
            category=ticket.category,
            queued_at=self._at(ticket.queued),
            is_transfer=ticket.hop > 0,
        )

    def _arrivals(self, visits: list[SimTicket]):  # type: ignore[no-untyped-def]
        for ticket in visits:
            if ticket.queued > self.env.now:
                yield self.env.timeout(ticket.queued - self.env.now)
            self._join(ticket)

    def _join(self, ticket: SimTicket) -> None:
        self.tickets[ticket.ticket_id] = ticket
        self.queue.add(self._candidate(ticket))
        window = self.arrived[ticket.service_id]
        window.append((ticket.queued, ticket.is_priority))
        while window and window[0][0] < ticket.queued - ARRIVAL_WINDOW_MIN:
            window.popleft()
        if self.estimates:
            self._estimate(ticket)
        # the counter idle the longest among those that serve it calls it
        for counter_id, waiter in self.waiters.items():
            if not waiter.triggered and ticket.service_id in self.open[counter_id].tiers:
                waiter.succeed()
                break

    def snapshot(self) -> QueueSnapshot:
        """The queue now, as the live adapter would read it from the database."""
        now = self.env.now
        counters = [
            OpenCounter(
                counter_id=c.counter_id,
                tiers=c.tiers,
                busy_service_id=self.busy.get(c.counter_id, (None, 0.0))[0],
                busy_since=(
                    self._at(self.busy[c.counter_id][1]) if c.counter_id in self.busy else None
                ),
                recent_calls_priority=tuple(self.streaks[c.counter_id]),
            )
            for c in self.open.values()
        ]
        counters += [
            OpenCounter(c.counter_id, c.tiers, on_break=True)
            for c in self.model.counters
            if c.counter_id not in self.open and _on_break(c, now)
        ]
        return QueueSnapshot(
            now=self._at(now),
            waiting=list(self.queue),
            counters=counters,
            services={sid: self._rates(sid, now) for sid in self.plans},
            policy=self.policy,
        )

    def _rates(self, service_id: int, now: float) -> ServiceRates:
        window = [p for at, p in self.arrived[service_id] if at > now - ARRIVAL_WINDOW_MIN]
        plan = self.plans[service_id]
        recent = min(ARRIVAL_WINDOW_MIN, max(now, 5.0))
        slots: tuple[float, ...] = ()
        if self.history:
            # what history would show for this kind of day: the plan's own rates
            slots = tuple(
                plan.mean_rate(now + i * PROFILE_SLOT_MIN, now + (i + 1) * PROFILE_SLOT_MIN)
                for i in range(HISTORY_SLOTS)
            )
        return service_rates(
            plan.configured_mean_min,
            list(self.recent[service_id])[::-1],
            arrivals=len(window),
            priority_arrivals=sum(window),
            window_min=recent,
            expected_per_min=slots,
            expected_recent_per_min=plan.mean_rate(now - recent, now) if slots else 0.0,
        )

    def _estimate(self, ticket: SimTicket) -> None:
        snapshot = self.snapshot()
        ticket.estimate = predict(snapshot, [ticket.ticket_id]).tickets[ticket.ticket_id]
        ticket.fifo_ahead = sum(
            1
            for c in snapshot.waiting
            if c.service_id == ticket.service_id and c.ticket_id != ticket.ticket_id
        )
        working = [c for c in snapshot.counters if not c.on_break]
        tier1 = sum(1 for c in working if c.tiers.get(ticket.service_id) == 1)
        ticket.counters_open = tier1 or sum(1 for c in working if ticket.service_id in c.tiers)
        ticket.mean_service_min = snapshot.services[ticket.service_id].mean_service_min
        ticket.last_wait_min = self.last_wait.get(ticket.service_id)

    def _counter(self, plan: CounterPlan):  # type: ignore[no-untyped-def]
        env = self.env
        last = len(plan.intervals) - 1
        for index, (start, end) in enumerate(plan.intervals):
            if index == last and end >= self.model.close_min:
                end = math.inf  # stays until the hall is empty
            if env.now < start:
                yield env.timeout(start - env.now)
            self.open[plan.counter_id] = plan
            while env.now < end:
                ticket = self._call(plan)
                if ticket is None:
                    wake = env.event()
                    self.waiters[plan.counter_id] = wake
                    if math.isinf(end):
                        yield wake
                    else:
                        yield wake | env.timeout(end - env.now)
                    self.waiters.pop(plan.counter_id, None)
                    continue
                if ticket.no_show:
                    yield env.timeout(self.model.no_show_wait_min)
                    continue
                self.busy[plan.counter_id] = (ticket.service_id, env.now)
                yield env.timeout(ticket.service_min)
                del self.busy[plan.counter_id]
                ticket.ended = env.now
                self.recent[ticket.service_id].append(ticket.service_min)
                if ticket.transfer_to is not None:
                    self._transfer(ticket)
            del self.open[plan.counter_id]

    def _call(self, plan: CounterPlan) -> SimTicket | None:
        heads = self.queue.heads()
        choice = choose_next(
            heads,
            counter_id=plan.counter_id,
            tiers=plan.tiers,
            now=self._at(self.env.now),
            policy=self.policy,
            recent_calls_priority=self.streaks[plan.counter_id],
        )
        if choice is None:
            return None
        chosen = next(c for c in heads if c.ticket_id == choice.ticket_id)
        self.queue.remove(chosen)
        streak = self.streaks[plan.counter_id]
        streak.insert(0, choice.is_priority)
        del streak[STREAK_WINDOW:]
        ticket = self.tickets[chosen.ticket_id]
        ticket.called = self.env.now
        ticket.counter_id = plan.counter_id
        self.last_wait[ticket.service_id] = ticket.called - ticket.queued
        return ticket

    def _transfer(self, ticket: SimTicket) -> None:
        assert ticket.transfer_to is not None
        self.next_id += 1
        self._join(
            SimTicket(
                ticket_id=self.next_id,
                service_id=ticket.transfer_to,
                category=ticket.category,
                hop=ticket.hop + 1,
                queued=self.env.now,
                service_min=ticket.transfer_service_min,
                no_show=False,
            )
        )
