"""Who may do what: the operation -> roles table, credentials, sessions and devices.

Every unit of work is opened with a :data:`Credential` and checks it in its own
transaction (:func:`authenticate`): a staff member's session that has not expired or
ended, an enrolled device's key, or the system itself for the few things that happen
before anyone can sign in (counting a sign-in attempt, loading the first branch).
Every operation that writes then calls :func:`authorise` with its :class:`Op`; the
journal refuses to write for a unit of work that authorised nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.errors import AuthenticationFailed, PermissionDenied
from lobby.models import Device, Staff, StaffSession

if TYPE_CHECKING:
    from lobby.db import UnitOfWork

GREETER, TELLER, MANAGER = "greeter", "teller", "manager"
#: Device roles: a greeter kiosk issuing tickets unattended, a customer rating pad, a
#: hall display (which never writes), ``lobby web`` acting for the customer who holds
#: a ticket's signed code (on my way, cancel, rate).
KIOSK, RATING_PAD, DISPLAY, WEB = "kiosk", "rating_pad", "display", "web"
DEVICE_ROLES = (KIOSK, RATING_PAD, DISPLAY, WEB)
SYSTEM = "system"
STAFF_ROLES = (GREETER, TELLER, MANAGER)

#: How long a session lasts: an app's for a working day, ``lobby sign-in``'s less.
APP_SESSION = timedelta(hours=12)
CLI_SESSION = timedelta(hours=8)


class Op(StrEnum):
    """Every operation that writes (and the reads that expose staff figures)."""

    ISSUE = "issue"
    CHECK_IN = "check_in"
    BOOK_APPOINTMENT = "book_appointment"
    DIVERT = "divert"
    REPRINT = "reprint"
    CALL = "call"
    RECALL = "recall"
    START = "start"
    FINISH = "finish"
    NO_SHOW = "no_show"
    PARK = "park"
    RESUME = "resume"
    RECALL_MISSED = "recall_missed"
    UNDO_NO_SHOW = "undo_no_show"
    OCCUPY_COUNTER = "occupy_counter"  # sign in at a counter, or take it over
    LEAVE_COUNTER = "leave_counter"
    TRANSFER = "transfer"
    CANCEL = "cancel"
    CONFIRM = "confirm"
    RATE = "rate"
    ON_THE_WAY = "on_the_way"  # the customer tells the counter from the phone page
    FILE_COMPLAINT = "file_complaint"
    FOLLOW_UP_COMPLAINT = "follow_up_complaint"
    REVEAL_CONTACT = "reveal_contact"
    COUNTER_STATUS = "counter_status"
    CLOSE_DAY = "close_day"
    CONFIGURE = "configure"  # services, counters, staff and PINs, policy, notices, hours
    ENROL_DEVICE = "enrol_device"
    READ_STAFF_FIGURES = "read_staff_figures"
    CHANGE_OWN_PIN = "change_own_pin"
    SIGN_OUT = "sign_out"
    RATING_PAD_PRESENCE = "rating_pad_presence"  # a pad starts, stops or heartbeats
    CONSOLE_HEARTBEAT = "console_heartbeat"  # a signed-in console says it still runs
    SIGN_IN = "sign_in"
    LOAD_BRANCH = "load_branch"
    PURGE_PERSONAL_DATA = "purge_personal_data"  # retention, at the close of day
    PERSONAL_DATA = "personal_data"  # export or erase one person's data
    RECORD_LIFECYCLE = "record_lifecycle"  # a backup made or failed, a restore


_FRONT = frozenset({GREETER, MANAGER})
_COUNTER = frozenset({TELLER, MANAGER})
_MANAGER = frozenset({MANAGER})

#: The one table of who may do what. A role not listed for an operation is refused.
OPERATION_ROLES: Mapping[Op, frozenset[str]] = {
    Op.ISSUE: _FRONT | {KIOSK},
    Op.CHECK_IN: _FRONT | {KIOSK},
    Op.BOOK_APPOINTMENT: _FRONT,
    Op.DIVERT: _FRONT | {KIOSK},
    Op.REPRINT: _FRONT | {TELLER, KIOSK},
    Op.CALL: _COUNTER,
    Op.RECALL: _COUNTER,
    Op.START: _COUNTER,
    Op.FINISH: _COUNTER,
    Op.NO_SHOW: _COUNTER,
    Op.PARK: _COUNTER,
    Op.RESUME: _COUNTER,
    Op.RECALL_MISSED: _COUNTER,
    Op.UNDO_NO_SHOW: _COUNTER,
    Op.OCCUPY_COUNTER: _COUNTER,
    Op.LEAVE_COUNTER: _COUNTER,
    Op.TRANSFER: _COUNTER,
    Op.CANCEL: _FRONT | {TELLER, WEB},
    Op.CONFIRM: _COUNTER,
    Op.RATE: frozenset({RATING_PAD, WEB}),  # the customer's own screen, never a staff sign-in
    Op.FILE_COMPLAINT: _FRONT | {TELLER, KIOSK},
    Op.FOLLOW_UP_COMPLAINT: _MANAGER,
    Op.REVEAL_CONTACT: _MANAGER,
    Op.COUNTER_STATUS: _COUNTER,
    Op.CLOSE_DAY: _MANAGER,
    Op.CONFIGURE: _MANAGER,
    Op.ENROL_DEVICE: _MANAGER,
    Op.READ_STAFF_FIGURES: _MANAGER,
    Op.CHANGE_OWN_PIN: frozenset(STAFF_ROLES),
    Op.SIGN_OUT: frozenset(STAFF_ROLES),
    Op.ON_THE_WAY: frozenset({WEB}),
    Op.RATING_PAD_PRESENCE: frozenset({RATING_PAD}),
    Op.CONSOLE_HEARTBEAT: _COUNTER,
    Op.SIGN_IN: frozenset({SYSTEM}),
    Op.LOAD_BRANCH: frozenset({SYSTEM}),
    Op.PURGE_PERSONAL_DATA: _MANAGER,
    Op.PERSONAL_DATA: _MANAGER,
    Op.RECORD_LIFECYCLE: frozenset({SYSTEM, MANAGER}),
}


@dataclass(frozen=True)
class SessionToken:
    """A staff member's signed-in session (made by :func:`lobby.staff.sign_in`).

    Attributes:
        token: The secret the holder presents; the database keeps only its hash.
        staff: Whose session it is (for messages; the database decides who acts).
    """

    token: str = field(repr=False)
    staff: str = ""


@dataclass(frozen=True)
class DeviceKey:
    """An enrolled device's credential, read from its config directory."""

    device: str
    secret: str = field(repr=False)


