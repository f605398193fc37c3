"""Scenario families for measuring the wait estimate, some held out from tuning.

Each family is a scenario file of ``resources/scenarios/`` (one shape of day) played
on several seeds (days). The estimate's constants were tuned on the ``tuning``
families only; the ``held-out`` ones are days of shapes it was never tuned on, and
their figures are reported apart. The split is fixed here, so that a change of it
shows in review. Every family but the normal weekday names ``weekday.toml`` as its
``history``: the branch's past weeks were normal weekdays, whatever today brings.

Every measured day starts from the residuals of one normal weekday before it
(:data:`WARM_UP_SEED`), as a live branch carries its recent days' errors.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from lobby.estimate.calibration import Calibration
from lobby.simulate.accuracy import EstimateAccuracy, estimate_accuracy
from lobby.simulate.day import SimTicket
from lobby.simulate.model import simulate
from lobby.simulate.scenario import SCENARIOS, load_scenario

Group = Literal["tuning", "held-out"]


@dataclass(frozen=True)
class Family:
    """A shape of day: its scenario file and whether the estimate was tuned on it."""

    name: str
    group: Group
    description: str

    @property
    def file(self) -> str:
        """The scenario file name."""
        return f"{self.name}.toml"


FAMILIES = (
    Family("weekday", "tuning", "normal weekday"),
    Family("month_start", "tuning", "month start, a quarter more visits"),
    Family("lunch_rush", "tuning", "lunch rush during the lunch breaks"),
    Family("rain", "tuning", "rain: fewer walk-ins, longer services"),
    Family("pension_day", "held-out", "surge at opening: pension day"),
    Family("early_close", "held-out", "counters closing early"),
    Family("staff_shortage", "held-out", "staff shortage"),
    Family("vip_heavy", "held-out", "VIP-heavy day"),
)
#: Seeds (days) per family in the full table; the benchmark plays the first one
#: unless ``LOBBY_ACCURACY_SEEDS`` names others (``tests/bench/test_estimate_accuracy.py``).
SEEDS = (1, 2)
#: The normal weekday played first, whose residuals every measured day starts from.
WARM_UP_SEED = 100
#: The family of that warm-up day: a tuning one, never a held-out one.
WARM_UP_FAMILY = "weekday"


@dataclass(frozen=True)
class FamilyAccuracy:
    """The estimate's accuracy on one family (or a group of them)."""

    name: str
    group: str
    days: int
    accuracy: EstimateAccuracy


def tuning_families() -> tuple[Family, ...]:
    """The families the estimate's constants may be chosen on."""
    return tuple(f for f in FAMILIES if f.group == "tuning")


def held_out_families() -> tuple[Family, ...]:
    """The families only ever measured, never tuned on."""
    return tuple(f for f in FAMILIES if f.group == "held-out")


def warm_calibration() -> Calibration:
    """The residuals of one normal weekday: what a branch knows before a measured day.

    It reads only a tuning family: the ranges of a held-out day must not start from
    that day's own kind of errors (``tests/unit/test_estimate_families.py``).
    """
    found = [f for f in tuning_families() if f.name == WARM_UP_FAMILY]
    if not found:
        raise ValueError(f"the warm-up family {WARM_UP_FAMILY!r} is not a tuning family")
    family = found[0]
    _, model = load_scenario(SCENARIOS / family.file)
    calibration = simulate(model, WARM_UP_SEED, estimates=True).calibration
    assert calibration is not None
    return calibration


def family_tickets(
    family: Family, seeds: Iterable[int], calibration: Calibration | None
) -> list[SimTicket]:
    """The tickets of a family's days, each day estimated from ``calibration`` on."""
    _, model = load_scenario(SCENARIOS / family.file)
    tickets: list[SimTicket] = []
    for seed in seeds:
        tickets.extend(simulate(model, seed, estimates=True, calibration=calibration).tickets)
    return tickets


def accuracy_table(
    families: Iterable[Family] = FAMILIES, seeds: Iterable[int] = SEEDS
) -> list[FamilyAccuracy]:
    """Accuracy per family, then per group (``tuning`` and ``held-out`` all days)."""
    seeds = tuple(seeds)
    calibration = warm_calibration()
    rows: list[FamilyAccuracy] = []
    pooled: dict[str, list[SimTicket]] = {}
    for family in families:
        tickets = family_tickets(family, seeds, calibration)
        pooled.setdefault(family.group, []).extend(tickets)
        rows.append(
            FamilyAccuracy(family.name, family.group, len(seeds), estimate_accuracy(tickets))
        )
    for group, tickets in pooled.items():
        days = sum(r.days for r in rows if r.group == group)
        rows.append(FamilyAccuracy(f"all {group}", group, days, estimate_accuracy(tickets)))
    return rows
