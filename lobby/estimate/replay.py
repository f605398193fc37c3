"""The routing rule replayed forward from a snapshot: when will each ticket be called?

Counters free up in time order and call by :func:`lobby.routing.choose_next`, the
live rule, over the waiting tickets and those expected to join meanwhile (they can
overtake: a priority customer by the head start, a counter's tier-1 work over its
tier-2 work). Without a random generator every time is its expected value (service
times at their mean, arrivals evenly spread); with one, service times, arrivals,
breaks and reactions are drawn, for Monte Carlo runs.
"""

from __future__ import annotations

import functools
import heapq
import math
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from lobby.estimate.queue import WaitingQueue
from lobby.estimate.snapshot import PROFILE_SLOT_MIN, OpenCounter, QueueSnapshot, ServiceRates
from lobby.routing import Candidate, choose_next

#: How far ahead the replay looks.
HORIZON_MIN = 300.0
#: An open counter that is idle while tickets it may serve wait is evidently not calling
#: right now (a teller away, paperwork); it is assumed to call within this many minutes.
IDLE_REACTION_MIN = 1.0
#: Minutes until a counter on a break is expected back (half a usual break).
BREAK_RETURN_MIN = 15.0
#: Today may run at most this many times busier or quieter than history.
MAX_RATE_SCALE = 3.0
#: Arrivals of history's usual day that today's count is shrunk toward: early in the
#: day history rules, later today's own pace.
DAY_PRIOR_ARRIVALS = 20.0
#: The same for the recent window, shrunk toward today's pace so far.
RECENT_PRIOR_ARRIVALS = 6.0
#: Minutes over which the recent pace fades into the day's pace, looking ahead.
PACE_MEMORY_MIN = 60.0
#: Calls a counter remembers for the interleave rule.
STREAK_WINDOW = 10
#: Ticket ids of probes (a customer joining a service now) start here.
PROBE_BASE = 1 << 50
_FUTURE_BASE = 1 << 51


@dataclass(frozen=True)
class Call:
    """When a ticket is called in a replay, behind how many, and as which tier's work."""

    at: datetime
    ahead: int
    tier: int


class _Draws:
    """Times of a replay: expected values, or random draws when given a generator."""

    def __init__(self, rng: random.Random | None) -> None:
        self.rng = rng

    def service(self, rates: ServiceRates) -> float:
        mean = rates.mean_service_min
        if self.rng is None or rates.cv < 0.01:
            return mean
        sigma2 = math.log1p(rates.cv**2)
        return self.rng.lognormvariate(math.log(mean) - sigma2 / 2, math.sqrt(sigma2))

    def residual(self, rates: ServiceRates, elapsed_min: float) -> float:
        """Minutes left of a service that started ``elapsed_min`` ago."""
        mean = rates.mean_service_min
        # memoryless for cv = 1; closer to mean - elapsed for steadier services
        expected = max(mean - elapsed_min, 0.5 * mean * min(1.0, rates.cv**2))
        return expected if self.rng is None else self.rng.expovariate(1.0 / expected)

    def around(self, minutes: float) -> float:
        """A delay of ``minutes`` on average (breaks, reactions)."""
        return minutes if self.rng is None else self.rng.uniform(0.0, 2.0 * minutes)

    def gap(self) -> float:
        """Expected arrivals between two arrivals: 1, or a unit exponential."""
        return 1.0 if self.rng is None else self.rng.expovariate(1.0)

    def category(self, shares: list[tuple[str, float]], carry: dict[str, float]) -> str:
        """The next arrival's category: by turns in proportion, or at random."""
        if self.rng is None:
            for name, share in shares:
                carry[name] = carry.get(name, 0.0) + share
            if not carry:
                return "regular"
            name = max(carry, key=lambda c: carry[c])
            if carry[name] >= 1.0:
                carry[name] -= 1.0
                return name
            return "regular"
        pick = self.rng.random()
        for name, share in shares:
            if pick < share:
                return name
            pick -= share
        return "regular"


class _Stream:
    """One service's arrivals to come: the k-th when k - 1/2 are due (or at random)."""

    def __init__(self, rates: ServiceRates, draws: _Draws, top_category: str) -> None:
        self.draws = draws
        self.shares = list(rates.categories)
        if not self.shares and rates.priority_share > 0:
            self.shares = [(top_category, rates.priority_share)]
        self.carry: dict[str, float] = {}
        self.slots = _paced_slots(rates)
        self.tail = self.slots[-1] if self.slots else rates.arrivals_per_min
        self.slot, self.start, self.due_at_start = 0, 0.0, 0.0
        self.due = 0.5 * draws.gap() if draws.rng is None else draws.gap()
        self.next = self._time_of(self.due)

    def _time_of(self, due: float) -> float:
        while True:
            if self.slot < len(self.slots):
                rate, end = self.slots[self.slot], (self.slot + 1) * PROFILE_SLOT_MIN
            else:
                rate, end = self.tail, math.inf
            due_at_end = self.due_at_start + rate * (end - self.start)
            if due <= due_at_end and rate > 0:
                return self.start + (due - self.due_at_start) / rate
            if math.isinf(end):
                return math.inf
            self.slot, self.start, self.due_at_start = self.slot + 1, end, due_at_end

    def pop(self) -> tuple[float, str]:
        """The next arrival: minutes after now, and its category."""
        at = self.next
        self.due += self.draws.gap()
        self.next = self._time_of(self.due)
        return at, self.draws.category(self.shares, self.carry)


