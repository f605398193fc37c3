"""Scenario files (TOML): a branch day to simulate, validated with pydantic.

A scenario names a branch file (services, counters, work profiles, routing policy)
and adds what the day brings: how many visits, how they spread over the day and over
the services, service-time distributions, priority categories, no-shows, transfers
and, optionally, its own counter schedule with breaks. ``history`` names another
scenario file: the kind of day the branch's past weeks were, which is all the wait
estimate may know in advance (its arrival profile and service means); without it the
estimate is told the day's own profile. See ``resources/scenarios/``.

:func:`load_scenario` reads and validates a file; :meth:`Scenario.compile` turns it
into a :class:`lobby.simulate.model.DayModel` in minutes after opening.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from lobby.clock import zone
from lobby.config import BranchConfig, load_branch_config
from lobby.errors import ConfigError
from lobby.resource_files import resource
from lobby.routing import DEFAULT_HEAD_START_MIN
from lobby.simulate.model import CounterPlan, DayModel, Distribution, ServicePlan
from lobby.validation import load_toml

SCENARIOS = resource("scenarios")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _minutes(text: str) -> float:
    """``"HH:MM"`` (up to ``"24:00"``) as minutes after midnight."""
    try:
        hours, minutes = text.split(":")
        value = int(hours) * 60 + int(minutes)
    except ValueError:
        raise ValueError(f"{text!r} is not a time of day HH:MM") from None
    if not 0 <= int(minutes) < 60 or not 0 <= value <= 24 * 60:
        raise ValueError(f"{text!r} is not a time of day HH:MM")
    return float(value)


class ServiceTime(_Strict):
    """A service-time distribution in minutes."""

    kind: Literal["exponential", "lognormal", "gamma", "fixed"] = "exponential"
    mean_min: float = Field(gt=0)
    cv: float = Field(default=1.0, ge=0, le=5)

    @model_validator(mode="after")
    def _cv_fits_kind(self) -> ServiceTime:
        if self.kind == "exponential" and self.cv != 1.0:
            raise ValueError("an exponential service time has cv = 1; use lognormal or gamma")
        if self.kind in ("lognormal", "gamma") and self.cv == 0:
            raise ValueError(f"a {self.kind} service time needs cv > 0; use kind = 'fixed'")
        return self


class ServiceMix(_Strict):
    """One service's part of the day."""

    code: str
    share: float = Field(ge=0)
    service_time: ServiceTime
    profile: dict[str, float] | None = None


class CounterSchedule(_Strict):
    """Counters of one work profile and when they are open."""

    profile: str | None = None
    tiers: tuple[tuple[str, ...], ...] | None = None
    count: int = Field(default=1, ge=1, le=200)
    opens: str | None = None
    closes: str | None = None
    breaks: tuple[tuple[str, str], ...] = ()

    @model_validator(mode="after")
    def _profile_or_tiers(self) -> CounterSchedule:
        if (self.profile is None) == (self.tiers is None):
            raise ValueError("give a counter either profile = '...' or tiers = [[...]]")
        return self


