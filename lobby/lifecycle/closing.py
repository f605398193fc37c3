"""Closing the business day, with what the branch's data needs at the close.

One unit of work expires the leftover tickets and erases the personal data whose
retention ends (:mod:`lobby.lifecycle.retention`); then, when the settings ask for
it, a backup is taken and the backups are rotated (the newest of each of the last
``backup_keep_daily`` days and ``backup_keep_monthly`` months are kept).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from lobby import engine
from lobby.access import Credential
from lobby.db import Database
from lobby.lifecycle.backup import BackupFailed, BackupInfo, make_backup
from lobby.lifecycle.erasure import Erased
from lobby.lifecycle.files import parse_name
from lobby.lifecycle.retention import purge
from lobby.lifecycle.rotation import rotate
from lobby.settings import Settings


@dataclass
class DayClosed:
    """What closing the day did."""

    day: date
    expired: int
    erased: Erased
    backup: BackupInfo | None = None
    backup_error: str | None = None
    removed: list[Path] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON values."""
        return {
            "day": self.day.isoformat(),
            "expired": self.expired,
            "erased": self.erased.to_json(),
            "backup": self.backup.to_json() if self.backup else None,
            "backup_error": self.backup_error,
            "removed_backups": [p.name for p in self.removed],
        }


def close_business_day(
    db: Database, settings: Settings, actor: Credential, day: date | None = None
) -> DayClosed:
    """Close ``day`` (default today), purge what has expired, back up and rotate.

    A failed backup does not undo the close: it is journalled, reported in
    :attr:`DayClosed.backup_error` and shown by the manager's app and ``lobby doctor``.
    """
    with db.unit_of_work(actor) as uow:
        closed = day or uow.today
        expired = engine.close_day(uow, day)
        erased = purge(uow, closed)
        who = uow.actor
    result = DayClosed(closed, expired, erased)
    if not settings.backup_on_close:
        return result
    try:
        result.backup = make_backup(db, settings.backup_dir, actor=who,
                                    pg_bindir=settings.pg_bindir)  # fmt: skip
    except BackupFailed as exc:
        result.backup_error = str(exc)
        return result
    name = parse_name(result.backup.path)
    assert name is not None
    result.removed = rotate(settings.backup_dir, name.branch, settings.backup_keep_daily,
                            settings.backup_keep_monthly)  # fmt: skip
    return result
