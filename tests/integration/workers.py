"""Worker processes for the concurrency tests and the throughput benchmarks.

A :class:`WorkerPool` starts ``size`` operating-system processes with the "spawn"
start method (a fresh interpreter each, as separate Lobby apps would be). Running a
job has two steps:

1. :meth:`WorkerPool.prepare` sends each worker a task name and its arguments; the
   worker builds the job (opens its own database connection, and so on) and reports
   that it is ready.
2. :meth:`WorkerPool.go` releases every worker at once through a barrier, so they all
   start together and contend as hard as they can, then collects one result from
   each.

Every wait has a deadline: a worker that hangs or dies makes the call raise
:class:`PoolError` (and breaks the pool) instead of blocking the test run.

The task functions live in this module so that the spawned interpreters can import
them by name (``tests.integration.workers``).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import random
import sqlite3
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Barrier
from typing import Any

#: Seconds a worker or the parent waits at the start barrier.
BARRIER_TIMEOUT = 120.0

Job = Callable[[], Any]


class PoolError(AssertionError):
    """A worker failed, hung or died; the message carries its traceback."""


# -- tasks (run inside the worker processes) ----------------------------------------


def queue_rounds(
    *,
    index: int,
    url: str,
    rounds: int,
    seed: int,
    counters: int = 8,
    no_show_every: int = 5,
    busy_timeout_ms: int = 2_000,
) -> Job:
    """Issue, call and finish at a counter shared with another worker, ``rounds`` times.

    Worker ``index`` acts as staff ``W<index>`` at counter ``index % counters + 1``,
    so two workers of a 16-process pool share (and race for) each counter. Each
    round issues a ticket for a random active service, then tries to call the next
    ticket; ``NothingToCall`` and ``CounterBusy`` are normal outcomes. What it called
    it finishes (or marks no-show every ``no_show_every``-th round), by number.

    The job never raises: it returns what it did so far, with the traceback of the
    first unexpected error under ``"error"``, and how often a busy SQLite made it
    pause and try again under ``"busy_retries"`` (SQLite itself waits
    ``busy_timeout_ms`` before that).
    """
    from sqlalchemy import select

    from lobby import engine
    from lobby.db import Database
    from lobby.errors import CounterBusy, NothingToCall
    from lobby.models import Service
    from tests.helpers import actor as test_actor

    db = Database.open(url, busy_timeout_ms=busy_timeout_ms)
    retries: list[int] = []
    db.busy.listeners.append(lambda attempt, _waited: retries.append(attempt))
    with db.read() as session:  # connect (and warm up) before the start line
        codes = sorted(session.scalars(select(Service.code).where(Service.active)))
    rng = random.Random(seed)
    counter = index % counters + 1
    actor = f"W{index:02d}"
    credential = test_actor(actor)

    def job() -> dict[str, Any]:
        done: dict[str, Any] = {
            "index": index,
            "actor": actor,
            "counter": counter,
            "issued": [],
            "called": [],
            "finished": [],
            "no_show": [],
            "nothing_to_call": 0,
            "counter_busy": 0,
            "busy_retries": retries,
            "error": None,
        }
        step = "start"
        try:
            for round_no in range(rounds):
                step = f"round {round_no}: issue"
                with db.unit_of_work(credential) as uow:
                    ticket = engine.issue_ticket(uow, rng.choice(codes))
                done["issued"].append(
                    {
                        "id": ticket.id,
                        "number": ticket.number,
                        "business_day": ticket.business_day.isoformat(),
                        "service": ticket.service,
                    }
                )
                step = f"round {round_no}: call at counter {counter}"
                try:
                    with db.unit_of_work(credential) as uow:
                        called = engine.call_next(uow, counter)
                except NothingToCall:
                    done["nothing_to_call"] += 1
                    continue
                except CounterBusy:
                    done["counter_busy"] += 1
                    continue
                done["called"].append(
                    {"id": called.id, "number": called.number, "counter": called.counter}
                )
                outcome = "no_show" if round_no % no_show_every == no_show_every - 1 else "finished"
                step = f"round {round_no}: {outcome} {called.number} at counter {counter}"
                with db.unit_of_work(credential) as uow:
                    if outcome == "no_show":
                        engine.no_show(uow, counter, called.number)
                    else:
                        engine.finish(uow, counter, called.number)
                done[outcome].append(called.id)
        except Exception:
            done["error"] = f"worker {actor} at {step}:\n{traceback.format_exc()}"
        finally:
            db.dispose()
        return done

    return job


def engine_cycles(
    *, index: int, url: str, counter: int, services: Sequence[str], cycles: int, seed: int
) -> Job:
    """Run ``cycles`` issue + call + finish cycles at a counter of this worker's own.

    Returns ``{"cycles": completed, "nothing_to_call": n}``; a round whose call found
    nothing (another counter took the ticket) is not a completed cycle.
    """
    from lobby import engine
    from lobby.db import Database
    from lobby.errors import NothingToCall
    from tests.helpers import actor as test_actor

    db = Database.open(url)
    db.branch_timezone()  # connect before the start line
    rng = random.Random(seed)
    actor = f"B{index:02d}"
    credential = test_actor(actor)

    def job() -> dict[str, int]:
        completed = nothing = 0
        try:
            for _ in range(cycles):
                with db.unit_of_work(credential) as uow:
                    engine.issue_ticket(uow, rng.choice(services))
                try:
                    with db.unit_of_work(credential) as uow:
                        ticket = engine.call_next(uow, counter)
                except NothingToCall:
                    nothing += 1
                    continue
                with db.unit_of_work(credential) as uow:
                    engine.finish(uow, counter, ticket.number)
                completed += 1
        finally:
            db.dispose()
        return {"cycles": completed, "nothing_to_call": nothing}

    return job


RAW_SCHEMA = (
    "CREATE TABLE item (id INTEGER PRIMARY KEY, worker INTEGER NOT NULL,"
    " seq INTEGER NOT NULL, at REAL NOT NULL, payload TEXT NOT NULL)"
)


def connect_raw(path: str, busy_timeout_ms: int = 10_000) -> sqlite3.Connection:
    """A plain ``sqlite3`` connection in autocommit mode, WAL, ``synchronous=NORMAL``."""
    conn = sqlite3.connect(path, timeout=busy_timeout_ms / 1000, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
    return conn


def create_raw_database(path: str) -> None:
    """Create the raw benchmark's file: one table, WAL mode."""
    conn = connect_raw(path)
    try:
        conn.execute(RAW_SCHEMA)
    finally:
        conn.close()


