"""Figures of a simulated day: waits per service, in the terms of :mod:`lobby.reports`."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from lobby.simulate.model import DayResult, SimTicket


@dataclass(frozen=True)
class WaitFigures:
    """Waits of a group of tickets (minutes from joining the queue to the first call).

    Attributes:
        tickets: Tickets that joined the queue (a transfer's next hop counts apart).
        called: Tickets called (served or no-show).
        served: Tickets served to the end.
        no_show: Called tickets whose customer did not come.
        unserved: Tickets still waiting when the last counter closed.
        mean_wait_min: Mean wait of the called tickets.
        p90_wait_min: 90th percentile of those waits.
        max_wait_min: The longest of them.
        service_level: Share of called tickets called within ``target_wait_min``.
        target_wait_min: The target the level refers to (0: each service's own target).
    """

    tickets: int
    called: int
    served: int
    no_show: int
    unserved: int
    mean_wait_min: float | None
    p90_wait_min: float | None
    max_wait_min: float | None
    service_level: float | None
    target_wait_min: float


def percentile(values: Sequence[float], share: float) -> float:
    """The ``share`` quantile of ``values`` (nearest rank), which must not be empty."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def wait_figures(
    tickets: Iterable[SimTicket],
    target_wait_min: float,
    targets: Mapping[int, float] | None = None,
) -> WaitFigures:
    """The figures of ``tickets`` against ``target_wait_min``.

    Args:
        tickets: The group.
        target_wait_min: The target reported (and used when ``targets`` is not given).
        targets: service id -> target, to judge each ticket by its own service's target.
    """
    group = list(tickets)
    called = [t for t in group if t.wait_min is not None]
    waits = [t.called - t.queued for t in called if t.called is not None]
    within = sum(
        1
        for t, w in zip(called, waits, strict=True)
        if w <= (targets.get(t.service_id, target_wait_min) if targets else target_wait_min)
    )
    return WaitFigures(
        tickets=len(group),
        called=len(waits),
        served=sum(1 for t in group if t.ended is not None),
        no_show=sum(1 for t in group if t.called is not None and t.no_show),
        unserved=sum(1 for t in group if t.called is None),
        mean_wait_min=round(sum(waits) / len(waits), 2) if waits else None,
        p90_wait_min=round(percentile(waits, 0.9), 2) if waits else None,
        max_wait_min=round(max(waits), 2) if waits else None,
        service_level=(round(within / len(waits), 3) if waits else None),
        target_wait_min=target_wait_min,
    )


@dataclass(frozen=True)
class DaySummary:
    """A simulated day in figures: by service, in total, priority against regular."""

    scenario: str
    seed: int
    visits: int
    by_service: dict[str, WaitFigures]
    totals: WaitFigures
    priority: WaitFigures
    regular: WaitFigures

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict with stable keys."""
        return asdict(self)


def summarise(result: DayResult, target_wait_min: float | None = None) -> DaySummary:
    """Figures of a day; each service against its own target unless one is given."""
    by_service = {}
    for plan in result.model.services:
        target = target_wait_min or plan.target_wait_min
        by_service[plan.code] = wait_figures(
            (t for t in result.tickets if t.service_id == plan.service_id), target
        )
    overall = target_wait_min or 0.0
    own = (
        None
        if target_wait_min
        else {p.service_id: p.target_wait_min for p in result.model.services}
    )
    return DaySummary(
        scenario=result.model.name,
        seed=result.seed,
        visits=sum(1 for t in result.tickets if t.hop == 0),
        by_service=by_service,
        totals=wait_figures(result.tickets, overall, own),
        priority=wait_figures((t for t in result.tickets if t.is_priority), overall, own),
        regular=wait_figures((t for t in result.tickets if not t.is_priority), overall, own),
    )
