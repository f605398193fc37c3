"""Staffing advice: the fewest counters per hour that meet a service-level target.

Counters are grouped by work profile (the scenario's counters say which profiles
exist and how many counters of each the branch has). For each hour:

1. Erlang C gives a first guess per profile: the arrivals of each service are shared
   among the profiles that serve it first (tier 1), and the fewest servers whose
   Erlang C service level reaches the target are taken (at least one while the
   profile has work).
2. The day is simulated with that schedule on a few seeds (same customers for every
   candidate schedule). While an hour misses the target (share of the tickets that
   joined in that hour and were called within ``target_wait_min``), one counter is
   added in that hour to the profile whose customers waited too long most often.
3. Counters are then taken away one at a time, hour by hour, wherever every hour
   still meets the target without them.

:func:`advise_from_history` builds the day from the branch's own tickets of the same
weekday in recent weeks, for the manager app.
"""

from __future__ import annotations

import math
from collections import Counter as Tally
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from lobby import erlang
from lobby.clock import zone
from lobby.errors import InvalidInput
from lobby.simulate.history import model_from_history
from lobby.simulate.model import (
    CounterPlan,
    DayModel,
    DayResult,
    ServicePlan,
    simulate,
)

HOUR = 60.0
MAX_ROUNDS = 60
#: Only hours this far above the target level are tried with a counter fewer.
TRIM_MARGIN = 0.03


@dataclass(frozen=True)
class HourAdvice:
    """One hour of the advice.

    Attributes:
        hour: Local start of the hour, "HH:MM".
        visits: Expected arrivals in the hour (all services).
        erlang_counters: Counters by the Erlang C first guess.
        counters: Counters advised, checked by simulation.
        by_profile: Advised counters per work profile.
        service_level: Simulated share of the hour's tickets called within the target.
        mean_wait_min: Simulated mean wait of the hour's tickets.
    """

    hour: str
    visits: float
    erlang_counters: int
    counters: int
    by_profile: dict[str, int]
    service_level: float | None
    mean_wait_min: float | None


