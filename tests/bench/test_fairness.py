"""Fairness of the routing rule with about 20 % priority traffic, against FIFO and strict priority.

The same simulated days (same customers, same service times: the seed draws them
before any routing) are served three ways:

* ours: :func:`lobby.routing.choose_next` with the branch's policy (head starts plus
  interleave), exactly as the engine calls;
* FIFO: the same function with no head starts and no interleave;
* strict priority: the same function with head starts so large that a priority
  customer always goes first, and no interleave.

Targets: priority customers' mean wait <= 40 % of regular customers' (ours), and
regular customers' longest wait <= ``REGULAR_MAX_TO_FIFO`` (1.1) x FIFO's over all the
days, the figure ``lobby/routing.py`` and the README state. The table also shows each scenario
alone, and the default head starts multiplied by 3 and 6, the evidence for tuning.
Transfers count as priority (they carry a head start). Figures in
``benchmark.extra_info``, printed past capture.
"""

from __future__ import annotations

from typing import Any

import pytest

from lobby.routing import DEFAULT_HEAD_START_MIN, REGULAR_MAX_TO_FIFO, RoutingPolicy
from lobby.simulate import SCENARIOS, SimTicket, load_scenario, simulate

DAYS = [("weekday", seed) for seed in range(1, 7)] + [("month_start", s) for s in (1, 2)]
STRICT = RoutingPolicy(head_start_min={c: 10_000.0 for c in DEFAULT_HEAD_START_MIN}, interleave=0)
FIFO = RoutingPolicy(head_start_min={}, interleave=0)
#: Candidates for tuning: the default head starts multiplied by these factors
#: (1/4 gives the first defaults, ten minutes for the elderly).
SCALES = (1 / 4, 1 / 2, 2)


def scaled(policy: RoutingPolicy, factor: float) -> RoutingPolicy:
    heads = {c: m * factor for c, m in policy.head_start_min.items()}
    return RoutingPolicy(heads, policy.interleave, policy.appointment_grace_min)


def figures(days: list[list[SimTicket]]) -> dict[str, float]:
    priority = [t.wait_min for d in days for t in d if t.is_priority and t.wait_min is not None]
    regular = [t.wait_min for d in days for t in d if not t.is_priority and t.wait_min is not None]
    worst = [max(t.wait_min or 0.0 for t in d if not t.is_priority) for d in days]
    return {
        "priority_share": len(priority) / (len(priority) + len(regular)),
        "priority_mean_min": sum(priority) / len(priority),
        "regular_mean_min": sum(regular) / len(regular),
        "regular_max_min": max(worst),
        "regular_max_mean_of_days_min": sum(worst) / len(worst),
    }


def test_fairness(benchmark: Any, capsys: pytest.CaptureFixture[str]) -> None:
    runs: dict[str, list[list[SimTicket]]] = {}

    def run() -> None:
        runs.clear()
        for name, seed in DAYS:
            _, model = load_scenario(SCENARIOS / f"{name}.toml")
            policies = [("ours", model.policy), ("fifo", FIFO), ("strict", STRICT)]
            policies += [(f"ours x{k:.2g}", scaled(model.policy, k)) for k in SCALES]
            for label, policy in policies:
                tickets = list(simulate(model, seed, policy=policy).tickets)
                runs.setdefault(label, []).append(tickets)
                runs.setdefault(f"{label} [{name}]", []).append(tickets)

    benchmark.pedantic(run, rounds=1, iterations=1)
    order = sorted(runs, key=lambda label: ("[" in label, label.split(" [")[-1], label))
    table = {label: figures(runs[label]) for label in order}
    for label in table:
        f = table[label]
        f["priority_to_regular"] = f["priority_mean_min"] / f["regular_mean_min"]
        fifo = table[label.replace(label.split(" [")[0], "fifo")] if "[" in label else table["fifo"]
        f["regular_max_to_fifo"] = f["regular_max_min"] / fifo["regular_max_min"]
    ours = table["ours"]
    met = {
        "priority_mean_le_40pct_of_regular": ours["priority_to_regular"] <= 0.4,
        "regular_max_within_bound_of_fifo": ours["regular_max_to_fifo"] <= REGULAR_MAX_TO_FIFO,
    }
    benchmark.extra_info.update(
        {
            "days": [f"{name} seed {seed}" for name, seed in DAYS],
            "table": {k: {n: round(v, 3) for n, v in f.items()} for k, f in table.items()},
            "targets_met": met,
        }
    )
    with capsys.disabled():
        print(f"\n  {len(DAYS)} simulated days, minutes of waiting")
        print(
            f"  {'routing':<26}{'prio share':>11}{'prio mean':>10}{'reg mean':>9}"
            f"{'prio/reg':>9}{'reg max':>9}{'max/FIFO':>9}"
        )
        for label, f in table.items():
            print(
                f"  {label:<26}{f['priority_share']:>11.1%}{f['priority_mean_min']:>10.2f}"
                f"{f['regular_mean_min']:>9.2f}{f['priority_to_regular']:>9.0%}"
                f"{f['regular_max_min']:>9.1f}{f['regular_max_to_fifo']:>9.2f}"
            )
        print(f"  targets met: {met}")
    # the regular customers' bound holds; the priority target is reported, not asserted
    assert met["regular_max_within_bound_of_fifo"], ours["regular_max_to_fifo"]
    assert ours["priority_to_regular"] < table["fifo"]["priority_to_regular"]
