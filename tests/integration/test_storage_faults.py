"""Damaged or unreachable storage: exit 4 with one line that names the fault.

A damaged SQLite file, a server that refuses or cannot be resolved, a database
directory that cannot be made, a full disk, a read-only command on a missing
database (which must not create one), and ``events --follow`` across a
PostgreSQL restart.
"""

from __future__ import annotations

import queue
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

import pytest
from sqlalchemy import event

from lobby import engine
from lobby.cli.main import main
from lobby.db import Database
from lobby.errors import DatabaseUnavailable
from tests.helpers import ManualClock, actor, as_staff, environment_at
from tests.pgserver import PostgresServer


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line_exit_4(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> str:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (4, ""), err
    assert err.count("\n") == 1, err
    assert message in err, err
    return err


@pytest.fixture
def sqlite_copy(sqlite_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "branch.db"
    shutil.copy(sqlite_template, path)
    return path


@pytest.mark.parametrize("offset", [0, 100, 4096, "middle"])
@pytest.mark.parametrize(
    "command", [["board"], ["issue", "cash", "--staff", "G01", "--pin", "2468"], ["init"]]
)
def test_a_damaged_sqlite_file_says_so_and_asks_for_a_backup(
    capsys: pytest.CaptureFixture[str], sqlite_copy: Path, offset: int | str, command: list[str]
) -> None:
    data = bytearray(sqlite_copy.read_bytes())
    at = len(data) // 2 if offset == "middle" else int(offset)
    data[at : at + 100] = bytes(range(7, 107))  # 100 bytes overwritten
    if offset == "middle":  # pages in the middle are read only when used: damage them all
        for page in range(4096, len(data), 4096):
            data[page : page + 100] = bytes(range(7, 107))
    sqlite_copy.write_bytes(bytes(data))
    one_line_exit_4(
        capsys,
        [*command, "--db", f"sqlite:///{sqlite_copy}"],
        f"the database file is damaged; restore a backup (lobby restore FILE) ({sqlite_copy})",
    )


def test_an_unreachable_server_names_host_and_reason(capsys: pytest.CaptureFixture[str]) -> None:
    refused = "postgresql+psycopg://lobby@127.0.0.1:1/lobby"
    for command in (["init"], ["board"], ["issue", "cash", *as_staff("G01")]):
        one_line_exit_4(
            capsys,
            [*command, "--db", refused],
            "cannot reach the database server 127.0.0.1:1: connection to server at "
            '"127.0.0.1", port 1 failed: Connection refused',
        )
    one_line_exit_4(
        capsys,
        ["board", "--db", "postgresql+psycopg://lobby@no-such-host.invalid/lobby"],
        "cannot reach the database server no-such-host.invalid:5432: failed to resolve host",
    )


def test_a_database_directory_that_cannot_be_made(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    one_line_exit_4(
        capsys,
        ["init", "--db", f"sqlite:///{blocker / 'sub' / 'lobby.db'}"],
        f"cannot create the database directory {blocker / 'sub'}: not a directory",
    )


@pytest.mark.parametrize(
    "command",
    [
        ["board"],
        ["events"],
        ["report"],
        ["audit", "--staff", "M01", "--pin", "9999"],
        ["issue", "cash", *as_staff("G01")],
        ["call", "--counter", "1", *as_staff("T01")],
    ],
)
def test_a_read_or_write_on_a_missing_database_creates_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: list[str]
) -> None:
    missing = tmp_path / "nowhere" / "lobby.db"
    one_line_exit_4(
        capsys,
        [*command, "--db", f"sqlite:///{missing}"],
        f"no Lobby database at {missing}: run `lobby init` first",
    )
    assert not missing.parent.exists()


def test_a_full_disk_is_named(sqlite_copy: Path) -> None:
    db = Database.open(f"sqlite:///{sqlite_copy}")

    @event.listens_for(db.engine, "connect")
    def _no_room(dbapi_connection: object, _record: object) -> None:
        # the file may not grow: SQLite answers SQLITE_FULL, as on a full disk
        cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
        size = cursor.execute("PRAGMA page_count").fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count = {size}")
        cursor.close()

    def fill() -> None:
        for _ in range(2000):
            with db.unit_of_work(actor("G01")) as uow:
                engine.issue_ticket(uow, "cash", note="x" * 500)

    with pytest.raises(DatabaseUnavailable, match="disk full: the database cannot grow") as full:
        fill()
    db.dispose()
    assert str(sqlite_copy) in str(full.value)


# --- events --follow across a PostgreSQL restart --------------------------------------------


def lobby_executable() -> list[str]:
    script = Path(sys.executable).with_name("lobby")
    return [str(script)] if script.exists() else [sys.executable, "-m", "lobby"]


READERS: list[threading.Thread] = []


def lines_of(stream: IO[str]) -> queue.Queue[str]:
    """The stream's lines as they come, read on a thread (never blocks the test)."""
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in stream:
            lines.put(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    READERS.append(reader)
    return lines


def line_with(lines: queue.Queue[str], text: str) -> str:
    """The first line (within a minute each) that contains ``text``."""
    while text not in (line := lines.get(timeout=60)):
        pass
    return line


@pytest.mark.parametrize(
    "db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_events_follow_reconnects_after_a_postgresql_restart(
    pg_server: PostgresServer, db_url: str, db: Database
) -> None:
    with subprocess.Popen(
        [*lobby_executable(), "events", "--follow", "--json", "--db", db_url, *as_staff("M01")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment_at(ManualClock()),
    ) as follower:
        try:
            assert follower.stdout is not None
            assert follower.stderr is not None
            out, err = lines_of(follower.stdout), lines_of(follower.stderr)
            with db.unit_of_work(actor("G01")) as uow:
                first = engine.issue_ticket(uow, "cash")
            line_with(out, f'"ticket": "{first.number}"')
            db.dispose()
            pg_server.restart()
            assert "lost the change listener" in line_with(err, "reconnecting")
            with db.unit_of_work(actor("G01")) as uow:
                second = engine.issue_ticket(uow, "cash")
            line_with(err, "reconnected")
            line_with(out, f'"ticket": "{second.number}"')
            assert follower.poll() is None  # still following
        finally:
            follower.kill()
            follower.wait(timeout=30)
            for reader in READERS:  # both reach the end of their stream
                reader.join(timeout=30)
