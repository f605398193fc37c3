"""``lobby backup``: a consistent copy of the branch's database while the apps keep working.

SQLite is copied through the online backup API in one step: the copy is the
database at one moment, and writers keep going on the write-ahead log meanwhile.
PostgreSQL is dumped by ``pg_dump --format=custom`` (one snapshot) when it is on the
machine, else exported by the engine in one repeatable-read transaction. Either way
the copy is checked before it is trusted, gets a checksum file and is journalled
(``backup_made``, or ``backup_failed`` with the reason).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import make_url

from lobby.access import Op, SystemActor, authorise
from lobby.db import Database
from lobby.errors import DatabaseUnavailable, LobbyError
from lobby.lifecycle import logical, pgtools
from lobby.lifecycle.files import BackupName, write_checksum
from lobby.models import Branch
from lobby.schema import current_revision
from lobby.vocabulary import EventKind

BACKUP_MADE = EventKind.BACKUP_MADE
BACKUP_FAILED = EventKind.BACKUP_FAILED


class BackupFailed(LobbyError):
    """The copy could not be made or written (full disk, unwritable directory, ...)."""

    exit_code = 4


@dataclass(frozen=True)
class BackupInfo:
    """A finished backup."""

    path: Path
    size: int
    sha256: str
    revision: str
    format: str
    taken_at: datetime

    def to_json(self) -> dict[str, Any]:
        """Plain JSON values."""
        data = asdict(self)
        return {**data, "path": str(self.path), "taken_at": self.taken_at.isoformat()}


def sqlite_path(db: Database) -> Path:
    """The file of a SQLite database."""
    name = db.engine.url.database
    if not name or name == ":memory:":
        raise DatabaseUnavailable("an in-memory database has no file to back up")
    return Path(name).expanduser()


def make_backup(
    db: Database,
    directory: Path,
    *,
    actor: str,
    pg_bindir: Path | None = None,
    use_pg_dump: bool = True,
) -> BackupInfo:
    """Copy the database into ``directory`` and journal the result.

    Args:
        db: The branch's database (it must hold a schema and a branch).
        directory: Where the copy goes (created if missing).
        actor: Who asked for it, for the journal.
        pg_bindir: Where ``pg_dump`` is; found on the machine when ``None``.
        use_pg_dump: ``False`` makes the engine export PostgreSQL itself.

    Raises:
        BackupFailed: Nothing usable was written (the reason is journalled).
        DatabaseUnavailable: The database cannot be read.
    """
    try:
        info = make_backup_file(db, directory, pg_bindir=pg_bindir, use_pg_dump=use_pg_dump)
    except BackupFailed as exc:
        try:
            with db.unit_of_work(SystemActor(actor)) as uow:
                authorise(uow, Op.RECORD_LIFECYCLE)
                uow.record(BACKUP_FAILED, payload={"directory": str(directory), "error": str(exc)})
        except LobbyError as unrecorded:  # e.g. the database sits on the same full disk
            raise BackupFailed(f"{exc} (not journalled: {unrecorded})") from exc
        raise
    with db.unit_of_work(SystemActor(actor)) as uow:
        authorise(uow, Op.RECORD_LIFECYCLE)
        uow.record(BACKUP_MADE, payload={**info.to_json(), "file": info.path.name})
    return info


def make_backup_file(
    db: Database, directory: Path, *, pg_bindir: Path | None = None, use_pg_dump: bool = True
) -> BackupInfo:
    """Copy the database into ``directory`` with its checksum file (not journalled).

    Raises:
        BackupFailed: Nothing usable was written.
        DatabaseUnavailable: The database cannot be read.
    """
    with db.read() as session:
        branch = session.scalar(select(Branch.code).where(Branch.id == 1))
    revision = current_revision(db.engine)
    if branch is None or revision is None:
        raise DatabaseUnavailable("the database has no branch yet: run `lobby init` first")
    if db.is_sqlite:
        fmt = "sqlite"
    elif use_pg_dump and pgtools.find_program("pg_dump", pg_bindir) is not None:
        fmt = "pg_dump"
    else:
        fmt = "logical"
    name = BackupName(branch, db.clock.now(), revision, fmt)
    try:
        return _copy(db, directory, name, pg_bindir)
    except (OSError, sqlite3.Error, DatabaseUnavailable) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BackupFailed(f"backup to {directory} failed: {reason}") from exc


def _copy(db: Database, directory: Path, name: BackupName, pg_bindir: Path | None) -> BackupInfo:
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)  # backups hold personal data
    final = directory / name.file_name()
    partial = final.with_name(final.name + ".partial")
    try:
        partial.touch(mode=0o600)
        if name.format == "sqlite":
            copy_sqlite(sqlite_path(db), partial)
        elif name.format == "pg_dump":
            program = pgtools.find_program("pg_dump", pg_bindir)
            assert program is not None
            args, env = pgtools.connection_args(make_url(db.engine.url))
            pgtools.run_program(
                program, [*args, "--format=custom", "--no-owner", "--file", str(partial)],
                env, "pg_dump",
            )  # fmt: skip
        else:
            with (
                db.engine.connect().execution_options(
                    isolation_level="REPEATABLE READ", postgresql_readonly=True
                ) as conn,
                conn.begin(),
            ):
                logical.export_rows(conn, name.revision, partial)
        with partial.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.link(partial, final)  # unlike a rename, never replaces an earlier backup
    except FileExistsError:
        raise BackupFailed(f"{final} exists already: one backup per second") from None
    finally:
        partial.unlink(missing_ok=True)
    digest = write_checksum(final)
    return BackupInfo(final, final.stat().st_size, digest, name.revision, name.format,
                      name.taken_at)  # fmt: skip


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy a live SQLite file in one backup step, then check the copy.

    The copy leaves WAL mode, so it is one self-contained file.

    Raises:
        BackupFailed: The copy fails its integrity check.
    """
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)  # one step: a read transaction on one snapshot
        dst.execute("PRAGMA journal_mode=DELETE")
        result = dst.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        dst.close()
        src.close()
    if result != "ok":
        raise BackupFailed(f"the copy of {source.name} fails its integrity check: {result}")
