"""Keys kept on this machine: a ``lobby sign-in`` session and enrolled devices' keys.

``--staff/--pin`` and ``LOBBY_STAFF/LOBBY_PIN`` are checked on every command; a saved
session (``lobby sign-in``) or an enrolled device's key may stand in for them.

Saved sessions and device keys live in the user's config directory, readable by the
owner only (0600).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from platformdirs import user_config_path

from lobby.access import DeviceKey, SessionToken
from lobby.errors import InvalidInput


def config_dir() -> Path:
    """Where this user's Lobby keeps its session and device key."""
    return user_config_path("lobby")


def session_file() -> Path:
    """The saved ``lobby sign-in`` session."""
    return config_dir() / "session.json"


def device_file() -> Path:
    """This machine's device key (``lobby device enrol``)."""
    return config_dir() / "device.json"


def write_private(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` as JSON to ``path``, readable and writable by the owner only."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out)
    os.chmod(tmp, 0o600)
    tmp.replace(path)


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


@dataclass(frozen=True)
class SavedSession:
    """A ``lobby sign-in`` session for one database."""

    db: str
    staff: str
    expires_at: datetime
    credential: SessionToken


def saved_session(db_url: str) -> SavedSession | None:
    """The saved session for ``db_url``, if there is one."""
    data = _read(session_file())
    if data is None or data.get("db") != db_url:
        return None
    try:
        return SavedSession(
            db=db_url,
            staff=str(data["staff"]),
            expires_at=datetime.fromisoformat(str(data["expires_at"])),
            credential=SessionToken(str(data["token"]), str(data["staff"])),
        )
    except (KeyError, ValueError):
        return None


def save_session(db_url: str, staff: str, token: SessionToken, expires_at: datetime) -> Path:
    """Keep a session for later commands on ``db_url``."""
    path = session_file()
    write_private(
        path,
        {"db": db_url, "staff": staff, "token": token.token, "expires_at": expires_at.isoformat()},
    )
    return path


def _device_keys() -> dict[str, Any]:
    data = _read(device_file())
    devices = data.get("devices") if data else None
    return devices if isinstance(devices, dict) else {}


def save_device_key(db_url: str, key: DeviceKey) -> Path:
    """Keep an enrolled device's key on this machine (several devices may share one)."""
    devices = _device_keys()
    devices[key.device] = {"db": db_url, "secret": key.secret}
    path = device_file()
    write_private(path, {"devices": devices})
    return path


def saved_device_key(db_url: str) -> DeviceKey | None:
    """A device key this machine holds for ``db_url`` (the CLI acts as that device)."""
    for code, entry in sorted(_device_keys().items()):
        if isinstance(entry, dict) and entry.get("db") == db_url and "secret" in entry:
            return DeviceKey(code, str(entry["secret"]))
    return None


def device_key(code: str) -> DeviceKey | None:
    """The key of device ``code`` on this machine (a rating pad, a console's panel)."""
    entry = _device_keys().get(code)
    if not isinstance(entry, dict) or "secret" not in entry:
        return None
    return DeviceKey(code, str(entry["secret"]))


def write_key_file(path: Path, key: DeviceKey) -> Path:
    """Write one device's key to ``path`` (owner-only), for a process started with it."""
    write_private(path, {"device": key.device, "secret": key.secret})
    return path


def read_key_file(path: Path) -> DeviceKey:
    """The device key :func:`write_key_file` wrote.

    Raises:
        InvalidInput: The file is missing or holds no device key.
    """
    data = _read(path)
    if data is None or not isinstance(data.get("device"), str) or "secret" not in data:
        raise InvalidInput(f"no device key in {path}")
    return DeviceKey(str(data["device"]), str(data["secret"]))