@dataclass(frozen=True)
class Advice:
    """Counters per hour for a day, and whether the target is met in every hour."""

    scenario: str
    target_wait_min: float
    level: float
    seeds: int
    hours: tuple[HourAdvice, ...]
    met: bool
    counter_hours: float
    erlang_counter_hours: float
    notes: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict with stable keys."""
        return asdict(self)


Schedule = dict[str, list[int]]  # profile -> counters open in each hour


def advise(
    model: DayModel,
    *,
    target_wait_min: float = 10.0,
    level: float = 0.8,
    seeds: int = 3,
    extra_counters: int = 3,
) -> Advice:
    """The fewest counters per hour (by work profile) that meet the target, simulation-checked.

    Args:
        model: The day (its counters say which profiles exist and how many of each
            the branch has).
        target_wait_min: The wait the level refers to.
        level: Share of customers to call within ``target_wait_min`` (0 < level < 1).
        seeds: Simulated days each candidate schedule is checked on.
        extra_counters: How many counters per profile the advice may add beyond the
            branch's own (a note says when it does).

    Raises:
        InvalidInput: A target or level out of range, or no counters to plan.
    """
    if not 0 < level < 1:
        raise InvalidInput(f"level must be between 0 and 1, not {level}")
    if target_wait_min <= 0:
        raise InvalidInput(f"target wait must be more than 0 minutes, not {target_wait_min}")
    if not 1 <= seeds <= 50:
        raise InvalidInput(f"seeds must be between 1 and 50, not {seeds}")
    if not model.counters:
        raise InvalidInput("the scenario has no counters to plan")
    hours = max(1, math.ceil(model.close_min / HOUR))
    profiles = _profiles(model)
    own = Tally(c.label for c in model.counters)
    available = Tally({p: n + max(0, extra_counters) for p, n in own.items()})
    notes: list[str] = []
    guess = _erlang_guess(model, profiles, available, hours, target_wait_min, level, notes)
    schedule = {p: list(counts) for p, counts in guess.items()}
    check = _Checker(model, profiles, hours, target_wait_min, seeds)
    levels, late = check(schedule)
    rounds = 0
    while rounds < MAX_ROUNDS:
        failing = [h for h in range(hours) if levels[h] is not None and levels[h] < level]  # type: ignore[operator]
        if not failing:
            break
        rounds += 1
        hour = failing[0]
        choice = _profile_to_add(late[hour], profiles, schedule, available, hour)
        if choice is None:
            notes.append(
                f"{_clock(model, hour)}: every counter is open and the target is still missed"
            )
            # nothing more to add in this hour; look at the later hours only
            if all(_full(schedule, available, h) for h in failing):
                break
            for h in failing:
                if not _full(schedule, available, h):
                    choice = _profile_to_add(late[h], profiles, schedule, available, h)
                    hour = h
                    break
            if choice is None:
                break
        schedule[choice][hour] += 1
        levels, late = check(schedule)
    met = all(v is None or v >= level for v in levels)
    if met:
        schedule, levels = _trim(schedule, guess, levels, check, level, hours)
    for p, counts in schedule.items():
        for h, n in enumerate(counts):
            if n > own[p]:
                notes.append(
                    f"{_clock(model, h)}: {n} counters of profile {p} advised;"
                    f" the branch has {own[p]}"
                )
    details = check.details(schedule)
    result_hours = []
    for h in range(hours):
        result_hours.append(
            HourAdvice(
                hour=_clock(model, h),
                visits=round(_visits(model, h), 1),
                erlang_counters=sum(guess[p][h] for p in guess),
                counters=sum(schedule[p][h] for p in schedule),
                by_profile={p: schedule[p][h] for p in schedule},
                service_level=None if levels[h] is None else round(levels[h] or 0.0, 3),
                mean_wait_min=details[h],
            )
        )
    return Advice(
        scenario=model.name,
        target_wait_min=target_wait_min,
        level=level,
        seeds=seeds,
        hours=tuple(result_hours),
        met=met,
        counter_hours=float(sum(sum(v) for v in schedule.values())),
        erlang_counter_hours=float(sum(sum(v) for v in guess.values())),
        notes=tuple(dict.fromkeys(notes)),
    )


def _profiles(model: DayModel) -> dict[str, Mapping[int, int]]:
    profiles: dict[str, Mapping[int, int]] = {}
    for counter in model.counters:
        profiles.setdefault(counter.label, counter.tiers)
    return profiles


def _clock(model: DayModel, hour: int) -> str:
    moment = model.start + timedelta(minutes=hour * HOUR)
    return moment.astimezone(zone(model.timezone)).strftime("%H:%M")


def _rate(plan: ServicePlan, hour: int) -> float:
    """Mean arrivals per minute of a service in an hour."""
    a, b = hour * HOUR, (hour + 1) * HOUR
    total = sum(max(0.0, min(b, e) - max(a, s)) * r for s, e, r in plan.rates)
    return total / HOUR


def _visits(model: DayModel, hour: int) -> float:
    return sum(_rate(p, hour) * HOUR for p in model.services)


def _erlang_guess(
    model: DayModel,
    profiles: Mapping[str, Mapping[int, int]],
    available: Mapping[str, int],
    hours: int,
    target: float,
    level: float,
    notes: list[str],
) -> Schedule:
    guess: Schedule = {p: [0] * hours for p in profiles}
    for hour in range(hours):
        rate: dict[str, float] = defaultdict(float)
        load: dict[str, float] = defaultdict(float)
        for plan in model.services:
            lam = _rate(plan, hour)
            if lam <= 0:
                continue
            tiers = [t[plan.service_id] for t in profiles.values() if plan.service_id in t]
            if not tiers:
                continue
            best = min(tiers)
            takers = [p for p, t in profiles.items() if t.get(plan.service_id) == best]
            weight = sum(available[p] for p in takers)
            for p in takers:
                share = available[p] / weight
                rate[p] += lam * share
                load[p] += lam * share * plan.time.mean_min
        for p in profiles:
            if rate[p] <= 0:
                continue
            mean = load[p] / rate[p]
            try:
                needed = erlang.servers_needed(rate[p], mean, target, level)
            except ValueError:
                needed = available[p] + 1
            guess[p][hour] = max(1, min(needed, available[p]))
    return guess


class _Checker:
    """Simulates a schedule on fixed seeds and measures each hour's service level."""

    def __init__(
        self,
        model: DayModel,
        profiles: Mapping[str, Mapping[int, int]],
        hours: int,
        target: float,
        seeds: int,
    ) -> None:
        self.model, self.profiles, self.hours = model, profiles, hours
        self.target, self.seeds = target, seeds
        self.services = {p.service_id: p for p in model.services}
        self._cache: dict[tuple[tuple[int, ...], ...], list[DayResult]] = {}

    def _runs(self, schedule: Schedule) -> list[DayResult]:
        key = tuple(tuple(schedule[p]) for p in sorted(schedule))
        if key not in self._cache:
            day = replace(self.model, counters=tuple(self._counters(schedule)))
            self._cache[key] = [simulate(day, seed) for seed in range(1, self.seeds + 1)]
        return self._cache[key]

    def _counters(self, schedule: Schedule) -> list[CounterPlan]:
        counters: list[CounterPlan] = []
        for profile in sorted(schedule):
            counts = schedule[profile]
            for j in range(max(counts, default=0)):
                intervals: list[tuple[float, float]] = []
                for hour, n in enumerate(counts):
                    if n <= j:
                        continue
                    start, end = hour * HOUR, min((hour + 1) * HOUR, self.model.close_min)
                    if intervals and intervals[-1][1] == start:
                        intervals[-1] = (intervals[-1][0], end)
                    else:
                        intervals.append((start, end))
                if intervals:
                    counters.append(
                        CounterPlan(
                            len(counters) + 1, profile, self.profiles[profile], tuple(intervals)
                        )
                    )
        return counters

    def __call__(self, schedule: Schedule) -> tuple[list[float | None], list[Tally[int]]]:
        """Per hour: the service level (None without tickets) and late tickets per service."""
        within = [0] * self.hours
        total = [0] * self.hours
        late: list[Tally[int]] = [Tally() for _ in range(self.hours)]
        for result in self._runs(schedule):
            for t in result.tickets:
                hour = min(self.hours - 1, int(t.queued // HOUR))
                total[hour] += 1
                wait = t.wait_min
                if wait is not None and wait <= self.target:
                    within[hour] += 1
                else:
                    late[hour][t.service_id] += 1
        levels = [within[h] / total[h] if total[h] else None for h in range(self.hours)]
        return levels, late

    def details(self, schedule: Schedule) -> list[float | None]:
        """Mean wait of each hour's tickets under ``schedule``."""
        waits: list[list[float]] = [[] for _ in range(self.hours)]
        for result in self._runs(schedule):
            for t in result.tickets:
                if t.wait_min is not None:
                    waits[min(self.hours - 1, int(t.queued // HOUR))].append(t.wait_min)
        return [round(sum(w) / len(w), 2) if w else None for w in waits]


def _full(schedule: Schedule, available: Mapping[str, int], hour: int) -> bool:
    return all(schedule[p][hour] >= available[p] for p in schedule)


def _profile_to_add(
    late: Tally[int],
    profiles: Mapping[str, Mapping[int, int]],
    schedule: Schedule,
    available: Mapping[str, int],
    hour: int,
) -> str | None:
    """The profile with spare counters whose tier-1 services had the most late tickets."""
    best, best_score = None, -1.0
    for profile, tiers in profiles.items():
        if schedule[profile][hour] >= available[profile]:
            continue
        score = sum(n / tiers[s] ** 2 for s, n in late.items() if s in tiers)
        if score > best_score:
            best, best_score = profile, score
    return best


def _trim(
    schedule: Schedule,
    guess: Schedule,
    levels: list[float | None],
    check: _Checker,
    level: float,
    hours: int,
) -> tuple[Schedule, list[float | None]]:
    """Take counters away wherever every hour still meets the target without them.

    An hour whose level is within :data:`TRIM_MARGIN` of the target is left alone: a
    counter fewer there would almost surely miss it, and each try costs a simulation.
    """
    for hour in range(hours):
        for profile in sorted(schedule):
            while schedule[profile][hour] > 1:
                current = levels[hour]
                if current is not None and current < level + TRIM_MARGIN:
                    break
                trial = {p: list(v) for p, v in schedule.items()}
                trial[profile][hour] -= 1
                trial_levels, _ = check(trial)
                if all(v is None or v >= level for v in trial_levels):
                    schedule, levels = trial, trial_levels
                else:
                    break
    return schedule, levels


# --- from the branch's own history ---------------------------------------------------


def advise_from_history(
    session: Session,
    day: date | None = None,
    *,
    now: datetime,
    weeks: int = 4,
    target_wait_min: float = 10.0,
    level: float = 0.8,
    seeds: int = 3,
) -> Advice:
    """Advise counters per hour for ``day`` from the same weekday of the last ``weeks`` weeks.

    Arrivals per service and local hour are averaged over those days (first tickets by
    ``issued_at``; transfers come back as a share), service times come from finished
    tickets (mean and spread per service, the configured mean where none finished),
    priority categories, no-shows and transfers from their shares. The branch's active
    counters and work profiles bound the advice. One query reads the history; the rest
    is simulation (a second or two for a busy branch with the default 3 seeds).

    Args:
        session: A session that can read the branch.
        day: The business day to advise for; tomorrow (after ``now``) by default.
        now: The current time (aware).
        weeks: How many past same weekdays to learn from.
        target_wait_min: The wait the level refers to.
        level: Share of customers to call within the target.
        seeds: Simulated days each candidate schedule is checked on.

    Raises:
        InvalidInput: Bad arguments, or no tickets on those days to learn from.
    """
    model = model_from_history(session, day, now=now, weeks=weeks)
    return advise(model, target_wait_min=target_wait_min, level=level, seeds=seeds)
