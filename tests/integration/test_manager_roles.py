"""Manager work is refused to anyone else, in the core and on the command line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import MetaData, create_engine, select

from lobby import admin, complaints, engine
from lobby.access import Credential, SessionToken
from lobby.audit import AuditQuery, event_kinds, search_journal
from lobby.cli.main import main
from lobby.config import SAMPLE_BRANCH
from lobby.db import Database, UnitOfWork
from lobby.errors import AuthenticationFailed, LobbyError, PermissionDenied
from lobby.manager_auth import check_manager_pin, require_manager
from lobby.reports import build_report
from tests.helpers import actor, device, first_sign_in

Operation = Callable[[UnitOfWork, str], Any]

#: Every manager operation that writes, given a complaint reference.
WRITES: dict[str, Operation] = {
    "follow_up": lambda uow, ref: complaints.follow_up(uow, ref, note="x"),
    "assign": lambda uow, ref: complaints.assign_complaint(uow, ref, "T01"),
    "move": lambda uow, ref: complaints.move_complaint(uow, ref, "in_progress"),
    "note": lambda uow, ref: complaints.add_complaint_note(uow, ref, "x"),
    "legacy_update": lambda uow, ref: engine.update_complaint(uow, ref, status="in_progress"),
    "save_service": lambda uow, _: admin.save_service(
        uow, {"code": "gold", "prefix": "H", "name_zh": "金", "name_en": "Gold"}
    ),
    "retire_service": lambda uow, _: admin.retire_service(uow, "vip"),
    "save_profile": lambda uow, _: admin.save_profile(
        uow, {"code": "cash", "name": "x", "tiers": [["cash"]]}
    ),
    "retire_profile": lambda uow, _: admin.retire_profile(uow, "corporate"),
    "save_counter": lambda uow, _: admin.save_counter(
        uow, {"number": 9, "name_zh": "9", "name_en": "9", "profile": "cash"}
    ),
    "retire_counter": lambda uow, _: admin.retire_counter(uow, 7),
    "add_staff": lambda uow, _: admin.add_staff(uow, "T09", "x", "teller", "1234"),
    "update_staff": lambda uow, _: admin.update_staff(uow, "T01", role="manager"),
    "disable_staff": lambda uow, _: admin.disable_staff(uow, "M01"),
    "enable_staff": lambda uow, _: admin.enable_staff(uow, "T01"),
    "reset_pin": lambda uow, _: admin.reset_pin(uow, "M01", "1234"),
    "priority_rules": lambda uow, _: admin.set_priority_rules(uow, interleave=1),
    "save_notice": lambda uow, _: admin.save_notice(uow, {"key": "k", "zh": "x", "en": "x"}),
    "remove_notice": lambda uow, _: admin.remove_notice(uow, "new-year"),
    "set_hours": lambda uow, _: admin.set_hours(uow, None),
    "import_toml": lambda uow, _: admin.import_toml(uow, SAMPLE_BRANCH.read_text("utf-8")),
    "import_broken_toml": lambda uow, _: admin.import_toml(uow, "not toml ["),
}

Read = Callable[[Any, str, Database, str], Any]
READS: dict[str, Read] = {
    "list_complaints": lambda s, who, db, _: complaints.list_complaints(s, who, db.clock.now()),
    "get_complaint": lambda s, who, db, ref: complaints.get_complaint(s, who, ref, db.clock.now()),
    "list_staff": lambda s, who, db, _: admin.list_staff(s, who, db.clock.now()),
}


def snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to prove a refused action wrote nothing."""
    plain = create_engine(url)
    meta = MetaData()
    meta.reflect(plain)
    with plain.connect() as conn:
        rows = {
            t.name: sorted(map(tuple, conn.execute(select(t))), key=repr)
            for t in meta.sorted_tables
        }
    plain.dispose()
    return rows


@pytest.fixture
def reference(db: Database) -> str:
    with db.unit_of_work(actor("G01")) as uow:
        return engine.file_complaint(uow, category="fees", description="x", contact="13800001111")


@pytest.mark.parametrize("name", list(WRITES))
def test_writes_are_refused_to_non_managers(
    db: Database, db_url: str, reference: str, name: str
) -> None:
    before = snapshot(db_url)
    for who, message in (
        (actor("T01"), "T01 is a teller: only a manager may do this"),
        (actor("G01"), "G01 is a greeter: only a manager may do this"),
    ):
        with pytest.raises(PermissionDenied, match=message), db.unit_of_work(who) as uow:
            WRITES[name](uow, reference)
    # nobody signed in gets no unit of work at all
    with (
        pytest.raises(AuthenticationFailed, match="session has ended"),
        db.unit_of_work(actor("NOBODY")) as uow,
    ):
        WRITES[name](uow, reference)
    assert snapshot(db_url) == before
    try:  # the manager gets past the role check (the change itself may still be refused)
        with db.unit_of_work(actor("M01")) as uow:
            WRITES[name](uow, reference)
    except PermissionDenied:
        pytest.fail(f"a manager was refused {name}")
    except LobbyError:
        pass


