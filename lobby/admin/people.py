"""The staff list as the manager's staff screen shows it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.manager_auth import require_manager
from lobby.models import Staff
from lobby.views import JsonView


@dataclass(frozen=True)
class StaffMemberView(JsonView):
    """A staff member's account (never the PIN or its hash).

    Attributes:
        locked_until: Set while too many wrong PINs keep the account locked.
    """

    code: str
    name: str
    role: str
    active: bool
    locked_until: datetime | None


def list_staff(session: Session, staff_code: str, now: datetime) -> tuple[StaffMemberView, ...]:
    """Every staff member, active ones first, by code (manager only).

    Raises:
        PermissionDenied: ``staff_code`` is not an active manager.
    """
    require_manager(session, staff_code)
    rows = session.scalars(select(Staff).order_by(Staff.active.desc(), Staff.code))
    return tuple(
        StaffMemberView(
            m.code,
            m.name,
            m.role,
            m.active,
            m.locked_until if m.locked_until and m.locked_until > now else None,
        )
        for m in rows
    )
