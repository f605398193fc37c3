"""Staff sign-in with PIN, and the lock that stops PIN guessing.

Every attempt is counted before its PIN is checked, in the transaction that reads the
count: N guesses made at once cost N attempts, and once the count passes the limit the
account locks whatever the PINs still being checked turn out to be. An unknown id and a
locked account are checked against a dummy hash, so they cost the time a wrong PIN
costs, and an unknown id gets the wrong PIN's message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from lobby.db import Database
from lobby.errors import AuthenticationFailed, LobbyError
from lobby.models import Staff
from lobby.security import burn_pin_check, verify_pin
from lobby.vocabulary import EventKind

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=5)
WRONG = "wrong staff id or PIN"


@dataclass(frozen=True)
class StaffView:
    """A signed-in staff member.

    Attributes:
        must_change_pin: The PIN was set by someone else (a branch file, a reset): the
            member chooses a new one before doing anything else.
    """

    code: str
    name: str
    role: str
    must_change_pin: bool = False


@dataclass(frozen=True)
class _Attempt:
    staff_id: int | None
    pin_hash: str | None
    number: int
    refusal: str | None


def _count_attempt(db: Database, code: str, device: str) -> _Attempt:
    """Count one attempt on ``code`` and say whether its PIN may be checked at all."""
    with db.unit_of_work(device) as uow:
        member = uow.session.scalar(
            select(Staff).where(Staff.code == code, Staff.active).with_for_update()
        )
        if member is None:
            return _Attempt(None, None, 0, None)
        if member.locked_until is not None and member.locked_until > uow.now:
            minutes = max(1, round((member.locked_until - uow.now).total_seconds() / 60))
            return _Attempt(
                member.id, None, 0, f"account {member.code} is locked for {minutes} more min"
            )
        member.failed_attempts += 1
        if member.failed_attempts > MAX_FAILURES:  # guesses in flight already used it up
            member.locked_until, member.failed_attempts = uow.now + LOCKOUT, 0
            uow.record(EventKind.STAFF_LOCKED, payload={"staff": member.code, "why": "attempts"})
            return _Attempt(
                member.id,
                None,
                MAX_FAILURES + 1,
                f"too many attempts: account {member.code} is locked for 5 min",
            )
        return _Attempt(member.id, member.pin_hash, member.failed_attempts, None)


def sign_in(
    db: Database,
    code: str,
    pin: str,
    role: str,
    *,
    device: str,
    journal_success: bool = True,
    wrong_role: type[LobbyError] = AuthenticationFailed,
) -> StaffView:
    """Check a staff id and PIN for an app of ``role`` (managers may use any app).

    The attempt is counted first (see the module's note); a wrong PIN is journalled,
    the fifth in a row locks the account for five minutes.

    Args:
        db: The shared database.
        code: Staff id as typed.
        pin: PIN as typed.
        role: The app's role: greeter, teller or manager.
        device: Which app or counter asks, for the journal.
        journal_success: Journal ``signed_in`` (a one-off command's check does not).
        wrong_role: What a right PIN of the wrong role raises.

    Raises:
        AuthenticationFailed: Unknown id, wrong PIN, wrong role or a locked account.
    """
    cleaned = code.strip().upper()
    attempt = _count_attempt(db, cleaned, device)
    if attempt.pin_hash is None:
        burn_pin_check(pin)
        if attempt.staff_id is None:
            with db.unit_of_work(device) as uow:
                uow.record(
                    EventKind.SIGN_IN_FAILED, payload={"staff": cleaned[:32], "why": "unknown"}
                )
        raise AuthenticationFailed(attempt.refusal or WRONG)
    right = verify_pin(attempt.pin_hash, pin)
    refusal: str | None = None
    refused_as: type[LobbyError] = AuthenticationFailed
    view: StaffView | None = None
    with db.unit_of_work(device) as uow:
        member = uow.session.scalar(
            select(Staff).where(Staff.id == attempt.staff_id).with_for_update()
        )
        assert member is not None, "staff rows are never deleted"
        if member.locked_until is not None and member.locked_until > uow.now:
            # locked by guesses made while this PIN was being checked
            refusal = f"account {member.code} is locked for 5 min"
        elif not right:
            refusal = WRONG
            if attempt.number >= MAX_FAILURES:
                member.locked_until, member.failed_attempts = uow.now + LOCKOUT, 0
                refusal = f"too many wrong PINs: account {member.code} is locked for 5 min"
                uow.record(EventKind.STAFF_LOCKED, payload={"staff": member.code, "why": "pin"})
            else:
                uow.record(EventKind.SIGN_IN_FAILED, payload={"staff": member.code, "why": "pin"})
        elif member.role not in (role, "manager"):
            member.failed_attempts = 0
            refused_as = wrong_role
            refusal = (
                f"{member.code} is a {member.role}: only a manager may do this"
                if role == "manager" and wrong_role is not AuthenticationFailed
                else f"{member.code} is a {member.role}, not a {role}"
            )
        else:
            member.failed_attempts, member.locked_until = 0, None
            if journal_success:
                uow.record(EventKind.SIGNED_IN, payload={"staff": member.code, "role": role})
            view = StaffView(member.code, member.name, member.role, member.must_change_pin)
    if view is None:
        if refused_as is not AuthenticationFailed:
            raise refused_as(refusal)
        raise AuthenticationFailed(refusal or WRONG)
    return view
