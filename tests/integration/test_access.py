"""Every write needs an authenticated actor allowed to do it, in the core and on the CLI."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text

from lobby import complaints, engine
from lobby.access import (
    OPERATION_ROLES,
    DeviceKey,
    Op,
    SessionToken,
    SystemActor,
)
from lobby.cli.main import main
from lobby.db import Database, UnitOfWork
from lobby.enrolment import enrol_device
from lobby.errors import AuthenticationFailed, PermissionDenied
from lobby.models import Event, StaffSession
from lobby.staff import sign_in
from lobby.vocabulary import EventKind
from tests.helpers import ManualClock, actor, as_staff

Write = Callable[[UnitOfWork], Any]

#: Every engine operation that writes: who may, who may not, and the operation (on a
#: queue where A001 waits and A002 is called at counter 2).
WRITES: dict[str, tuple[str, tuple[str, ...], Write]] = {
    "issue": ("G01", ("T01",), lambda uow: engine.issue_ticket(uow, "cash")),
    "book": (
        "G01",
        ("T01",),
        lambda uow: engine.book_appointment(uow, "loans", uow.now + timedelta(hours=1)),
    ),
    "divert": ("G01", ("T01",), lambda uow: engine.record_diversion(uow, "cash")),
    "call": ("T01", ("G01",), lambda uow: engine.call_next(uow, 1)),
    "call_ticket": ("T01", ("G01",), lambda uow: engine.call_ticket(uow, 1, "A001")),
    "counter": ("T01", ("G01",), lambda uow: engine.set_counter_status(uow, 3, "break")),
    "cancel": ("G01", (), lambda uow: engine.cancel(uow, "A001")),
    "complaint": (
        "G01",
        (),
        lambda uow: engine.file_complaint(
            uow, category="fees", description="x", wished_follow_up="none"
        ),
    ),
    "close_day": ("M01", ("G01", "T01"), lambda uow: engine.close_day(uow)),
    "recall": ("T02", ("G01",), lambda uow: engine.recall(uow, 2)),
    "start": ("T02", ("G01",), lambda uow: engine.start(uow, 2)),
    "finish": ("T02", ("G01",), lambda uow: engine.finish(uow, 2)),
    "no_show": ("T02", ("G01",), lambda uow: engine.no_show(uow, 2)),
    "park": ("T02", ("G01",), lambda uow: engine.park(uow, 2)),
    "transfer": (
        "T02",
        ("G01",),
        lambda uow: engine.transfer(uow, 2, to_service="loans", note="n"),
    ),
    "confirm": ("T02", ("G01",), lambda uow: engine.confirm_details(uow, "A002", note="n")),
}


def journal_size(url: str) -> tuple[int, int]:
    plain = create_engine(url)
    with plain.connect() as conn:
        sizes = (
            conn.scalar(select(func.count()).select_from(Event.__table__)) or 0,
            conn.scalar(text("SELECT count(*) FROM ticket")) or 0,
        )
    plain.dispose()
    return sizes


@pytest.fixture
def queue(db: Database) -> Database:
    """A001 waiting, A002 called at counter 2."""
    with db.unit_of_work(actor("G01")) as uow:
        engine.issue_ticket(uow, "cash")
        engine.issue_ticket(uow, "cash")
    with db.unit_of_work(actor("T02")) as uow:
        engine.call_ticket(uow, 2, "A002")
    return db


def test_the_table_names_every_operation() -> None:
    assert set(OPERATION_ROLES) == set(Op)
    assert OPERATION_ROLES[Op.CLOSE_DAY] == {"manager"}
    assert "display" not in set().union(*OPERATION_ROLES.values())  # a display never writes


@pytest.mark.parametrize("name", list(WRITES))
def test_every_write_is_refused_without_a_valid_actor(
    queue: Database, db_url: str, name: str
) -> None:
    allowed, refused, write = WRITES[name]
    before = journal_size(db_url)
    for bad in (SessionToken("made-up"), DeviceKey("KIOSK9", "guess")):
        with pytest.raises(AuthenticationFailed), queue.unit_of_work(bad) as uow:
            write(uow)
    wrong = [actor(code) for code in refused] + [SystemActor("no one")]
    for credential in wrong:
        with pytest.raises(PermissionDenied), queue.unit_of_work(credential) as uow:
            write(uow)
    assert journal_size(db_url) == before
    with queue.unit_of_work(actor(allowed)) as uow:  # the right role gets through
        write(uow)
    assert journal_size(db_url)[0] > before[0]


def test_an_expired_or_ended_session_and_a_disabled_member_are_refused(
    db: Database, clock: ManualClock
) -> None:
    mine = sign_in(db, "T01", "1111", "teller", device="counter-1").credential
    assert isinstance(mine, SessionToken)
    with db.unit_of_work(mine) as uow:
        assert uow.actor == "T01"
    clock.advance(minutes=12 * 60 + 1)
    with pytest.raises(AuthenticationFailed, match="session has expired"), db.unit_of_work(mine):
        pass
    with db.transaction() as session:
        session.execute(StaffSession.__table__.update().values(ended_at=clock.now()))
    with (
        pytest.raises(AuthenticationFailed, match="session has ended"),
        db.unit_of_work(actor("T02")),
    ):
        pass


def test_a_write_that_authorises_nothing_is_not_journalled(db: Database, db_url: str) -> None:
    before = journal_size(db_url)
    with (
        pytest.raises(PermissionDenied, match="without an operation"),
        db.unit_of_work(actor("M01")) as uow,
    ):
        uow.record(EventKind.DAY_CLOSED, payload={})
    assert journal_size(db_url) == before


def test_a_kiosk_acts_with_its_device_key_and_only_as_a_kiosk(db: Database) -> None:
    with db.unit_of_work(actor("M01")) as uow:
        key = enrol_device(uow, "KIOSK1", "kiosk")
    with db.unit_of_work(key) as uow:
        ticket = engine.issue_ticket(uow, "cash")
    with pytest.raises(PermissionDenied, match="KIOSK1 is a kiosk"), db.unit_of_work(key) as uow:
        engine.call_next(uow, 1)
    with db.read() as session:
        who = session.scalar(select(Event.actor).where(Event.ticket_id == ticket.id))
    assert who == "KIOSK1"
    with db.unit_of_work(actor("M01")) as uow:
        enrol_device(uow, "KIOSK1", "kiosk")  # re-enrolled: the old key stops working
    with pytest.raises(AuthenticationFailed, match="not enrolled"), db.unit_of_work(key):
        pass
    with pytest.raises(PermissionDenied), db.unit_of_work(actor("T01")) as uow:
        enrol_device(uow, "KIOSK2", "kiosk")


def test_a_reveal_is_journalled_with_who_and_why(db: Database) -> None:
    with db.unit_of_work(actor("G01")) as uow:
        ref = engine.file_complaint(uow, category="fees", description="x", contact="13800001111")
    with db.read() as session:
        shown = complaints.get_complaint(session, "M01", ref, db.clock.now())
    assert (shown.contact, shown.contact_masked) == (None, "138****1111")
    with pytest.raises(PermissionDenied), db.unit_of_work(actor("T01")) as uow:
        complaints.reveal_contact(uow, ref, "call back")
    with db.unit_of_work(actor("M01")) as uow:
        assert complaints.reveal_contact(uow, ref, "asked for a call") == "+8613800001111"
    with db.read() as session:
        event = session.execute(
            select(Event.actor, Event.payload).where(Event.kind == "contact_revealed")
        ).one()
    assert event.actor == "M01"
    assert event.payload == {"reference": ref, "why": "asked for a call"}


# --- the command line ---------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


CLI_WRITES = [
    ["issue", "cash"],
    ["call", "--counter", "1"],
    ["finish", "--counter", "1"],
    ["cancel", "--ticket", "A001"],
    ["rate", "--ticket", "A001", "--score", "5"],
    ["confirm", "--ticket", "A001", "--note", "x"],
    ["counter", "--counter", "3", "closed"],
    ["close-day"],
    ["print", "A001", "--printer", "png://{dir}"],
    ["complaint", "--description", "x", "--follow-up", "none"],
    ["appointment", "loans", "--at", "2026-11-23T15:00+08:00"],
    ["events"],
    ["report"],
]


@pytest.mark.parametrize("argv", CLI_WRITES, ids=lambda a: a[0])
def test_cli_refuses_a_command_without_credentials(
    capsys: pytest.CaptureFixture[str], db: Database, db_url: str, argv: list[str], tmp_path: Path
) -> None:
    with db.unit_of_work(actor("G01")) as uow:
        engine.issue_ticket(uow, "cash")
    argv = [a.replace("{dir}", str(tmp_path)) for a in argv]
    before = journal_size(db_url)
    for extra in ([], ["--staff", "T02"], ["--staff", "T02", "--pin", "0000"]):
        code, out, err = run(capsys, *argv, "--db", db_url, *extra)
        assert (code, out) == (2, "")
        assert err.count("\n") == 1
    assert journal_size(db_url)[1] == before[1]
    # only the wrong PIN is journalled
    assert journal_size(db_url)[0] == before[0] + 1


def test_finish_as_another_teller_without_their_pin_writes_nothing(
    capsys: pytest.CaptureFixture[str], db: Database, db_url: str
) -> None:
    with db.unit_of_work(actor("G01")) as uow:
        engine.issue_ticket(uow, "cash")
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)
    before = journal_size(db_url)
    code, out, err = run(capsys, "finish", "--counter", "1", "--staff", "T02", "--db", db_url)
    assert (code, out) == (2, "")
    assert "--staff T02 needs its PIN" in err
    assert journal_size(db_url) == before


def test_sign_in_keeps_an_owner_only_session_until_it_expires(
    capsys: pytest.CaptureFixture[str],
    db: Database,
    db_url: str,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("LOBBY_NOW", clock.now().isoformat())
    code, out, _ = run(capsys, "sign-in", "--db", db_url, "--json", *as_staff("G01"))
    assert code == 0
    session_file = tmp_path / "xdg-config" / "lobby" / "session.json"
    assert stat.S_IMODE(session_file.stat().st_mode) == 0o600
    assert "2468" not in session_file.read_text()
    code, out, _ = run(capsys, "issue", "cash", "--db", db_url, "--json")
    assert code == 0
    with db.read() as session:
        who = session.scalar(select(Event.actor).where(Event.kind == "issued"))
    assert who == "G01"
    code, _, err = run(capsys, "call", "--counter", "1", "--db", db_url)
    assert code == 2
    assert "G01 is a greeter" in err  # the session holds a greeter, not a teller
    monkeypatch.setenv("LOBBY_NOW", (clock.now() + timedelta(hours=9)).isoformat())
    code, _, err = run(capsys, "issue", "cash", "--db", db_url)
    assert code == 2
    assert "session has expired" in err


def test_sign_out_ends_the_session(
    capsys: pytest.CaptureFixture[str],
    db_url: str,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LOBBY_NOW", clock.now().isoformat())
    assert run(capsys, "sign-in", "--db", db_url, *as_staff("T01"))[0] == 0
    assert run(capsys, "sign-out", "--db", db_url)[0] == 0
    code, _, err = run(capsys, "call", "--counter", "1", "--db", db_url)
    assert code == 2
    assert "needs a signed-in actor" in err


def test_an_enrolled_kiosk_issues_on_its_own(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    code, out, _ = run(
        capsys, "device-enrol", "KIOSK1", "--role", "kiosk", "--db", db_url, "--json",
        *as_staff("M01"),
    )  # fmt: skip
    assert code == 0
    key_file = Path(json.loads(out)["key_file"])
    assert key_file.parent == tmp_path / "xdg-config" / "lobby"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    code, out, _ = run(capsys, "issue", "cash", "--db", db_url, "--json")
    assert code == 0
    code, out, _ = run(capsys, "events", "--db", db_url, "--json", *as_staff("M01"))
    assert [json.loads(line)["actor"] for line in out.splitlines()][-1] == "KIOSK1"
    code, _, err = run(capsys, "call", "--counter", "1", "--db", db_url)
    assert code == 2
    assert "KIOSK1 is a kiosk" in err


def test_a_teller_reads_only_their_own_journal(
    capsys: pytest.CaptureFixture[str], db: Database, db_url: str
) -> None:
    with db.unit_of_work(actor("G01")) as uow:
        engine.issue_ticket(uow, "cash")
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_next(uow, 1)
    code, out, _ = run(capsys, "events", "--db", db_url, "--json", *as_staff("T01"))
    assert code == 0
    assert {json.loads(line)["actor"] for line in out.splitlines()} == {"T01"}


def test_complaint_show_reveals_only_when_asked_and_journals_it(
    capsys: pytest.CaptureFixture[str], db: Database, db_url: str
) -> None:
    with db.unit_of_work(actor("G01")) as uow:
        ref = engine.file_complaint(uow, category="fees", description="x", contact="13800001111")
    code, out, _ = run(capsys, "complaint-show", ref, "--db", db_url, *as_staff("M01"))
    assert code == 0
    assert "138****1111" in out
    assert "13800001111" not in out
    code, out, _ = run(
        capsys, "complaint-show", ref, "--reveal", "asked for a call", "--db", db_url,
        *as_staff("M01"),
    )  # fmt: skip
    assert code == 0
    assert "+8613800001111" in out
    with db.read() as session:
        kinds = list(session.scalars(select(Event.kind).order_by(Event.id)))
    assert kinds[-1] == "contact_revealed"