class Scenario(_Strict):
    """A whole scenario file."""

    name: str = Field(min_length=1)
    branch: str = "../branches/sample.toml"
    day: date = date(2026, 11, 24)
    opens: str = "09:00"
    closes: str = "17:00"
    visits: float = Field(gt=0, le=100_000)
    surge: float = Field(default=1.0, gt=0, le=10)
    profile: dict[str, float] = Field(default_factory=lambda: {"00:00": 1.0})
    services: tuple[ServiceMix, ...] = Field(min_length=1)
    categories: dict[str, float] = Field(default_factory=dict)
    no_show_share: float = Field(default=0.0, ge=0, lt=1)
    no_show_wait_min: float = Field(default=1.0, ge=0)
    transfer_share: float = Field(default=0.0, ge=0, lt=1)
    transfer_to: dict[str, float] = Field(default_factory=dict)
    counters: tuple[CounterSchedule, ...] = ()
    target_wait_min: float | None = Field(default=None, gt=0)
    history: str | None = None

    @field_validator("opens", "closes")
    @classmethod
    def _time_of_day(cls, value: str) -> str:
        _minutes(value)
        return value

    @field_validator("profile")
    @classmethod
    def _weights(cls, value: dict[str, float]) -> dict[str, float]:
        return _check_profile(value)

    @field_validator("categories")
    @classmethod
    def _known_categories(cls, value: dict[str, float]) -> dict[str, float]:
        known = [c for c in DEFAULT_HEAD_START_MIN if c not in ("appointment", "transfer")]
        for name, share in value.items():
            if name not in known:
                raise ValueError(f"unknown category {name!r}; choose from {', '.join(known)}")
            if share < 0:
                raise ValueError(f"share of category {name!r} must not be negative")
        if sum(value.values()) > 1:
            raise ValueError("category shares add up to more than 1")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        if _minutes(self.closes) <= _minutes(self.opens):
            raise ValueError(f"closes ({self.closes}) must be after opens ({self.opens})")
        if sum(s.share for s in self.services) <= 0:
            raise ValueError("services: the shares add up to 0")
        for service in self.services:
            if service.profile is not None:
                _check_profile(service.profile)
        codes = [s.code for s in self.services]
        if len(set(codes)) != len(codes):
            raise ValueError("services: a service is listed twice")
        if self.transfer_share > 0 and not self.transfer_to:
            raise ValueError("transfer_share > 0 needs transfer_to = { service = share, ... }")
        return self

    def compile(self, branch: BranchConfig) -> DayModel:
        """The day in minutes after opening, checked against the branch.

        Raises:
            ConfigError: A service, profile or category the branch does not know, or a
                service with visits that no counter serves.
        """
        return _compile(self, branch)


def _check_profile(value: dict[str, float]) -> dict[str, float]:
    if not value:
        raise ValueError("a profile needs at least one 'HH:MM' = weight")
    for at, weight in value.items():
        _minutes(at)
        if weight < 0:
            raise ValueError(f"profile weight at {at} must not be negative")
    if sum(value.values()) <= 0:
        raise ValueError("profile weights add up to 0")
    return value


def _profile_pieces(
    profile: dict[str, float], opens: float, closes: float
) -> tuple[tuple[float, float, float], ...]:
    """Piecewise-constant weights as (start, end, weight) in minutes after opening."""
    points = sorted((_minutes(at), w) for at, w in profile.items())
    pieces = []
    for i, (start, weight) in enumerate(points):
        end = points[i + 1][0] if i + 1 < len(points) else 24 * 60.0
        a, b = max(start, opens), min(end, closes)
        if b > a:
            pieces.append((a - opens, b - opens, weight))
    if not pieces or sum((b - a) * w for a, b, w in pieces) <= 0:
        raise ConfigError("the arrival profile gives no arrivals between opens and closes")
    return tuple(pieces)


def _compile(scenario: Scenario, branch: BranchConfig) -> DayModel:
    services = {s.code: s for s in branch.services}
    ids = {s.code: i + 1 for i, s in enumerate(branch.services)}
    opens, closes = _minutes(scenario.opens), _minutes(scenario.closes)
    total_share = sum(s.share for s in scenario.services)
    plans = []
    for mix in scenario.services:
        if mix.code not in services:
            raise ConfigError(f"services: unknown service {mix.code!r} (not in the branch file)")
        pieces = _profile_pieces(mix.profile or scenario.profile, opens, closes)
        area = sum((b - a) * w for a, b, w in pieces)
        visits = scenario.visits * scenario.surge * mix.share / total_share
        rates = tuple((a, b, visits * w / area) for a, b, w in pieces)
        configured = services[mix.code]
        plans.append(
            ServicePlan(
                service_id=ids[mix.code],
                code=mix.code,
                rates=rates,
                time=Distribution(
                    mix.service_time.kind, mix.service_time.mean_min, mix.service_time.cv
                ),
                configured_mean_min=mix.service_time.mean_min,
                target_wait_min=scenario.target_wait_min or float(configured.target_wait_min),
            )
        )
    for code in scenario.transfer_to:
        if code not in services:
            raise ConfigError(f"transfer_to: unknown service {code!r}")
    counters = _counters(scenario, branch, ids, opens, closes)
    served = {sid for c in counters for sid in c.tiers}
    for plan in plans:
        if plan.service_id not in served and any(r > 0 for _, _, r in plan.rates):
            raise ConfigError(f"service {plan.code!r} has visits but no counter serves it")
    for code in scenario.transfer_to:
        if ids[code] not in served:
            raise ConfigError(f"transfer_to: no counter serves {code!r}")
    local = zone(branch.branch.timezone)
    midnight = datetime.combine(scenario.day, time(0), local)
    return DayModel(
        name=scenario.name,
        start=midnight + timedelta(minutes=opens),  # hour labels in local time
        close_min=closes - opens,
        services=tuple(plans),
        counters=tuple(counters),
        categories=dict(scenario.categories),
        no_show_share=scenario.no_show_share,
        no_show_wait_min=scenario.no_show_wait_min,
        transfer_share=scenario.transfer_share,
        transfer_to={ids[c]: w for c, w in scenario.transfer_to.items()},
        policy=branch.policy.routing(),
        service_codes={ids[c]: c for c in services},
        timezone=branch.branch.timezone,
    )


