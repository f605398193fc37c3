"""Wait estimates: a pure replay of the routing rule, and its live database adapter.

* :func:`predict` over a :class:`QueueSnapshot` (plain data) is what the simulator
  and the live branch share.
* :func:`estimate_wait` (one ticket) and :func:`arrival_estimates` (a customer joining
  each service now) read the database; the screens' queue records built on them are
  in :mod:`lobby.queries.queues`.
"""

from typing import TYPE_CHECKING

from lobby.lazy import lazy_exports

if TYPE_CHECKING:
    from lobby.estimate.core import predict, wait_range
    from lobby.estimate.live import arrival_estimates, estimate_wait, live_snapshot
    from lobby.estimate.snapshot import (
        OpenCounter,
        Prediction,
        QueueSnapshot,
        ServiceRates,
        WaitEstimate,
        service_rates,
    )
else:  # imported on first use (lobby/lazy.py)
    __getattr__ = lazy_exports(
        __name__,
        {
            "core": (
                "predict",
                "wait_range",
            ),
            "live": (
                "arrival_estimates",
                "estimate_wait",
                "live_snapshot",
            ),
            "snapshot": (
                "OpenCounter",
                "Prediction",
                "QueueSnapshot",
                "ServiceRates",
                "WaitEstimate",
                "service_rates",
            ),
        },
    )

__all__ = [
    "OpenCounter",
    "Prediction",
    "QueueSnapshot",
    "ServiceRates",
    "WaitEstimate",
    "arrival_estimates",
    "estimate_wait",
    "live_snapshot",
    "predict",
    "service_rates",
    "wait_range",
]
