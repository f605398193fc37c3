"""``lobby restore FILE``: put a backup back, keeping the current database aside.

The order is chosen so that nothing is lost whatever fails:

1. The file's checksum and its schema revision are checked (a newer revision than
   this Lobby's is refused; an older one is upgraded by the migrations).
2. Connected apps make the restore refuse, unless forced.
3. SQLite: the backup is staged and upgraded in a file beside the database and
   checked in full *before* the live database is touched; the current database is
   copied aside, then the staged copy is written into the live file through the
   backup API (so even an app left running sees the restored data, never a torn file).
   PostgreSQL: the current database is dumped aside, the tables are replaced from the
   backup and, should that fail, from the copy aside.
4. The result is checked (integrity, schema, ticket states, journal) and the restore
   is journalled.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from lobby.access import Op, SystemActor, authorise
from lobby.db import Database
from lobby.errors import DatabaseUnavailable, InvalidInput, LobbyError
from lobby.lifecycle import logical, pgtools
from lobby.lifecycle.backup import make_backup_file, sqlite_path
from lobby.lifecycle.files import BackupName, parse_name, verify_checksum
from lobby.lifecycle.integrity import database_problems
from lobby.lifecycle.presence import connected_apps, terminate_apps
from lobby.migrate import upgrade
from lobby.schema import HEAD, SCHEMA_REVISIONS, current_revision
from lobby.vocabulary import EventKind

RESTORED = EventKind.RESTORED


class RestoreRefused(LobbyError):
    """The restore would pull the database away from running apps, or fails its checks."""


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did."""

    source: Path
    revision: str
    upgraded_to: str
    aside: Path | None
    forced_apps: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """Plain JSON values."""
        return {
            "source": str(self.source),
            "revision": self.revision,
            "upgraded_to": self.upgraded_to,
            "aside": str(self.aside) if self.aside else None,
            "forced_apps": list(self.forced_apps),
        }


def check_backup_file(path: Path) -> BackupName:
    """The backup's name parts, once its checksum and revision are acceptable.

    Raises:
        InvalidInput: Not a backup, damaged, or from a newer Lobby.
    """
    if not path.is_file():
        raise InvalidInput(f"no backup file at {path}")
    name = parse_name(path)
    if name is None:
        raise InvalidInput(
            f"{path.name} is not a Lobby backup name (lobby-BRANCH-TIME-rREVISION.sqlite|"
            ".pgdump|.json.gz)"
        )
    verify_checksum(path)
    if name.revision not in SCHEMA_REVISIONS:
        raise InvalidInput(
            f"{path.name} holds schema revision {name.revision}, unknown to this Lobby "
            f"({HEAD}): update Lobby first"
        )
    return name


def restore_backup(
    db: Database,
    path: Path,
    aside_dir: Path,
    *,
    actor: str,
    force: bool = False,
    pg_bindir: Path | None = None,
) -> RestoreResult:
    """Restore ``path`` into ``db`` (see the module's steps).

    Raises:
        InvalidInput: A damaged or unknown file, or one of the other backend's format.
        RestoreRefused: Apps are connected (without ``force``), or the result fails a check.
    """
    name = check_backup_file(path)
    apps = connected_apps(db)
    if apps and not force:
        raise RestoreRefused(
            f"{len(apps)} app(s) connected: {', '.join(apps)}; close them first "
            "(or restore --force, which they will not survive)"
        )
    if db.is_sqlite != (name.format == "sqlite"):
        backend = "SQLite" if db.is_sqlite else "PostgreSQL"
        raise InvalidInput(f"{path.name} is a {name.format} backup; it cannot restore {backend}")
    if db.is_sqlite:
        aside = _restore_sqlite(db, path, name, aside_dir)
    else:
        if apps:
            terminate_apps(db)
        aside = _restore_postgresql(db, path, name, aside_dir, pg_bindir)
    db.dispose()
    problems = database_problems(db)
    if problems:
        raise RestoreRefused(
            f"the restored database fails its checks: {'; '.join(problems)} "
            f"(the previous one is at {aside})"
        )
    with db.unit_of_work(SystemActor(actor)) as uow:
        authorise(uow, Op.RECORD_LIFECYCLE)
        uow.record(
            RESTORED,
            payload={"file": path.name, "revision": name.revision, "upgraded_to": HEAD,
                     "aside": aside.name if aside else None, "forced": bool(apps)},
        )  # fmt: skip
    return RestoreResult(path, name.revision, HEAD, aside, tuple(apps))


