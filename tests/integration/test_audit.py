"""The audit view: the journal filtered by actor, ticket, counter, kind and time, paged."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lobby import admin, engine
from lobby.audit import AuditQuery, event_kinds, search_journal
from lobby.db import Database
from lobby.errors import InvalidInput
from lobby.views import EventView
from tests.helpers import ManualClock, actor


def search(db: Database, **filters: object) -> list[EventView]:
    with db.read() as session:
        return list(search_journal(session, actor("M01"), AuditQuery(**filters)).events)  # type: ignore[arg-type]


def a_morning(db: Database, clock: ManualClock) -> None:
    """Two tickets at two counters, then a configuration change."""
    with db.unit_of_work(actor("G01")) as uow:
        engine.issue_ticket(uow, "cash")  # A001
        engine.issue_ticket(uow, "account")  # B001
    clock.advance(minutes=5)
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)  # A001 at counter 1
    with db.unit_of_work(actor("T02")) as uow:
        engine.call_next(uow, 4)  # B001 at counter 4
    clock.advance(minutes=5)
    with db.unit_of_work(actor("T01")) as uow:
        engine.finish(uow, 1)
    clock.advance(minutes=5)
    with db.unit_of_work(actor("M01")) as uow:
        admin.disable_staff(uow, "T03")


def test_filters(db: Database, clock: ManualClock) -> None:
    start = clock.now()
    a_morning(db, clock)
    everything = search(db)[:6]
    assert [e.kind for e in everything] == [
        "config_changed",
        "finished",
        "called",
        "called",
        "issued",
        "issued",
    ]
    assert everything == sorted(everything, key=lambda e: -e.id)  # newest first
    assert [e.kind for e in search(db, actor="t01")] == ["finished", "called"]
    assert [(e.kind, e.counter) for e in search(db, ticket="a001")] == [
        ("finished", 1),
        ("called", 1),
        ("issued", None),
    ]
    assert [(e.kind, e.ticket) for e in search(db, counter=4)] == [("called", "B001")]
    assert [e.actor for e in search(db, kinds=("config_changed",))] == ["M01"]
    assert search(db, kinds=("config_changed",))[0].payload["what"] == "staff T03"
    called = search(db, since=start + timedelta(minutes=5), until=start + timedelta(minutes=10))
    assert [(e.kind, e.ticket) for e in called] == [("called", "B001"), ("called", "A001")]
    assert search(db, actor="T01", counter=4) == []
    with db.read() as session:
        assert {"issued", "called", "finished", "config_changed"} <= set(
            event_kinds(session, actor("M01"))
        )


def test_paging(db: Database, clock: ManualClock) -> None:
    a_morning(db, clock)
    seen: list[int] = []
    before: int | None = None
    while True:
        with db.read() as session:
            page = search_journal(session, actor("M01"), AuditQuery(page_size=2, before_id=before))
        assert len(page.events) <= 2
        seen += [e.id for e in page.events]
        if page.next_before_id is None:
            break
        before = page.next_before_id
    assert seen == sorted({e.id for e in search(db, page_size=500)}, reverse=True)
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"page_size": 0}, "1 to 500"),
        ({"page_size": 501}, "1 to 500"),
        ({"since": "naive"}, "time zone"),
        ({"since": "late", "until": "early"}, "ends before it starts"),
    ],
)
def test_bad_queries(
    db: Database, clock: ManualClock, filters: dict[str, object], message: str
) -> None:
    times = {
        "naive": clock.now().replace(tzinfo=None),
        "late": clock.now(),
        "early": clock.now() - timedelta(hours=1),
    }
    resolved = {k: times.get(v, v) if isinstance(v, str) else v for k, v in filters.items()}
    with pytest.raises(InvalidInput, match=message):
        search(db, **resolved)
