"""The wait estimate as a pure function over a snapshot of the queue.

How it works: the routing rule itself is replayed forward from ``now``
(:mod:`lobby.estimate.replay`) on the open counters, each ticket taking its service's
recent mean time, each busy counter first finishing its customer, a counter on a
break coming back, and customers expected to join meanwhile overtaking where the rule
lets them. The minute a ticket is called in that replay is its expected wait. The
model's own range (nominally 80 %) treats the wait as a sum of the ``k`` service
completions it waits for (relative spread ``cv / sqrt(k)``) plus a share of model
error (:data:`MODEL_ERROR`), and takes the 10 % and 90 % points of a gamma
distribution; the branch's recent errors then set the range
(:mod:`lobby.estimate.calibration`), and an estimate with little to go on is
flagged rough and kept wide (:data:`ROUGH_LOW`, :data:`ROUGH_HIGH`).

A ticket that the replay has called as tier-2 work (or not at all) waits until some
counter's own line happens to empty: an average replay cannot time that, so such a
ticket is estimated from :data:`MONTE_CARLO_RUNS` random replays instead, by their
median and their 10 % and 90 % points. A ticket still uncalled when the average replay
reaches its horizon (hours of queue ahead) gets the rough range without them: random
replays would run to the same horizon for nothing.

``tests/bench/test_estimate_accuracy.py`` measures the error and the coverage on
simulated days. The same functions serve the live branch (:mod:`lobby.estimate.live`
builds the snapshot from the database) and the simulator (:mod:`lobby.simulate`).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import replace

from lobby.estimate.calibration import Band
from lobby.estimate.replay import PROBE_BASE, Call, replay
from lobby.estimate.snapshot import Prediction, QueueSnapshot, ServiceRates, WaitEstimate
from lobby.routing import Candidate

#: Relative error of the model itself (arrivals, breaks, help it cannot know of).
MODEL_ERROR = 0.3
#: Fewest minutes of spread in a range, around any non-zero estimate.
MIN_SPREAD_MIN = 0.6
#: z of the 10 % and 90 % points of a normal distribution.
Z80 = 1.2815515655446004
#: Random replays for a ticket that waits as tier-2 work.
MONTE_CARLO_RUNS = 12
#: A rough estimate's range reaches at least this share of the expected wait down ...
ROUGH_LOW = 0.5
#: ... and this many times it up, and at least this many minutes above it.
ROUGH_HIGH = 2.0
ROUGH_SPREAD_MIN = 5.0


def predict(
    snapshot: QueueSnapshot,
    tickets: Iterable[int] | None = None,
    new_arrivals: Iterable[int] = (),
) -> Prediction:
    """Estimate waits by replaying the routing rule from ``snapshot.now``.

    Args:
        snapshot: The queue now.
        tickets: Ids of waiting tickets to estimate; ``None`` for all of them.
        new_arrivals: Service ids: estimate the wait of a regular customer who would
            join each of these queues now.
    """
    waiting = {c.ticket_id: c for c in snapshot.waiting}
    track = set(waiting) if tickets is None else {t for t in tickets if t in waiting}
    probes = {
        service_id: Candidate(PROBE_BASE + service_id, "", service_id, "regular", snapshot.now)
        for service_id in new_arrivals
    }
    horizon: list[bool] = []
    calls = replay(snapshot, track, probes, horizon=horizon)
    asked = {t: waiting[t] for t in track} | {p.ticket_id: p for p in probes.values()}
    # beyond the horizon random replays would only reach it too: those get the rough range
    uncertain = {
        t for t in asked if (t not in calls and not horizon) or (t in calls and calls[t].tier > 1)
    }
    runs = _monte_carlo(snapshot, uncertain & track, probes, uncertain) if uncertain else {}
    estimates = {}
    for ticket_id, ticket in asked.items():
        if ticket_id in runs:
            estimates[ticket_id] = _from_runs(snapshot, ticket, runs[ticket_id], calls)
        else:
            estimates[ticket_id] = _estimate(snapshot, ticket, calls.get(ticket_id))
    return Prediction(
        {t: estimates[t] for t in track},
        {s: estimates[p.ticket_id] for s, p in probes.items()},
    )


def _monte_carlo(
    snapshot: QueueSnapshot,
    track: set[int],
    probes: dict[int, Candidate],
    wanted: set[int],
) -> dict[int, list[float]]:
    """Minutes to the call of each wanted ticket over random replays (inf: not called)."""
    # the same snapshot always gives the same estimate
    seed = int(snapshot.now.timestamp() * 1000) ^ len(snapshot.waiting)
    rng = random.Random(seed)
    wanted_probes = {s: p for s, p in probes.items() if p.ticket_id in wanted}
    runs: dict[int, list[float]] = {t: [] for t in wanted}
    for _ in range(MONTE_CARLO_RUNS):
        calls = replay(snapshot, track, wanted_probes, rng)
        for ticket_id, minutes in runs.items():
            call = calls.get(ticket_id)
            minutes.append(
                math.inf if call is None else (call.at - snapshot.now).total_seconds() / 60
            )
    return runs


def _from_runs(
    snapshot: QueueSnapshot, ticket: Candidate, runs: list[float], calls: dict[int, Call]
) -> WaitEstimate:
    ordered = sorted(runs)
    median = _quantile(ordered, 0.5)
    average = calls.get(ticket.ticket_id)
    ahead = average.ahead if average is not None else _fifo_ahead(snapshot, ticket)
    if math.isinf(median):
        return _estimate(snapshot, ticket, average)
    low, high = _quantile(ordered, 0.1), _quantile(ordered, 0.9)
    high = high if math.isfinite(high) else median * 3
    return _calibrated(snapshot, ticket, ahead, max(0.0, median), low, high)


def _quantile(ordered: list[float], share: float) -> float:
    position = share * (len(ordered) - 1)
    below, above = math.floor(position), math.ceil(position)
    if math.isinf(ordered[above]):
        return ordered[above] if position == above else ordered[below]
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def _fifo_ahead(snapshot: QueueSnapshot, ticket: Candidate) -> int:
    # tickets issued in the same instant (one unit of work) queue in the order issued
    mine = (ticket.queued_at, ticket.ticket_id)
    return sum(
        1
        for c in snapshot.waiting
        if c.service_id == ticket.service_id and (c.queued_at, c.ticket_id) < mine
    )


def _estimate(snapshot: QueueSnapshot, ticket: Candidate, call: Call | None) -> WaitEstimate:
    rates = snapshot.services.get(ticket.service_id) or ServiceRates(8.0)
    if call is None:  # no open counter serves it, or beyond the horizon: a rough, wide range
        ahead = _fifo_ahead(snapshot, ticket)
        counters = sum(1 for c in snapshot.counters if ticket.service_id in c.tiers)
        expected = (ahead + 1) * rates.mean_service_min / max(1, counters)
        estimate = _calibrated(
            snapshot, ticket, ahead, expected, expected * 0.5, expected * 2.0, rough=True
        )
        return replace(estimate, unserved=True) if counters == 0 else estimate
    expected = max(0.0, (call.at - snapshot.now).total_seconds() / 60)
    if expected == 0.0:  # a free counter calls it at once
        return WaitEstimate(call.ahead, 0, 0, 0.0, model_min=0.0)
    low, high = model_range(expected, call.ahead + 1, rates.cv)
    return _calibrated(snapshot, ticket, call.ahead, expected, low, high)


def _calibrated(
    snapshot: QueueSnapshot,
    ticket: Candidate,
    ahead: int,
    expected: float,
    low: float,
    high: float,
    *,
    rough: bool = False,
) -> WaitEstimate:
    """The model's estimate and range, set by the branch's recent errors, in whole minutes."""
    model_min = expected
    rates = snapshot.services.get(ticket.service_id)
    rough = rough or rates is None or rates.finished_today == 0
    if snapshot.calibration is None:
        band = Band(expected, low, high, rough=True)
    else:
        band = snapshot.calibration.band(ticket.service_id, expected, low, high)
    expected, low, high = band.expected_min, band.low_min, band.high_min
    if rough or band.rough:  # too little to go on: say so, and keep the range wide
        low = min(low, expected * ROUGH_LOW)
        high = max(high, expected * ROUGH_HIGH, expected + ROUGH_SPREAD_MIN)
        low_min, high_min = math.floor(low), math.ceil(high)
    else:  # the calibrated points to the nearest minute: rounding outward would add cover
        low_min, high_min = round(low), round(high)
    return WaitEstimate(
        ahead,
        max(0, min(low_min, math.floor(expected))),
        max(1, high_min, math.ceil(expected)),
        expected,
        rough=rough or band.rough,
        model_min=model_min,
    )


def wait_range(
    expected_min: float, completions: int, cv: float = 1.0, model_error: float = MODEL_ERROR
) -> tuple[int, int]:
    """The model's own 10 %..90 % range around ``expected_min`` (whole minutes).

    Args:
        expected_min: The expected wait.
        completions: How many service completions the wait is made of.
        cv: Coefficient of variation of one service time.
        model_error: Relative error of the model on top of the service times' spread.
    """
    if expected_min <= 0:
        return 0, 0
    low, high = model_range(expected_min, completions, cv, model_error)
    return max(0, math.floor(low)), max(1, math.ceil(high))


def model_range(
    expected_min: float, completions: int, cv: float = 1.0, model_error: float = MODEL_ERROR
) -> tuple[float, float]:
    """The model's own 10 % and 90 % points around ``expected_min`` (minutes, not rounded).

    The wait is taken as a sum of ``completions`` service completions (relative spread
    ``cv / sqrt(completions)``) plus a share of model error, gamma distributed.
    """
    relative = math.sqrt(cv**2 / max(1, completions) + model_error**2)
    relative = max(relative, MIN_SPREAD_MIN / expected_min / Z80)
    low, high = (_gamma_point(expected_min, relative, z) for z in (-Z80, Z80))
    return low, high


def _gamma_point(mean: float, relative_sd: float, z: float) -> float:
    """A quantile of the gamma distribution of this mean and spread (Wilson-Hilferty)."""
    shape = 1.0 / relative_sd**2
    h = 1.0 / (9.0 * shape)
    return max(0.0, mean * (1.0 - h + z * math.sqrt(h)) ** 3)