def raw_inserts(*, index: int, path: str, count: int) -> Job:
    """Run ``count`` transactions of ``BEGIN IMMEDIATE``, one ``INSERT``, ``COMMIT``."""
    conn = connect_raw(path)
    payload = "x" * 200

    def job() -> int:
        try:
            for seq in range(count):
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(
                    "INSERT INTO item (worker, seq, at, payload) VALUES (?, ?, ?, ?)",
                    (index, seq, time.time(), payload),
                )
                conn.execute("COMMIT")
        finally:
            conn.close()
        return count

    return job


TASKS: dict[str, Callable[..., Job]] = {
    "queue_rounds": queue_rounds,
    "engine_cycles": engine_cycles,
    "raw_inserts": raw_inserts,
}


def _serve(index: int, conn: Connection, barrier: Barrier) -> None:
    """A worker's main loop: prepare a job, wait at the barrier, run it, report."""
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        task, kwargs = message
        try:
            job = TASKS[task](index=index, **kwargs)
        except BaseException:
            conn.send(("error", f"worker {index} preparing {task}:\n{traceback.format_exc()}"))
            continue
        conn.send(("ready", None))
        try:
            barrier.wait(BARRIER_TIMEOUT)
            result = job()
        except BaseException:
            conn.send(("error", f"worker {index} running {task}:\n{traceback.format_exc()}"))
            continue
        conn.send(("done", result))


# -- the pool (runs in the test process) --------------------------------------------


