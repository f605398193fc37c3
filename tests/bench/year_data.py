"""A generated year of one busy branch (about a million tickets) for the report benchmark.

The sample branch (Shanghai) is open every day 9:00-17:00 local time with 8 counters
and 12 tellers on a rota, serving 7 services (VIP is left out). Each day has about
2,750 visits; waits follow the hour's load, service times the service's mean; there
are no-shows, cancellations, tickets left to expire, transfers (a second hop in
another service), ratings for about a third of the served visits and a complaint
for about one visit in 500, most of them resolved within days.

Rows are written with plain ``sqlite3`` ``executemany`` into a copy of the test
template (schema and branch), in SQLAlchemy's own storage formats, then the days are
rolled up with :func:`lobby.reports.roll_up_days` as closing them would. The file is
cached in the system temp directory under a key of the generator, the schema and the
report code, so later runs start at once. PostgreSQL gets the same rows by ``COPY``.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import os
import random
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import lobby.reports
from lobby.db import Database
from lobby.models import Complaint
from lobby.reports import roll_up_days

GENERATOR_VERSION = 1
FIRST_DAY, LAST_DAY = date(2025, 1, 1), date(2025, 12, 31)
VISITS_PER_DAY = 2750
TIMEZONE = ZoneInfo("Asia/Shanghai")
SEED = 20251231

#: service code -> (share of visits, counters that serve it)
SERVICES = {
    "cash": (0.40, (1, 2, 3)),
    "account": (0.12, (4,)),
    "wealth": (0.10, (5, 8)),
    "loans": (0.08, (5,)),
    "fx": (0.08, (6,)),
    "corporate": (0.10, (6, 7)),
    "enquiry": (0.12, (1, 2, 3, 4, 5)),
}
#: local opening hour -> share of the day's arrivals (a morning and an afternoon peak)
HOURS = {9: 0.10, 10: 0.16, 11: 0.15, 12: 0.09, 13: 0.10, 14: 0.15, 15: 0.14, 16: 0.11}
TELLERS = [f"T{n:02d}" for n in range(1, 13)]
COMPLAINT_CATEGORIES = ("service", "waiting", "fees", "product", "facilities", "staff", "other")
RATING_WEIGHTS = (2, 3, 10, 35, 50)

TICKET_COLUMNS = (
    "id",
    "visit_id",
    "service_id",
    "business_day",
    "number",
    "hop",
    "state",
    "category",
    "issued_at",
    "queued_at",
    "called_at",
    "started_at",
    "ended_at",
    "counter_id",
    "staff",
    "call_count",
    "outcome",
    "transfer_note",
    "previous_id",
)
VISIT_COLUMNS = (
    "id",
    "business_day",
    "created_at",
    "created_by",
    "need",
    "category",
    "note",
    "documents_checked",
)
RATING_COLUMNS = ("id", "visit_id", "ticket_id", "counter_id", "score", "comment", "at")
COMPLAINT_BASE = (
    "id",
    "reference",
    "visit_id",
    "category",
    "description",
    "contact",
    "wished_follow_up",
    "status",
    "resolution",
    "created_at",
    "updated_at",
    "answer_due",
    "created_by",
)
TABLES = ("visit", "ticket", "rating", "complaint")


@dataclass
class YearFile:
    """The generated SQLite file and what it holds."""

    path: Path
    tickets: int
    visits: int
    ratings: int
    complaints: int
    generate_s: float
    rollup_s: float
    ready_s: float = 0.0  # this run: generating, or finding the cached file
    pg_copy_s: float = 0.0  # this run: copying to PostgreSQL


def complaint_columns() -> tuple[str, ...]:
    """Complaint columns to fill (``resolved_at`` once the schema has it)."""
    extra = ("resolved_at",) if "resolved_at" in Complaint.__table__.c else ()
    return COMPLAINT_BASE + extra


def cache_key(template: Path) -> str:
    """A key of the generator (its source), the template's schema and the report code."""
    digest = hashlib.sha256(f"v{GENERATOR_VERSION}".encode())
    conn = sqlite3.connect(template)
    for (sql,) in conn.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY 1"):
        digest.update(sql.encode())
    conn.close()
    reports = Path(lobby.reports.__file__).parent
    sources = [Path(__file__), *reports.glob("*.py"), reports.parent / "models_reports.py"]
    for source in sorted(sources):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def year_file(template: Path) -> YearFile:
    """The cached year file for this template, generated (and rolled up) when missing."""
    cache = os.environ.get("LOBBY_BENCH_CACHE") or tempfile.gettempdir()
    directory = Path(cache) / f"lobby-bench-{os.getuid()}"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"report-year-{cache_key(template)}.db"
    if path.exists():
        conn = sqlite3.connect(path)
        counts = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES]
        times = conn.execute("SELECT value FROM bench_info").fetchall()
        conn.close()
        return YearFile(path, counts[1], counts[0], counts[2], counts[3], *(t for (t,) in times))
    for stale in directory.glob("report-year-*.db*"):
        stale.unlink()
    work = path.with_suffix(".tmp")
    shutil.copy(template, work)
    started = time.perf_counter()
    counts = fill_sqlite(work)
    generated = time.perf_counter()
    db = Database.open(f"sqlite:///{work}")
    with db.transaction() as session:
        roll_up_days(session, _days(), "Asia/Shanghai", datetime.now(UTC))
    db.dispose()
    rolled = time.perf_counter()
    conn = sqlite3.connect(work)
    conn.execute("CREATE TABLE bench_info (name TEXT, value REAL)")
    conn.executemany(
        "INSERT INTO bench_info VALUES (?, ?)",
        [("generate_s", generated - started), ("rollup_s", rolled - generated)],
    )
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()
    work.rename(path)
    return YearFile(path, *counts, generated - started, rolled - generated)


