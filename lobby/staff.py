"""Staff sign-in with PIN, and the lock that stops PIN guessing.

Every attempt is counted before its PIN is checked, in the transaction that reads the
count: N guesses made at once cost N attempts, and once the count passes the limit the
account locks whatever the PINs still being checked turn out to be. An unknown id and a
locked account are checked against a dummy hash, so they cost the time a wrong PIN
costs, and an unknown id gets the wrong PIN's message.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from lobby.access import (
    APP_SESSION,
    STAFF_ROLES,
    Credential,
    Op,
    SystemActor,
    authorise,
    checked_pin,
    open_session,
)
from lobby.db import Database, UnitOfWork
from lobby.errors import AuthenticationFailed, InvalidInput, LobbyError, PinChangeRequired
from lobby.models import Staff
from lobby.security import burn_pin_check, check_pin_rules, hash_pin, verify_pin
from lobby.vocabulary import EventKind

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=5)
WRONG = "wrong staff id or PIN"


@dataclass(frozen=True)
class StaffView:
    """A signed-in staff member.

    Attributes:
        must_change_pin: The PIN was set by someone else (a branch file): the member
            chooses a new one (:func:`change_pin`) before doing anything else.
        credential: What the member's units of work present (their session); ``None``
            until a PIN that must be changed has been changed.
    """

    code: str
    name: str
    role: str
    must_change_pin: bool = False
    credential: Credential | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class _Attempt:
    staff_id: int | None
    pin_hash: str | None
    number: int
    refusal: str | None


def _bookkeeping(db: Database, device: str) -> AbstractContextManager[UnitOfWork]:
    return db.unit_of_work(SystemActor(device))


def _count_attempt(db: Database, code: str, device: str) -> _Attempt:
    """Count one attempt on ``code`` and say whether its PIN may be checked at all."""
    with _bookkeeping(db, device) as uow:
        authorise(uow, Op.SIGN_IN)
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
    role: str | None,
    *,
    device: str,
    session: bool = True,
    ttl: timedelta = APP_SESSION,
    journal_success: bool = True,
    wrong_role: type[LobbyError] = AuthenticationFailed,
    allow_pin_change: bool = False,
) -> StaffView:
    """Check a staff id and PIN for an app of ``role`` (managers may use any app).

    The attempt is counted first (see the module's note); a wrong PIN is journalled,
    the fifth in a row locks the account for five minutes. A right one opens a session
    (or, with ``session=False``, vouches for the member in this process only).

    Args:
        db: The shared database.
        code: Staff id as typed.
        pin: PIN as typed.
        role: The app's role: greeter, teller or manager (``None``: any role; each
            operation checks its own).
        device: Which app or counter asks, for the journal.
        session: Open a session row that expires after ``ttl``; else a one-off check.
        ttl: How long the session lasts.
        journal_success: Journal ``signed_in`` (a one-off command's check does not).
        wrong_role: What a right PIN of the wrong role raises.
        allow_pin_change: Check the PIN of a member who must change it (for
            :func:`change_pin`); no credential is given then.

    Raises:
        AuthenticationFailed: Unknown id, wrong PIN, wrong role or a locked account.
        PinChangeRequired: A right PIN that must be changed first (:func:`change_pin`).
    """
    cleaned = code.strip().upper()
    attempt = _count_attempt(db, cleaned, device)
    if attempt.pin_hash is None:
        burn_pin_check(pin)
        if attempt.staff_id is None:
            with _bookkeeping(db, device) as uow:
                authorise(uow, Op.SIGN_IN)
                uow.record(
                    EventKind.SIGN_IN_FAILED, payload={"staff": cleaned[:32], "why": "unknown"}
                )
        raise AuthenticationFailed(attempt.refusal or WRONG)
    right = verify_pin(attempt.pin_hash, pin)
    refusal: str | None = None
    refused_as: type[LobbyError] = AuthenticationFailed
    must_change: str | None = None
    view: StaffView | None = None
    with _bookkeeping(db, device) as uow:
        authorise(uow, Op.SIGN_IN)
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
        elif role is not None and member.role not in (role, "manager"):
            member.failed_attempts = 0
            refused_as = wrong_role
            refusal = (
                f"{member.code} is a {member.role}: only a manager may do this"
                if role == "manager" and wrong_role is not AuthenticationFailed
                else f"{member.code} is a {member.role}, not a {role}"
            )
        elif member.must_change_pin and not allow_pin_change:
            member.failed_attempts = 0
            must_change = member.code
            refusal = (
                f"{member.code} must choose a new PIN first (a PIN someone else set is "
                f"temporary): lobby change-pin --staff {member.code}"
            )
        else:
            member.failed_attempts, member.locked_until = 0, None
            if journal_success:
                uow.record(
                    EventKind.SIGNED_IN,
                    payload={"staff": member.code, "role": role or member.role},
                )
            credential: Credential | None = None
            if not member.must_change_pin:
                credential = (
                    open_session(uow.session, member, uow.now, origin=device, ttl=ttl)
                    if session
                    else checked_pin(member.code)
                )
            view = StaffView(
                member.code, member.name, member.role, member.must_change_pin, credential
            )
    if view is None:
        if must_change is not None:
            raise PinChangeRequired(refusal or WRONG, must_change)
        if refused_as is not AuthenticationFailed:
            raise refused_as(refusal)
        raise AuthenticationFailed(refusal or WRONG)
    return view


def change_pin(
    db: Database,
    code: str,
    pin: str,
    new_pin: str,
    *,
    device: str,
    session: bool = True,
    ttl: timedelta = APP_SESSION,
    role: str | None = None,
) -> StaffView:
    """A member changes their own PIN (at first sign-in, or whenever they like).

    The old PIN is checked like any sign-in (for an app of ``role``, if given); the
    change is journalled as ``pin_changed`` with the member as actor, and the member
    is signed in.

    Raises:
        InvalidInput: The new PIN breaks the rules, or equals the old one.
        AuthenticationFailed: As :func:`sign_in`.
    """
    check_pin_rules(new_pin)
    if new_pin == pin:
        raise InvalidInput("choose a PIN different from the one you have")
    checked = sign_in(
        db,
        code,
        pin,
        role,
        device=device,
        session=False,
        journal_success=False,
        allow_pin_change=True,
    )
    stored = hash_pin(new_pin)
    with db.unit_of_work(checked_pin(checked.code)) as uow:
        authorise(uow, Op.CHANGE_OWN_PIN)
        member = uow.session.scalar(
            select(Staff).where(Staff.code == checked.code).with_for_update()
        )
        assert member is not None
        first = member.must_change_pin
        member.pin_hash, member.must_change_pin = stored, False
        uow.record(EventKind.PIN_CHANGED, payload={"staff": member.code, "first": first})
    return sign_in(db, checked.code, new_pin, role, device=device, session=session, ttl=ttl)


__all__ = ["STAFF_ROLES", "StaffView", "change_pin", "sign_in"]
