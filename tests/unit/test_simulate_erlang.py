"""The simulator against theory: stationary M/M/c waits match Erlang C within 5 %.

Each configuration pools 8 fixed seeds of about 50,000 customers each (the first
500 minutes of a run, while the empty branch fills, are left out). Near saturation a
single run's mean wait still swings by several per cent, so the pooled mean is what is
compared; with 400,000 customers its standard error is about 1-2 %.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from lobby import erlang
from lobby.simulate import CounterPlan, DayModel, Distribution, ServicePlan, simulate

MEAN_SERVICE_MIN = 5.0
CUSTOMERS_PER_SEED = 50_000
SEEDS = range(1, 9)
WARM_UP_MIN = 500.0


def mmc(servers: int, utilisation: float) -> DayModel:
    rate = servers * utilisation / MEAN_SERVICE_MIN
    minutes = CUSTOMERS_PER_SEED / rate
    return DayModel(
        name=f"M/M/{servers}",
        start=datetime(2026, 11, 24, 1, 0, tzinfo=UTC),
        close_min=minutes,
        services=(
            ServicePlan(
                1,
                "cash",
                ((0.0, minutes, rate),),
                Distribution("exponential", MEAN_SERVICE_MIN),
                MEAN_SERVICE_MIN,
                10.0,
            ),
        ),
        counters=tuple(
            CounterPlan(i + 1, "cash", {1: 1}, ((0.0, minutes),)) for i in range(servers)
        ),
    )


@pytest.mark.parametrize(("servers", "utilisation"), [(2, 0.7), (5, 0.75), (10, 0.8)])
def test_mean_wait_matches_erlang_c(servers: int, utilisation: float) -> None:
    model = mmc(servers, utilisation)
    total = count = 0.0
    for seed in SEEDS:
        for t in simulate(model, seed).tickets:
            if t.queued >= WARM_UP_MIN and t.wait_min is not None:
                total += t.wait_min
                count += 1
    simulated = total / count
    theory = erlang.mean_wait(servers * utilisation / MEAN_SERVICE_MIN, MEAN_SERVICE_MIN, servers)
    print(
        f"\nM/M/{servers} rho={utilisation}: simulated {simulated:.3f} min over {count:.0f}"
        f" customers, Erlang C {theory:.3f} min ({simulated / theory - 1:+.1%})"
    )
    assert simulated == pytest.approx(theory, rel=0.05)
