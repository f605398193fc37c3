"""The last backup: when, how big, and whether the branch should worry.

Read from the journal (``backup_made`` / ``backup_failed``), falling back on the
newest file in the backup folder (a restored database does not know the backups
taken after it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.db import Database
from lobby.lifecycle.backup import BACKUP_FAILED, BACKUP_MADE
from lobby.lifecycle.files import list_backups
from lobby.models import Event

#: A backup older than this is a warning.
MAX_AGE = timedelta(days=1)


@dataclass(frozen=True)
class BackupStatus:
    """The last backup of a branch and what is wrong with it, if anything.

    Attributes:
        last_at: When the newest good backup was taken (``None``: never).
        size: Its size in bytes.
        file: Its file name.
        failed_at: When the newest attempt failed, if it came after the last good one.
        error: Why it failed.
        now: When this was read.
    """

    last_at: datetime | None
    size: int | None
    file: str | None
    failed_at: datetime | None
    error: str | None
    now: datetime

    @property
    def warning(self) -> str | None:
        """What a manager should be told, or ``None`` when all is well."""
        if self.failed_at is not None:
            return f"the last backup failed ({self.failed_at:%Y-%m-%d %H:%M} UTC): {self.error}"
        if self.last_at is None:
            return "no backup yet: run `lobby backup`"
        age = self.now - self.last_at
        if age > MAX_AGE:
            return f"the last backup is {age.total_seconds() / 3600:.0f} hours old"
        return None

    def summary(self) -> str:
        """One line for people."""
        if self.warning:
            return self.warning
        assert self.last_at is not None
        hours = (self.now - self.last_at).total_seconds() / 3600
        return f"last {self.file}, {(self.size or 0) / 1e6:.1f} MB, {hours:.1f} h ago"


def backup_status(db: Database, directory: Path | None = None) -> BackupStatus:
    """The last backup by the journal, or by the files in ``directory`` when newer."""
    with db.read() as session:
        return read_backup_status(session, db.clock.now(), directory)


def read_backup_status(session: Session, now: datetime, directory: Path | None) -> BackupStatus:
    """:func:`backup_status` in a read session the caller holds (the apps' readers)."""
    made = session.execute(
        select(Event.id, Event.payload).where(Event.kind == BACKUP_MADE)
        .order_by(Event.id.desc()).limit(1)
    ).first()  # fmt: skip
    failed = session.execute(
        select(Event.id, Event.at, Event.payload).where(Event.kind == BACKUP_FAILED)
        .order_by(Event.id.desc()).limit(1)
    ).first()  # fmt: skip
    last_at = size = file = None
    if made is not None:
        last_at = datetime.fromisoformat(made.payload["taken_at"])
        size, file = int(made.payload["size"]), str(made.payload["file"])
    newest = list_backups(directory)[-1:] if directory is not None else []
    for path, name in newest:
        if last_at is None or name.taken_at > last_at:
            last_at, size, file = name.taken_at, path.stat().st_size, path.name
    failed_at = error = None
    if failed is not None and (made is None or failed.id > made.id):
        failed_at, error = failed.at, str(failed.payload.get("error", ""))
    return BackupStatus(last_at, size, file, failed_at, error, now)