@dataclass(frozen=True)
class CheckedPin:
    """A staff member whose PIN this process has just checked (a one-off CLI command).

    It holds no session row: the proof is known only to this process (made by
    :func:`lobby.staff.sign_in` with ``session=False``), and the member is read again,
    active and with their role, in every unit of work that presents it.
    """

    staff: str
    proof: str = field(repr=False)


_CHECKED_PINS: dict[str, str] = {}  # proof -> staff code, for this process only


def checked_pin(staff_code: str) -> CheckedPin:
    """Record that ``staff_code``'s PIN was just checked; call only after the check."""
    proof = new_secret()
    _CHECKED_PINS[proof] = staff_code
    return CheckedPin(staff_code, proof)


@dataclass(frozen=True)
class SystemActor:
    """Lobby itself, before anyone is signed in: only :data:`SYSTEM`'s operations."""

    origin: str


Credential = SessionToken | CheckedPin | DeviceKey | SystemActor


@dataclass(frozen=True)
class Principal:
    """Who a unit of work acts for, as checked in its transaction.

    Attributes:
        code: The journal's actor: a staff id, a device id or the system's origin.
        role: A staff role, a device role or :data:`SYSTEM`.
        kind: ``staff``, ``device`` or ``system``.
        counter_id: The counter an enrolled device is bound to (a rating pad), if any.
    """

    code: str
    role: str
    kind: str
    counter_id: int | None = None


