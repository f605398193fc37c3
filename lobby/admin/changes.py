"""Configuration changes by a manager: validated as a whole, journalled, applied live.

Every change follows the same path inside one unit of work: check the actor is a
manager, read the current configuration from the database (:func:`export_config`),
apply the edit to a plain copy, validate the whole with the pydantic models of
:mod:`lobby.config`, check it against the live queue (no counter with an open
ticket retired, ...), write it, and journal one ``config_changed`` event saying what
changed, plus one ``profile_changed`` per counter whose work profile changed. A
refused change raises before anything is written, so nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select

from lobby.admin.export import export_config
from lobby.config import (
    BranchConfig,
    CounterConfig,
    HoursConfig,
    NoticeConfig,
    ProfileConfig,
    ServiceConfig,
    parse_branch_config,
    validate_branch_config,
)
from lobby.db import UnitOfWork
from lobby.engine.common import OPEN_STATES
from lobby.errors import InvalidInput, NotFound
from lobby.manager_auth import require_manager
from lobby.models import Branch, Counter, Service, Staff, Ticket
from lobby.seeding import write_config
from lobby.states import TicketState
from lobby.views import JsonView
from lobby.vocabulary import CONFIG_CHANGES, EventKind

#: Journal kinds a running app should react to by re-reading its configuration.
CONFIG_EVENT_KINDS = CONFIG_CHANGES
_KEYS = {"services": "code", "profiles": "code", "counters": "number", "staff": "code"}
_KEYS["notices"] = "key"

Data = dict[str, Any]
Edit = Callable[[Data], Data]


@dataclass(frozen=True)
class ConfigChange(JsonView):
    """What a configuration change did.

    Attributes:
        what: The operation, e.g. ``"service cash"`` or ``"import"``.
        changes: Per section: ``added``/``removed``/``changed`` keys for lists, or the
            changed field names for ``branch``, ``policy`` and ``hours``; PINs never appear.
        counters: Numbers of the counters whose work profile changed.
    """

    what: str
    changes: dict[str, Any] = field(default_factory=dict)
    counters: tuple[int, ...] = ()

    @property
    def changed(self) -> bool:
        """Whether anything was written."""
        return bool(self.changes)


def change_config(uow: UnitOfWork, what: str, edit: Edit) -> ConfigChange:
    """Apply ``edit`` to the current configuration; validate, write and journal it.

    Args:
        uow: The unit of work; its actor must be an active manager.
        what: Names the change in messages and in the journal.
        edit: Gets the current configuration as plain data and returns the new one.

    Raises:
        PermissionDenied: The actor is not an active manager.
        ConfigError: The new configuration is invalid; the message names the key.
        InvalidInput: The change conflicts with the live queue.
    """
    manager = require_manager(uow)
    # one change at a time: each rewrites the whole configuration it read (PostgreSQL;
    # SQLite's BEGIN IMMEDIATE already serialises writers)
    uow.session.execute(select(Branch.id).where(Branch.id == 1).with_for_update())
    old = export_config(uow.session)
    new = validate_branch_config(edit(old.model_dump()), what)
    changes = describe_changes(old, new)
    if not changes:
        return ConfigChange(what)
    _check_live(uow, old, new, manager.code)
    write_config(uow, new)
    counters = _profile_changes(old, new)
    uow.record(EventKind.CONFIG_CHANGED, payload={"what": what, "changes": changes})
    if counters:
        ids = dict(
            uow.session.execute(
                select(Counter.number, Counter.id).where(Counter.number.in_(counters))
            ).all()
        )
        for number in counters:
            profile = next(c.profile for c in new.counters if c.number == number)
            uow.record(
                EventKind.PROFILE_CHANGED,
                counter_id=ids[number],
                payload={"counter": number, "profile": profile},
            )
    return ConfigChange(what, changes, counters)


def describe_changes(old: BranchConfig, new: BranchConfig) -> dict[str, Any]:
    """The difference between two configurations, fit for the journal (no PINs)."""
    changes: dict[str, Any] = {}
    for section in ("branch", "policy"):
        before, after = getattr(old, section), getattr(new, section)
        fields = [f for f in type(after).model_fields if getattr(before, f) != getattr(after, f)]
        if fields:
            changes[section] = fields
    if old.hours != new.hours:
        changes["hours"] = [
            day
            for day in HoursConfig.model_fields
            if getattr(old.hours, day, None) != getattr(new.hours, day, None)
        ] or ["set" if new.hours else "cleared"]
    for section, key in _KEYS.items():
        before = {getattr(x, key): x for x in getattr(old, section)}
        after = {getattr(x, key): x for x in getattr(new, section)}
        diff = {
            "added": [k for k in after if k not in before],
            "removed": [k for k in before if k not in after],
            "changed": [k for k in after if k in before and after[k] != before[k]],
        }
        if section == "staff":
            diff["pin_reset"] = [k for k, m in after.items() if k in before and m.pin]
        diff = {name: keys for name, keys in diff.items() if keys}
        if diff:
            changes[section] = diff
    return changes


def _profile_changes(old: BranchConfig, new: BranchConfig) -> tuple[int, ...]:
    old_tiers = {p.code: p.tiers for p in old.profiles}
    new_tiers = {p.code: p.tiers for p in new.profiles}
    old_counters = {c.number: c.profile for c in old.counters}
    return tuple(
        sorted(
            c.number
            for c in new.counters
            if old_counters.get(c.number) != c.profile
            or old_tiers.get(c.profile) != new_tiers[c.profile]
        )
    )


def _check_live(uow: UnitOfWork, old: BranchConfig, new: BranchConfig, actor: str) -> None:
    session = uow.session
    managers = [m.code for m in new.staff if m.role == "manager" and m.active]
    if not managers:
        raise InvalidInput("at least one active manager must remain")
    if actor not in managers:
        raise InvalidInput(f"{actor} cannot disable themselves or give up the manager role")
    for number in {c.number for c in old.counters} - {c.number for c in new.counters}:
        held = session.scalar(
            select(Ticket.number)
            .join(Counter, Counter.id == Ticket.counter_id)
            .where(Counter.number == number, Ticket.state.in_(OPEN_STATES))
        )
        if held is not None:
            raise InvalidInput(f"counter {number} still has ticket {held} open: finish it first")
    retired = {s.code for s in old.services} - {s.code for s in new.services}
    if retired:
        final = [s.value for s in TicketState if s.is_final]
        rows = session.execute(
            select(Service.code, func.count(Ticket.id))
            .join(Ticket, Ticket.service_id == Service.id)
            .where(Service.code.in_(retired), Ticket.state.not_in(final))
            .group_by(Service.code)
        )
        for code, count in rows:
            raise InvalidInput(
                f"service {code} still has {count} unfinished tickets: serve or cancel them first"
            )


def _plain(item: BaseModel | Mapping[str, Any]) -> Data:
    return item.model_dump() if isinstance(item, BaseModel) else dict(item)


def _upsert(section: str, key: str, item: Data) -> Edit:
    def edit(data: Data) -> Data:
        items = list(data[section])
        for i, current in enumerate(items):
            if current[key] == item.get(key):
                items[i] = item
                break
        else:
            items.append(item)
        return {**data, section: items}

    return edit


def _remove(section: str, key: str, value: object, what: str) -> Edit:
    def edit(data: Data) -> Data:
        items = [x for x in data[section] if x[key] != value]
        if len(items) == len(data[section]):
            raise NotFound(f"no {what} {value}")
        return {**data, section: items}

    return edit


# --- services, profiles, counters --------------------------------------------------------------


def save_service(uow: UnitOfWork, service: ServiceConfig | Mapping[str, Any]) -> ConfigChange:
    """Add a service, or replace the one with the same code (its queue keeps its place)."""
    item = _plain(service)
    return change_config(uow, f"service {item.get('code')}", _upsert("services", "code", item))


def retire_service(uow: UnitOfWork, code: str) -> ConfigChange:
    """Take a service out of use (its old tickets stay); profiles must not name it."""
    return change_config(uow, f"service {code}", _remove("services", "code", code, "service"))


def save_profile(uow: UnitOfWork, profile: ProfileConfig | Mapping[str, Any]) -> ConfigChange:
    """Add a work profile, or replace the one with the same code."""
    item = _plain(profile)
    return change_config(uow, f"profile {item.get('code')}", _upsert("profiles", "code", item))


def retire_profile(uow: UnitOfWork, code: str) -> ConfigChange:
    """Take a work profile out of use; no counter may still use it."""
    return change_config(uow, f"profile {code}", _remove("profiles", "code", code, "profile"))


def save_counter(uow: UnitOfWork, counter: CounterConfig | Mapping[str, Any]) -> ConfigChange:
    """Add a counter, or replace the one with the same number (e.g. give it another profile)."""
    item = _plain(counter)
    return change_config(uow, f"counter {item.get('number')}", _upsert("counters", "number", item))


def retire_counter(uow: UnitOfWork, number: int) -> ConfigChange:
    """Take a counter out of use; it must hold no open ticket."""
    return change_config(uow, f"counter {number}", _remove("counters", "number", number, "counter"))


# --- staff --------------------------------------------------------------------------------------


def _staff_edit(code: str, change: Callable[[Data], Data]) -> Edit:
    cleaned = code.strip().upper()

    def edit(data: Data) -> Data:
        staff = list(data["staff"])
        for i, member in enumerate(staff):
            if member["code"] == cleaned:
                staff[i] = change(dict(member))
                return {**data, "staff": staff}
        raise NotFound(f"no staff member {cleaned}")

    return edit


def add_staff(uow: UnitOfWork, code: str, name: str, role: str, pin: str) -> ConfigChange:
    """Add a staff member with a first PIN."""
    cleaned = code.strip().upper()

    def edit(data: Data) -> Data:
        if any(m["code"] == cleaned for m in data["staff"]):
            raise InvalidInput(f"staff member {cleaned} already exists")
        member = {"code": cleaned, "name": name.strip(), "role": role, "pin": pin}
        return {**data, "staff": [*data["staff"], member]}

    return change_config(uow, f"staff {cleaned}", edit)


def update_staff(
    uow: UnitOfWork, code: str, *, name: str | None = None, role: str | None = None
) -> ConfigChange:
    """Rename a staff member or change their role."""

    def change(member: Data) -> Data:
        return {
            **member,
            "name": member["name"] if name is None else name.strip(),
            "role": role or member["role"],
        }

    return change_config(uow, f"staff {code.strip().upper()}", _staff_edit(code, change))


def disable_staff(uow: UnitOfWork, code: str) -> ConfigChange:
    """Refuse a staff member's sign-in from now on (their record stays for the journal)."""
    return change_config(
        uow, f"staff {code.strip().upper()}", _staff_edit(code, lambda m: {**m, "active": False})
    )