@functools.lru_cache(maxsize=64)
def _paced_slots(rates: ServiceRates) -> tuple[float, ...]:
    """History's expected rates slot by slot, at today's pace (the same for every run)."""
    scales = pace(rates, len(rates.expected_per_min))
    return tuple(rate * scale for rate, scale in zip(rates.expected_per_min, scales, strict=True))


def pace(rates: ServiceRates, slots: int) -> list[float]:
    """How many times history's rate today's arrivals are expected to run, slot by slot.

    Today's count so far against history's is shrunk toward 1 by
    :data:`DAY_PRIOR_ARRIVALS` (weighted by how much of today has been seen); the
    recent window's against history's is shrunk toward that day pace; the near slots
    follow the recent pace, the later ones the day's.
    """
    if not rates.expected_per_min or rates.expected_recent_per_min <= 0:
        day = 1.0
        recent = 1.0
    else:
        day = (rates.arrived_today + DAY_PRIOR_ARRIVALS) / (
            rates.expected_today + DAY_PRIOR_ARRIVALS
        )
        window = rates.recent_window_min
        seen = rates.arrivals_per_min * window
        usual = rates.expected_recent_per_min * window
        recent = (seen + RECENT_PRIOR_ARRIVALS * day) / (usual + RECENT_PRIOR_ARRIVALS)
    result = []
    for i in range(slots):
        fade = math.exp(-(i + 0.5) * PROFILE_SLOT_MIN / PACE_MEMORY_MIN)
        scale = day + (recent - day) * fade
        result.append(min(MAX_RATE_SCALE, max(1 / MAX_RATE_SCALE, scale)))
    return result


class _Future:
    """Tickets expected to join, made lazily as the replay reaches their time."""

    def __init__(self, snapshot: QueueSnapshot, draws: _Draws) -> None:
        policy = snapshot.policy
        heads = [c for c in policy.head_start_min if c not in ("appointment", "transfer")]
        top = max(heads, key=lambda c: policy.head_start_min[c], default="regular")
        self.now = snapshot.now
        self.streams = {
            service_id: _Stream(rates, draws, top)
            for service_id, rates in snapshot.services.items()
            if rates.arrivals_per_min > 0 or any(rates.expected_per_min)
        }
        self.serial = 0
        self.soonest = min((s.next for s in self.streams.values()), default=math.inf)

    def until(self, minutes: float) -> list[Candidate]:
        """The arrivals up to ``minutes`` after now not handed out yet."""
        due: list[Candidate] = []
        if minutes < self.soonest:
            return due
        for service_id, stream in self.streams.items():
            while stream.next <= minutes:
                at, category = stream.pop()
                self.serial += 1
                transfer = category == "transfer"
                due.append(
                    Candidate(
                        _FUTURE_BASE + self.serial,
                        "",
                        service_id,
                        "regular" if transfer else category,
                        self.now + timedelta(minutes=at),
                        is_transfer=transfer,
                    )
                )
        self.soonest = min(s.next for s in self.streams.values())
        return due

    def next_for(self, tiers: Mapping[int, int]) -> float | None:
        """Minutes after now of the next arrival a counter with ``tiers`` serves."""
        soonest = min((self.streams[s].next for s in tiers if s in self.streams), default=math.inf)
        return None if math.isinf(soonest) else soonest


