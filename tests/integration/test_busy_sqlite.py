"""A busy SQLite database waits its turn: the unit of work is begun again, up to a deadline."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text

from lobby import engine
from lobby.db import Database, UnitOfWork
from lobby.errors import DatabaseUnavailable
from lobby.journal import verify_chain
from tests.helpers import actor

PROCESSES = 16
ROUNDS = 6  # issue, call, finish at a counter two processes share
BUSY_TIMEOUT_MS = 2_000  # SQLite's own wait (the default); past it Lobby backs off and begins again
HOG_LIFETIME_S = 240  # each hog ends by itself even if the test is killed
#: A process that keeps one core busy until it is stopped (or its lifetime ends).
HOG = (
    "import time\n"
    f"end = time.monotonic() + {HOG_LIFETIME_S}\n"
    "while time.monotonic() < end:\n"
    "    sum(range(10_000))\n"
)


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "busy.db"
    path.write_bytes(sqlite_template.read_bytes())
    path.chmod(0o600)  # as Lobby makes its files; a readable one earns a warning line
    return f"sqlite:///{path}"


class HeldLock:
    """Another program holding SQLite's write lock until told to let go."""

    def __init__(self, url: str) -> None:
        self._connection = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        self._connection.execute("BEGIN IMMEDIATE")
        self.held = True

    def release(self) -> None:
        if self.held:
            self._connection.rollback()
            self._connection.close()
            self.held = False


def test_a_writer_waits_for_the_lock_and_then_does_the_whole_unit_of_work(
    sqlite_url: str,
) -> None:
    db = Database.open(sqlite_url, busy_deadline_s=60, busy_timeout_ms=20)
    held = HeldLock(sqlite_url)
    attempts: list[int] = []
    three_tries = threading.Event()

    def heard(attempt: int, _waited: float) -> None:
        attempts.append(attempt)
        if attempt == 3:
            three_tries.set()

    db.busy.listeners.append(heard)
    result: list[str] = []

    def issue() -> None:
        with db.unit_of_work(actor("G01")) as uow:
            result.append(engine.issue_ticket(uow, "cash").number)

    worker = threading.Thread(target=issue)
    worker.start()
    assert three_tries.wait(60)
    held.release()
    worker.join(60)
    db.dispose()
    assert result == ["A001"]
    assert attempts[:3] == [1, 2, 3]


def test_past_the_deadline_a_busy_database_is_exit_4_with_one_line(sqlite_url: str) -> None:
    db = Database.open(sqlite_url, busy_deadline_s=0.3, busy_timeout_ms=20)
    held = HeldLock(sqlite_url)
    try:
        with pytest.raises(DatabaseUnavailable, match="stayed busy") as busy:
            db.unit_of_work(actor("G01")).__enter__()
    finally:
        held.release()
        db.dispose()
    assert busy.value.exit_code == 4
    with Database.open(sqlite_url).read() as session:  # nothing half-written
        assert session.execute(sqlite3_count("ticket")).scalar() == 0


def sqlite3_count(table: str) -> Any:
    from sqlalchemy import text

    return text(f"SELECT count(*) FROM {table}")


# -- busy at COMMIT --------------------------------------------------------------------


class HeldReader:
    """Another program in the middle of a read: its shared lock keeps every commit waiting.

    Without WAL (a file on a share that cannot map SQLite's shared memory), a writer
    gets the write lock at ``BEGIN IMMEDIATE`` but needs every reader gone to commit,
    so SQLite says "database is locked" at ``COMMIT``, after the work is done.
    """

    def __init__(self, url: str) -> None:
        self._connection = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        self._connection.execute("BEGIN")
        self._connection.execute("SELECT count(*) FROM ticket").fetchall()
        self.held = True

    def release(self) -> None:
        if self.held:
            self._connection.rollback()
            self._connection.close()
            self.held = False


