"""The journal's hash chain: intact after real work, broken by any edit behind the engine's back."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from lobby import engine
from lobby.cli.main import main
from lobby.db import Database, make_engine
from lobby.journal import event_digest, verify_chain
from lobby.migrate import upgrade
from tests.helpers import ManualClock, actor, behind_the_engines_back, device

STORED = Path(__file__).resolve().parent.parent / "data" / "schemas"
PHONE = "13812345678"
NOTE = "needs a wheelchair ramp"


def a_day(db: Database, clock: ManualClock) -> None:
    """Issue, serve, transfer, park, cancel and rate, with personal data wherever it fits."""
    with db.unit_of_work(actor("G01")) as uow:
        first = engine.issue_ticket(uow, "cash", category="elderly", phone=PHONE, note=NOTE)
        second = engine.issue_ticket(uow, "cash", note="Mr Wang, account 6222")
        third = engine.issue_ticket(uow, "cash")
    clock.advance(minutes=3)
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)
        engine.confirm_details(uow, first.number, note="Mrs Li, brought passport", phone=PHONE)
        engine.finish(uow, 1, outcome="follow_up", follow_up="call Mrs Li on 13800002222")
        engine.call_ticket(uow, 1, second.number)
        engine.park(uow, 1, note="Mr Wang fills in the form")
        engine.call_ticket(uow, 1, third.number)
        engine.transfer(uow, 1, to_service="loans", note="Mr Zhao wants a mortgage")
        engine.cancel(uow, second.number, reason="Mr Wang had to leave")
        engine.file_complaint(
            uow, category="waiting", description="Mrs Li waited long", contact="13800001111"
        )
    with db.unit_of_work(device("pad-1")) as uow:
        engine.rate_visit(uow, first.number, 5)


def raw(url: str, sql: str) -> None:
    behind_the_engines_back(url, sql)


def check(db: Database) -> tuple[bool, int | None, str | None]:
    with db.read() as session:
        report = verify_chain(session)
    return report.intact, report.first_bad_id, report.problem


def event_ids(db: Database) -> list[int]:
    with db.read() as session:
        return list(session.scalars(text("SELECT id FROM event ORDER BY id")))


def test_a_day_of_work_keeps_the_chain_intact(
    db: Database, clock: ManualClock, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    a_day(db, clock)
    with db.read() as session:
        report = verify_chain(session, batch=3)  # several round trips
    assert report.intact
    assert report.checked == len(event_ids(db)) > 10
    assert main(["audit", "verify", "--db", db_url]) == 0
    assert "journal intact" in capsys.readouterr().out


def test_an_edited_event_is_named(
    db: Database, clock: ManualClock, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    a_day(db, clock)
    victim = event_ids(db)[-5]
    raw(db_url, f"UPDATE event SET actor = 'T02' WHERE id = {victim}")
    assert check(db) == (False, victim, "edited")
    assert main(["audit", "verify", "--db", db_url, "--json"]) == 1
    out, err = capsys.readouterr()
    assert json.loads(out)["first_bad_id"] == victim
    assert f"event #{victim} was edited" in err
    assert err.count("\n") == 1


def test_a_deleted_event_is_found_at_the_next_one(
    db: Database, clock: ManualClock, db_url: str
) -> None:
    a_day(db, clock)
    ids = event_ids(db)
    raw(db_url, f"DELETE FROM event WHERE id = {ids[4]}")
    assert check(db) == (False, ids[5], "deleted")


def test_deleting_the_newest_events_is_named(
    db: Database, clock: ManualClock, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    a_day(db, clock)
    ids = event_ids(db)
    raw(db_url, f"DELETE FROM event WHERE id = {ids[-1]}")
    assert check(db) == (False, ids[-1], "deleted")
    assert main(["audit", "verify", "--db", db_url]) == 1
    err = capsys.readouterr().err
    assert f"the newest events after #{ids[-2]} were deleted" in err
    assert f"records #{ids[-1]}" in err
    raw(db_url, f"DELETE FROM event WHERE id >= {ids[-3]}")  # the last three
    assert check(db) == (False, ids[-1], "deleted")


def test_events_appended_with_forged_hashes_are_named(
    db: Database, clock: ManualClock, db_url: str
) -> None:
    a_day(db, clock)
    with db.read() as session:
        last = session.execute(text("SELECT hash FROM event ORDER BY id DESC LIMIT 1")).scalar_one()
    at = datetime(2026, 11, 23, 2, 30, tzinfo=UTC)
    forged = event_digest(last, at, "finished", None, None, "T02", {})
    raw(
        db_url,
        "INSERT INTO event (at, kind, actor, payload, prev_hash, hash) "
        f"VALUES ('2026-11-23 02:30:00', 'finished', 'T02', '{{}}', '{last}', '{forged}')",
    )
    assert check(db) == (False, event_ids(db)[-1], "inserted")


def test_the_database_refuses_to_update_or_delete_events(
    db: Database, clock: ManualClock, db_url: str
) -> None:
    a_day(db, clock)
    before = event_ids(db)
    plain = create_engine(db_url)
    try:
        for statement in (
            f"UPDATE event SET actor = 'T02' WHERE id = {before[3]}",
            f"DELETE FROM event WHERE id = {before[-1]}",
            "DELETE FROM event",
        ):
            with pytest.raises(DBAPIError, match="append-only"), plain.begin() as conn:
                conn.execute(text(statement))
        if db.is_postgresql:
            with pytest.raises(DBAPIError, match="append-only"), plain.begin() as conn:
                conn.execute(text("TRUNCATE event CASCADE"))
    finally:
        plain.dispose()
    assert event_ids(db) == before
    assert check(db) == (True, None, None)
    # the engine still appends, and the head follows
    with db.unit_of_work(actor("G01")) as uow:
        engine.issue_ticket(uow, "cash")
    with db.read() as session:
        report = verify_chain(session)
    assert report.intact
    assert report.checked == len(before) + 1


def test_an_inserted_event_is_named(db: Database, clock: ManualClock, db_url: str) -> None:
    a_day(db, clock)
    raw(
        db_url,
        "INSERT INTO event (at, kind, actor, payload) "
        "VALUES ('2026-11-23 02:30:00', 'finished', 'T01', '{}')",
    )
    inserted = event_ids(db)[-1]
    assert check(db) == (False, inserted, "inserted")
    # the engine's next event chains on; the forged one stays named
    with db.unit_of_work(actor("G01")) as uow:
        engine.issue_ticket(uow, "cash")
    assert check(db)[1] == inserted


def test_payloads_hold_no_personal_data(db: Database, clock: ManualClock, db_url: str) -> None:
    a_day(db, clock)
    with db.read() as session:
        payloads = [
            json.dumps(p, ensure_ascii=False)
            for p in session.scalars(text("SELECT payload FROM event"))
        ]
    everything = "\n".join(payloads)
    for personal in (PHONE, "5678", "2222", "1111", "Li", "Wang", "Zhao", "wheelchair", "6222"):
        assert personal not in everything
    # what the teller needs is still kept, on the rows a purge can erase
    with db.read() as session:
        remarks = set(session.scalars(text("SELECT remark FROM ticket WHERE remark IS NOT NULL")))
    assert remarks == {"Mr Wang had to leave"}


def test_upgrading_a_stored_database_chains_its_events(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    shutil.copy(STORED / "0004_report_indexes.sqlite", path)
    url = f"sqlite:///{path}"
    eng = make_engine(url)
    upgrade(eng)
    eng.dispose()
    db = Database.open(url)
    try:
        intact, _, _ = check(db)
        assert intact
        assert len(event_ids(db)) > 5
    finally:
        db.dispose()
