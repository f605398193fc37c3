"""The branch configuration file (TOML): services, counters, profiles, staff, policy.

The file is validated with pydantic; every mistake is reported with the file and
the key it concerns, before anything is written.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from lobby.clock import zone
from lobby.errors import ConfigError
from lobby.routing import DEFAULT_HEAD_START_MIN, RoutingPolicy

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
SAMPLE_BRANCH = RESOURCES / "branches" / "sample.toml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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


class PolicyConfig(_Strict):
    """Routing policy (see :mod:`lobby.routing`)."""

    head_start_min: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_HEAD_START_MIN))
    interleave: int = Field(default=3, ge=0)
    appointment_grace_min: float = Field(default=10.0, ge=0)
    complaint_answer_days: int = Field(default=3, ge=1)

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


class CounterConfig(_Strict):
    """A counter (window) of the branch."""

    number: int = Field(ge=1, le=999)
    name_zh: str
    name_en: str
    profile: str


class StaffConfig(_Strict):
    """A staff member; the PIN is hashed when loaded."""

    code: str = Field(pattern=r"^[A-Za-z0-9_-]+$")
    name: str
    role: Literal["greeter", "teller", "manager"]
    pin: str = Field(pattern=r"^\d{4,12}$")


class BranchConfig(_Strict):
    """A whole branch configuration file."""

    branch: BranchInfo
    policy: PolicyConfig = PolicyConfig()
    services: tuple[ServiceConfig, ...] = Field(min_length=1)
    profiles: tuple[ProfileConfig, ...] = Field(min_length=1)
    counters: tuple[CounterConfig, ...] = Field(min_length=1)
    staff: tuple[StaffConfig, ...] = ()

    @model_validator(mode="after")
    def _references_resolve(self) -> BranchConfig:
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
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    try:
        return BranchConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise ConfigError(f"{path}: {where}: {first['msg']}") from exc
