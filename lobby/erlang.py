"""Erlang C: waits in a stationary M/M/c queue, the staffing rule of thumb.

Poisson arrivals at rate ``arrival_rate``, exponential service of mean ``mean_service``
(both in the same time unit), ``servers`` identical servers, first come first served.
The offered load is ``a = arrival_rate * mean_service``; the queue is stable only
while ``a < servers``.

The probability of waiting is computed through the Erlang B recursion
``B(k) = a B(k-1) / (k + a B(k-1))``, which never forms ``a**c`` or ``c!`` and so
stays exact for hundreds of servers, then ``C = c B / (c - a (1 - B))``.
"""

from __future__ import annotations

import math


def offered_load(arrival_rate: float, mean_service: float) -> float:
    """Erlangs of work arriving per unit of time (``arrival_rate * mean_service``)."""
    if arrival_rate < 0 or mean_service <= 0:
        raise ValueError("arrival rate must be >= 0 and mean service time > 0")
    return arrival_rate * mean_service


def erlang_b(servers: int, load: float) -> float:
    """Blocking probability of an M/M/c/c system (Erlang B)."""
    if servers < 0 or load < 0:
        raise ValueError("servers and load must not be negative")
    b = 1.0
    for k in range(1, servers + 1):
        b = load * b / (k + load * b)
    return b


def wait_probability(servers: int, load: float) -> float:
    """Probability that an arrival has to wait (Erlang C); 1.0 when the queue is unstable."""
    if servers < 1:
        raise ValueError("at least one server is needed")
    if load >= servers:
        return 1.0
    if load == 0:
        return 0.0
    b = erlang_b(servers, load)
    return servers * b / (servers - load * (1.0 - b))


def mean_wait(arrival_rate: float, mean_service: float, servers: int) -> float:
    """Mean time in queue (before service starts); ``inf`` when the queue is unstable."""
    load = offered_load(arrival_rate, mean_service)
    if load >= servers:
        return math.inf
    if load == 0:
        return 0.0
    return wait_probability(servers, load) * mean_service / (servers - load)


def service_level(arrival_rate: float, mean_service: float, servers: int, target: float) -> float:
    """Share of arrivals whose wait is at most ``target`` (0.0 when unstable)."""
    load = offered_load(arrival_rate, mean_service)
    if load >= servers:
        return 0.0
    pw = wait_probability(servers, load)
    return 1.0 - pw * math.exp(-(servers - load) * target / mean_service)


def servers_needed(
    arrival_rate: float,
    mean_service: float,
    target: float,
    level: float,
    *,
    max_servers: int = 1000,
) -> int:
    """The fewest servers whose service level for ``target`` reaches ``level``.

    Args:
        arrival_rate: Arrivals per unit of time.
        mean_service: Mean service time, same unit.
        target: The wait the level refers to (e.g. 10 minutes), same unit.
        level: The share that must wait at most ``target`` (0 < level < 1).
        max_servers: Give up beyond this many.

    Raises:
        ValueError: Bad arguments, or more than ``max_servers`` would be needed.
    """
    if not 0 < level < 1:
        raise ValueError(f"service level must be between 0 and 1, not {level}")
    if target < 0:
        raise ValueError("target wait must not be negative")
    load = offered_load(arrival_rate, mean_service)
    if load == 0:
        return 0
    servers = max(1, math.floor(load) + 1)
    while servers <= max_servers:
        if service_level(arrival_rate, mean_service, servers, target) >= level:
            return servers
        servers += 1
    raise ValueError(f"more than {max_servers} servers would be needed")
