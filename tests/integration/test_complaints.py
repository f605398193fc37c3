"""Complaint follow-up: lifecycle, illegal moves, notes, assignment, the answer clock, filters."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from lobby import engine
from lobby.complaints import (
    ComplaintQuery,
    ComplaintView,
    follow_up,
    get_complaint,
    list_complaints,
    move_complaint,
)
from lobby.db import Database, make_engine
from lobby.errors import InvalidInput, InvalidTransition, NotFound
from lobby.migrate import upgrade
from lobby.models import Complaint, Event
from tests.helpers import ManualClock, actor

SCHEMAS = Path(__file__).resolve().parent.parent / "data" / "schemas"


def file(db: Database, category: str = "waiting", description: str = "waited 50 min") -> str:
    with db.unit_of_work(actor("G01")) as uow:
        return engine.file_complaint(
            uow, category=category, description=description, contact="13800003333"
        )


def view(db: Database, reference: str) -> ComplaintView:
    with db.read() as session:
        return get_complaint(session, "M01", reference, db.clock.now())


def listed(db: Database, **filters: object) -> list[str]:
    with db.read() as session:
        found = list_complaints(session, "M01", db.clock.now(), ComplaintQuery(**filters))  # type: ignore[arg-type]
    return [c.reference for c in found]


def test_a_complaint_goes_new_in_progress_resolved_informed(
    db: Database, clock: ManualClock
) -> None:
    ref = file(db)
    filed = view(db, ref)
    assert (filed.status, filed.assigned_to, filed.allowed) == (
        "new",
        None,
        ("in_progress", "resolved"),
    )
    assert filed.answer_due == filed.created_at + timedelta(days=3)
    assert filed.time_left_s == 3 * 24 * 3600
    assert not filed.overdue
    assert filed.contact_masked == "138****3333"

    clock.advance(minutes=30)
    with db.unit_of_work(actor("M01")) as uow:
        after = follow_up(uow, ref, assign_to="t01", status="in_progress", note="called back")
    assert (after.status, after.assigned_to, after.assigned_name) == (
        "in_progress",
        "T01",
        "柜员一 Teller 1",
    )
    assert [(n.author, n.text) for n in after.notes] == [("M01", "called back")]

    clock.advance(minutes=90)
    with db.unit_of_work(actor("M01")) as uow:
        resolved = move_complaint(
            uow, ref.lower(), "resolved", resolution="apologised, fee refunded"
        )
    assert resolved.resolved_at == clock.now()
    assert resolved.time_to_resolve_s == 2 * 3600

    clock.advance(minutes=10)
    with db.unit_of_work(actor("M01")) as uow:
        done = move_complaint(uow, ref, "informed", channel="phone")
    assert (done.status, done.informed_channel, done.informed_at) == (
        "informed",
        "phone",
        clock.now(),
    )
    assert done.time_left_s is None
    assert not done.overdue
    assert not done.answered_late
    assert done.allowed == ()

    with db.read() as session:
        row = session.scalars(select(Complaint).where(Complaint.reference == ref)).one()
        times = (row.created_at, row.resolved_at, row.informed_at)
        kinds = session.scalars(select(Event.kind).where(Event.kind.like("complaint%"))).all()
        payloads = session.scalars(
            select(Event.payload).where(Event.kind == "complaint_updated").order_by(Event.id)
        ).all()
    # the reports read these columns for the time to resolve
    assert times == (
        filed.created_at,
        resolved.resolved_at,
        done.informed_at,
    )
    assert kinds == ["complaint_filed"] + ["complaint_updated"] * 3
    assert [p["status"] for p in payloads] == ["in_progress", "resolved", "informed"]
    assert payloads[0]["assigned_to"] == "T01"


@pytest.mark.parametrize(
    ("path", "bad", "message"),
    [
        ([], "informed", "is new: it can move to in_progress, resolved"),
        ([("in_progress", "")], "new", "unknown complaint status|can move to resolved"),
        ([("resolved", "fixed")], "resolved", "is resolved: it can move to informed, in_progress"),
        ([("resolved", "fixed"), ("informed", "")], "in_progress", "finished"),
    ],
)
def test_only_allowed_moves(
    db: Database, path: list[tuple[str, str]], bad: str, message: str
) -> None:
    ref = file(db)
    for status, resolution in path:
        with db.unit_of_work(actor("M01")) as uow:
            channel = "sms" if status == "informed" else None
            move_complaint(uow, ref, status, resolution=resolution, channel=channel)
    before = view(db, ref)
    with (
        pytest.raises((InvalidTransition, InvalidInput), match=message),
        db.unit_of_work(actor("M01")) as uow,
    ):
        move_complaint(uow, ref, bad, resolution="x", channel="sms" if bad == "informed" else None)
    assert view(db, ref) == before


def test_resolution_and_channel_are_required_where_they_belong(db: Database) -> None:
    ref = file(db)
    with (
        pytest.raises(InvalidInput, match="needs a resolution"),
        db.unit_of_work(actor("M01")) as uow,
    ):
        move_complaint(uow, ref, "resolved", resolution="   ")
    with (
        pytest.raises(InvalidInput, match="only when the customer is informed"),
        db.unit_of_work(actor("M01")) as uow,
    ):
        move_complaint(uow, ref, "in_progress", channel="phone")
    with db.unit_of_work(actor("M01")) as uow:
        move_complaint(uow, ref, "resolved", resolution="explained the fee")
    with (
        pytest.raises(InvalidInput, match="how the customer was informed"),
        db.unit_of_work(actor("M01")) as uow,
    ):
        move_complaint(uow, ref, "informed")
    with pytest.raises(InvalidInput, match="unknown channel"), db.unit_of_work(actor("M01")) as uow:
        move_complaint(uow, ref, "informed", channel="pigeon")
    # reopened: no longer resolved; resolving again keeps the earlier resolution
    with db.unit_of_work(actor("M01")) as uow:
        assert move_complaint(uow, ref, "in_progress").resolved_at is None
    with db.unit_of_work(actor("M01")) as uow:
        assert move_complaint(uow, ref, "resolved").resolution == "explained the fee"


def test_assign_notes_and_bad_follow_ups(db: Database) -> None:
    ref = file(db)
    with (
        pytest.raises(InvalidInput, match="no active staff member"),
        db.unit_of_work(actor("M01")) as uow,
    ):
        follow_up(uow, ref, assign_to="X99")
    with (
        pytest.raises(InvalidInput, match="nothing to change"),
        db.unit_of_work(actor("M01")) as uow,
    ):
        follow_up(uow, ref)
    with (
        pytest.raises(InvalidInput, match="must not be empty"),
        db.unit_of_work(actor("M01")) as uow,
    ):
        follow_up(uow, ref, note="  ")
    with (
        pytest.raises(NotFound, match="no complaint C1-XXXX"),
        db.unit_of_work(actor("M01")) as uow,
    ):
        follow_up(uow, "c1-xxxx", note="hello")
    with db.unit_of_work(actor("M01")) as uow:
        follow_up(uow, ref, assign_to="T02", note="first")
    with db.unit_of_work(actor("M01")) as uow:
        after = follow_up(uow, ref, unassign=True, note="second")
    assert after.assigned_to is None
    assert [n.text for n in after.notes] == ["first", "second"]
    assert after.status == "new"


def test_answer_deadline_and_overdue(db: Database, clock: ManualClock) -> None:
    late = file(db, description="first")
    clock.advance(minutes=60 * 24 * 2)
    fresh = file(db, description="second")
    clock.advance(minutes=60 * 24 + 1)  # the first is a minute past its three days
    assert view(db, late).overdue
    assert view(db, late).time_left_s == -60
    assert not view(db, fresh).overdue
    assert listed(db, overdue=True) == [late]
    assert listed(db, overdue=False) == [fresh]
    with db.unit_of_work(actor("M01")) as uow:
        move_complaint(uow, late, "resolved", resolution="sorry")
    with db.unit_of_work(actor("M01")) as uow:
        informed = move_complaint(uow, late, "informed", channel="in_person")
    assert informed.answered_late
    assert not informed.overdue
    assert listed(db, overdue=True) == []


def test_filters(db: Database, clock: ManualClock) -> None:
    a = file(db, "waiting", "queue far too long")
    clock.advance(minutes=60 * 24)
    b = file(db, "fees", "charged twice for a transfer")
    clock.advance(minutes=10)
    c = file(db, "staff", "rude at counter 3")
    with db.unit_of_work(actor("M01")) as uow:
        follow_up(uow, b, assign_to="M01", status="in_progress", note="refund requested")
    assert listed(db) == [c, b, a]
    assert listed(db, statuses=("new",)) == [c, a]
    assert listed(db, statuses=("new", "in_progress"), category="fees") == [b]
    assert listed(db, assignee="m01") == [b]
    assert listed(db, assignee="-") == [c, a]
    assert listed(db, text="REFUND") == [b]  # found in a note
    assert listed(db, text="rude") == [c]
    day_two = clock.now() - timedelta(minutes=20)
    assert listed(db, since=day_two) == [c, b]
    assert listed(db, until=day_two) == [a]
    assert listed(db, limit=1) == [c]
    with pytest.raises(InvalidInput, match="unknown complaint status"), db.read() as session:
        list_complaints(session, "M01", clock.now(), ComplaintQuery(statuses=("open",)))
    with pytest.raises(InvalidInput, match="time zone"), db.read() as session:
        list_complaints(
            session, "M01", clock.now(), ComplaintQuery(since=day_two.replace(tzinfo=None))
        )


def test_legacy_update_still_understands_open_and_closed(db: Database) -> None:
    ref = file(db)
    with db.unit_of_work(actor("M01")) as uow:
        engine.update_complaint(uow, ref, status="resolved", resolution="done")
    with db.unit_of_work(actor("M01")) as uow:
        engine.update_complaint(uow, ref, status="closed")
    assert (view(db, ref).status, view(db, ref).informed_channel) == ("informed", "in_person")


def test_upgrade_from_0002_keeps_an_old_complaint(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    shutil.copy(SCHEMAS / "0002_branch_secret.sqlite", path)
    url = f"sqlite:///{path}"
    plain = create_engine(url)
    with plain.begin() as conn:
        before = conn.execute(text("SELECT reference, status, created_at FROM complaint")).all()
        # the stored file holds one open complaint; add a closed one as the old code wrote it
        conn.execute(
            text(
                "INSERT INTO complaint (reference, category, description, wished_follow_up,"
                " status, resolution, created_at, updated_at, answer_due, created_by)"
                " VALUES ('C20261101-0001', 'fees', 'old', 'none', 'closed', 'refunded',"
                " '2026-11-01 02:00:00', '2026-11-02 03:00:00', '2026-11-04 02:00:00', 'M01')"
            )
        )
    plain.dispose()
    assert [status for _, status, _ in before] == ["open"]
    migrated = make_engine(url)
    upgrade(migrated)
    migrated.dispose()
    db = Database.open(url)
    with db.read() as session:
        rows = {c.reference: c for c in session.scalars(select(Complaint))}
        old = rows[before[0][0]]
        assert (old.status, old.assigned_to, old.resolved_at, old.informed_at) == (
            "new",
            None,
            None,
            None,
        )
        closed = rows["C20261101-0001"]
        assert closed.status == "informed"
        assert closed.resolved_at == closed.informed_at == closed.updated_at
        assert closed.resolution == "refunded"
    db.dispose()
