"""Write a validated branch configuration into the database, idempotently."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.access import Op, SystemActor, authenticate, authorise
from lobby.config import (
    BranchConfig,
    CounterConfig,
    HoursConfig,
    NoticeConfig,
    ProfileConfig,
    ServiceConfig,
)
from lobby.db import Database, UnitOfWork, translate_errors
from lobby.errors import ConfigError
from lobby.models import (
    Branch,
    Counter,
    Notice,
    OpeningHours,
    Service,
    Staff,
    WorkProfile,
    WorkProfileEntry,
)
from lobby.security import hash_pin, verify_pin
from lobby.vocabulary import EventKind

#: The configured rows that are kept by key and deactivated when no longer listed.
Row = TypeVar("Row", Service, WorkProfile, Counter)
Item = TypeVar("Item", ServiceConfig, ProfileConfig, CounterConfig)


def ensure_branch(session: Session, config: BranchConfig) -> Branch:
    """Create or update the branch row (needed before any unit of work can start)."""
    info = config.branch
    policy = config.policy.model_dump()
    branch = session.get(Branch, 1)
    if branch is None:
        session.add(
            Branch(
                id=1,
                code=info.code,
                name_zh=info.name_zh,
                name_en=info.name_en,
                timezone=info.timezone,
                secret=secrets.token_hex(16),
                policy=policy,
            )
        )
        session.flush()
        return session.get_one(Branch, 1)
    branch.code, branch.name_zh, branch.name_en = info.code, info.name_zh, info.name_en
    branch.timezone, branch.policy = info.timezone, policy
    return branch


def initialise(
    db: Database,
    config: BranchConfig,
    actor: str | None = None,
    *,
    waive_pin_change: bool = False,
) -> dict[str, int]:
    """Create or upgrade the schema; on an empty database, load ``config``.

    A database that already has its branch keeps its staff, PINs, branch secret and
    configuration as they are: applying a branch file to a live branch is a manager's
    ``lobby config import``. The PINs a branch file brings must be changed at each
    member's first sign-in, unless ``waive_pin_change`` (a throwaway demo or test branch).

    Returns:
        How many services, counters and staff the branch has, and whether ``config``
        was loaded (``loaded`` 1) or the branch was already there (0).
    """
    from lobby.migrate import upgrade  # Alembic loads only when a schema may change

    with translate_errors(db.engine.url):
        upgrade(db.engine)
    with db.transaction() as session:
        if session.get(Branch, 1) is not None:
            return {**branch_counts(session), "loaded": 0}
        branch = ensure_branch(session, config)
        now = db.clock.now()
        uow = UnitOfWork(
            session, now, authenticate(session, SystemActor(actor or "init"), now), branch
        )
        authorise(uow, Op.LOAD_BRANCH)  # only an empty database: nobody could sign in yet
        summary = apply_config(uow, config)
        for member in session.scalars(select(Staff)):
            member.must_change_pin = not waive_pin_change
        db.write_journal(uow)
    return {**summary, "loaded": 1}


def branch_counts(session: Session) -> dict[str, int]:
    """How many active services and counters, and how many staff, the branch has."""
    return {
        "services": len(session.scalars(select(Service.id).where(Service.active)).all()),
        "counters": len(session.scalars(select(Counter.id).where(Counter.active)).all()),
        "staff": len(session.scalars(select(Staff.id)).all()),
    }


def apply_config(uow: UnitOfWork, config: BranchConfig) -> dict[str, int]:
    """Write ``config`` (see :func:`write_config`) and journal ``config_loaded``.

    Returns:
        How many services, counters and staff the file lists.
    """
    summary = write_config(uow, config)
    uow.record(EventKind.CONFIG_LOADED, payload={"branch": config.branch.code, **summary})
    return summary


def write_config(uow: UnitOfWork, config: BranchConfig) -> dict[str, int]:
    """Upsert the branch, policy, services, profiles, counters, staff, notices and hours.

    Services, profiles and counters missing from ``config`` are deactivated, not
    deleted: old tickets still refer to them. Staff missing from it are left as they
    are. A staff PIN is rehashed only when it changed; a member listed without a PIN
    keeps theirs. A PIN set for someone else (a new member, a reset) must be changed at
    that member's next sign-in. Nothing is journalled here: the caller records what
    happened.

    Raises:
        ConfigError: A new staff member has no PIN.

    Returns:
        How many services, counters and staff the file lists.
    """
    session = uow.session
    ensure_branch(session, config)

    def fill_service(row: Service, sc: ServiceConfig, order: int) -> None:
        row.prefix, row.name_zh, row.name_en = sc.prefix, sc.name_zh, sc.name_en
        row.description_zh, row.description_en = sc.description_zh, sc.description_en
        row.documents = [d.model_dump() for d in sc.documents]
        row.target_wait_min, row.mean_service_min = sc.target_wait_min, sc.mean_service_min
        row.self_service_zh = sc.self_service.zh if sc.self_service else None
        row.self_service_en = sc.self_service.en if sc.self_service else None
        row.sort_order = order

    services = _upsert(session, Service, "code", config.services, fill_service)

    def fill_profile(profile: WorkProfile, pc: ProfileConfig, _order: int) -> None:
        profile.name = pc.name
        wanted_tiers = {
            services[code].id: tier
            for tier, codes in enumerate(pc.tiers, start=1)
            for code in codes
        }
        # update in place: replacing the list would insert before deleting and
        # collide on (profile, service)
        for entry in list(profile.entries):
            if entry.service_id in wanted_tiers:
                entry.tier = wanted_tiers.pop(entry.service_id)
            else:
                profile.entries.remove(entry)
        for service_id, tier in wanted_tiers.items():
            profile.entries.append(WorkProfileEntry(service_id=service_id, tier=tier))

    profiles = _upsert(session, WorkProfile, "code", config.profiles, fill_profile)

    def fill_counter(counter: Counter, cc: CounterConfig, _order: int) -> None:
        counter.name_zh, counter.name_en = cc.name_zh, cc.name_en
        counter.profile_id = profiles[cc.profile].id

    _upsert(session, Counter, "number", config.counters, fill_counter, flush=False)

    staff = {s.code: s for s in session.scalars(select(Staff))}
    for person in config.staff:
        member = staff.get(person.code)
        if member is None:
            if person.pin is None:
                raise ConfigError(f"staff {person.code} is new: give them a pin")
            member = Staff(code=person.code, pin_hash=hash_pin(person.pin))
            member.must_change_pin = True  # chosen by someone else: theirs at first sign-in
            session.add(member)
        elif person.pin is not None and not verify_pin(member.pin_hash, person.pin):
            member.pin_hash = hash_pin(person.pin)
            # a PIN someone else set (a reset) is changed at the next sign-in
            member.must_change_pin = member.code != uow.actor
        member.name, member.role, member.active = person.name, person.role, person.active
    write_notices(session, config.notices)
    write_hours(session, config.hours)
    session.flush()

    return {
        "services": len(config.services),
        "counters": len(config.counters),
        "staff": len(config.staff),
    }


def _upsert(
    session: Session,
    model: type[Row],
    key: str,
    items: Sequence[Item],
    fill: Callable[[Row, Item, int], None],
    *,
    flush: bool = True,
) -> dict[Any, Row]:
    """Make ``model``'s rows match ``items`` by ``key``: found or new, filled, active.

    Rows whose key no item has are deactivated, not deleted: old tickets still refer
    to them. Returns every row by key.
    """
    rows: dict[Any, Row] = {getattr(r, key): r for r in session.scalars(select(model))}
    for order, item in enumerate(items):
        value = getattr(item, key)
        row = rows.get(value) or model(**{key: value})
        fill(row, item, order)
        row.active = True
        rows[value] = row
        session.add(row)
    wanted = {getattr(item, key) for item in items}
    for value, row in rows.items():
        if value not in wanted:
            row.active = False
    if flush:
        session.flush()
    return rows


def write_notices(session: Session, notices: tuple[NoticeConfig, ...]) -> None:
    """Make the notice table hold exactly ``notices``, in their order."""
    rows = {n.key: n for n in session.scalars(select(Notice))}
    for order, nc in enumerate(notices):
        row = rows.pop(nc.key, None) or Notice(key=nc.key)
        row.text_zh, row.text_en = nc.zh, nc.en
        row.starts_at, row.ends_at, row.sort_order = nc.starts, nc.ends, order
        session.add(row)
    for gone in rows.values():
        session.delete(gone)


def write_hours(session: Session, hours: HoursConfig | None) -> None:
    """Store the opening hours; ``None`` clears them (hours not set)."""
    rows = {h.weekday: h for h in session.scalars(select(OpeningHours))}
    if hours is None:
        for row in rows.values():
            session.delete(row)
        return
    for day in range(7):
        row = rows.get(day) or OpeningHours(weekday=day)
        span = hours.span(day)
        row.opens, row.closes = span if span else (None, None)
        session.add(row)
