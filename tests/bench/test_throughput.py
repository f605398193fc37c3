"""Throughput with 16 processes: the queue engine against raw SQLite inserts.

Run with ``./run bench``. Each benchmark keeps one pool of 16 spawned worker
processes (started once per module, outside the timings). A round prepares every
worker (fresh database, connection open), releases them together through a barrier
and ends when the last one reports; only that burst is timed.

* Engine: each process works a counter of its own (the sample branch with counters
  9-16 added as copies of 1-8) and repeats issue, call next, finish. Its issued
  ticket is one of its counter's tier-1 services, so a call finds nothing only when
  another counter took the ticket; such a round is not counted as a cycle.
* Raw: each process runs ``BEGIN IMMEDIATE``, one ``INSERT``, ``COMMIT`` with plain
  ``sqlite3`` (WAL, ``synchronous=NORMAL``, ``busy_timeout``): the most a SQLite file
  can give 16 writers, the ceiling for the engine.

``ops_per_s`` (cycles or inserts per second over all rounds) is in
``benchmark.extra_info``; the figures are also printed past output capture.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from lobby import admin
from lobby.config import SAMPLE_BRANCH, BranchConfig, load_branch_config
from lobby.db import Database
from tests.helpers import actor, add_test_staff
from tests.integration import workers
from tests.pgserver import PostgresServer

pytestmark = pytest.mark.slow

PROCESSES = 16
ROUNDS = 3
ENGINE_CYCLES = 20  # per process and round
RAW_INSERTS = 3000  # per process and round
TRANSACTIONS_PER_CYCLE = 3  # issue, call, finish

_names = itertools.count()
Args = list[dict[str, Any]]


@dataclass
class Throughput:
    """Operations done and seconds taken, round by round."""

    ops: list[int]
    seconds: list[float]

    @property
    def ops_per_s(self) -> float:
        return sum(self.ops) / sum(self.seconds)

    def record(self, benchmark: Any, unit: str) -> None:
        benchmark.extra_info.update(
            {
                "processes": PROCESSES,
                "unit": unit,
                "ops_per_s": round(self.ops_per_s, 1),
                "ops_per_round": self.ops,
                "seconds_per_round": [round(s, 3) for s in self.seconds],
            }
        )


def run_rounds(
    pool: workers.WorkerPool,
    task: str,
    make_args: Callable[[], Args],
    count: Callable[[list[Any]], int],
    benchmark: Any = None,
) -> Throughput:
    """Run ROUNDS bursts of ``task``; with ``benchmark``, let pytest-benchmark time them.

    Args:
        pool: The worker processes.
        task: A task of :mod:`tests.integration.workers`.
        make_args: Makes a fresh database and returns each worker's arguments.
        count: Operations done, from the workers' results.
        benchmark: The pytest-benchmark fixture, or None for a plain measurement.
    """
    done = Throughput([], [])

    def setup() -> tuple[tuple[()], dict[str, Any]]:
        pool.prepare(task, make_args())
        return (), {}

    def burst() -> None:
        results, seconds = pool.timed_go()
        done.ops.append(count(results))
        done.seconds.append(seconds)

    if benchmark is None:
        for _ in range(ROUNDS):
            setup()
            burst()
    else:
        benchmark.pedantic(burst, setup=setup, rounds=ROUNDS, iterations=1)
    return done


def raw_baseline(pool: workers.WorkerPool, directory: Path, benchmark: Any = None) -> Throughput:
    """Raw ``sqlite3`` insert transactions per second, 16 processes on a fresh file."""

    def make_args() -> Args:
        path = directory / f"raw{next(_names)}.db"
        workers.create_raw_database(str(path))
        return [{"path": str(path), "count": RAW_INSERTS} for _ in range(PROCESSES)]

    return run_rounds(pool, "raw_inserts", make_args, sum, benchmark)


def engine_cycles(
    pool: workers.WorkerPool, fresh_url: Callable[[], str], benchmark: Any
) -> Throughput:
    """Engine issue + call + finish cycles per second, 16 processes on a fresh database."""
    config = sixteen_counter_branch()
    first_tier = {p.code: list(p.tiers[0]) for p in config.profiles}
    services = {c.number: first_tier[c.profile] for c in config.counters}

    def make_args() -> Args:
        url = fresh_url()
        return [
            {
                "url": url,
                "counter": i + 1,
                "services": services[i + 1],
                "cycles": ENGINE_CYCLES,
                "seed": i,
            }
            for i in range(PROCESSES)
        ]

    def count(results: list[dict[str, int]]) -> int:
        return sum(r["cycles"] for r in results)

    return run_rounds(pool, "engine_cycles", make_args, count, benchmark)


def sixteen_counter_branch() -> BranchConfig:
    """The sample branch with counters 9-16 added, each a copy of counter n-8."""
    sample = load_branch_config(SAMPLE_BRANCH)
    data = sample.model_dump()
    copies = [
        {**c, "number": c["number"] + 8, "name_en": f"Counter {c['number'] + 8}"}
        for c in data["counters"]
    ]
    data["counters"] = [*data["counters"], *copies]
    return BranchConfig.model_validate(data)


def show(capsys: pytest.CaptureFixture[str], text: str) -> None:
    """Print past pytest's output capture, so ``./run bench`` shows the figure."""
    with capsys.disabled():
        print(f"\n  {text}")


