"""How good the wait estimate was on a simulated day, against two common baselines.

For every ticket that was given an estimate at arrival and was later called:

* ours: :func:`lobby.estimate.predict`'s expected wait, and whether the actual wait
  fell inside its printed range (``low_min`` .. ``high_min``);
* industry formula: mean service time x position in the service's line / counters
  open for the service (position = people ahead + 1, the customer's own place);
* last customer: the wait of the service's most recently called customer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from lobby.simulate.model import SimTicket


@dataclass(frozen=True)
class EstimateAccuracy:
    """Mean absolute errors (minutes) and the share of actual waits inside our range."""

    tickets: int
    mae_min: float
    coverage: float
    industry_mae_min: float
    last_customer_mae_min: float
    mean_wait_min: float
    rough_share: float = 0.0
    mean_range_min: float = 0.0

    @property
    def share_of_wait(self) -> float:
        """Our mean absolute error as a share of the mean wait."""
        return self.mae_min / self.mean_wait_min if self.mean_wait_min else 0.0

    @property
    def ratio_to_industry(self) -> float:
        """Our mean absolute error against the industry formula's."""
        return self.mae_min / self.industry_mae_min if self.industry_mae_min else 0.0

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        data = asdict(self) | {
            "share_of_wait": self.share_of_wait,
            "ratio_to_industry": self.ratio_to_industry,
        }
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in data.items()}


def industry_formula(ticket: SimTicket) -> float:
    """Mean service time x position / counters open, as many queue systems print it."""
    return ticket.mean_service_min * (ticket.fifo_ahead + 1) / max(1, ticket.counters_open)


def estimate_accuracy(tickets: Iterable[SimTicket]) -> EstimateAccuracy:
    """Compare the estimates recorded at arrival with the waits that followed."""
    rows = [t for t in tickets if t.estimate is not None and t.called is not None]
    if not rows:
        return EstimateAccuracy(0, 0.0, 0.0, 0.0, 0.0, 0.0)
    ours = industry = last = inside = total_wait = rough = width = 0.0
    for t in rows:
        assert t.estimate is not None
        assert t.called is not None
        wait = t.called - t.queued
        total_wait += wait
        ours += abs(t.estimate.expected_min - wait)
        industry += abs(industry_formula(t) - wait)
        last += abs((t.last_wait_min or 0.0) - wait)
        inside += t.estimate.low_min <= wait <= t.estimate.high_min
        rough += t.estimate.rough
        width += t.estimate.high_min - t.estimate.low_min
    n = len(rows)
    return EstimateAccuracy(
        n, ours / n, inside / n, industry / n, last / n, total_wait / n, rough / n, width / n
    )