def fill_sqlite(path: Path) -> tuple[int, int, int, int]:
    """Write the year into the SQLite file at ``path``; returns the row counts."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    services = dict(conn.execute("SELECT code, id FROM service"))
    prefixes = dict(conn.execute("SELECT code, prefix FROM service"))
    counters = dict(conn.execute("SELECT number, id FROM counter"))
    rows = Generator(services, prefixes, counters)
    complaint_cols = complaint_columns()
    conn.execute("BEGIN")
    for day in _days():
        visits, tickets, ratings, complaints = rows.day(day)
        conn.executemany(_insert("visit", VISIT_COLUMNS), visits)
        conn.executemany(_insert("ticket", TICKET_COLUMNS), tickets)
        conn.executemany(_insert("rating", RATING_COLUMNS), ratings)
        conn.executemany(
            _insert("complaint", complaint_cols),
            [c[: len(complaint_cols)] for c in complaints],
        )
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return rows.tickets, rows.visits, rows.ratings, rows.complaints


def copy_to_postgresql(source: Path, conninfo: str) -> float:
    """COPY the year's rows and rollups from the SQLite file into PostgreSQL; seconds taken."""
    import psycopg

    started = time.perf_counter()
    lite = sqlite3.connect(source)
    tables: list[tuple[str, tuple[str, ...]]] = [
        ("visit", VISIT_COLUMNS),
        ("ticket", TICKET_COLUMNS),
        ("rating", RATING_COLUMNS),
        ("complaint", complaint_columns()),
    ]
    for rollup in ("report_day", "report_group_day"):
        names = tuple(r[1] for r in lite.execute(f"PRAGMA table_info({rollup})"))
        tables.append((rollup, names))
    with psycopg.connect(conninfo, autocommit=False) as pg:
        # the rows come from a consistent file: skip the per-row foreign-key triggers
        pg.execute("SET session_replication_role = replica")
        for table, columns in tables:
            names = ", ".join(columns)
            with pg.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in lite.execute(f"SELECT {names} FROM {table}"):
                    copy.write_row(row)
        pg.commit()
        pg.autocommit = True
        for table, _ in tables:
            pg.execute(f"VACUUM ANALYZE {table}")
    lite.close()
    return time.perf_counter() - started


def _insert(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def _days() -> Iterator[date]:
    day = FIRST_DAY
    while day <= LAST_DAY:
        yield day
        day += timedelta(days=1)


#: "HH:MM:SS.000000" for every second of a day: SQLAlchemy's SQLite storage format.
_CLOCK = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}.000000" for s in range(86400)]
Row = tuple[Any, ...]
_HOURS = list(HOURS)
_HOUR_CUM = list(itertools.accumulate(HOURS.values()))
_SCORES = [1, 2, 3, 4, 5]
_RATING_CUM = list(itertools.accumulate(RATING_WEIGHTS))