class WorkerPool:
    """``size`` spawned worker processes that start each job together.

    Args:
        size: How many processes.
        timeout: Seconds to wait for any one step (ready, result) of a job.
    """

    def __init__(self, size: int, timeout: float = 120.0) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.size = size
        self.timeout = timeout
        self._barrier = ctx.Barrier(size + 1)
        self._conns: list[Connection] = []
        self._processes: list[multiprocessing.process.BaseProcess] = []
        self._broken = False
        try:
            for index in range(size):
                parent_end, child_end = ctx.Pipe()
                process = ctx.Process(
                    target=_serve,
                    args=(index, child_end, self._barrier),
                    name=f"lobby-worker-{index}",
                    daemon=True,
                )
                process.start()
                child_end.close()
                self._conns.append(parent_end)
                self._processes.append(process)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def prepare(self, task: str, kwargs: Sequence[dict[str, Any]]) -> None:
        """Give worker ``i`` the job ``task(**kwargs[i])`` and wait until all are ready."""
        if self._broken:
            raise PoolError("the worker pool is broken by an earlier failure")
        if len(kwargs) != self.size:
            raise ValueError(f"need {self.size} argument sets, got {len(kwargs)}")
        for conn, one in zip(self._conns, kwargs, strict=True):
            conn.send((task, dict(one)))
        errors = []
        for index, reply in enumerate(self._replies("ready")):
            if reply[0] != "ready":
                errors.append(reply[1] if reply[0] == "error" else f"worker {index}: {reply}")
        if errors:
            self._fail(errors)

    def go(self) -> list[Any]:
        """Release the prepared workers together and return their results, in order."""
        try:
            self._barrier.wait(self.timeout)
        except threading.BrokenBarrierError:
            self._fail(["the start barrier broke: a worker did not arrive in time"])
        results, errors = [], []
        for index, reply in enumerate(self._replies("done")):
            if reply[0] == "done":
                results.append(reply[1])
            else:
                errors.append(reply[1] if reply[0] == "error" else f"worker {index}: {reply}")
        if errors:
            self._fail(errors)
        return results

    def timed_go(self) -> tuple[list[Any], float]:
        """:meth:`go`, also returning the seconds from the start to the last result."""
        started = time.perf_counter()
        results = self.go()
        return results, time.perf_counter() - started

    def run(self, task: str, kwargs: Sequence[dict[str, Any]]) -> tuple[list[Any], float]:
        """Prepare and run one job; return the results and the seconds from start to last."""
        self.prepare(task, kwargs)
        return self.timed_go()

    def _replies(self, expected: str) -> list[tuple[str, Any]]:
        deadline = time.monotonic() + self.timeout
        replies: list[tuple[str, Any]] = []
        for index, conn in enumerate(self._conns):
            remaining = max(0.0, deadline - time.monotonic())
            try:
                if not conn.poll(remaining):
                    self._fail(
                        [
                            f"worker {index} sent no {expected!r} within {self.timeout:.0f} s"
                            f" (alive: {self._processes[index].is_alive()})"
                        ]
                    )
                replies.append(conn.recv())
            except (EOFError, OSError) as exc:
                self._processes[index].join(5)  # reap it, for its exit code
                self._fail(
                    [
                        f"worker {index} died (exit code {self._processes[index].exitcode})"
                        f" before sending {expected!r}: {exc!r}"
                    ]
                )
        return replies

    def _fail(self, errors: list[str]) -> None:
        self._broken = True
        self._barrier.abort()
        raise PoolError("\n\n".join(errors))

    def close(self) -> None:
        """Stop the workers (politely, then by force) and release the pipes."""
        for conn in self._conns:
            with contextlib.suppress(OSError):
                conn.send(None)
        deadline = time.monotonic() + 10
        for process in self._processes:
            process.join(max(0.0, deadline - time.monotonic()))
        for process in self._processes:
            if process.is_alive():
                process.kill()
                process.join(5)
            process.close()
        for conn in self._conns:
            conn.close()
        self._processes, self._conns = [], []
