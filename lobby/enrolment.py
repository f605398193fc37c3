"""Enrolling a device that acts on its own: a greeter kiosk, a rating pad, a hall display."""

from __future__ import annotations

import re

from sqlalchemy import select

from lobby.access import DEVICE_ROLES, DeviceKey, Op, authorise, new_secret, token_hash
from lobby.db import UnitOfWork
from lobby.errors import InvalidInput
from lobby.models import Device, Staff
from lobby.vocabulary import EventKind

_CODE = re.compile(r"[A-Za-z0-9_-]{1,32}")
#: The code under which a branch enrols its ``lobby web`` (role ``web``).
WEB_DEVICE = "web"


def enrol_device(uow: UnitOfWork, code: str, role: str) -> DeviceKey:
    """Enrol (or re-enrol, with a new key) the device ``code`` for ``role`` (manager only).

    The key is returned once, for the device's config directory; only its hash is kept.
    A re-enrolled device's old key stops working at once.

    Raises:
        PermissionDenied: The actor is not a manager.
        InvalidInput: A bad id, an unknown device role, or a staff member's id.
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
    secret = new_secret()
    device = uow.session.scalar(select(Device).where(Device.code == cleaned).with_for_update())
    if device is None:
        device = Device(code=cleaned)
        uow.session.add(device)
    device.role, device.secret_hash, device.active = role, token_hash(secret), True
    device.enrolled_by, device.enrolled_at = uow.actor, uow.now
    uow.record(EventKind.DEVICE_ENROLLED, payload={"device": cleaned, "role": role})
    return DeviceKey(cleaned, secret)


def withdraw_device(uow: UnitOfWork, code: str) -> None:
    """Stop an enrolled device's key from working (manager only)."""
    authorise(uow, Op.ENROL_DEVICE)
    cleaned = code.strip()
    device = uow.session.scalar(select(Device).where(Device.code == cleaned).with_for_update())
    if device is None:
        raise InvalidInput(f"no enrolled device {cleaned}")
    device.active = False
    uow.record(EventKind.DEVICE_ENROLLED, payload={"device": cleaned, "role": None})