def replay(
    snapshot: QueueSnapshot,
    track: set[int],
    probes: Mapping[int, Candidate],
    rng: random.Random | None = None,
    horizon: list[bool] | None = None,
) -> dict[int, Call]:
    """Replay the routing rule until every tracked ticket and probe is called.

    Args:
        snapshot: The queue now.
        track: Ids of waiting tickets whose call matters.
        probes: Extra tickets joining now that take no counter time (service id -> probe).
        rng: Draw times at random (one Monte Carlo run); expected values without it.
        horizon: Told ``True`` when the replay reached :data:`HORIZON_MIN` with
            tickets still uncalled (rather than no counter calling them).

    Returns:
        ticket id -> its call, for those called within :data:`HORIZON_MIN`.
    """
    now, policy = snapshot.now, snapshot.policy
    draws = _Draws(rng)
    queue = WaitingQueue.from_candidates([*snapshot.waiting, *probes.values()])
    probe_ids = {p.ticket_id for p in probes.values()}
    remaining = set(track) | probe_ids
    future = _Future(snapshot, draws)
    heap: list[tuple[float, int]] = []  # (minutes after now, counter order)
    streaks: list[list[bool]] = []
    real_calls: list[int] = []
    serving: dict[int, list[int]] = {}
    for order, counter in enumerate(snapshot.counters):
        heap.append((_free_in(snapshot, counter, remaining, draws), order))
        streaks.append(list(counter.recent_calls_priority[:STREAK_WINDOW]))
        real_calls.append(0)
        for service_id in counter.tiers:
            serving.setdefault(service_id, []).append(order)
    heapq.heapify(heap)
    absences = [_absences(snapshot, counter) for counter in snapshot.counters]
    calls: dict[int, Call] = {}
    while heap and remaining:
        minutes, order = heapq.heappop(heap)
        if minutes > HORIZON_MIN:
            if horizon is not None:
                horizon.append(True)
            break
        back = _back_from(absences[order], minutes)
        if back is not None:  # a scheduled break or closing: calls again after it, or never
            if math.isfinite(back):
                heapq.heappush(heap, (back, order))
            continue
        for candidate in future.until(minutes):
            queue.add(candidate)
        counter = snapshot.counters[order]
        heads = queue.heads()
        at = now + timedelta(minutes=minutes)
        choice = choose_next(
            heads,
            counter_id=counter.counter_id,
            tiers=counter.tiers,
            now=at,
            policy=policy,
            recent_calls_priority=streaks[order],
        )
        if choice is None:
            wake = future.next_for(counter.tiers)
            if wake is not None:  # idle until the next arrival it can serve
                heapq.heappush(heap, (wake, order))
            continue
        chosen = next(c for c in heads if c.ticket_id == choice.ticket_id)
        queue.remove(chosen)
        if chosen.ticket_id in remaining:
            ahead = sum(real_calls[o] for o in serving.get(chosen.service_id, ()))
            calls[chosen.ticket_id] = Call(at, ahead, counter.tiers.get(chosen.service_id, 1))
            remaining.discard(chosen.ticket_id)
        if chosen.ticket_id in probe_ids:
            heapq.heappush(heap, (minutes, order))  # a probe takes no time
            continue
        if chosen.ticket_id < _FUTURE_BASE:
            real_calls[order] += 1
        streaks[order].insert(0, choice.is_priority)
        del streaks[order][STREAK_WINDOW:]
        rates = snapshot.services.get(chosen.service_id)
        service = draws.service(rates) if rates is not None else 0.0
        heapq.heappush(heap, (minutes + service, order))
    return calls


def _absences(snapshot: QueueSnapshot, counter: OpenCounter) -> list[tuple[float, float]]:
    """A counter's scheduled absences in minutes after now (inf: closed for the day)."""
    result = []
    for start, until in counter.away:
        a = (start - snapshot.now).total_seconds() / 60
        b = math.inf if until is None else (until - snapshot.now).total_seconds() / 60
        if b > 0:
            result.append((a, b))
    return result


def _back_from(absences: list[tuple[float, float]], minutes: float) -> float | None:
    """When a counter free at ``minutes`` can call, if an absence holds it; else ``None``."""
    for a, b in absences:
        if a <= minutes < b:
            return b
    return None


def _free_in(
    snapshot: QueueSnapshot, counter: OpenCounter, asked: set[int], draws: _Draws
) -> float:
    """Minutes until a counter can call (a scheduled absence is applied after this)."""
    if counter.on_break:
        if any(
            start <= snapshot.now and (until is None or until > snapshot.now)
            for start, until in counter.away
        ):
            return 0.0  # the absence covering now tells when it is back
        return draws.around(BREAK_RETURN_MIN)
    if counter.busy_service_id is not None:
        rates = snapshot.services.get(counter.busy_service_id)
        if rates is None:
            return 0.0
        since = counter.busy_since or snapshot.now
        return draws.residual(rates, max(0.0, (snapshot.now - since).total_seconds() / 60))
    if _left_waiting(snapshot, counter, asked):
        return draws.around(IDLE_REACTION_MIN)
    return 0.0


def _left_waiting(snapshot: QueueSnapshot, counter: OpenCounter, asked: set[int]) -> bool:
    """Whether an idle counter leaves a ticket it may call waiting (asked ones aside)."""
    return any(
        c.service_id in counter.tiers
        and c.target_counter_id in (None, counter.counter_id)
        and c.ticket_id not in asked
        for c in snapshot.waiting
    )
