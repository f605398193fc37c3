"""The plain data of a simulated branch day: its plan, its customers and its result.

Every customer of the day is drawn first from the seed (arrival, service, category,
service time, no-show, transfer), so two runs with the same seed and different
policies or counter schedules serve the very same customers. Time is in minutes
after opening.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from lobby.estimate.calibration import Calibration
from lobby.estimate.snapshot import WaitEstimate
from lobby.routing import RoutingPolicy


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
    #: What the branch's past weeks show for a day like this, by service id: the
    #: arrival profile and the service means the estimate may know in advance (the
    #: day's own plans where a service is missing).
    history: Mapping[int, ServicePlan] = field(default_factory=dict)


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
    #: The branch's estimate residuals at the end of the day (with ``estimates``).
    calibration: Calibration | None = None


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


def _weighted(rng: random.Random, choices: list[tuple[int, float]]) -> int:
    total = sum(w for _, w in choices)
    pick = rng.random() * total
    for value, weight in choices:
        if pick < weight:
            return value
        pick -= weight
    return choices[-1][0]
