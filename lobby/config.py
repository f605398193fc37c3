"""The branch configuration file (TOML): services, counters, profiles, staff, policy.

The file is validated with pydantic; every mistake is reported with the file and
the key it concerns, before anything is written.
"""

from __future__ import annotations

import re
from datetime import datetime, time
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from lobby.clock import zone
from lobby.errors import ConfigError
from lobby.resource_files import resource
from lobby.routing import DEFAULT_HEAD_START_MIN, RoutingPolicy
from lobby.validation import load_toml

SAMPLE_BRANCH = resource("branches", "sample.toml")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class BranchInfo(_Strict):
    """Identity and time zone of the branch."""

    code: str = Field(pattern=r"^[A-Z0-9-]{1,32}$")
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    timezone: str = "Asia/Shanghai"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            zone(value)
        except ConfigError as exc:
            raise ValueError(str(exc)) from None
        return value


class RetentionConfig(_Strict):
    """How many days personal data is kept after its day closes (0: erased at the close).

    Visits (phone, greeter and teller notes, rating comments) count from their
    business day, appointments (name, phone) from the day they were due, complaints
    (contact, description, resolution, notes) from the day they were closed; open
    complaints are kept. See :mod:`lobby.lifecycle.retention`.
    """

    visit_days: int = Field(default=30, ge=0, le=3660)
    appointment_days: int = Field(default=90, ge=0, le=3660)
    complaint_days: int = Field(default=365, ge=0, le=3660)


class PolicyConfig(_Strict):
    """Routing policy (see :mod:`lobby.routing`) and how long personal data is kept."""

    head_start_min: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_HEAD_START_MIN))
    interleave: int = Field(default=3, ge=0)
    appointment_grace_min: float = Field(default=10.0, ge=0)
    complaint_answer_days: int = Field(default=3, ge=1)
    #: A no-show stays on the missed list, callable back, this long.
    missed_grace_min: float = Field(default=15.0, ge=0, le=240)
    #: A console left untouched this long signs its teller out (open ticket parked).
    idle_sign_out_min: float = Field(default=20.0, ge=1, le=480)
    #: A console not heard from this long loses its counter to the next teller to sign in.
    console_expiry_s: float = Field(default=60.0, ge=30, le=3600)
    #: A rating pad not heard from this long is shown as "status unknown", not online.
    pad_expiry_s: float = Field(default=30.0, ge=20, le=3600)
    retention: RetentionConfig = RetentionConfig()

    @field_validator("head_start_min")
    @classmethod
    def _known_classes(cls, value: dict[str, float]) -> dict[str, float]:
        for name, minutes in value.items():
            if name not in DEFAULT_HEAD_START_MIN:
                known = ", ".join(DEFAULT_HEAD_START_MIN)
                raise ValueError(f"unknown priority class {name!r}; choose from {known}")
            if minutes < 0:
                raise ValueError(f"head start of {name!r} must not be negative")
        return value

    def routing(self) -> RoutingPolicy:
        """The routing policy these settings describe."""
        return RoutingPolicy(dict(self.head_start_min), self.interleave, self.appointment_grace_min)


class DocumentConfig(_Strict):
    """A document a customer should bring."""

    key: str = Field(pattern=r"^[a-z0-9_]+$")
    zh: str
    en: str


class SelfServiceConfig(_Strict):
    """The machine a customer can use instead of a counter."""

    zh: str
    en: str


