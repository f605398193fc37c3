"""Storage failures named for the person at the screen: damaged file, full disk, no server.

The drivers say "file is not a database", "disk I/O error" or a page of connection
detail; :func:`name_fault` turns each into one sentence that says what happened
and what to do, with the file or server it concerns.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from lobby.errors import DatabaseUnavailable, LobbyError, first_line
from lobby.validation import one_line

# SQLite's primary result codes (the low byte of an extended code).
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR = 5, 6, 8, 10
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 11, 13, 14, 26
#: Free space below which an I/O error is taken for a full disk.
NEARLY_FULL_BYTES = 1 << 20



def sqlite_code(exc: DBAPIError) -> int | None:
    """SQLite's primary result code behind ``exc``, if SQLite raised it."""
    code = getattr(exc.orig, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_busy(exc: DBAPIError) -> bool:
    """Whether ``exc`` is SQLite's "database is locked" (another writer holds the lock)."""
    return sqlite_code(exc) in (SQLITE_BUSY, SQLITE_LOCKED)


def name_fault(exc: DBAPIError, url: URL | None) -> LobbyError | None:
    """The known failure ``exc`` stands for, or None when it is not a storage fault."""
    if url is not None and url.get_backend_name() == "sqlite":
        return _sqlite_fault(exc, url.database or "")
    return _server_fault(exc, url)


def _sqlite_fault(exc: DBAPIError, path: str) -> LobbyError | None:
    code = sqlite_code(exc)
    where = f" ({path})" if path else ""
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return DatabaseUnavailable(
            f"the database file is damaged; restore a backup (lobby restore FILE){where}"
        )
    if code == SQLITE_FULL or (code == SQLITE_IOERR and _nearly_full(path)):
        return DatabaseUnavailable(f"disk full: the database cannot grow{where}; free some space")
    if code == SQLITE_READONLY:
        return DatabaseUnavailable(f"the database file is read-only{where}")
    if code == SQLITE_CANTOPEN:
        return DatabaseUnavailable(f"cannot open the database file{where}")
    return None


def _nearly_full(path: str) -> bool:
    folder = Path(path).expanduser().parent if path else Path.cwd()
    try:
        return shutil.disk_usage(folder).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def _server_fault(exc: DBAPIError, url: URL | None) -> LobbyError | None:
    state = getattr(exc.orig, "sqlstate", None)
    server = f"{url.host or 'localhost'}:{url.port or 5432}" if url is not None else "the server"
    if state == "53100":
        return DatabaseUnavailable(f"disk full on the database server {server}")
    if state in ("XX001", "XX002"):
        return DatabaseUnavailable(f"the database on {server} is damaged; restore a backup")
    message = one_line(first_line(exc.orig), 200)
    if state is None and message.startswith(("connection failed", "failed to resolve host")):
        reason = message.removeprefix("connection failed: ")
        return DatabaseUnavailable(f"cannot reach the database server {server}: {reason}")
    return None