@pytest.mark.parametrize("name", list(READS))
def test_reads_are_refused_to_non_managers(db: Database, reference: str, name: str) -> None:
    with db.read() as session:
        for who in ("T01", "G01", "nobody"):
            with pytest.raises(PermissionDenied):
                READS[name](session, who, db, reference)
        READS[name](session, "M01", db, reference)  # a manager may


FIGURE_READS: dict[str, Callable[[Any, Credential, Database], Any]] = {
    "audit": lambda s, who, db: search_journal(s, who, AuditQuery(), db.clock.now()),
    "event_kinds": lambda s, who, db: event_kinds(s, who, db.clock.now()),
}


@pytest.mark.parametrize("name", list(FIGURE_READS))
def test_the_journal_is_read_by_a_signed_in_manager_only(db: Database, name: str) -> None:
    with db.read() as session:
        for who in ("T01", "G01"):
            with pytest.raises(PermissionDenied, match="only a manager may do this"):
                FIGURE_READS[name](session, actor(who), db)
        with pytest.raises(PermissionDenied, match="staff figures are for staff|only a manager"):
            FIGURE_READS[name](session, device("pad-1"), db)
        # a manager's staff id is not enough: their session is
        with pytest.raises(AuthenticationFailed):
            FIGURE_READS[name](session, SessionToken("forged", "M01"), db)
        FIGURE_READS[name](session, actor("M01"), db)


def test_report_per_teller_is_checked_in_the_core(db: Database) -> None:
    with db.unit_of_work(actor("G01")) as uow:
        for _ in range(2):
            engine.issue_ticket(uow, "cash")
    for teller, counter in (("T01", 1), ("T02", 2)):
        with db.unit_of_work(actor(teller)) as uow:
            engine.call_next(uow, counter)
            engine.finish(uow, counter)
    today = db.clock.now().date()

    def report(reader: Credential) -> Any:
        with db.read() as session:
            return build_report(session, today, today, reader=reader, now=db.clock.now())

    assert set(report(actor("M01")).by_teller) == {"T01", "T02"}
    assert set(report(actor("T01")).by_teller) == {"T01"}  # only their own
    assert report(actor("T01")).totals.served == 2  # branch totals name nobody
    with pytest.raises(PermissionDenied, match="staff figures are for staff"):
        report(device("pad-1"))
    with pytest.raises(AuthenticationFailed):
        report(SessionToken("forged", "M01"))


def test_a_disabled_manager_is_refused_at_once(db: Database) -> None:
    with db.unit_of_work(actor("M01")) as uow:
        admin.add_staff(uow, "M02", "Deputy", "manager", "8888")
    with db.unit_of_work(first_sign_in(db, "M02", "8888", "8787")) as uow:
        admin.disable_staff(uow, "M01")
    with pytest.raises(PermissionDenied, match="M01 is not an active"), db.read() as session:
        require_manager(session, "M01")
    with pytest.raises(AuthenticationFailed):
        check_manager_pin(db, "M01", "9999", device="cli")
    with db.read() as session:
        assert require_manager(session, "m02").code == "M02"


def test_pin_check_for_commands(db: Database, db_url: str) -> None:
    before = snapshot(db_url)
    assert check_manager_pin(db, "m01", "9999", device="cli").role == "manager"
    assert snapshot(db_url) == before  # a right PIN writes nothing
    with pytest.raises(PermissionDenied, match="T01 is a teller"):
        check_manager_pin(db, "T01", "1111", device="cli")
    with pytest.raises(AuthenticationFailed, match="wrong staff id or PIN"):
        check_manager_pin(db, "M01", "0000", device="cli")
    assert snapshot(db_url)["event"] != before["event"]  # the failure is journalled


MANAGER_COMMANDS = [
    ["complaints"],
    ["complaint-show", "{ref}"],
    ["complaint-update", "{ref}", "--note", "x"],
    ["config", "export"],
    ["config", "import", str(SAMPLE_BRANCH)],
    ["config", "policy", "--interleave", "1"],
    ["config", "notice", "k", "--zh", "x", "--en", "x"],
    ["config", "notice-remove", "new-year"],
    ["config", "hours", "--clear"],
    ["config", "counter", "1", "--profile", "vip"],
    ["staff", "list"],
    ["staff", "add", "T09", "--name", "x", "--role", "teller", "--new-pin", "1234"],
    ["staff", "disable", "T02"],
    ["staff", "enable", "T02"],
    ["staff", "reset-pin", "T02", "--new-pin", "1234"],
    ["audit"],
]


@pytest.mark.parametrize("argv", MANAGER_COMMANDS, ids=lambda a: "-".join(a[:2]))
def test_a_teller_cannot_run_manager_commands(
    capsys: pytest.CaptureFixture[str], db_url: str, reference: str, argv: list[str]
) -> None:
    before = snapshot(db_url)
    args = [a.replace("{ref}", reference) for a in argv]
    code = main([*args, "--db", db_url, "--staff", "T01", "--pin", "1111"])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert "T01 is a teller: only a manager may do this" in err
    assert snapshot(db_url) == before