def without_wal(url: str, deadline_s: float) -> Database:
    """The database at ``url`` in rollback-journal mode, connected before any reader."""
    db = Database.open(url, busy_deadline_s=deadline_s, busy_timeout_ms=20)
    # after Lobby's own "connect" pragmas, as a file that cannot use WAL would end up
    event.listen(db.engine, "connect", lambda conn, _record: conn.execute(JOURNAL_DELETE))
    db.branch_timezone()  # the pooled connection exists (and switched) before the reader
    return db


JOURNAL_DELETE = "PRAGMA journal_mode=DELETE"


def issued_rows(url: str) -> tuple[int, int, bool]:
    """Tickets, issued events, and whether the journal's chain is intact."""
    db = Database.open(url)
    try:
        with db.read() as session:
            tickets = session.execute(sqlite3_count("ticket")).scalar_one()
            events = session.execute(
                text("SELECT count(*) FROM event WHERE kind = 'issued'")
            ).scalar_one()
            intact = verify_chain(session).intact
    finally:
        db.dispose()
    return tickets, events, intact


def test_busy_at_commit_runs_the_whole_unit_of_work_again(sqlite_url: str) -> None:
    db = without_wal(sqlite_url, deadline_s=60)
    reader = HeldReader(sqlite_url)
    attempts: list[int] = []

    def heard(attempt: int, _waited: float) -> None:
        attempts.append(attempt)
        reader.release()  # the reader finishes while the writer pauses

    db.busy.listeners.append(heard)
    runs: list[str] = []

    def issue(uow: UnitOfWork) -> str:
        number = engine.issue_ticket(uow, "cash").number
        runs.append(number)
        return number

    try:
        number = db.run(actor("G01"), issue)
    finally:
        reader.release()
        db.dispose()
    # the first run did its work and was refused at COMMIT; the second committed
    assert attempts == [1]
    assert runs == ["A001", "A001"]
    assert number == "A001"
    assert issued_rows(sqlite_url) == (1, 1, True)


def test_busy_at_commit_past_the_deadline_is_exit_4_and_writes_nothing(sqlite_url: str) -> None:
    db = without_wal(sqlite_url, deadline_s=0.3)
    reader = HeldReader(sqlite_url)
    try:
        with pytest.raises(DatabaseUnavailable) as busy:
            db.run(actor("G01"), lambda uow: engine.issue_ticket(uow, "cash"))
    finally:
        reader.release()
        db.dispose()
    assert busy.value.exit_code == 4
    assert "stayed busy" in str(busy.value)
    assert "\n" not in str(busy.value)
    assert issued_rows(sqlite_url) == (0, 0, True)


# -- many writers on a loaded machine ---------------------------------------------------


@contextmanager
def cpu_hogs(count: int) -> Iterator[list[subprocess.Popen[bytes]]]:
    """``count`` processes that keep the cores busy, stopped when the block ends."""
    hogs = [subprocess.Popen([sys.executable, "-c", HOG]) for _ in range(count)]
    try:
        yield hogs
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait(30)


@pytest.mark.slow
def test_sixteen_writers_under_cpu_hogs_all_wait_their_turn(sqlite_url: str) -> None:
    """No "database is locked" reaches a writer: each one retries until it gets the lock."""
    from tests.integration import workers
    from tests.integration.test_concurrency import (
        check_invariants,
        check_reports,
        read_journal,
        read_tickets,
        worker_staff,
    )

    worker_staff(sqlite_url)
    hog_count = os.cpu_count() or 2
    with workers.WorkerPool(PROCESSES, timeout=300) as pool:
        pool.prepare(
            "queue_rounds",
            [
                {
                    "url": sqlite_url,
                    "rounds": ROUNDS,
                    "seed": 2000 + i,
                    "busy_timeout_ms": BUSY_TIMEOUT_MS,
                }
                for i in range(PROCESSES)
            ],
        )
        with cpu_hogs(hog_count) as hogs:
            results, seconds = pool.timed_go()
            running = sum(hog.poll() is None for hog in hogs)
    errors = [r["error"] for r in results if r["error"]]
    tickets, events = read_tickets(sqlite_url), read_journal(sqlite_url)
    issued = [one for r in results for one in r["issued"]]
    calls = [{**one, "actor": r["actor"]} for r in results for one in r["called"]]
    problems = check_invariants(tickets, events) + check_reports(issued, calls, tickets, events)
    retries = [len(r["busy_retries"]) for r in results]
    print(
        f"\n[sqlite] {PROCESSES} processes x {ROUNDS} rounds beside {hog_count} CPU hogs: "
        f"issued {len(issued)}, called {len(calls)}, events {len(events)}; busy pauses "
        f"{sum(retries)} (most in one process {max(retries)}), worker errors {len(errors)}; "
        f"{seconds:.1f} s"
    )
    assert running == hog_count, "a CPU hog stopped before the writers were done"
    assert not errors, "workers failed:\n\n" + "\n\n".join(errors)
    assert not problems, "\n".join(problems)
    assert len(issued) == PROCESSES * ROUNDS


