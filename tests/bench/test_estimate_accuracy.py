"""Accuracy of the wait estimate on simulated, non-stationary branch days.

Every ticket of each day gets, at the moment it joins the queue, our estimate
(:func:`lobby.estimate.predict`, replaying the routing rule), and the inputs of two
baselines computed in the same run on the same tickets:

* industry formula: mean service time x position in line / counters open for it;
* last customer: the wait of the service's most recently called customer.

The "tier-1 only" row leaves out services that no counter serves first (in the sample
branch: enquiries, tier 2 everywhere, called only when a counter's own line empties).

The actual wait is the simulated time to the first call. Reported: mean absolute
error of each, and the share of actual waits inside our printed range (nominally
80 %). Targets: ours <= 50 % of the industry formula's MAE and < 3 min; coverage
75-85 %. Figures go to ``benchmark.extra_info`` and are printed past output capture.
"""

from __future__ import annotations

from typing import Any

import pytest

from lobby.simulate import SCENARIOS, SimTicket, load_scenario, simulate
from lobby.simulate.accuracy import EstimateAccuracy, estimate_accuracy

DAYS = [("weekday", 1), ("weekday", 2), ("weekday", 3), ("month_start", 1)]


def simulated_days() -> dict[str, list[SimTicket]]:
    """Tickets of each scenario's days, and those of services some counter serves first."""
    tickets: dict[str, list[SimTicket]] = {}
    for name, seed in DAYS:
        _, model = load_scenario(SCENARIOS / f"{name}.toml")
        first = {s for c in model.counters for s, tier in c.tiers.items() if tier == 1}
        day = simulate(model, seed, estimates=True).tickets
        tickets.setdefault(name, []).extend(day)
        tickets.setdefault("tier-1 only", []).extend(t for t in day if t.service_id in first)
    return tickets


def row(name: str, a: EstimateAccuracy) -> str:
    return (
        f"  {name:<13}{a.tickets:>7}{a.mean_wait_min:>8.2f}{a.mae_min:>8.2f}"
        f"{a.industry_mae_min:>10.2f}{a.last_customer_mae_min:>10.2f}"
        f"{a.mae_min / a.industry_mae_min:>8.0%}{a.coverage:>9.1%}"
    )


def test_estimate_accuracy(benchmark: Any, capsys: pytest.CaptureFixture[str]) -> None:
    result: dict[str, list[SimTicket]] = {}

    def run() -> None:
        result.clear()
        result.update(simulated_days())

    benchmark.pedantic(run, rounds=1, iterations=1)
    by_day = {name: estimate_accuracy(tickets) for name, tickets in result.items()}
    overall = estimate_accuracy(
        [t for name, tickets in result.items() if name != "tier-1 only" for t in tickets]
    )
    info: dict[str, Any] = {
        "days": [f"{name} seed {seed}" for name, seed in DAYS],
        "overall": overall.to_json(),
        "by_scenario": {name: a.to_json() for name, a in by_day.items()},
        "ratio_to_industry": round(overall.mae_min / overall.industry_mae_min, 3),
        "targets": {
            "ratio_to_industry_max": 0.5,
            "mae_min_max": 3.0,
            "coverage": [0.75, 0.85],
        },
    }
    info["targets_met"] = {
        "ratio": info["ratio_to_industry"] <= 0.5,
        "mae": overall.mae_min < 3.0,
        "coverage": 0.75 <= overall.coverage <= 0.85,
    }
    benchmark.extra_info.update(info)
    with capsys.disabled():
        print("\n  wait estimate at issue vs actual wait (minutes)")
        print(
            f"  {'days':<13}{'tickets':>7}{'wait':>8}{'ours':>8}{'industry':>10}"
            f"{'last cust':>10}{'ratio':>8}{'coverage':>9}"
        )
        for name, a in by_day.items():
            print(row(name, a))
        print(row("all", overall))
        print(f"  targets met: {info['targets_met']}")
    # ours must beat both baselines; the targets themselves are reported, not asserted
    assert overall.mae_min < overall.industry_mae_min
    assert overall.mae_min < overall.last_customer_mae_min
