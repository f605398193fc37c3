"""The plain data a wait estimate is computed from: a snapshot of the queue and its rates.

Both the live branch (:mod:`lobby.estimate.live`) and the simulator build these.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from lobby.estimate.calibration import Calibration
from lobby.routing import Candidate, RoutingPolicy

#: The configured mean service time counts as much as this many recent finishes.
PRIOR_TICKETS = 10
#: Minutes of one slot of the expected arrival profile.
PROFILE_SLOT_MIN = 30.0


@dataclass(frozen=True)
class WaitEstimate:
    """A predicted wait.

    Attributes:
        ahead: Waiting tickets that the routing rule will call before this one at the
            counters serving its service.
        low_min: Lower end of the range (whole minutes, rounded down).
        high_min: Upper end of the range (whole minutes, rounded up); nominally 80 %
            of customers are called within ``low_min``..``high_min``.
        expected_min: The expected wait in minutes.
        rough: The estimate has little to go on (the first minutes of the day, a
            service with no recent finishes, no counter serving it, too few past
            estimates to check the range against): the range is wide, and surfaces
            say "about".
        model_min: The replay's own expected wait, before the branch's recent errors
            corrected it: what is stored at issue and later compared with the actual
            wait (:mod:`lobby.estimate.calibration`).
        unserved: No counter that is open or on a break (a teller signed in) serves
            the service: nobody calls the ticket until one opens, and every surface
            says so instead of a range or "you're next".
    """

    ahead: int
    low_min: int
    high_min: int
    expected_min: float = 0.0
    rough: bool = False
    model_min: float | None = None
    unserved: bool = False


@dataclass(frozen=True)
class ServiceRates:
    """What the estimate knows of one service right now.

    Attributes:
        mean_service_min: Mean service time (recent, shrunk toward the configured mean).
        cv: Coefficient of variation of service times.
        arrivals_per_min: Recent arrival rate.
        priority_share: Share of recent arrivals in a priority class.
        categories: Those arrivals' shares by priority category (``"transfer"`` for a
            transfer's next ticket), so that the customers expected to come get the
            head start of those who came; empty: the priority share all in the
            category with the greatest head start.
        expected_per_min: The time of day: arrivals per minute that history expects in
            each :data:`PROFILE_SLOT_MIN`-minute slot from now on (empty: keep the
            recent rate). They are scaled by how today's recent rate compares with
            ``expected_recent_per_min``, history's rate for the same recent window.
        expected_recent_per_min: History's rate over the recent window.
        recent_window_min: Length of the recent window.
        arrived_today: Tickets queued for the service so far today.
        expected_today: How many history expected by now: with ``arrived_today``, how
            far today runs above or below the usual day, trusted the more of today
            has been seen.
        finished_today: Tickets of the service finished today (none: the service
            time is only the configured one, and the estimate says it is rough).
    """

    mean_service_min: float
    cv: float = 1.0
    arrivals_per_min: float = 0.0
    priority_share: float = 0.0
    categories: tuple[tuple[str, float], ...] = ()
    expected_per_min: tuple[float, ...] = ()
    expected_recent_per_min: float = 0.0
    recent_window_min: float = 30.0
    arrived_today: int = 0
    expected_today: float = 0.0
    finished_today: int = 0


@dataclass(frozen=True)
class OpenCounter:
    """A counter open for calls, as the estimate sees it.

    Attributes:
        counter_id: Its id (the one routing's ``target_counter_id`` uses).
        tiers: service id -> tier, from its work profile.
        busy_service_id: The service of the customer it is serving, if any.
        busy_since: When that customer was called.
        recent_calls_priority: Its latest calls, newest first: priority or not.
        on_break: The counter is on a break (or not open yet): back when the
            absence of ``away`` that covers now ends, else in :data:`BREAK_RETURN_MIN`.
        away: Absences already scheduled, as (from, until) moments; ``until`` is
            ``None`` when the counter closes for the day. The counter calls nobody
            during one (it finishes the customer it is serving).
    """

    counter_id: int
    tiers: Mapping[int, int]
    busy_service_id: int | None = None
    busy_since: datetime | None = None
    recent_calls_priority: tuple[bool, ...] = ()
    on_break: bool = False
    away: tuple[tuple[datetime, datetime | None], ...] = ()


@dataclass(frozen=True)
class QueueSnapshot:
    """The plain data one estimate needs.

    Attributes:
        now: The moment of the estimate.
        waiting: Every waiting ticket of the day.
        counters: The counters open for calls, and those on a break.
        services: service id -> its rates; every service of ``waiting`` must be here.
        policy: The routing policy in force.
        calibration: The branch's recent estimates against the waits that followed,
            which set the ranges; without it the ranges are the model's own, flagged
            rough.
    """

    now: datetime
    waiting: Sequence[Candidate]
    counters: Sequence[OpenCounter]
    services: Mapping[int, ServiceRates]
    policy: RoutingPolicy = field(default_factory=RoutingPolicy)
    calibration: Calibration | None = None


@dataclass(frozen=True)
class Prediction:
    """Estimates for waiting tickets and for a new regular arrival in each asked service."""

    tickets: dict[int, WaitEstimate]
    new_arrivals: dict[int, WaitEstimate]


def service_rates(
    configured_mean_min: float,
    recent_service_min: Sequence[float] = (),
    *,
    arrivals: int = 0,
    priority_arrivals: int = 0,
    window_min: float = 30.0,
    expected_per_min: tuple[float, ...] = (),
    expected_recent_per_min: float = 0.0,
    arrived_today: int = 0,
    expected_today: float = 0.0,
    finished_today: int | None = None,
    categories: Mapping[str, int] | None = None,
) -> ServiceRates:
    """Rates of a service from what happened recently.

    Args:
        configured_mean_min: The service's configured mean service time.
        recent_service_min: Durations of its latest finished tickets.
        arrivals: Tickets queued for it in the last ``window_min`` minutes.
        priority_arrivals: How many of those were in a priority class.
        window_min: Length of that window.
        expected_per_min: History's expected arrivals per minute, slot by slot from now.
        expected_recent_per_min: History's rate over the recent window.
        arrived_today: Tickets queued for it so far today.
        expected_today: Arrivals history expected by now.
        finished_today: Tickets finished today (default: the recent durations given).
        categories: How many of the recent arrivals came in each priority category.
    """
    n = len(recent_service_min)
    mean = (sum(recent_service_min) + PRIOR_TICKETS * configured_mean_min) / (n + PRIOR_TICKETS)
    cv = 1.0
    if n >= 5:
        recent_mean = sum(recent_service_min) / n
        variance = sum((x - recent_mean) ** 2 for x in recent_service_min) / n
        sample_cv = math.sqrt(variance) / max(1e-9, recent_mean)
        cv = (n * sample_cv + PRIOR_TICKETS * 1.0) / (n + PRIOR_TICKETS)
    rate = arrivals / window_min if window_min > 0 else 0.0
    share = priority_arrivals / arrivals if arrivals else 0.0
    mix = tuple(sorted((c, n / arrivals) for c, n in (categories or {}).items() if n and arrivals))
    return ServiceRates(
        mean,
        cv,
        rate,
        share,
        mix,
        expected_per_min,
        expected_recent_per_min,
        recent_window_min=window_min,
        arrived_today=arrived_today,
        expected_today=expected_today,
        finished_today=n if finished_today is None else finished_today,
    )
