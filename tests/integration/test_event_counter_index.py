"""The journal is found by counter through ``ix_event_counter_kind``, not by a scan.

The queries are the real ones (who holds a counter, its pad, its break, the floor's
holders), caught as they run and explained by each backend's planner over a journal
of 30,000 events that has been analysed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select, text

from lobby.db import Database
from lobby.engine.occupancy import breaks, holder_of, holders
from lobby.engine.presence import pad_presence
from lobby.models import Counter
from lobby.queries.counter_view import counter_overview
from tests.helpers import ManualClock

EVENTS = 30_000
INDEX = "ix_event_counter_kind"


def _fill_journal(db: Database, counters: list[int]) -> None:
    """Append many call events spread over the counters, then analyse the tables."""
    ids = ", ".join(str(c) for c in counters)
    with db.engine.begin() as conn:
        if db.is_postgresql:
            conn.execute(
                text(
                    "INSERT INTO event (at, kind, counter_id, actor, payload) "
                    f"SELECT now(), 'called', (ARRAY[{ids}])[g % {len(counters)} + 1], "
                    "'bench', '{}'::json FROM generate_series(1, :n) AS g"
                ),
                {"n": EVENTS},
            )
            conn.execute(text("ANALYZE"))
        else:
            choices = " ".join(f"WHEN {i} THEN {c}" for i, c in enumerate(counters))
            conn.execute(
                text(
                    "INSERT INTO event (at, kind, counter_id, actor, payload) "
                    "WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < :n) "
                    f"SELECT datetime('now'), 'called', CASE x % {len(counters)} {choices} END, "
                    "'bench', '{}' FROM g"
                ),
                {"n": EVENTS},
            )
            conn.execute(text("ANALYZE"))


def _statements_of(db: Database, read: Any) -> list[tuple[str, Any]]:
    """The SQL (with parameters) that ``read(session)`` sends."""
    caught: list[tuple[str, Any]] = []

    def catch(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        caught.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", catch)
    try:
        with db.read() as session:
            read(session)
    finally:
        event.remove(db.engine, "before_cursor_execute", catch)
    return caught


def _plan(db: Database, statement: str, parameters: Any) -> str:
    prefix = "EXPLAIN " if db.is_postgresql else "EXPLAIN QUERY PLAN "
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(prefix + statement, parameters).all()
    return "\n".join(" ".join(str(part) for part in row) for row in rows)


def test_queries_by_counter_use_the_index(db: Database, clock: ManualClock) -> None:
    with db.read() as session:
        counters = list(session.scalars(select(Counter.id).order_by(Counter.id)))
    _fill_journal(db, counters)
    one = counters[0]
    now = clock.now()
    statements = _statements_of(
        db,
        lambda s: (
            holder_of(s, one),
            pad_presence(s, one, now, now - now),
            breaks(s),
            holders(s),
            counter_overview(s, 1, now),
        ),
    )
    by_counter = [
        (sql, params)
        for sql, params in statements
        if "FROM event" in sql and "counter_id" in sql.split("FROM event", 1)[1]
    ]
    assert len(by_counter) >= 5, statements
    for sql, params in by_counter:
        plan = _plan(db, sql, params)
        assert INDEX in plan, f"{sql}\n{plan}"
        if db.is_postgresql:
            assert "Seq Scan on event" not in plan, f"{sql}\n{plan}"
        else:
            assert "SCAN event" not in plan, f"{sql}\n{plan}"
