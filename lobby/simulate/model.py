"""A branch day as a discrete-event simulation (simpy), driven by the live routing rule.

Counters call by :func:`lobby.routing.choose_next`, exactly as the engine does, and
each arrival can be given the estimate of :func:`lobby.estimate.predict`, exactly as
the greeter prints it, from what the branch would know at that moment
(:mod:`lobby.simulate.knowledge`). The day itself is plain data
(:mod:`lobby.simulate.day`).

Time is in minutes after opening. Arrivals stop at closing; a counter whose last
shift ends at closing stays until no ticket it can serve is left.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import simpy

from lobby.estimate.calibration import Calibration
from lobby.estimate.core import predict
from lobby.estimate.queue import WaitingQueue
from lobby.estimate.snapshot import OpenCounter, QueueSnapshot
from lobby.routing import Candidate, RoutingPolicy, choose_next
from lobby.simulate.day import (
    CounterPlan,
    DayModel,
    DayResult,
    Distribution,
    ServicePlan,
    SimTicket,
    draw_visits,
)
from lobby.simulate.knowledge import BranchKnowledge, on_break, scheduled_away

__all__ = [
    "CounterPlan",
    "DayModel",
    "DayResult",
    "Distribution",
    "ServicePlan",
    "SimTicket",
    "draw_visits",
    "simulate",
]

STREAK_WINDOW = 10


def simulate(
    model: DayModel,
    seed: int = 1,
    *,
    policy: RoutingPolicy | None = None,
    estimates: bool = False,
    history: bool = True,
    calibration: Calibration | None = None,
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
        calibration: The branch's estimate residuals of earlier days to start from
            (not changed; the result carries the day's end state).
    """
    knowledge = BranchKnowledge(model, history, calibration)
    run = _Run(model, seed, policy or model.policy, estimates, knowledge)
    return run.result()


class _Run:
    def __init__(
        self,
        model: DayModel,
        seed: int,
        policy: RoutingPolicy,
        estimates: bool,
        knowledge: BranchKnowledge,
    ) -> None:
        self.model, self.seed, self.policy, self.estimates = model, seed, policy, estimates
        self.knowledge = knowledge
        self.env = simpy.Environment()
        self.queue = WaitingQueue()
        self.tickets: dict[int, SimTicket] = {}
        self.waiters: dict[int, simpy.Event] = {}
        self.open: dict[int, CounterPlan] = {}
        self.busy: dict[int, tuple[int, float]] = {}
        self.streaks: dict[int, list[bool]] = {c.counter_id: [] for c in model.counters}
        self.next_id = 0
        visits = draw_visits(model, seed)
        self.next_id = len(visits)
        self.env.process(self._arrivals(visits))
        for counter in model.counters:
            self.env.process(self._counter(counter))

    def result(self) -> DayResult:
        self.env.run()
        tickets = tuple(sorted(self.tickets.values(), key=lambda t: t.ticket_id))
        calibration = self.knowledge.calibration if self.estimates else None
        return DayResult(self.model, self.seed, tickets, self.policy, calibration)

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
        self.knowledge.joined(ticket)
        if self.estimates:
            self._estimate(ticket)
        # the counter idle the longest among those that serve it calls it
        for counter_id, waiter in self.waiters.items():
            if not waiter.triggered and ticket.service_id in self.open[counter_id].tiers:
                waiter.succeed()
                break

    def snapshot(self) -> QueueSnapshot:
        """The queue now, as the live adapter would read it from the database."""
        now, close = self.env.now, self.model.close_min
        counters = [
            OpenCounter(
                counter_id=c.counter_id,
                tiers=c.tiers,
                busy_service_id=self.busy.get(c.counter_id, (None, 0.0))[0],
                busy_since=(
                    self._at(self.busy[c.counter_id][1]) if c.counter_id in self.busy else None
                ),
                recent_calls_priority=tuple(self.streaks[c.counter_id]),
                away=scheduled_away(c, now, close, self._at),
            )
            for c in self.open.values()
        ]
        counters += [
            OpenCounter(
                c.counter_id,
                c.tiers,
                recent_calls_priority=tuple(self.streaks[c.counter_id]),
                on_break=True,
                away=scheduled_away(c, now, close, self._at),
            )
            for c in self.model.counters
            if c.counter_id not in self.open and on_break(c, now)
        ]
        waiting = list(self.queue)
        return QueueSnapshot(
            now=self._at(now),
            waiting=waiting,
            counters=counters,
            services={sid: self.knowledge.rates(sid, now) for sid in self.knowledge.plans},
            policy=self.policy,
            calibration=self.knowledge.calibration_with(
                (self.tickets[c.ticket_id] for c in waiting), now
            ),
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
        ticket.last_wait_min = self.knowledge.last_wait.get(ticket.service_id)

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
                self.knowledge.finished_service(ticket)
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
        self.knowledge.called(ticket)
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