def enable_staff(uow: UnitOfWork, code: str) -> ConfigChange:
    """Let a disabled staff member sign in again."""
    return change_config(
        uow, f"staff {code.strip().upper()}", _staff_edit(code, lambda m: {**m, "active": True})
    )


def reset_pin(uow: UnitOfWork, code: str, pin: str) -> ConfigChange:
    """Give a staff member a new PIN (and lift a lock-out); they change it at next sign-in."""
    change = change_config(
        uow, f"staff {code.strip().upper()}", _staff_edit(code, lambda m: {**m, "pin": pin})
    )
    member = uow.session.scalar(select(Staff).where(Staff.code == code.strip().upper()))
    if member is not None:
        member.failed_attempts, member.locked_until = 0, None
    return change


# --- priority rules, notices, opening hours -----------------------------------------------------


def set_priority_rules(
    uow: UnitOfWork,
    *,
    head_start_min: Mapping[str, float] | None = None,
    interleave: int | None = None,
    appointment_grace_min: float | None = None,
    complaint_answer_days: int | None = None,
) -> ConfigChange:
    """Change the routing policy; head starts given replace only the classes named."""

    def edit(data: Data) -> Data:
        policy = dict(data["policy"])
        if head_start_min is not None:
            policy["head_start_min"] = {**policy["head_start_min"], **head_start_min}
        for name, value in (
            ("interleave", interleave),
            ("appointment_grace_min", appointment_grace_min),
            ("complaint_answer_days", complaint_answer_days),
        ):
            if value is not None:
                policy[name] = value
        return {**data, "policy": policy}

    return change_config(uow, "priority rules", edit)


