"""What the live branch would know, moment by moment, during a simulated day.

The simulator gives each arrival the estimate the greeter would print; this module
keeps the same facts the live adapter (:mod:`lobby.estimate.live`) reads from the
database: the latest service times, today's arrivals so far and in the recent window,
the history of this kind of day (:attr:`DayModel.history`), the counters' scheduled
breaks and closings, and the branch's recent estimates against the waits that
followed (:class:`lobby.estimate.calibration.Calibration`).
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterable
from datetime import datetime
from itertools import pairwise

from lobby.estimate.calibration import Calibration, Residual
from lobby.estimate.live import ARRIVAL_WINDOW_MIN, HISTORY_SLOTS, RECENT_SERVICES
from lobby.estimate.snapshot import PROFILE_SLOT_MIN, ServiceRates, service_rates
from lobby.simulate.day import CounterPlan, DayModel, ServicePlan, SimTicket


class BranchKnowledge:
    """The estimate's inputs as a simulated day unfolds.

    Args:
        model: The day.
        history: Tell the estimate the arrival profile of past days like this one
            (the model's ``history``, else its own plans); without it the estimate
            only extrapolates the recent rate.
        calibration: Residuals of earlier days to start from (copied).
    """

    def __init__(
        self, model: DayModel, history: bool, calibration: Calibration | None = None
    ) -> None:
        self.model, self.history = model, history
        self.plans = {s.service_id: s for s in model.services}
        self.recent: dict[int, deque[float]] = {
            s: deque(maxlen=RECENT_SERVICES) for s in self.plans
        }
        self.finished: dict[int, int] = dict.fromkeys(self.plans, 0)
        self.arrived: dict[int, deque[tuple[float, str]]] = {s: deque() for s in self.plans}
        self.arrived_today: dict[int, int] = dict.fromkeys(self.plans, 0)
        self.last_wait: dict[int, float] = {}
        self.calibration = calibration.copy() if calibration is not None else Calibration()

    def joined(self, ticket: SimTicket) -> None:
        """A ticket joined a queue (first tickets and transfers alike)."""
        window = self.arrived[ticket.service_id]
        window.append((ticket.queued, "transfer" if ticket.hop > 0 else ticket.category))
        while window and window[0][0] < ticket.queued - ARRIVAL_WINDOW_MIN:
            window.popleft()
        if ticket.hop == 0:
            self.arrived_today[ticket.service_id] += 1

    def called(self, ticket: SimTicket) -> None:
        """A ticket was called: its wait is known, and so is its estimate's error."""
        assert ticket.called is not None
        wait = ticket.called - ticket.queued
        self.last_wait[ticket.service_id] = wait
        if ticket.estimate is not None and ticket.estimate.model_min is not None:
            self.calibration.add(Residual(ticket.service_id, ticket.estimate.model_min, wait))

    def calibration_with(self, waiting: Iterable[SimTicket], now: float) -> Calibration:
        """The residuals, and the misses known among the tickets still waiting."""
        return self.calibration.with_overruns(
            Residual(t.service_id, t.estimate.model_min, now - t.queued)
            for t in waiting
            if t.estimate is not None and t.estimate.model_min is not None
        )

    def finished_service(self, ticket: SimTicket) -> None:
        """A customer's service ended."""
        self.recent[ticket.service_id].append(ticket.service_min)
        self.finished[ticket.service_id] += 1

    def _known(self, plan: ServicePlan) -> ServicePlan:
        return self.model.history.get(plan.service_id, plan)

    def rates(self, service_id: int, now: float) -> ServiceRates:
        """A service's rates at ``now`` (minutes after opening)."""
        window = [c for at, c in self.arrived[service_id] if at > now - ARRIVAL_WINDOW_MIN]
        mix = Counter(c for c in window if c != "regular")
        known = self._known(self.plans[service_id])
        recent = min(ARRIVAL_WINDOW_MIN, max(now, 5.0))
        slots: tuple[float, ...] = ()
        if self.history:
            # what weeks of history would show for this kind of day
            slots = tuple(
                known.mean_rate(now + i * PROFILE_SLOT_MIN, now + (i + 1) * PROFILE_SLOT_MIN)
                for i in range(HISTORY_SLOTS)
            )
        return service_rates(
            known.configured_mean_min,
            list(self.recent[service_id])[::-1],
            arrivals=len(window),
            priority_arrivals=sum(mix.values()),
            categories=mix,
            window_min=recent,
            expected_per_min=slots,
            expected_recent_per_min=known.mean_rate(now - recent, now) if slots else 0.0,
            arrived_today=self.arrived_today[service_id],
            expected_today=known.mean_rate(0.0, now) * now if slots else 0.0,
            finished_today=self.finished[service_id],
        )


def scheduled_away(
    counter: CounterPlan, now: float, close_min: float, at: Callable[[float], datetime]
) -> tuple[tuple[datetime, datetime | None], ...]:
    """A counter's breaks and early closing from ``now`` on, as the rota tells them."""
    away: list[tuple[datetime, datetime | None]] = []
    first = counter.intervals[0][0]
    if now < first:
        away.append((at(now), at(first)))
    for (_, ends), (starts, _) in pairwise(counter.intervals):
        if starts > now:
            away.append((at(ends), at(starts)))
    last = counter.intervals[-1][1]
    if last < close_min:
        away.append((at(last), None))
    return tuple(away)


def on_break(counter: CounterPlan, now: float) -> bool:
    """Whether ``now`` falls before or between the counter's shifts."""
    if now < counter.intervals[0][0]:
        return True
    return any(a[1] <= now < b[0] for a, b in pairwise(counter.intervals))
