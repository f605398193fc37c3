"""Start and stop a throwaway PostgreSQL server for the test suite.

The server lives in a fresh temporary directory, listens only on 127.0.0.1 on a
free port, trusts every local connection and is tuned for speed rather than
durability (``fsync=off`` and friends). It is meant to be started once per test
session and thrown away afterwards.

Example:
    with PostgresServer() as pg:
        pg.create_database("lobby_test")
        engine = sqlalchemy.create_engine(pg.url("lobby_test"))
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

import psycopg
import psycopg.errors
from psycopg import sql
from psycopg.conninfo import make_conninfo
from psycopg.rows import TupleRow

__all__ = ["PostgresServer", "find_bindir"]

#: Environment variable that names a directory holding ``initdb`` and ``pg_ctl``.
BINDIR_ENV = "LOBBY_PG_BINDIR"
#: Where Debian and Ubuntu install the server binaries, one directory per version.
DEBIAN_GLOB_ROOT = Path("/usr/lib/postgresql")
#: The operating-system user that runs the server when the tests run as root.
SYSTEM_USER = "postgres"
#: The database superuser that ``initdb`` creates.
DEFAULT_USER = "lobby"
HOST = "127.0.0.1"
#: Roles that sign in with a password on a TLS server (the least-privilege pair).
PASSWORD_ROLES = ("lobby_owner", "lobby_app")

_INSTALL_HINT = (
    "Install the Debian package 'postgresql' (apt-get install postgresql), "
    f"or point ${BINDIR_ENV} at a directory that holds initdb and pg_ctl."
)
_LOG_TAIL_LINES = 40


def _has_server_binaries(bindir: Path) -> bool:
    return all(os.access(bindir / name, os.X_OK) for name in ("initdb", "pg_ctl"))


def _version_key(path: Path) -> tuple[int, ...]:
    parts = re.findall(r"\d+", path.parent.name)
    return tuple(int(part) for part in parts)


def find_bindir() -> Path:
    """Find the directory that holds the PostgreSQL server binaries.

    Looks at ``$LOBBY_PG_BINDIR`` first, then at the highest version under
    ``/usr/lib/postgresql/*/bin``, then at ``pg_ctl`` and ``initdb`` on ``PATH``.

    Returns:
        The directory holding ``initdb`` and ``pg_ctl``.

    Raises:
        RuntimeError: If no usable server binaries were found.
    """
    override = os.environ.get(BINDIR_ENV)
    if override:
        bindir = Path(override)
        if not _has_server_binaries(bindir):
            raise RuntimeError(
                f"${BINDIR_ENV} is {override!r}, but that directory has no executable "
                "initdb and pg_ctl."
            )
        return bindir

    candidates = [path for path in DEBIAN_GLOB_ROOT.glob("*/bin") if _has_server_binaries(path)]
    if candidates:
        return max(candidates, key=_version_key)

    pg_ctl = shutil.which("pg_ctl")
    initdb = shutil.which("initdb")
    if pg_ctl and initdb:
        bindir = Path(pg_ctl).resolve().parent
        if _has_server_binaries(bindir):
            return bindir
        return Path(pg_ctl).parent

    raise RuntimeError(f"No PostgreSQL server binaries (initdb, pg_ctl) found. {_INSTALL_HINT}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _tail(path: Path, lines: int = _LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"(could not read {path}: {exc})"
    return "\n".join(text.splitlines()[-lines:])


def _clean_env() -> dict[str, str]:
    # Inherited PG* variables (PGDATA, PGPORT, PGHOST, ...) would change what
    # initdb and pg_ctl do; the server is fully described by its command line.
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env["LC_ALL"] = "C.UTF-8"
    return env


class PostgresServer:
    """A throwaway PostgreSQL server in a temporary directory.

    Attributes:
        user: The database superuser; every local connection is trusted.
        host: The address the server listens on.
    """

    def __init__(
        self,
        bindir: Path | str | None = None,
        *,
        user: str = DEFAULT_USER,
        max_connections: int = 200,
        start_timeout: float = 60.0,
        tls: bool = False,
    ) -> None:
        """Describe a server; nothing runs until :meth:`start`.

        Args:
            bindir: Directory with ``initdb`` and ``pg_ctl``; found with
                :func:`find_bindir` when omitted.
            user: Name of the database superuser to create.
            max_connections: The server's ``max_connections`` setting.
            start_timeout: Seconds ``pg_ctl`` waits for the server to accept
                connections.
            tls: Serve TLS only, with a certificate for 127.0.0.1 signed by a
                throwaway CA (:attr:`ca_file`); the roles named in
                :data:`PASSWORD_ROLES` sign in with a password (scram-sha-256).
        """
        self._bindir = Path(bindir) if bindir is not None else None
        self.user = user
        self.host = HOST
        self._max_connections = max_connections
        self._start_timeout = start_timeout
        self._port: int | None = None
        self._tmpdir: Path | None = None
        self._as_root = os.geteuid() == 0
        self._runuser: list[str] = []
        self.tls = tls

    # -- properties ---------------------------------------------------------

    @property
    def port(self) -> int:
        """The TCP port of the running server.

        Raises:
            RuntimeError: If the server is not running.
        """
        if self._port is None:
            raise RuntimeError("The PostgreSQL server is not running; call start() first.")
        return self._port

    @property
    def running(self) -> bool:
        """Whether :meth:`start` succeeded and :meth:`stop` has not run since."""
        return self._port is not None

    @property
    def base_dir(self) -> Path:
        """The temporary directory holding the data directory, log and socket.

        Raises:
            RuntimeError: If the server has not been started.
        """
        if self._tmpdir is None:
            raise RuntimeError("The PostgreSQL server is not running; call start() first.")
        return self._tmpdir

    @property
    def data_dir(self) -> Path:
        """The server's data directory."""
        return self.base_dir / "data"

    @property
    def ca_file(self) -> Path:
        """The CA certificate that signed the server's (with ``tls``)."""
        return self.base_dir / "ca.crt"

    @property
    def log_file(self) -> Path:
        """The server's log file."""
        return self.base_dir / "server.log"

    # -- connection strings -------------------------------------------------

    def url(self, dbname: str) -> str:
        """Return a SQLAlchemy URL for a database on this server.

        Args:
            dbname: Name of the database.

        Returns:
            A URL of the form ``postgresql+psycopg://USER@127.0.0.1:PORT/DBNAME``.
        """
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{dbname}"

    def conninfo(self, dbname: str) -> str:
        """Return a libpq connection string for ``psycopg.connect``.

        Args:
            dbname: Name of the database.

        Returns:
            A connection string such as ``host=127.0.0.1 port=5432 ...``.
        """
        return make_conninfo(
            host=self.host, port=self.port, user=self.user, dbname=dbname, connect_timeout=10
        )

    def connect_admin(self) -> psycopg.Connection[TupleRow]:
        """Open an autocommit connection to the ``postgres`` maintenance database.

        Returns:
            A new connection; the caller closes it.
        """
        return psycopg.connect(self.conninfo("postgres"), autocommit=True)

    # -- lifecycle ----------------------------------------------------------

    def start(self) -> None:
        """Create a fresh cluster and start the server.

        Raises:
            RuntimeError: If the binaries are missing, ``initdb`` fails or the
                server does not come up (the message includes the server log).
        """
        if self._tmpdir is not None:
            raise RuntimeError("The PostgreSQL server has already been started.")
        bindir = self._bindir if self._bindir is not None else find_bindir()
        if not _has_server_binaries(bindir):
            raise RuntimeError(f"{bindir} has no executable initdb and pg_ctl. {_INSTALL_HINT}")
        self._bindir = bindir
        self._runuser = self._runuser_prefix()
        self._tmpdir = self._make_tmpdir()
        atexit.register(self.stop)
        try:
            self._initdb()
            if self.tls:
                self._make_certificates()
            self._start_server()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop the server immediately and remove its temporary directory.

        Safe to call more than once, and after a failed :meth:`start`.
        """
        atexit.unregister(self.stop)
        tmpdir, self._tmpdir = self._tmpdir, None
        self._port = None
        if tmpdir is None:
            return
        data_dir = tmpdir / "data"
        if (data_dir / "postmaster.pid").exists():
            result = self._run(
                [
                    self._bin("pg_ctl"),
                    "stop",
                    "-D",
                    str(data_dir),
                    "-m",
                    "immediate",
                    "-w",
                    "-t",
                    "30",
                ],
                cwd=tmpdir,
            )
            if result.returncode != 0:
                self._kill_postmaster(data_dir)
        shutil.rmtree(tmpdir, ignore_errors=True)

    def restart(self) -> None:
        """Restart the server on the same port: every client connection is dropped.

        Raises:
            RuntimeError: The server did not come back (with the server log).
        """
        if self._tmpdir is None or self._port is None:
            raise RuntimeError("The PostgreSQL server is not running.")
        result = self._run(
            [
                self._bin("pg_ctl"),
                "restart",
                "-w",
                "-m",
                "fast",
                "-t",
                str(int(self._start_timeout)),
                "-D",
                str(self.data_dir),
                "-l",
                str(self.log_file),
                "-o",
                self._server_options(self._port),
            ],
            cwd=self.base_dir,
            timeout=self._start_timeout + 30,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"PostgreSQL did not restart (pg_ctl exit code {result.returncode}).\n"
                f"{result.stdout}{result.stderr}\n{_tail(self.log_file)}"
            )

    def __enter__(self) -> PostgresServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- databases ----------------------------------------------------------

    def create_database(self, name: str, template: str | None = None) -> None:
        """Create a database, optionally as a copy of a template database.

        PostgreSQL refuses to copy a database that has other connections (and
        waits five seconds before saying so), so open connections to the
        template are terminated first.

        Args:
            name: Name of the new database.
            template: Name of the database to copy; ``template1`` if omitted.
        """
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            statement = sql.SQL("{} TEMPLATE {}").format(statement, sql.Identifier(template))
        with self.connect_admin() as conn:
            if template is None:
                conn.execute(statement)
                return
            for attempt in range(3):
                self._terminate(conn, template)
                try:
                    conn.execute(statement)
                except psycopg.errors.ObjectInUse:
                    # Someone connected to the template in between; try again.
                    if attempt == 2:
                        raise
                else:
                    return

    def drop_database(self, name: str) -> None:
        """Drop a database if it exists, terminating its connections first.

        Args:
            name: Name of the database to drop.
        """
        with self.connect_admin() as conn:
            self._terminate(conn, name)
            statement = sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name))
            if conn.info.server_version >= 130000:
                statement = sql.SQL("{} WITH (FORCE)").format(statement)
            conn.execute(statement)

    @staticmethod
    def _terminate(conn: psycopg.Connection[TupleRow], dbname: str) -> None:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (dbname,),
        )

    # -- internals ----------------------------------------------------------

    def _bin(self, name: str) -> str:
        assert self._bindir is not None
        return str(self._bindir / name)

    def _runuser_prefix(self) -> list[str]:
        if not self._as_root:
            return []
        try:
            pwd.getpwnam(SYSTEM_USER)
        except KeyError:
            raise RuntimeError(
                f"Running as root, but there is no {SYSTEM_USER!r} user to run the server "
                f"as (initdb refuses to run as root). {_INSTALL_HINT}"
            ) from None
        runuser = shutil.which("runuser") or next(
            (p for p in ("/usr/sbin/runuser", "/sbin/runuser") if os.access(p, os.X_OK)), None
        )
        if runuser is None:
            raise RuntimeError(
                "Running as root, but 'runuser' (Debian package util-linux) is missing; "
                "it is needed to run the server as the 'postgres' user."
            )
        return [runuser, "-u", SYSTEM_USER, "--"]

    def _make_tmpdir(self) -> Path:
        if not self._as_root:
            path = Path(tempfile.mkdtemp(prefix="lobby-pg-"))
            # Unix socket paths are limited to about 100 bytes.
            if len(str(path)) <= 60:
                return path
            path.rmdir()
        path = Path(tempfile.mkdtemp(prefix="lobby-pg-", dir="/tmp"))
        if self._as_root:
            entry = pwd.getpwnam(SYSTEM_USER)
            os.chown(path, entry.pw_uid, entry.pw_gid)
        os.chmod(path, 0o700)
        return path

    def _run(
        self, args: Sequence[str], *, cwd: Path, timeout: float = 120.0
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self._runuser, *args],
            cwd=cwd,
            env=_clean_env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def _initdb(self) -> None:
        tmpdir = self.base_dir
        base = [
            self._bin("initdb"),
            "-D",
            str(self.data_dir),
            "-A",
            "trust",
            "-U",
            self.user,
            "--encoding=UTF8",
            "--no-sync",
        ]
        result = self._run([*base, "--locale=C.UTF-8"], cwd=tmpdir)
        if result.returncode != 0:
            shutil.rmtree(self.data_dir, ignore_errors=True)
            fallback = self._run([*base, "--no-locale"], cwd=tmpdir)
            if fallback.returncode != 0:
                raise RuntimeError(
                    "initdb failed with --locale=C.UTF-8 and with --no-locale:\n"
                    f"{result.stdout}{result.stderr}\n{fallback.stdout}{fallback.stderr}"
                )

    def _make_certificates(self) -> None:
        """A throwaway CA, and a server certificate it signs for 127.0.0.1 only."""
        base, data = self.base_dir, self.data_dir

        def openssl(*args: str) -> None:
            subprocess.run(["openssl", *args], cwd=base, check=True, capture_output=True)

        openssl(
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=lobby test CA",
            "-keyout",
            "ca.key",
            "-out",
            "ca.crt",
        )
        openssl(
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            f"/CN={HOST}",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
        )
        (base / "san.ext").write_text(f"subjectAltName=IP:{HOST}\n")
        openssl(
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "san.ext",
            "-out",
            "server.crt",
        )
        for name in ("server.crt", "server.key"):
            shutil.copy(base / name, data / name)
            os.chmod(data / name, 0o600)
            if self._as_root:
                entry = pwd.getpwnam(SYSTEM_USER)
                os.chown(data / name, entry.pw_uid, entry.pw_gid)
        os.chmod(base / "ca.crt", 0o644)
        roles = ",".join(PASSWORD_ROLES)
        hba = (
            "local all all trust\n"
            f"hostssl all {roles} {HOST}/32 scram-sha-256\n"
            f"hostssl all all {HOST}/32 trust\n"
            f"hostnossl all all {HOST}/32 reject\n"
        )
        (data / "pg_hba.conf").write_text(hba)  # fmt: skip

    def _server_options(self, port: int) -> str:
        settings = {
            "listen_addresses": HOST,
            "port": str(port),
            "unix_socket_directories": str(self.base_dir),
            "max_connections": str(self._max_connections),
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
        }
        if self.tls:
            settings.update(ssl="on", ssl_cert_file="server.crt", ssl_key_file="server.key")
        return " ".join(shlex.quote(f"--{key}={value}") for key, value in settings.items())

    def _start_server(self, attempts: int = 3) -> None:
        for attempt in range(1, attempts + 1):
            port = _free_port()
            result = self._run(
                [
                    self._bin("pg_ctl"),
                    "start",
                    "-w",
                    "-t",
                    str(int(self._start_timeout)),
                    "-D",
                    str(self.data_dir),
                    "-l",
                    str(self.log_file),
                    "-o",
                    self._server_options(port),
                ],
                cwd=self.base_dir,
                timeout=self._start_timeout + 30,
            )
            if result.returncode == 0:
                self._port = port
                return
            log = _tail(self.log_file)
            # Another process may have taken the port between the probe and
            # the server's bind: try again with a new one.
            if "could not bind" in log and attempt < attempts:
                self._kill_postmaster(self.data_dir)
                continue
            raise RuntimeError(
                f"PostgreSQL did not start (pg_ctl exit code {result.returncode}).\n"
                f"pg_ctl output:\n{result.stdout}{result.stderr}\n"
                f"Last lines of the server log:\n{log}"
            )

    @staticmethod
    def _kill_postmaster(data_dir: Path) -> None:
        pid_file = data_dir / "postmaster.pid"
        try:
            pid = int(pid_file.read_text().splitlines()[0])
        except (OSError, ValueError, IndexError):
            return
        for sig in (signal.SIGQUIT, signal.SIGKILL):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, sig)
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                try:
                    os.kill(pid, 0)
                except (ProcessLookupError, PermissionError):
                    return
                time.sleep(0.05)
