"""The report over a generated year of one busy branch (about 1 M tickets): target 1 s.

Run with ``./run bench``, or just this file::

    .venv/bin/python -m pytest tests/bench/test_report_speed.py --benchmark-only -q -s

The year (see :mod:`tests.bench.year_data`) is generated once into a SQLite file in
the temp directory, with the rollups that closing each day writes, and reused by
later runs; PostgreSQL gets the same rows by ``COPY`` each run. Baselines measured in
the same run: a bare ``SELECT count(*)`` over the ticket table and the report of one
day; also what closing a day adds (finding and rolling up that day). Each test also
checks, on the big data, that a week read from rollups equals the same week read
from its tickets, and that the year's binned p90 is within one bin (15 s) of the
exact p90 of every wait.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, text

from lobby.db import Database
from lobby.models_reports import ReportDay, ReportGroupDay
from lobby.reports import WAIT_BIN_S, Report, build_report, roll_up_closed_days
from lobby.reports.figures import exact_p90
from tests.bench import year_data
from tests.bench.year_data import FIRST_DAY, LAST_DAY, YearFile
from tests.helpers import actor
from tests.pgserver import PostgresServer

MANAGER = actor("M01")

TARGET_S = 1.0
ROUNDS = 5
WEEK = (date(2025, 6, 2), date(2025, 6, 8))


@pytest.fixture(scope="module")
def year(sqlite_template: Path) -> YearFile:
    """The generated year (cached across runs)."""
    started = time.perf_counter()
    generated = year_data.year_file(sqlite_template)
    generated.ready_s = time.perf_counter() - started
    return generated


@pytest.fixture(scope="module")
def pg_year(pg_server: PostgresServer, pg_template: str, year: YearFile) -> Iterator[str]:
    """A PostgreSQL database holding the same year."""
    name = "lobby_report_year"
    pg_server.create_database(name, template=pg_template)
    year.pg_copy_s = year_data.copy_to_postgresql(year.path, pg_server.conninfo(name))
    yield pg_server.url(name)
    pg_server.drop_database(name)


def timed(action: Callable[[], Any], rounds: int = ROUNDS) -> float:
    """Median seconds of ``action`` over ``rounds`` runs."""
    seconds = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def exact_year_p90(db: Database) -> float:
    """The exact p90 of every wait of the year, from the tickets."""
    with db.read() as session:
        if db.is_postgresql:
            value = session.scalar(
                text(
                    "SELECT percentile_cont(0.9) WITHIN GROUP "
                    "(ORDER BY extract(epoch FROM called_at - queued_at)) "
                    "FROM ticket WHERE called_at IS NOT NULL"
                )
            )
            return float(value)
        rows = session.execute(
            text("SELECT queued_at, called_at FROM ticket WHERE called_at IS NOT NULL")
        )
        parse = datetime.fromisoformat
        waits = sorted(
            (parse(called) - parse(queued)).total_seconds() * 1_000_000 for queued, called in rows
        )
        return exact_p90([round(w) for w in waits])


def run_year_benchmark(
    benchmark: Any, db: Database, year: YearFile, backend: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Time the year's report against the baselines, check it, record and print the figures."""
    reports: list[Report] = []
    durations: list[float] = []

    def year_report() -> None:
        started = time.perf_counter()
        with db.read() as session:
            reports.append(build_report(session, FIRST_DAY, LAST_DAY, reader=MANAGER))
        durations.append(time.perf_counter() - started)

    def count_tickets() -> None:
        with db.read() as session:
            session.scalar(text("SELECT count(*) FROM ticket"))

    def one_day() -> None:
        with db.read() as session:
            build_report(session, WEEK[0], WEEK[0], reader=MANAGER)

    def close_day_rollup() -> float:
        """The close-day hook on a year of rollups: find and roll up the one day missing."""
        day = LAST_DAY
        with db.read() as session:  # rolled back at the end: the cached file stays as it is
            session.execute(delete(ReportGroupDay).where(ReportGroupDay.business_day == day))
            session.execute(delete(ReportDay).where(ReportDay.business_day == day))
            started = time.perf_counter()
            assert roll_up_closed_days(session, day, "Asia/Shanghai", datetime.now(UTC)) == 1
            return time.perf_counter() - started

    count_s, day_s = timed(count_tickets), timed(one_day)
    rollup_day_s = statistics.median(close_day_rollup() for _ in range(3))
    benchmark.pedantic(year_report, rounds=ROUNDS, iterations=1, warmup_rounds=1)
    year_s = statistics.median(durations)
    with db.read() as session:
        week_rolled = build_report(session, *WEEK, reader=MANAGER)
        week_fresh = build_report(session, *WEEK, reader=MANAGER, use_rollups=False)
    assert week_rolled.to_json() == week_fresh.to_json()
    totals = reports[-1].totals
    exact = exact_year_p90(db)
    assert totals.p90_wait_s is not None
    assert abs(totals.p90_wait_s - exact) < WAIT_BIN_S
    assert totals.issued == year.visits
    figures = {
        "backend": backend,
        "tickets": year.tickets,
        "visits": year.visits,
        "ratings": year.ratings,
        "complaints": year.complaints,
        "year_report_s": round(year_s, 3),
        "baseline_count_tickets_s": round(count_s, 3),
        "baseline_one_day_report_s": round(day_s, 3),
        "ratio_year_to_count": round(year_s / count_s, 1),
        "close_day_rollup_s": round(rollup_day_s, 3),
        "p90_year_binned_s": totals.p90_wait_s,
        "p90_year_exact_s": round(exact, 1),
        "wait_bin_s": WAIT_BIN_S,
        "generate_s": round(year.generate_s, 1),
        "rollup_s": round(year.rollup_s, 1),
        "ready_s": round(year.ready_s, 1),
    }
    if backend == "postgresql":
        figures["pg_copy_s"] = round(year.pg_copy_s, 1)
    benchmark.extra_info.update(figures)
    with capsys.disabled():
        print(
            f"\n  report of a year on {backend}: {year_s:.3f} s (target {TARGET_S} s) over "
            f"{year.tickets} tickets; baselines: SELECT count(*) {count_s:.3f} s, "
            f"one day's report {day_s:.3f} s; closing a day adds {rollup_day_s:.3f} s; "
            f"p90 {totals.p90_wait_s} s binned vs "
            f"{exact:.1f} s exact; generated in {year.generate_s:.0f} s + rollups "
            f"{year.rollup_s:.0f} s (ready in {year.ready_s:.1f} s this run)"
            + (f", COPY to PostgreSQL {figures['pg_copy_s']} s" if "pg_copy_s" in figures else "")
        )
    assert year_s <= TARGET_S


def test_year_report_sqlite(
    benchmark: Any, year: YearFile, capsys: pytest.CaptureFixture[str]
) -> None:
    db = Database.open(f"sqlite:///{year.path}")
    try:
        run_year_benchmark(benchmark, db, year, "sqlite", capsys)
    finally:
        db.dispose()


@pytest.mark.postgres
def test_year_report_postgresql(
    benchmark: Any, pg_year: str, year: YearFile, capsys: pytest.CaptureFixture[str]
) -> None:
    db = Database.open(pg_year)
    try:
        run_year_benchmark(benchmark, db, year, "postgresql", capsys)
    finally:
        db.dispose()
