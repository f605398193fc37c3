"""``lobby doctor``: is this machine's branch healthy? One line per check.

Checks: the schema revision; SQLite's ``quick_check`` or PostgreSQL's connection and
table privileges; file permissions; free disk space where the database and the
backups are; the journal; the last backup's age and outcome; the printer and speech
from this machine's settings. The apps run the cheap ones (:data:`CHEAP`) when they
start and show a banner when one fails.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from lobby.db import Database
from lobby.errors import LobbyError
from lobby.lifecycle import integrity
from lobby.lifecycle.devices_check import Status, printer_check, speech_check
from lobby.lifecycle.history import backup_status
from lobby.schema import HEAD
from lobby.settings import Settings

#: (total, used, free) bytes of the filesystem holding a path (``shutil.disk_usage``)
DiskProbe = Callable[[Path], tuple[int, int, int]]


@dataclass(frozen=True)
class Check:
    """The outcome of one check."""

    name: str
    status: Status
    detail: str

    def line(self) -> str:
        """``ok   schema     revision 0004``."""
        return f"{self.status:<5}{self.name:<12}{self.detail}"


@dataclass
class Doctor:
    """Runs the checks of one machine's settings on one database."""

    settings: Settings
    db: Database
    disk_usage: DiskProbe = shutil.disk_usage

    def run(self, *, cheap: bool = False) -> list[Check]:
        """Every check in order (``cheap``: only those fit for an app's start)."""
        checks: list[tuple[str, Callable[[], tuple[Status, str]], bool]] = [
            ("schema", self._schema, True),
            ("storage", self._storage, False),
            ("permissions", self._permissions, True),
            ("disk", self._disk, True),
            ("journal", self._journal, False),
            ("backup", self._backup, True),
            ("printer", lambda: printer_check(self.settings), False),
            ("speech", speech_check, False),
        ]
        results = []
        for name, check, is_cheap in checks:
            if cheap and not is_cheap:
                continue
            try:
                status, detail = check()
            except (LobbyError, DBAPIError, OSError) as exc:
                status, detail = "fail", _one_line(exc)
            results.append(Check(name, status, detail))
        return results

    # --- the checks -----------------------------------------------------------------------------

    def _schema(self) -> tuple[Status, str]:
        problems = integrity.schema_problems(self.db)
        return ("fail", problems[0]) if problems else ("ok", f"revision {HEAD}")

    def _storage(self) -> tuple[Status, str]:
        if self.db.is_sqlite:
            problems = integrity.storage_problems(self.db)
            return ("fail", problems[0]) if problems else ("ok", "SQLite quick_check ok")
        with self.db.engine.connect() as conn:
            version = conn.scalar(text("SHOW server_version"))
            user = conn.scalar(text("SELECT current_user"))
            missing = conn.scalars(
                text(
                    "SELECT t FROM unnest(ARRAY['ticket', 'event', 'visit']) AS t "
                    "WHERE NOT has_table_privilege(current_user, t, 'SELECT, INSERT, UPDATE')"
                )
            ).all()
        if missing:
            return "fail", f"{user} may not read and write {', '.join(missing)}"
        return "ok", f"PostgreSQL {version}, connected as {user}, may read and write"

    def _files(self) -> list[Path]:
        paths = [self.settings.backup_dir]
        if self.db.is_sqlite and (name := make_url(self.db.engine.url).database):
            main = Path(name).expanduser()
            paths += [main] + [main.with_name(main.name + s) for s in ("-wal", "-shm")]
        return [p for p in paths if p.exists()]

    def _permissions(self) -> tuple[Status, str]:
        problems = []
        for path in self._files():
            mode = path.stat().st_mode
            if not (path.is_dir() or _can_write(path)):
                problems.append(f"{path} is not writable by this user")
            elif mode & (stat.S_IRWXG | stat.S_IRWXO):
                problems.append(f"{path} is open to others ({stat.filemode(mode)})")
        if problems:
            return "fail", "; ".join(problems)
        return "ok", f"{len(self._files())} files and folders owner-only"

    def _disk(self) -> tuple[Status, str]:
        places = [p for p in self._files() if p.is_dir()] + [
            p.parent for p in self._files() if p.is_file()
        ]
        least = None
        for place in places or [Path.cwd()]:
            free = self.disk_usage(place)[2]
            if least is None or free < least[1]:
                least = (place, free)
        assert least is not None
        free_mb = least[1] / 1e6
        detail = f"{free_mb:,.0f} MB free at {least[0]}"
        if least[1] < self.settings.min_free_disk_mb * 1_000_000:
            return "fail", f"{detail}, under {self.settings.min_free_disk_mb} MB"
        return "ok", detail

    def _journal(self) -> tuple[Status, str]:
        problems = integrity.journal_problems(self.db)
        if problems:
            return "fail", problems[0]
        return "ok", "hash chain verified, every event names a ticket that exists"

    def _backup(self) -> tuple[Status, str]:
        status = backup_status(self.db, self.settings.backup_dir)
        return ("fail" if status.warning else "ok"), status.summary()


def _can_write(path: Path) -> bool:
    return os.access(path, os.R_OK | os.W_OK)


def _one_line(exc: BaseException) -> str:
    inner = getattr(exc, "orig", None) or exc
    lines = str(inner).strip().splitlines()
    return lines[0] if lines else type(inner).__name__


def failed(checks: list[Check]) -> list[Check]:
    """The checks that failed."""
    return [c for c in checks if c.status == "fail"]
