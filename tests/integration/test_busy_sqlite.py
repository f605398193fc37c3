"""A busy SQLite database waits its turn: the unit of work is begun again, up to a deadline.

The last test is the greeter's case from the field: 16 processes issuing and
calling on one SQLite file while CPU hogs (started here, bounded, and stopped)
load the machine. No ticket may be refused for a busy database.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from lobby import engine
from lobby.config import SAMPLE_BRANCH, load_branch_config
from lobby.db import Database
from lobby.errors import DatabaseUnavailable

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
        with db.unit_of_work("G01") as uow:
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
            db.unit_of_work("G01").__enter__()
    finally:
        held.release()
        db.dispose()
    assert busy.value.exit_code == 4
    with Database.open(sqlite_url).read() as session:  # nothing half-written
        assert session.execute(sqlite3_count("ticket")).scalar() == 0


def sqlite3_count(table: str) -> Any:
    from sqlalchemy import text

    return text(f"SELECT count(*) FROM {table}")


# --- 16 processes on a loaded machine ---------------------------------------------------


@pytest.fixture
def cpu_hogs() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Busy loops, one per core, each ending by itself after HOG_LIFETIME_S."""
    loop = (
        f"import time\nend = time.monotonic() + {HOG_LIFETIME_S}\n"
        "while time.monotonic() < end: pass\n"
    )
    hogs = [
        subprocess.Popen([sys.executable, "-c", loop], stdin=subprocess.DEVNULL)
        for _ in range(os.cpu_count() or 1)
    ]
    try:
        yield hogs
    finally:
        for hog in hogs:
            hog.send_signal(signal.SIGKILL)
            hog.wait(timeout=30)


def lobby_command() -> list[str]:
    script = Path(sys.executable).with_name("lobby")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "lobby"]


def run_cli(args: list[str]) -> dict[str, Any]:
    done = subprocess.run(
        [*lobby_command(), *args], capture_output=True, text=True, timeout=300, check=False
    )
    return {"args": args, "rc": done.returncode, "stdout": done.stdout, "stderr": done.stderr}


def terminal(
    index: int, url: str, counter: int, service: str, start: threading.Barrier
) -> list[Any]:
    common = ["--db", url, "--json", "--staff", f"W{index:02d}"]
    start.wait(300)
    steps = []
    for _ in range(CYCLES):
        steps.append(run_cli(["issue", service, *common]))
        steps.append(run_cli(["call", "--counter", str(counter), *common]))
        steps.append(run_cli(["finish", "--counter", str(counter), *common]))
    return steps


def test_sixteen_processes_under_cpu_load_never_refuse_a_ticket(
    sqlite_url: str, cpu_hogs: list[subprocess.Popen[bytes]]
) -> None:
    config = load_branch_config(SAMPLE_BRANCH)
    first = {p.code: p.tiers[0][0] for p in config.profiles}
    services = {c.number: first[c.profile] for c in config.counters}
    counters = [i % 8 + 1 for i in range(PROCESSES)]
    start = threading.Barrier(PROCESSES)
    with ThreadPoolExecutor(PROCESSES) as pool:
        futures = [
            pool.submit(terminal, i, sqlite_url, c, services[c], start)
            for i, c in enumerate(counters)
        ]
        steps = [step for f in futures for step in f.result()]
    assert all(hog.poll() is None for hog in cpu_hogs), "the load ended before the work"

    outcomes: Counter[str] = Counter()
    problems = []
    for step in steps:
        command = step["args"][0]
        if step["rc"] == 0:
            outcomes[f"{command} ok"] += 1
        elif step["rc"] in (2, 3) and command in ("call", "finish"):
            outcomes[f"{command} exit {step['rc']}"] += 1  # a neighbour took it, or none left
        else:
            problems.append(f"{step['args']}: exit {step['rc']}: {step['stderr']!r}")
        if "Traceback" in step["stderr"] or "locked" in step["stderr"]:
            problems.append(f"{step['args']}: {step['stderr']!r}")
    print(dict(outcomes))
    assert problems == []
    assert outcomes["issue ok"] == PROCESSES * CYCLES
    issued = [json.loads(s["stdout"])["number"] for s in steps if s["args"][0] == "issue"]
    assert len(set(issued)) == len(issued)
    called = [
        json.loads(s["stdout"])["id"] for s in steps if s["args"][0] == "call" and s["rc"] == 0
    ]
    assert len(set(called)) == len(called)  # no ticket called twice