def token_hash(secret: str) -> str:
    """The stored form of a session token or device secret (both are long and random)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    """A fresh random token."""
    return secrets.token_urlsafe(32)


def authenticate(session: Session, credential: Credential, now: datetime) -> Principal:
    """Check ``credential`` against the database, inside the unit of work's transaction.

    Raises:
        AuthenticationFailed: An unknown, expired or ended session, a disabled member,
            an unknown or withdrawn device, or a wrong device key.
    """
    if isinstance(credential, SystemActor):
        return Principal(credential.origin[:64], SYSTEM, "system")
    if isinstance(credential, DeviceKey):
        device = session.scalar(select(Device).where(Device.code == credential.device))
        if (
            device is None
            or not device.active
            or not hmac.compare_digest(device.secret_hash, token_hash(credential.secret))
        ):
            raise AuthenticationFailed(
                f"device {credential.device} is not enrolled (or its key is wrong): "
                "a manager enrols it with `lobby device-enrol`"
            )
        return Principal(device.code, device.role, "device", device.counter_id)
    if isinstance(credential, CheckedPin):
        if _CHECKED_PINS.get(credential.proof) != credential.staff:
            raise AuthenticationFailed(f"{credential.staff}'s PIN was not checked")
        member = session.scalar(select(Staff).where(Staff.code == credential.staff))
        if member is None or not member.active:
            raise AuthenticationFailed(f"{credential.staff} is not an active staff member")
        return Principal(member.code, member.role, "staff")
    row = session.scalar(
        select(StaffSession).where(StaffSession.token_hash == token_hash(credential.token))
    )
    who = f"{credential.staff}'s" if credential.staff else "this"
    if row is None or row.ended_at is not None:
        raise AuthenticationFailed(f"{who} session has ended: sign in again")
    if row.expires_at <= now:
        raise AuthenticationFailed(f"{who} session has expired: sign in again")
    member = row.staff
    if not member.active:
        raise AuthenticationFailed(f"{member.code} is not an active staff member")
    return Principal(member.code, member.role, "staff")


def authorise(uow: UnitOfWork, op: Op) -> Principal:
    """Refuse ``op`` unless the unit of work's actor has a role allowed to do it.

    Raises:
        PermissionDenied: The role is not in :data:`OPERATION_ROLES` for ``op``.
    """
    who = uow.principal
    if who.role not in OPERATION_ROLES[op]:
        allowed = ", ".join(sorted(OPERATION_ROLES[op]))
        raise PermissionDenied(
            f"{who.code} is a {who.role}: {op.value.replace('_', ' ')} is for {allowed}"
        )
    uow.authorised.add(op)
    return who


def figures_scope(session: Session, credential: Credential, now: datetime) -> str | None:
    """Whose staff figures ``credential`` may read (reports per teller, the journal).

    Checked in the read's own session, as a unit of work checks its actor.

    Returns:
        ``None`` for a role allowed :data:`Op.READ_STAFF_FIGURES` (everyone's), else the
        signed-in member's own staff id (their own figures only).

    Raises:
        AuthenticationFailed: The credential does not hold.
        PermissionDenied: A device or the system asks: staff figures are for staff.
    """
    who = authenticate(session, credential, now)
    if who.role in OPERATION_ROLES[Op.READ_STAFF_FIGURES]:
        return None
    if who.kind != "staff":
        raise PermissionDenied(f"{who.code} is a {who.role}: staff figures are for staff")
    return who.code


def require_figures_reader(session: Session, credential: Credential, now: datetime) -> Principal:
    """Refuse anyone but a role allowed :data:`Op.READ_STAFF_FIGURES` (the audit list).

    Raises:
        AuthenticationFailed: The credential does not hold.
        PermissionDenied: Another role.
    """
    who = authenticate(session, credential, now)
    if who.role not in OPERATION_ROLES[Op.READ_STAFF_FIGURES]:
        raise PermissionDenied(f"{who.code} is a {who.role}: only a manager may do this")
    return who


def open_session(
    session: Session,
    member: Staff,
    now: datetime,
    *,
    origin: str,
    ttl: timedelta = APP_SESSION,
    token: str | None = None,
) -> SessionToken:
    """Start a session for ``member`` (after their PIN was checked) and return its token."""
    secret = token or new_secret()
    session.add(
        StaffSession(
            token_hash=token_hash(secret),
            staff_id=member.id,
            origin=origin[:64],
            created_at=now,
            expires_at=now + ttl,
        )
    )
    return SessionToken(secret, member.code)


def end_session(session: Session, credential: SessionToken, now: datetime) -> bool:
    """End a session (sign-out); whether it was still open."""
    row = session.scalar(
        select(StaffSession).where(StaffSession.token_hash == token_hash(credential.token))
    )
    if row is None or row.ended_at is not None:
        return False
    row.ended_at = now
    return True
