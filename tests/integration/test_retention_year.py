"""A year of history purged: personal data gone, every report figure as before.

The year comes from the report benchmark's generator (``tests/bench/year_data.py``) at
120 visits a day instead of 2,750, so it fits a CI run; phone numbers, notes,
follow-ups, rating comments, appointments and complaint contacts are added to it.
Reports are compared three ways: from the rollups kept before the purge, from the
tickets themselves, and from rollups built again after the purge.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select

from lobby.db import Database
from lobby.journal import events_after
from lobby.lifecycle.integrity import database_problems
from lobby.lifecycle.retention import purge
from lobby.models_reports import ReportDay, ReportGroupDay
from lobby.reports import build_report, roll_up_days
from tests.bench import year_data
from tests.helpers import ManualClock, actor

pytestmark = pytest.mark.slow

FIRST, LAST = year_data.FIRST_DAY, year_data.LAST_DAY
#: 15 February 2026, 10:00 in Shanghai: the whole of 2025's visits are past 30 days.
PURGE_AT = datetime(2026, 2, 15, 2, 0, tzinfo=UTC)


def _add_personal_data(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE visit SET phone = '+86138' || printf('%08d', id), note = 'note ' || id")
    conn.execute("UPDATE ticket SET follow_up = 'call back' WHERE outcome = 'done' AND id % 7 = 0")
    conn.execute("UPDATE rating SET comment = 'kind staff' WHERE id % 3 = 0")
    loans = conn.execute("SELECT id FROM service WHERE code = 'loans'").fetchone()[0]
    conn.executemany(
        "INSERT INTO appointment (code, service_id, due_at, customer, phone, status)"
        " VALUES (?, ?, ?, ?, ?, 'checked_in')",
        [
            (f"D{n:05d}", loans, f"{FIRST + timedelta(days=n * 7)} 02:30:00.000000",
             f"Customer {n}", f"+86139{n:08d}")
            for n in range(52)
        ],
    )  # fmt: skip
    conn.commit()
    conn.close()


def _reports(db: Database) -> tuple[dict[str, Any], dict[str, Any]]:
    with db.read() as session:
        rolled = build_report(session, FIRST, LAST, reader=actor("M01"), now=PURGE_AT).to_json()
        raw = build_report(
            session, FIRST, LAST, reader=actor("M01"), now=PURGE_AT, use_rollups=False
        ).to_json()
    return rolled, raw


def _counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    queries = {
        "visits with phone or note": "SELECT count(*) FROM visit"
        " WHERE phone IS NOT NULL OR note != ''",
        "tickets with notes": "SELECT count(*) FROM ticket WHERE follow_up IS NOT NULL"
        " OR transfer_note IS NOT NULL",
        "rating comments": "SELECT count(*) FROM rating WHERE comment != ''",
        "appointments with name or phone": "SELECT count(*) FROM appointment"
        " WHERE customer != '' OR phone IS NOT NULL",
        "complaints with contact or text": "SELECT count(*) FROM complaint"
        " WHERE contact IS NOT NULL OR description != ''",
    }  # fmt: skip
    counts = {name: conn.execute(sql).fetchone()[0] for name, sql in queries.items()}
    conn.close()
    return counts


def test_a_purged_year_reports_the_same_figures(
    sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(year_data, "VISITS_PER_DAY", 120)
    path = tmp_path / "year.db"
    shutil.copy(sqlite_template, path)
    tickets, visits, ratings, complaints = year_data.fill_sqlite(path)
    _add_personal_data(path)
    clock = ManualClock(PURGE_AT)
    db = Database.open(f"sqlite:///{path}", clock=clock)
    try:
        with db.transaction() as session:
            roll_up_days(session, year_data._days(), "Asia/Shanghai", PURGE_AT)
        before_rolled, before_raw = _reports(db)
        assert before_rolled == before_raw
        held = _counts(path)
        with db.read() as session:
            journal_before = events_after(session, 0, limit=100_000)

        started = time.perf_counter()
        with db.unit_of_work(actor("M01")) as uow:
            erased = purge(uow)
        purge_s = time.perf_counter() - started

        left = _counts(path)
        after_rolled, after_raw = _reports(db)
        with db.transaction() as session:
            session.execute(delete(ReportGroupDay))
            session.execute(delete(ReportDay))
            roll_up_days(session, year_data._days(), "Asia/Shanghai", PURGE_AT)
        rebuilt, _ = _reports(db)
        with db.read() as session:
            journal = events_after(session, 0, limit=100_000)
            assert session.scalar(select(ReportDay.business_day).limit(1)) is not None
        problems = database_problems(db)
    finally:
        db.dispose()

    print(
        f"\nyear {FIRST}..{LAST}: {visits} visits, {tickets} tickets, {ratings} ratings, "
        f"{complaints} complaints; held before: {held}; erased: {erased.to_json()}; "
        f"left: {left}; purge took {purge_s:.2f} s; totals: issued "
        f"{before_rolled['totals']['issued']}, served {before_rolled['totals']['served']}, "
        f"mean wait {before_rolled['totals']['avg_wait_s']} s, p90 "
        f"{before_rolled['totals']['p90_wait_s']} s, ratings {before_rolled['ratings']} "
        f"(avg {before_rolled['avg_rating']}), complaints {before_rolled['complaints']}"
    )
    assert after_rolled == before_rolled
    assert after_raw == before_raw
    assert rebuilt == before_rolled
    assert erased.visits == visits
    assert left["visits with phone or note"] == 0
    assert left["tickets with notes"] == 0
    assert left["rating comments"] == 0
    # appointments due from 17 November 2025 on, and complaints closed in the last
    # 365 closed days, are kept
    due_kept = sum(1 for n in range(52) if FIRST + timedelta(days=n * 7) >= date(2025, 11, 17))
    assert left["appointments with name or phone"] == due_kept
    assert 0 < left["complaints with contact or text"] < held["complaints with contact or text"]
    assert journal[:-1] == journal_before
    assert journal[-1].kind == "personal_data_purged"
    assert problems == []