def _set_sqlite_aside(db: Database, live: Path, aside_dir: Path) -> Path:
    """A restorable copy of the live file, or the file as it is when it cannot be read."""
    try:
        return make_backup_file(db, aside_dir).path
    except (LobbyError, sqlite3.DatabaseError, DBAPIError):
        # a damaged live file (the usual reason to restore) is kept byte for byte
        aside_dir.mkdir(parents=True, exist_ok=True)
        stamp = db.clock.now().strftime("%Y%m%dT%H%M%SZ")
        aside = aside_dir / f"{live.name}-{stamp}.damaged"
        shutil.copyfile(live, aside)
        return aside


def _restore_sqlite(db: Database, path: Path, name: BackupName, aside_dir: Path) -> Path | None:
    live = sqlite_path(db)
    staged = live.with_name(live.name + ".restoring")
    shutil.copyfile(path, staged)
    try:
        stage = Database.open(f"sqlite:///{staged}")
        try:
            found = current_revision(stage.engine)
            if found != name.revision:
                raise InvalidInput(
                    f"{path.name} says revision {name.revision} but holds {found or 'no schema'}"
                )
            upgrade(stage.engine)
            problems = database_problems(stage)
        finally:
            stage.dispose()
        if problems:
            raise RestoreRefused(f"{path.name} fails its checks: {'; '.join(problems)}")
        aside = _set_sqlite_aside(db, live, aside_dir) if live.exists() else None
        db.dispose()
        if aside is None or aside.suffix == ".damaged":
            for leftover in (live, *(live.with_name(live.name + s) for s in ("-wal", "-shm"))):
                leftover.unlink(missing_ok=True)
            staged.rename(live)
        else:
            source = sqlite3.connect(staged)
            target = sqlite3.connect(live, timeout=30)
            try:
                source.backup(target)  # through SQLite's locks: apps never see a torn file
            finally:
                target.close()
                source.close()
    finally:
        staged.unlink(missing_ok=True)
    return aside


def _restore_postgresql(
    db: Database, path: Path, name: BackupName, aside_dir: Path, pg_bindir: Path | None
) -> Path | None:
    aside = None
    if current_revision(db.engine) is not None:
        aside = make_backup_file(db, aside_dir, pg_bindir=pg_bindir).path
    try:
        _replace_tables(db, path, name, pg_bindir)
    except (LobbyError, OSError, ValueError) as exc:
        if aside is not None:
            aside_name = parse_name(aside)
            assert aside_name is not None
            _replace_tables(db, aside, aside_name, pg_bindir)
        raise RestoreRefused(f"restoring {path.name} failed, nothing changed: {exc}") from exc
    return aside


def _replace_tables(db: Database, path: Path, name: BackupName, pg_bindir: Path | None) -> None:
    db.dispose()
    with db.engine.begin() as conn:
        conn.execute(text("SET LOCAL lock_timeout = '15s'"))
        for table in inspect(conn).get_table_names():
            conn.execute(text(f'DROP TABLE IF EXISTS "{table}" CASCADE'))
        # the journal's append-only trigger function outlives its table; the copy brings its own
        conn.execute(text("DROP FUNCTION IF EXISTS lobby_event_append_only() CASCADE"))
    if name.format == "pg_dump":
        program = pgtools.find_program("pg_restore", pg_bindir)
        if program is None:
            raise DatabaseUnavailable(
                "pg_restore is not on this machine (Debian: postgresql-client)"
            )
        args, env = pgtools.connection_args(make_url(db.engine.url))
        pgtools.run_program(
            program, [*args, "--no-owner", "--single-transaction", "--exit-on-error", str(path)],
            env, "pg_restore",
        )  # fmt: skip
    else:
        header = logical.read_header(path)
        upgrade(db.engine, header["revision"])
        with db.engine.begin() as conn:
            logical.import_rows(conn, path)
    db.dispose()
    upgrade(db.engine)