class ServiceConfig(_Strict):
    """One service and its queue."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=32)
    prefix: str = Field(pattern=r"^[A-Z]{1,2}$")
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    description_zh: str = ""
    description_en: str = ""
    documents: tuple[DocumentConfig, ...] = ()
    target_wait_min: int = Field(default=15, gt=0)
    mean_service_min: float = Field(default=8.0, gt=0)
    self_service: SelfServiceConfig | None = None


class ProfileConfig(_Strict):
    """Which services a counter serves: ``tiers[0]`` first, ``tiers[1]`` when it is empty."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    tiers: tuple[tuple[str, ...], ...] = Field(min_length=1)

    @field_validator("tiers")
    @classmethod
    def _no_empty_tier(cls, value: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
        if any(not tier for tier in value):
            raise ValueError("every tier lists at least one service")
        return value


class CounterConfig(_Strict):
    """A counter (window) of the branch."""

    number: int = Field(ge=1, le=999)
    name_zh: str
    name_en: str
    profile: str


ROLES = ("greeter", "teller", "manager")


class StaffConfig(_Strict):
    """A staff member; the PIN is hashed when loaded.

    ``pin`` may be left out for someone already in the database (an exported file
    never holds PINs): their PIN stays as it is. ``active = false`` keeps a former
    member's record but refuses their sign-in.
    """

    code: str = Field(pattern=r"^[A-Z0-9_-]{1,32}$")
    name: str = Field(min_length=1, max_length=80)
    role: Literal["greeter", "teller", "manager"]
    pin: str | None = None
    active: bool = True

    @field_validator("pin")
    @classmethod
    def _digits(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[0-9]{4,8}", value):
            raise ValueError("a PIN has 4 to 8 digits (0-9) and nothing else")
        return value

    @field_validator("code", mode="before")
    @classmethod
    def _upper_code(cls, value: object) -> object:
        # sign-in upper-cases what is typed, so codes are stored upper-case
        return value.strip().upper() if isinstance(value, str) else value


class NoticeConfig(_Strict):
    """A bilingual notice shown on the hall display and the greeter tablet.

    Without ``starts``/``ends`` it shows until removed; times need a UTC offset.
    """

    key: str = Field(pattern=r"^[a-z0-9_-]{1,32}$")
    zh: str = Field(min_length=1, max_length=500)
    en: str = Field(min_length=1, max_length=500)
    starts: datetime | None = None
    ends: datetime | None = None

    @field_validator("starts", "ends")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("give the time with its UTC offset, e.g. 2026-12-31T09:00:00+08:00")
        return value

    @model_validator(mode="after")
    def _window(self) -> NoticeConfig:
        if self.starts and self.ends and self.starts >= self.ends:
            raise ValueError(f"notice {self.key!r} ends before it starts")
        return self


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")


class HoursConfig(_Strict):
    """Opening hours per weekday as ``"HH:MM-HH:MM"``; a day left out (or "closed") is closed."""

    mon: str | None = None
    tue: str | None = None
    wed: str | None = None
    thu: str | None = None
    fri: str | None = None
    sat: str | None = None
    sun: str | None = None

    @field_validator(*WEEKDAYS, mode="before")
    @classmethod
    def _span(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and value.strip().lower() == "closed"):
            return None
        if not isinstance(value, str) or not (match := _HOURS.match(value.strip())):
            raise ValueError('write opening hours as "HH:MM-HH:MM" (24 h) or "closed"')
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if (h1, m1) >= (h2, m2):
            raise ValueError(f"the branch must open before it closes: {value!r}")
        return f"{h1:02d}:{m1:02d}-{h2:02d}:{m2:02d}"

    def span(self, weekday: int) -> tuple[time, time] | None:
        """Opening and closing time on ``weekday`` (0 Monday), or ``None`` when closed."""
        value: str | None = getattr(self, WEEKDAYS[weekday])
        if value is None:
            return None
        opens, closes = value.split("-")
        return time.fromisoformat(opens), time.fromisoformat(closes)

    @classmethod
    def from_spans(cls, spans: dict[int, tuple[time, time] | None]) -> HoursConfig:
        """Build from weekday -> (opens, closes) or ``None`` for closed."""
        return cls.model_validate(
            {
                WEEKDAYS[day]: f"{span[0]:%H:%M}-{span[1]:%H:%M}"
                for day, span in spans.items()
                if span is not None
            }
        )


class BranchConfig(_Strict):
    """A whole branch configuration file."""

    branch: BranchInfo
    policy: PolicyConfig = PolicyConfig()
    services: tuple[ServiceConfig, ...] = Field(min_length=1)
    profiles: tuple[ProfileConfig, ...] = Field(min_length=1)
    counters: tuple[CounterConfig, ...] = Field(min_length=1)
    staff: tuple[StaffConfig, ...] = ()
    notices: tuple[NoticeConfig, ...] = ()
    hours: HoursConfig | None = None

    @model_validator(mode="after")
    def _references_resolve(self) -> BranchConfig:
        _unique("notice key", [n.key for n in self.notices])
        _unique("service code", [s.code for s in self.services])
        _unique("ticket prefix", [s.prefix for s in self.services])
        _unique("profile code", [p.code for p in self.profiles])
        _unique("counter number", [c.number for c in self.counters])
        _unique("staff code", [s.code for s in self.staff])
        services = {s.code for s in self.services}
        for profile in self.profiles:
            listed = [code for tier in profile.tiers for code in tier]
            _unique(f"service in profile {profile.code!r}", listed)
            for code in listed:
                if code not in services:
                    raise ValueError(f"profile {profile.code!r} names unknown service {code!r}")
        profiles = {p.code for p in self.profiles}
        for counter in self.counters:
            if counter.profile not in profiles:
                raise ValueError(
                    f"counter {counter.number} names unknown profile {counter.profile!r}"
                )
        return self


def _unique(what: str, values: list[str] | list[int]) -> None:
    seen: set[object] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what} {value!r}")
        seen.add(value)


def load_branch_config(path: Path) -> BranchConfig:
    """Read and validate a branch TOML file.

    Raises:
        ConfigError: The file is missing, not TOML, or fails validation; the message
            names the file and the first offending key.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from exc
    return parse_branch_config(text, str(path))


def parse_branch_config(text: str, source: str = "branch TOML") -> BranchConfig:
    """Validate the text of a branch TOML file; errors name ``source`` and the key.

    Raises:
        ConfigError: Not TOML, or it fails validation.
    """
    return validate_branch_config(load_toml(text, source), source)


def validate_branch_config(data: object, source: str = "branch configuration") -> BranchConfig:
    """Validate a whole configuration given as plain data (e.g. an edited ``model_dump()``).

    Raises:
        ConfigError: ``"SOURCE: KEY: what is wrong"`` for the first problem found.
    """
    try:
        return BranchConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        message = first["msg"].removeprefix("Value error, ")
        raise ConfigError(f"{source}: {where}: {message}") from exc