# -- fixtures -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pool() -> Iterator[workers.WorkerPool]:
    """16 worker processes for the whole module."""
    with workers.WorkerPool(PROCESSES, timeout=180) as started:
        yield started


def sixteen_counters(db: Database) -> None:
    """Make the sample branch the 16-counter one, with a manager per worker (B00, B01...)."""
    with db.unit_of_work(actor("M01")) as uow:
        admin.import_config(uow, sixteen_counter_branch(), "bench setup")
    add_test_staff(db, [f"B{i:02d}" for i in range(PROCESSES)])


@pytest.fixture(scope="module")
def sqlite16_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with the 16-counter branch."""
    path = tmp_path_factory.mktemp("bench") / "lobby16.db"
    shutil.copy(sqlite_template, path)
    db = Database.open(f"sqlite:///{path}")
    sixteen_counters(db)
    db.dispose()
    return path


@pytest.fixture(scope="module")
def pg16_template(pg_server: PostgresServer, pg_template: str) -> str:
    """A PostgreSQL database with the 16-counter branch."""
    name = "lobby_bench16"
    pg_server.create_database(name, template=pg_template)
    db = Database.open(pg_server.url(name))
    sixteen_counters(db)
    db.dispose()
    return name


# -- benchmarks -----------------------------------------------------------------------


def test_raw_sqlite_inserts_16_processes(
    benchmark: Any,
    pool: workers.WorkerPool,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    raw = raw_baseline(pool, tmp_path, benchmark)
    raw.record(benchmark, "insert transactions")
    show(capsys, f"raw SQLite: {raw.ops_per_s:.0f} insert transactions/s ({raw.ops} per round)")
    assert raw.ops == [PROCESSES * RAW_INSERTS] * ROUNDS


def test_engine_cycles_16_processes(
    benchmark: Any,
    pool: workers.WorkerPool,
    sqlite16_template: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def fresh_url() -> str:
        path = tmp_path / f"lobby{next(_names)}.db"
        shutil.copy(sqlite16_template, path)
        return f"sqlite:///{path}"

    cycles = engine_cycles(pool, fresh_url, benchmark)
    raw = raw_baseline(pool, tmp_path)
    ratio = cycles.ops_per_s / raw.ops_per_s
    cycles.record(benchmark, "issue+call+finish cycles")
    benchmark.extra_info.update(
        {
            "raw_inserts_per_s": round(raw.ops_per_s, 1),
            "ratio_engine_to_raw": round(ratio, 5),
            "transactions_per_cycle": TRANSACTIONS_PER_CYCLE,
        }
    )
    show(
        capsys,
        f"engine SQLite: {cycles.ops_per_s:.1f} cycles/s ({cycles.ops} per round); "
        f"raw SQLite in the same run: {raw.ops_per_s:.0f} inserts/s; "
        f"ratio_engine_to_raw {ratio:.4f} "
        f"(transactions: {ratio * TRANSACTIONS_PER_CYCLE:.4f})",
    )
    assert min(cycles.ops) > 0


@pytest.mark.postgres
def test_engine_cycles_16_processes_postgresql(
    benchmark: Any,
    pool: workers.WorkerPool,
    pg_server: PostgresServer,
    pg16_template: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    created: list[str] = []

    def fresh_url() -> str:
        name = f"lobby_bench{next(_names)}"
        pg_server.create_database(name, template=pg16_template)
        created.append(name)
        return pg_server.url(name)

    try:
        cycles = engine_cycles(pool, fresh_url, benchmark)
    finally:
        for name in created:
            pg_server.drop_database(name)
    cycles.record(benchmark, "issue+call+finish cycles")
    show(capsys, f"engine PostgreSQL: {cycles.ops_per_s:.1f} cycles/s ({cycles.ops} per round)")
    assert min(cycles.ops) > 0