def save_notice(uow: UnitOfWork, notice: NoticeConfig | Mapping[str, Any]) -> ConfigChange:
    """Add a notice, or replace the one with the same key."""
    item = _plain(notice)
    return change_config(uow, f"notice {item.get('key')}", _upsert("notices", "key", item))


def remove_notice(uow: UnitOfWork, key: str) -> ConfigChange:
    """Take a notice down."""
    return change_config(uow, f"notice {key}", _remove("notices", "key", key, "notice"))


def set_hours(
    uow: UnitOfWork, hours: HoursConfig | Mapping[str, str | None] | None
) -> ConfigChange:
    """Set the opening hours; ``None`` clears them.

    Args:
        uow: The unit of work; its actor must be an active manager.
        hours: Weekday name (``mon`` .. ``sun``) -> ``"HH:MM-HH:MM"``; a day left out is closed.
    """
    value = None if hours is None else _plain(hours)
    return change_config(uow, "opening hours", lambda data: {**data, "hours": value})


# --- whole files --------------------------------------------------------------------------------


def import_config(uow: UnitOfWork, config: BranchConfig, what: str = "import") -> ConfigChange:
    """Make the branch match ``config``: as ``lobby init --config`` but checked and journalled.

    Staff not listed stay as they are; listed staff without a PIN keep theirs.
    """
    wanted = config.model_dump()

    def edit(data: Data) -> Data:
        listed = {m["code"] for m in wanted["staff"]}
        kept = [m for m in data["staff"] if m["code"] not in listed]
        return {**wanted, "staff": [*wanted["staff"], *kept]}

    return change_config(uow, what, edit)


def import_toml(uow: UnitOfWork, text: str, source: str = "imported file") -> ConfigChange:
    """Import a branch TOML text (see :func:`import_config`).

    Raises:
        ConfigError: Not TOML or not a valid configuration; names ``source`` and the key.
    """
    require_manager(uow)  # a teller learns they may not, not what is wrong with the file
    return import_config(uow, parse_branch_config(text, source), f"import {source}")