def _counters(
    scenario: Scenario, branch: BranchConfig, ids: dict[str, int], opens: float, closes: float
) -> list[CounterPlan]:
    profiles = {p.code: p.tiers for p in branch.profiles}
    schedules = scenario.counters or tuple(
        CounterSchedule(profile=c.profile) for c in branch.counters
    )
    counters: list[CounterPlan] = []
    for schedule in schedules:
        if schedule.profile is not None:
            if schedule.profile not in profiles:
                raise ConfigError(f"counters: unknown profile {schedule.profile!r}")
            tier_codes = profiles[schedule.profile]
        else:
            tier_codes = schedule.tiers or ()
        tiers: dict[int, int] = {}
        for level, codes in enumerate(tier_codes, start=1):
            for code in codes:
                if code not in ids:
                    raise ConfigError(f"counters: unknown service {code!r}")
                tiers.setdefault(ids[code], level)
        start = _minutes(schedule.opens) - opens if schedule.opens else 0.0
        end = _minutes(schedule.closes) - opens if schedule.closes else closes - opens
        if end <= start:
            raise ConfigError("counters: a counter closes before it opens")
        intervals = [(start, end)]
        for a_text, b_text in sorted(schedule.breaks):
            a, b = _minutes(a_text) - opens, _minutes(b_text) - opens
            if b <= a:
                raise ConfigError(f"counters: break {a_text}-{b_text} ends before it starts")
            last_start, last_end = intervals[-1]
            if not last_start < a < b < last_end:
                raise ConfigError(f"counters: break {a_text}-{b_text} is not inside opening hours")
            intervals[-1] = (last_start, a)
            intervals.append((b, last_end))
        for _ in range(schedule.count):
            counters.append(
                CounterPlan(
                    counter_id=len(counters) + 1,
                    label=schedule.profile or "custom",
                    tiers=tiers,
                    intervals=tuple(intervals),
                )
            )
    return counters


def load_scenario(path: Path) -> tuple[Scenario, DayModel]:
    """Read, validate and compile a scenario file.

    Raises:
        ConfigError: The file (or its branch file) is missing, not TOML, or invalid;
            the one-line message names the file and the offending key.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from exc
    data = load_toml(text, str(path))
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{path}: {where}: {message}") from exc
    branch_path = (path.parent / scenario.branch).resolve()
    branch = load_branch_config(branch_path)
    try:
        model = scenario.compile(branch)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    if scenario.history is not None:
        past = _history_model(path, scenario.history)
        model = replace(model, history={p.service_id: p for p in past.services})
    return scenario, model


def _history_model(path: Path, history: str) -> DayModel:
    """The day a scenario's ``history`` names: what past weeks of the branch looked like."""
    history_path = (path.parent / history).resolve()
    if history_path == path.resolve():
        raise ConfigError(f"{path}: history: a scenario cannot be its own history")
    try:
        past_scenario, past = load_scenario(history_path)
    except ConfigError as exc:
        raise ConfigError(f"{path}: history: {exc}") from exc
    if past_scenario.history is not None:
        raise ConfigError(f"{path}: history: {history} has a history of its own")
    return past
