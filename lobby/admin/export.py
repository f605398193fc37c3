"""The branch configuration as it stands in the database, as a model or as TOML.

Exports never hold PINs (only their hashes are stored); re-importing an export
keeps everyone's PIN.
"""

from __future__ import annotations

from typing import Any

import tomlkit
from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.clock import zone
from lobby.config import BranchConfig, HoursConfig, validate_branch_config
from lobby.errors import DatabaseUnavailable
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


def export_config(session: Session) -> BranchConfig:
    """Read the branch's current configuration (active services, profiles, counters; all staff).

    Raises:
        DatabaseUnavailable: The database holds no branch yet.
    """
    branch = session.get(Branch, 1)
    if branch is None:
        raise DatabaseUnavailable("the database has no branch yet: run `lobby init` first")
    services = session.scalars(select(Service).where(Service.active).order_by(Service.sort_order))
    codes = {s.id: s.code for s in session.scalars(select(Service))}
    profiles = session.scalars(
        select(WorkProfile).where(WorkProfile.active).order_by(WorkProfile.id)
    ).all()
    entries = session.scalars(
        select(WorkProfileEntry).order_by(WorkProfileEntry.tier, WorkProfileEntry.id)
    )
    tiers: dict[int, dict[int, list[str]]] = {}
    for entry in entries:
        tiers.setdefault(entry.profile_id, {}).setdefault(entry.tier, []).append(
            codes[entry.service_id]
        )
    profile_codes = {p.id: p.code for p in session.scalars(select(WorkProfile))}
    counters = session.scalars(select(Counter).where(Counter.active).order_by(Counter.number))
    staff = session.scalars(select(Staff).order_by(Staff.id))
    notices = session.scalars(select(Notice).order_by(Notice.sort_order, Notice.id))
    hours = {h.weekday: h for h in session.scalars(select(OpeningHours))}
    local = zone(branch.timezone)
    data: dict[str, Any] = {
        "branch": {
            "code": branch.code,
            "name_zh": branch.name_zh,
            "name_en": branch.name_en,
            "timezone": branch.timezone,
        },
        "policy": dict(branch.policy or {}),
        "services": [
            {
                "code": s.code,
                "prefix": s.prefix,
                "name_zh": s.name_zh,
                "name_en": s.name_en,
                "description_zh": s.description_zh,
                "description_en": s.description_en,
                "documents": list(s.documents or []),
                "target_wait_min": s.target_wait_min,
                "mean_service_min": s.mean_service_min,
                "self_service": {"zh": s.self_service_zh, "en": s.self_service_en}
                if s.self_service_zh is not None and s.self_service_en is not None
                else None,
            }
            for s in services
        ],
        "profiles": [
            {
                "code": p.code,
                "name": p.name,
                "tiers": [codes for _, codes in sorted(tiers.get(p.id, {}).items())],
            }
            for p in profiles
        ],
        "counters": [
            {
                "number": c.number,
                "name_zh": c.name_zh,
                "name_en": c.name_en,
                "profile": profile_codes[c.profile_id],
            }
            for c in counters
        ],
        "staff": [
            {"code": m.code, "name": m.name, "role": m.role, "active": m.active} for m in staff
        ],
        "notices": [
            {
                "key": n.key,
                "zh": n.text_zh,
                "en": n.text_en,
                "starts": n.starts_at.astimezone(local) if n.starts_at else None,
                "ends": n.ends_at.astimezone(local) if n.ends_at else None,
            }
            for n in notices
        ],
        "hours": HoursConfig.from_spans(
            {
                day: (row.opens, row.closes) if row.opens and row.closes else None
                for day, row in hours.items()
            }
        )
        if hours
        else None,
    }
    return validate_branch_config(data, "the configuration stored in the database")


def export_toml(session: Session) -> str:
    """The branch's current configuration as a TOML file (no PINs)."""
    return config_to_toml(export_config(session))


def config_to_toml(config: BranchConfig) -> str:
    """Write ``config`` as branch TOML that :func:`lobby.config.parse_branch_config` reads back."""
    data = config.model_dump(mode="python", exclude_none=True)
    if not data.get("notices"):
        data.pop("notices", None)
    header = (
        f"# Branch {config.branch.code}: exported configuration.\n"
        "# Staff PINs are never exported; importing this file keeps everyone's PIN.\n\n"
    )
    return header + tomlkit.dumps(data)