class Generator:
    """Makes one day's rows at a time, with ids running over the year."""

    def __init__(
        self, services: dict[str, int], prefixes: dict[str, str], counters: dict[int, int]
    ) -> None:
        self.rng = random.Random(SEED)
        self.services, self.prefixes, self.counters = services, prefixes, counters
        self.codes = list(SERVICES)
        self.cum_weights = list(itertools.accumulate(SERVICES[c][0] for c in self.codes))
        self.means = {"cash": 5, "account": 15, "wealth": 20, "loans": 25, "fx": 12}
        self.means |= {"corporate": 18, "enquiry": 6}
        self.tickets = self.visits = self.ratings = self.complaints = 0

    def day(self, day: date) -> tuple[list[Row], list[Row], list[Row], list[Row]]:
        """Visits, tickets, ratings and complaints of one business day."""
        rng = self.rng
        noon = datetime.combine(day, dt_time(12), TIMEZONE).utcoffset()
        assert noon is not None
        offset = int(noon.total_seconds())
        prefix = day.isoformat() + " "
        iso = day.isoformat()

        def at(local_s: float) -> str:
            utc_s = int(local_s) - offset
            assert 0 <= utc_s < 86400, "a branch day must not cross midnight UTC"
            return prefix + _CLOCK[utc_s]

        rota = TELLERS[day.toordinal() % 12 :] + TELLERS[: day.toordinal() % 12]
        staff_at = dict(zip(range(1, 9), rota, strict=False))
        busy = 1 + 0.25 * math.sin(day.toordinal() / 7 * 2 * math.pi)  # a weekly swell
        visits: list[Row] = []
        tickets: list[Row] = []
        ratings: list[Row] = []
        complaints: list[Row] = []
        sequence = dict.fromkeys(self.codes, 0)
        arrivals = sorted(
            hour * 3600 + rng.random() * 3600
            for hour in rng.choices(
                _HOURS, cum_weights=_HOUR_CUM, k=int(rng.gauss(VISITS_PER_DAY, 150))
            )
        )
        for arrived in arrivals:
            self.visits += 1
            visit_id = self.visits
            code = rng.choices(self.codes, cum_weights=self.cum_weights)[0]
            sequence[code] += 1
            number = f"{self.prefixes[code]}{sequence[code]:03d}"
            category = "elderly" if rng.random() < 0.08 else "regular"
            visits.append((visit_id, iso, at(arrived), "G01", code, category, "", "[]"))
            hour = int(arrived // 3600)
            load = busy * (1.6 if hour in (10, 11, 14, 15) else 1.0)
            queued, hop, previous = arrived, 0, None
            while True:
                self.tickets += 1
                tid = self.tickets
                counter = rng.choice(SERVICES[code][1])
                staff = staff_at[counter]
                wait = min(rng.expovariate(1 / (420 * load)), 3 * 3600)
                called = queued + wait
                fate = rng.random()
                state, outcome, note = "done", "done", None
                call, start, end = called, called + rng.uniform(10, 60), None
                if called > 18 * 3600 - 60 or fate < 0.003:
                    state, call, start = "expired", None, None  # still waiting at the close
                    end = 18 * 3600
                elif fate < 0.03:
                    state, call, start, end = "cancelled", None, None, queued + wait / 2
                elif fate < 0.09:
                    state, start, end = "no_show", None, called + 120
                elif fate < 0.14 and hop == 0:
                    state, end, note = "transferred", start + 120, "needs another service"
                else:
                    mean = self.means[code] * 60
                    end = start + min(rng.lognormvariate(math.log(mean) - 0.125, 0.5), 4 * mean)
                if state != "done":
                    outcome = None
                ticket_counter = self.counters[counter] if call is not None else None
                tickets.append(
                    (
                        tid,
                        visit_id,
                        self.services[code],
                        iso,
                        number,
                        hop,
                        state,
                        category,
                        at(arrived),
                        at(queued),
                        None if call is None else at(call),
                        None if start is None else at(start),
                        None if end is None else at(end),
                        ticket_counter,
                        staff if call is not None else None,
                        0 if call is None else 1,
                        outcome,
                        note if hop else None,
                        previous,
                    )
                )
                if state != "transferred":
                    break
                previous, hop, queued = tid, hop + 1, end if end is not None else queued
                code = rng.choice([c for c in self.codes if c != code])
            if state == "done" and rng.random() < 0.33:
                self.ratings += 1
                score = rng.choices(_SCORES, cum_weights=_RATING_CUM)[0]
                ratings.append(
                    (self.ratings, visit_id, tid, ticket_counter, score, "", at(end or queued))
                )
            if rng.random() < 0.002:
                complaints.append(self._complaint(visit_id, day, at(arrived + 600), rng))
        return visits, tickets, ratings, complaints

    def _complaint(self, visit_id: int, day: date, filed: str, rng: random.Random) -> Row:
        self.complaints += 1
        created = datetime.fromisoformat(filed)
        resolved = rng.random() < 0.85
        done = created + timedelta(hours=rng.uniform(2, 80))
        stamp = done.strftime("%Y-%m-%d %H:%M:%S.%f") if resolved else None
        due = (created + timedelta(days=3)).strftime("%Y-%m-%d %H:%M:%S.%f")
        return (
            self.complaints,
            f"C{day:%Y%m%d}-{self.complaints:05d}",
            visit_id,
            rng.choice(COMPLAINT_CATEGORIES),
            "generated",
            "+8613800001111",
            "phone",
            "resolved" if resolved else "in_progress",
            "called back" if resolved else "",
            filed,
            stamp or filed,
            due,
            "G01",
            stamp,
        )
