"""Which Lobby apps are connected to a database, so a restore can refuse to pull it away.

SQLite: each running app holds an exclusive ``flock`` on a file of its own in the
directory ``<database>.apps/``; a file whose lock can be taken belongs to an app that
has gone and is removed. The kernel drops the lock when the process ends, however it
ends. PostgreSQL: the apps connect with ``application_name`` ``lobby-<app>`` and the
server's ``pg_stat_activity`` lists them, on whatever host they run.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from sqlalchemy import text
from sqlalchemy.engine import make_url

from lobby.db import Database

APP_PREFIX = "lobby-"


def presence_dir(database_file: Path) -> Path:
    """The directory where apps on ``database_file`` announce themselves."""
    return database_file.with_name(database_file.name + ".apps")


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database).expanduser()


@contextlib.contextmanager
def app_presence(url: str, app: str) -> Iterator[None]:
    """Announce a running app on the database at ``url`` for as long as the block runs."""
    path = _sqlite_file(url)
    if path is None:
        # PostgreSQL: libpq sends PGAPPNAME as the connections' application_name
        os.environ.setdefault("PGAPPNAME", APP_PREFIX + app)
        yield
        return
    directory = presence_dir(path)
    directory.mkdir(parents=True, exist_ok=True)
    marker = directory / f"{app}-{os.getpid()}"
    handle: IO[str] = marker.open("w", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        handle.write(f"{app} {os.getpid()}\n")
        handle.flush()
        yield
    finally:
        marker.unlink(missing_ok=True)
        handle.close()


def connected_apps(db: Database) -> list[str]:
    """The apps connected to ``db`` now, e.g. ``["greeter (pid 812)"]``; stale marks go."""
    if db.is_postgresql:
        with db.engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT application_name, client_addr, pid FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND application_name LIKE :prefix ORDER BY pid"
                ),
                {"prefix": APP_PREFIX + "%"},
            ).all()
        return [
            f"{name.removeprefix(APP_PREFIX)} ({addr or 'local'}, pid {pid})"
            for name, addr, pid in rows
        ]
    path = _sqlite_file(str(db.engine.url))
    if path is None:
        return []
    directory = presence_dir(path)
    if not directory.is_dir():
        return []
    alive = []
    for marker in sorted(directory.iterdir()):
        with marker.open("a", encoding="utf-8") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                app, _, pid = marker.name.rpartition("-")
                alive.append(f"{app} (pid {pid})")
                continue
        marker.unlink(missing_ok=True)
    return alive


def terminate_apps(db: Database) -> int:
    """End the PostgreSQL sessions of connected apps (a forced restore); returns how many."""
    if not db.is_postgresql:
        return 0
    with db.engine.begin() as conn:
        ended = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND application_name LIKE :prefix"
            ),
            {"prefix": APP_PREFIX + "%"},
        ).scalar_one()
    return int(ended)
