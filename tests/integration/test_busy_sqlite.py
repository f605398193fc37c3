"""A busy SQLite database waits its turn: the unit of work is begun again, up to a deadline."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from lobby import engine
from lobby.db import Database
from lobby.errors import DatabaseUnavailable
from tests.helpers import actor

PROCESSES = 16
CYCLES = 1  # issue, call, finish at each process's counter
HOG_LIFETIME_S = 240  # each hog ends by itself even if the test is killed


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "busy.db"
    path.write_bytes(sqlite_template.read_bytes())
    return f"sqlite:///{path}"


class HeldLock:
    """Another program holding SQLite's write lock until told to let go."""

    def __init__(self, url: str) -> None:
        self._connection = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        self._connection.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        self._connection.rollback()
        self._connection.close()


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
