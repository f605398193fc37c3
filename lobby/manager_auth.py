"""Manager-only work: the role is checked in the core, inside each operation's transaction.

The apps sign a manager in once (:func:`lobby.staff.sign_in` with role ``manager``)
and then pass the staff code to every manager operation, usually as the unit of
work's actor. Each operation calls :func:`require_manager` first, so a teller's code
is refused whatever the screen shows, and a manager disabled a minute ago is
refused too.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.access import Op, authorise
from lobby.db import Database, UnitOfWork
from lobby.errors import PermissionDenied
from lobby.models import Staff
from lobby.staff import StaffView, sign_in

MANAGER = "manager"


def require_manager(
    target: UnitOfWork | Session, staff_code: str | None = None, *, op: Op = Op.CONFIGURE
) -> StaffView:
    """Check that ``staff_code`` is an active manager; call it inside the operation.

    Args:
        target: The operation's unit of work, or a read session.
        staff_code: Who acts; defaults to the unit of work's (authenticated) actor.
        op: The operation a unit of work authorises (see :data:`lobby.access.OPERATION_ROLES`).

    Returns:
        The manager.

    Raises:
        PermissionDenied: Unknown, disabled, or not a manager.
    """
    if isinstance(target, UnitOfWork):
        session, code = target.session, staff_code or target.actor
    elif staff_code is None:
        raise PermissionDenied("a manager's staff id is needed")
    else:
        session, code = target, staff_code
    cleaned = code.strip().upper()
    member = session.scalar(select(Staff).where(Staff.code == cleaned))
    if member is None or not member.active:
        raise PermissionDenied(f"{cleaned or '(nobody)'} is not an active staff member")
    if member.role != MANAGER:
        raise PermissionDenied(f"{member.code} is a {member.role}: only a manager may do this")
    if isinstance(target, UnitOfWork):
        if staff_code is not None and cleaned != target.actor:
            raise PermissionDenied(f"{target.actor} may not act as {cleaned}")
        authorise(target, op)
    return StaffView(member.code, member.name, member.role)


def check_manager_pin(db: Database, code: str, pin: str, *, device: str) -> StaffView:
    """Check a manager's id and PIN for a one-off command (the CLI).

    The check is :func:`lobby.staff.sign_in`'s (the attempt is counted before the PIN
    is checked, so guesses made at once cannot beat the lock); a right PIN journals
    nothing and leaves the failure count where it was, so a refused command leaves the
    database as it was.

    Raises:
        AuthenticationFailed: Wrong id or PIN, or a locked account.
        PermissionDenied: The PIN is right but the member is not a manager.
    """
    return sign_in(
        db,
        code,
        pin,
        MANAGER,
        device=device,
        session=False,
        journal_success=False,
        wrong_role=PermissionDenied,
    )
