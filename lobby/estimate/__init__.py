"""Wait estimates: a pure replay of the routing rule, and its live database adapter.

* :func:`predict` over a :class:`QueueSnapshot` (plain data) is what the simulator
  and the live branch share.
* :func:`estimate_wait` (one ticket), :func:`arrival_estimates` (a customer joining
  each service now: greeter and hall display) and :func:`service_outlook` (the
  manager's live floor) read the database.
"""

from lobby.estimate.core import predict, wait_range
from lobby.estimate.live import (
    ServiceOutlook,
    arrival_estimates,
    estimate_wait,
    live_snapshot,
    service_outlook,
)
from lobby.estimate.snapshot import (
    OpenCounter,
    Prediction,
    QueueSnapshot,
    ServiceRates,
    WaitEstimate,
    service_rates,
)

__all__ = [
    "OpenCounter",
    "Prediction",
    "QueueSnapshot",
    "ServiceOutlook",
    "ServiceRates",
    "WaitEstimate",
    "arrival_estimates",
    "estimate_wait",
    "live_snapshot",
    "predict",
    "service_outlook",
    "service_rates",
    "wait_range",
]
