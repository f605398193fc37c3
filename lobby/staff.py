"""Staff sign-in with PIN, and the lock that stops PIN guessing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from lobby.db import Database
from lobby.errors import AuthenticationFailed
from lobby.models import Staff
from lobby.security import verify_pin
from lobby.vocabulary import EventKind

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=5)


@dataclass(frozen=True)
class StaffView:
    """A signed-in staff member."""

    code: str
    name: str
    role: str


def sign_in(db: Database, code: str, pin: str, role: str, *, device: str) -> StaffView:
    """Check a staff id and PIN for an app of ``role`` (managers may use any app).

    Failed attempts are counted and committed even though the call then raises;
    the fifth in a row locks the account for five minutes.

    Args:
        db: The shared database.
        code: Staff id as typed.
        pin: PIN as typed.
        role: The app's role: greeter, teller or manager.
        device: Which app or counter asks, for the journal.

    Raises:
        AuthenticationFailed: Unknown id, wrong PIN, wrong role or a locked account.
    """
    refusal = "wrong staff id or PIN"
    view: StaffView | None = None
    with db.unit_of_work(device) as uow:
        member = uow.session.scalar(
            select(Staff).where(Staff.code == code.strip().upper(), Staff.active).with_for_update()
        )
        if member is None:
            uow.record(
                EventKind.SIGN_IN_FAILED, payload={"staff": code.strip()[:32], "why": "unknown"}
            )
        elif member.locked_until is not None and member.locked_until > uow.now:
            minutes = max(1, round((member.locked_until - uow.now).total_seconds() / 60))
            refusal = f"account {member.code} is locked for {minutes} more min"
        elif not verify_pin(member.pin_hash, pin):
            member.failed_attempts += 1
            if member.failed_attempts >= MAX_FAILURES:
                member.locked_until, member.failed_attempts = uow.now + LOCKOUT, 0
                refusal = f"too many wrong PINs: account {member.code} is locked for 5 min"
                uow.record(EventKind.STAFF_LOCKED, payload={"staff": member.code})
            else:
                uow.record(EventKind.SIGN_IN_FAILED, payload={"staff": member.code, "why": "pin"})
        elif member.role not in (role, "manager"):
            refusal = f"{member.code} is a {member.role}, not a {role}"
        else:
            member.failed_attempts, member.locked_until = 0, None
            uow.record(EventKind.SIGNED_IN, payload={"staff": member.code, "role": role})
            view = StaffView(member.code, member.name, member.role)
    if view is None:
        raise AuthenticationFailed(refusal)
    return view
