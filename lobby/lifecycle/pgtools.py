"""Finding PostgreSQL's client programs and calling them for one database URL."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.engine import URL

from lobby.errors import DatabaseUnavailable

DEBIAN_ROOT = Path("/usr/lib/postgresql")


def find_program(name: str, bindir: Path | None = None) -> Path | None:
    """``pg_dump`` or ``pg_restore``: from ``bindir``, the newest Debian install, or ``PATH``."""
    if bindir is not None:
        candidate = bindir / name
        return candidate if os.access(candidate, os.X_OK) else None
    versions = sorted(
        DEBIAN_ROOT.glob(f"*/bin/{name}"),
        key=lambda p: [int(part) for part in p.parent.parent.name.split(".") if part.isdigit()],
    )
    for candidate in reversed(versions):
        if os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which(name)
    return Path(found) if found else None


def connection_args(url: URL) -> tuple[list[str], dict[str, str]]:
    """Command-line options and environment for libpq programs reaching ``url``'s database.

    The password travels in ``PGPASSWORD``, never on the command line.
    """
    args = ["--dbname", url.database or ""]
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    for key, value in url.query.items():
        if key == "sslmode" and isinstance(value, str):
            env["PGSSLMODE"] = value
    return args, env


def run_program(program: Path, args: Sequence[str], env: dict[str, str], what: str) -> None:
    """Run a client program; a failure is a known error with its first line of output.

    Raises:
        DatabaseUnavailable: The program failed.
    """
    result = subprocess.run(
        [str(program), *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        message = (result.stderr or result.stdout).strip().splitlines()
        first = message[0] if message else f"exit code {result.returncode}"
        raise DatabaseUnavailable(f"{what} failed: {first}")
