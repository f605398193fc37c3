"""Enrolling a device that acts on its own: a greeter kiosk, a rating pad, a hall display."""

from __future__ import annotations

import re

from sqlalchemy import select

from lobby.access import (
    DEVICE_ROLES,
    RATING_PAD,
    DeviceKey,
    Op,
    authorise,
    new_secret,
    token_hash,
)
from lobby.db import UnitOfWork
from lobby.errors import InvalidInput
from lobby.models import Counter, Device, Staff
from lobby.vocabulary import EventKind

_CODE = re.compile(r"[A-Za-z0-9_-]{1,32}")
#: The code under which a branch enrols its ``lobby web`` (role ``web``).
WEB_DEVICE = "web"


def enrol_device(uow: UnitOfWork, code: str, role: str, counter: int | None = None) -> DeviceKey:
    """Enrol (or re-enrol, with a new key) the device ``code`` for ``role`` (manager only).

    The key is returned once, for the device's config directory; only its hash is kept.
    A re-enrolled device's old key stops working at once. A rating pad is enrolled for
    one counter (``counter``): it rates only the visit just finished there.

    Raises:
        PermissionDenied: The actor is not a manager.
        InvalidInput: A bad id, an unknown device role, a staff member's id, a rating
            pad without a counter (or with an unknown one), a counter for another role.
    """
    authorise(uow, Op.ENROL_DEVICE)
    cleaned = code.strip()
    if not _CODE.fullmatch(cleaned):
        raise InvalidInput(f"a device id is 1-32 letters, digits, '-' or '_': {code!r}")
    if role not in DEVICE_ROLES:
        raise InvalidInput(
            f"unknown device role {role!r}; choose one of: {', '.join(DEVICE_ROLES)}"
        )
    if uow.session.scalar(select(Staff.id).where(Staff.code == cleaned.upper())) is not None:
        raise InvalidInput(f"{cleaned} is a staff id: give the device an id of its own")
    counter_id = _counter_of(uow, role, counter)
    secret = new_secret()
    device = uow.session.scalar(select(Device).where(Device.code == cleaned).with_for_update())
    if device is None:
        device = Device(code=cleaned)
        uow.session.add(device)
    device.role, device.secret_hash, device.active = role, token_hash(secret), True
    device.enrolled_by, device.enrolled_at = uow.actor, uow.now
    device.counter_id = counter_id
    body: dict[str, object] = {"device": cleaned, "role": role}
    if counter is not None:
        body["counter"] = counter
    uow.record(EventKind.DEVICE_ENROLLED, payload=body)
    return DeviceKey(cleaned, secret)


def _counter_of(uow: UnitOfWork, role: str, counter: int | None) -> int | None:
    """The id of the counter a device is bound to (a rating pad's, and only a pad's)."""
    if role != RATING_PAD:
        if counter is not None:
            raise InvalidInput(f"only a rating pad is bound to a counter, not a {role}")
        return None
    if counter is None:
        raise InvalidInput("a rating pad is enrolled for its counter: give --counter N")
    counter_id = uow.session.scalar(
        select(Counter.id).where(Counter.number == counter, Counter.active)
    )
    if counter_id is None:
        raise InvalidInput(f"no counter {counter}")
    return counter_id


def withdraw_device(uow: UnitOfWork, code: str) -> None:
    """Stop an enrolled device's key from working (manager only)."""
    authorise(uow, Op.ENROL_DEVICE)
    cleaned = code.strip()
    device = uow.session.scalar(select(Device).where(Device.code == cleaned).with_for_update())
    if device is None:
        raise InvalidInput(f"no enrolled device {cleaned}")
    if not device.active:
        raise InvalidInput(f"device {cleaned} is already withdrawn")
    device.active = False
    uow.record(EventKind.DEVICE_ENROLLED, payload={"device": cleaned, "role": None})