# -- the command line ---------------------------------------------------------------------


def test_lobby_issue_on_a_database_held_past_the_deadline_is_exit_4_in_one_line(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from lobby.cli.main import main
    from tests.db_dump import dump

    monkeypatch.setenv("LOBBY_BUSY_DEADLINE_S", "0.5")
    before = dump(sqlite_url)
    held = HeldLock(sqlite_url)
    try:
        code = main(["issue", "cash", "--db", sqlite_url, "--staff", "G01", "--pin", "2468"])
    finally:
        held.release()
    out, err = capsys.readouterr()
    assert (code, out) == (4, "")
    assert err.count("\n") == 1, err
    assert "the database stayed busy" in err
    assert "LOBBY_BUSY_DEADLINE_S" in err
    assert "Traceback" not in err
    assert dump(sqlite_url) == before


# -- the gate: a writer who waited long goes next -------------------------------------------


def gate_is_open(url: str) -> bool:
    """Whether a writer could pass the gate now (another process's view of it)."""
    import fcntl

    fd = os.open(url.removeprefix("sqlite:///") + "-writers", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def test_a_writer_that_waited_long_closes_the_gate_until_it_has_written(sqlite_url: str) -> None:
    from lobby.writer_gate import STARVING_AFTER_S

    db = Database.open(sqlite_url, busy_deadline_s=60, busy_timeout_ms=20)
    held = HeldLock(sqlite_url)
    seen: list[tuple[float, bool]] = []  # (seconds waited, gate open) before each pause

    def heard(_attempt: int, waited: float) -> None:
        seen.append((waited, gate_is_open(sqlite_url)))
        if waited >= STARVING_AFTER_S + 0.3:
            held.release()

    db.busy.listeners.append(heard)
    try:
        with db.unit_of_work(actor("G01")) as uow:
            number = engine.issue_ticket(uow, "cash").number
    finally:
        held.release()
        db.dispose()
    assert number == "A001"
    # open while it had not waited long; closed by it once it had; open once it wrote
    assert all(is_open for waited, is_open in seen if waited < STARVING_AFTER_S)
    late = [is_open for waited, is_open in seen if waited >= STARVING_AFTER_S + 0.1]
    assert late
    assert not any(late)
    assert gate_is_open(sqlite_url)


def test_writers_wait_at_a_closed_gate_and_give_up_at_the_deadline(sqlite_url: str) -> None:
    import fcntl

    before = dump_of(sqlite_url)
    starving = os.open(sqlite_url.removeprefix("sqlite:///") + "-writers", os.O_RDWR | os.O_CREAT)
    fcntl.flock(starving, fcntl.LOCK_EX)  # another process's long-waiting writer
    db = Database.open(sqlite_url, busy_deadline_s=0.3)
    try:
        with pytest.raises(DatabaseUnavailable, match="stayed busy") as busy:
            db.run(actor("G01"), lambda uow: engine.issue_ticket(uow, "cash"))
        raw = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
        raw.execute("BEGIN IMMEDIATE")  # nobody took SQLite's lock meanwhile
        raw.rollback()
        raw.close()
    finally:
        os.close(starving)
        db.dispose()
    assert busy.value.exit_code == 4
    assert dump_of(sqlite_url) == before


def dump_of(url: str) -> str:
    from tests.db_dump import dump

    return dump(url)
