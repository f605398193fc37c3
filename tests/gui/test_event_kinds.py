"""Every journal kind is listed, and every app hears what changes its screens.

One branch day runs every operation of the engine (and the configuration, sign-in
and complaint operations). Around each step the test reads every screen's read
model; after it, each kind the step wrote must be an :class:`EventKind`, and each
screen that now reads differently must be subscribed to at least one of those kinds.
The screens' subscriptions are the ones the apps' controllers use.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby import admin, engine
from lobby.access import Op, authorise, end_session
from lobby.complaints import follow_up, list_complaints, reveal_contact
from lobby.config import SAMPLE_BRANCH, load_branch_config
from lobby.db import Database
from lobby.engine.occupancy import sign_in_at_counter
from lobby.engine.rating_pad import pad_started, pad_stopped
from lobby.enrolment import enrol_device
from lobby.errors import AuthenticationFailed
from lobby.lifecycle.backup import BackupFailed, BackupInfo, make_backup
from lobby.lifecycle.person import erase_person, export_person
from lobby.lifecycle.restore import restore_backup
from lobby.lifecycle.retention import purge
from lobby.models import Event
from lobby.queries.board import board
from lobby.queries.counter_view import counter_overview
from lobby.queries.floor import floor_view
from lobby.queries.service_list import read_service_list
from lobby.seeding import apply_config
from lobby.staff import change_pin, sign_in
from lobby.vocabulary import CONFIG_CHANGES, GROUPS, EventKind
from tests.helpers import ManualClock, actor, device, signed_in
from ui.display import model as display
from ui.greeter import controller as greeter
from ui.manager import controller as manager
from ui.teller import controller as teller

Read = Callable[[Session, datetime], Any]


@dataclasses.dataclass(frozen=True)
class Screen:
    """A screen of an app: what it reads, and the kinds after which it reads again."""

    name: str
    read: Read
    subscribed: frozenset[str]


SCREENS = (
    Screen("greeter tiles", read_service_list, frozenset(greeter.SUBSCRIBED)),
    Screen("teller console 1", lambda s, now: counter_overview(s, 1, now), teller.SUBSCRIBED),
    Screen("teller console 2", lambda s, now: counter_overview(s, 2, now), teller.SUBSCRIBED),
    Screen("hall display", board, display.SUBSCRIBED),
    Screen("manager floor", floor_view, manager.FLOOR_KINDS),
    Screen(
        "manager complaints",
        lambda s, now: list_complaints(s, "M01", now),
        manager.COMPLAINT_KINDS,
    ),
    Screen("manager configuration", lambda s, now: admin.export_config(s), manager.CONFIG_KINDS),
)


def plain(value: Any) -> Any:
    """A read model as comparable data, without the journal position it was read at."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if hasattr(value, "model_dump"):
        value = value.model_dump()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if k != "last_event_id"}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


class Journal:
    """Runs steps, reading every screen around each, and checks what the step wrote."""

    def __init__(self, db: Database, screens: tuple[Screen, ...] = SCREENS) -> None:
        self.db = db
        self.screens = screens
        self.seen: set[str] = set()
        self.last_id = self._last_id()

    def _last_id(self) -> int:
        with self.db.read() as session:
            return max(session.scalars(select(Event.id)).all(), default=0)

    def _read(self) -> dict[str, Any]:
        with self.db.read() as session:
            now = self.db.clock.now()
            return {screen.name: plain(screen.read(session, now)) for screen in self.screens}

    def step(self, what: str, action: Callable[[], object]) -> set[str]:
        """Run ``action`` and check the kinds it journalled against every screen."""
        before = self._read()
        action()
        after = self._read()
        with self.db.read() as session:
            kinds = set(session.scalars(select(Event.kind).where(Event.id > self.last_id)))
        self.last_id = self._last_id()
        unlisted = sorted(kinds - set(EventKind))
        assert not unlisted, f"{what} journalled kinds EventKind does not list: {unlisted}"
        for screen in self.screens:
            if before[screen.name] != after[screen.name]:
                assert kinds & screen.subscribed, (
                    f"{what} changed the {screen.name} but wrote only {sorted(kinds)}, "
                    "none of which it is subscribed to"
                )
        self.seen |= kinds
        return kinds


def uow_step(journal: Journal, who: str, what: str, operation: Callable[[Any], object]) -> None:
    def run() -> None:
        credential = device(who) if who.startswith(("pad-", "rating-")) else actor(who)
        with journal.db.unit_of_work(credential) as uow:
            operation(uow)

    journal.step(what, run)


def failed_sign_in(db: Database, code: str, pin: str) -> None:
    with pytest.raises(AuthenticationFailed):
        sign_in(db, code, pin, "teller", device="counter-2")


def branch_day(journal: Journal, clock: ManualClock, tmp_path: Path) -> None:
    """Every operation once or more, in the order a day might bring them."""
    db = journal.db
    step = lambda actor, what, op: uow_step(journal, actor, what, op)  # noqa: E731
    journal.step("sign in", lambda: sign_in(db, "T01", "1111", "teller", device="counter-1"))
    journal.step("T01 takes counter 1", lambda: sign_in_at_counter(db, "T01", "1111", 1))
    journal.step("T02 takes counter 2", lambda: sign_in_at_counter(db, "T02", "2222", 2))
    journal.step(
        "a manager hands counter 2 to T03",
        lambda: sign_in_at_counter(db, "T03", "3333", 2, manager="M01", manager_pin="9999"),
    )
    step("T03", "T03 signs out", lambda u: engine.sign_out(u, 2))
    step(
        "T01",
        "counter on a break",
        lambda u: engine.set_counter_status(u, 1, "break", reason="lunch"),
    )
    step("T01", "counter open", lambda u: engine.set_counter_status(u, 1, "open"))
    step("T02", "counter closed", lambda u: engine.set_counter_status(u, 2, "closed"))
    step("T02", "counter open again", lambda u: engine.set_counter_status(u, 2, "open"))
    numbers: list[str] = []
    for _ in range(5):
        step("G01", "issue", lambda u: numbers.append(engine.issue_ticket(u, "cash").number))
    clock.advance(minutes=2)
    step("T01", "call next", lambda u: engine.call_next(u, 1))
    step("T01", "recall", lambda u: engine.recall(u, 1))
    step("T01", "start", lambda u: engine.start(u, 1))
    step(
        "T01",
        "confirm details",
        lambda u: engine.confirm_details(u, numbers[0], note="wants coins"),
    )
    step("T01", "finish", lambda u: engine.finish(u, 1))
    step("pad-1", "rating pad starts", lambda u: pad_started(u, 1))
    step("pad-1", "rate", lambda u: engine.rate_visit(u, numbers[0], 5))
    step("pad-1", "rating pad stops", lambda u: pad_stopped(u, 1))
    step("T01", "call a number", lambda u: engine.call_ticket(u, 1, numbers[1]))
    step("T01", "no show", lambda u: engine.no_show(u, 1))
    step("T01", "call back a missed ticket", lambda u: engine.recall_missed(u, 1, numbers[1]))
    step("T01", "no show again", lambda u: engine.no_show(u, 1))
    step("T01", "call next again", lambda u: engine.call_next(u, 1))
    step("T01", "park", lambda u: engine.park(u, 1))
    step("T01", "resume", lambda u: engine.resume(u, 1, numbers[2]))
    step(
        "T01",
        "transfer",
        lambda u: engine.transfer(u, 1, to_service="account", note="needs a new card"),
    )
    step("G01", "cancel", lambda u: engine.cancel(u, numbers[3], reason="left"))
    code: list[str] = []
    step(
        "G01",
        "book an appointment",
        lambda u: code.append(
            engine.book_appointment(u, "account", clock.now() + timedelta(minutes=10))
        ),
    )
    step("G01", "check in", lambda u: engine.check_in_appointment(u, code[0]))
    step("G01", "divert", lambda u: engine.record_diversion(u, "cash"))
    reference: list[str] = []
    step(
        "G01",
        "file a complaint",
        lambda u: reference.append(
            engine.file_complaint(
                u, category="service", description="slow", wished_follow_up="none"
            )
        ),
    )
    step("M01", "update a complaint", lambda u: admin_follow_up(u, reference[0]))
    step("M01", "export a person's data", lambda u: export_person(u, "13800001111"))
    step("M01", "erase a person's data", lambda u: erase_person(u, "13800001111"))
    step("M01", "purge expired personal data", lambda u: purge(u))
    for _ in range(5):  # the fifth wrong PIN locks the account
        journal.step("wrong PIN", lambda: failed_sign_in(db, "T02", "0000"))
    journal.step("unknown staff", lambda: failed_sign_in(db, "X99", "0000"))
    step("M01", "rename a service", rename_cash)
    step("M01", "change a counter's profile", counter_two_serves_accounts)
    step(
        "M01",
        "load the configuration",
        lambda u: (authorise(u, Op.CONFIGURE), apply_config(u, sample_config())),
    )
    access_steps(journal, reference[0], numbers[0])
    clock.advance(minutes=1)
    step("M01", "close the day", lambda u: engine.close_day(u))
    lifecycle(journal, tmp_path)


def access_steps(journal: Journal, reference: str, number: str) -> None:
    """A reprint, a revealed contact, an enrolled device, a PIN change and a sign-out."""
    db = journal.db
    uow_step(journal, "G01", "reprint", lambda u: engine.record_reprint(u, number))
    uow_step(journal, "M01", "reveal", lambda u: reveal_contact(u, reference, "call back"))
    uow_step(journal, "M01", "enrol a device", lambda u: enrol_device(u, "KIOSK1", "kiosk"))
    journal.step("change a PIN", lambda: change_pin(db, "T03", "3333", "4826", device="t"))
    session = signed_in(db, "T03", "4826")

    def sign_out() -> None:
        with db.unit_of_work(session) as uow:
            authorise(uow, Op.SIGN_OUT)
            end_session(uow.session, session, uow.now)
            uow.record(EventKind.SIGNED_OUT, payload={"staff": "T03"})

    journal.step("sign out", sign_out)


def lifecycle(journal: Journal, tmp_path: Path) -> None:
    """A failed backup, a backup and its restore."""
    db = journal.db
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("")

    def failed_backup() -> None:
        with pytest.raises(BackupFailed):
            make_backup(db, not_a_directory, actor="M01")

    journal.step("a backup that cannot be written", failed_backup)
    backed_up_to = journal.last_id
    info: list[BackupInfo] = []
    journal.step("back up", lambda: info.append(make_backup(db, tmp_path / "bk", actor="M01")))
    # the restored journal ends where the copy was taken; its next entry is the restore's
    journal.last_id = backed_up_to
    journal.step(
        "restore", lambda: restore_backup(db, info[0].path, tmp_path / "aside", actor="M01")
    )


def admin_follow_up(uow: Any, reference: str) -> None:
    follow_up(uow, reference, assign_to="M01", note="called back")


def sample_config() -> Any:
    return load_branch_config(SAMPLE_BRANCH)


def rename_cash(uow: Any) -> None:
    cash = next(s for s in admin.export_config(uow.session).services if s.code == "cash")
    admin.save_service(uow, cash.model_copy(update={"name_en": "Cash and coins"}))


def counter_two_serves_accounts(uow: Any) -> None:
    two = next(c for c in admin.export_config(uow.session).counters if c.number == 2)
    admin.save_counter(uow, two.model_copy(update={"profile": "account"}))


@pytest.fixture
def journal(db: Database) -> Journal:
    return Journal(db)


def test_every_kind_is_listed_and_heard_by_every_screen_it_changes(
    journal: Journal, clock: ManualClock, tmp_path: Path
) -> None:
    branch_day(journal, clock, tmp_path)
    # the day wrote every kind the enum lists: no listed kind lacks an operation here
    assert journal.seen == set(EventKind)


def test_every_kind_belongs_to_a_group() -> None:
    grouped = set().union(*GROUPS.values())
    assert grouped == set(EventKind)


def test_an_unlisted_kind_fails_the_check(journal: Journal) -> None:
    def unlisted(uow: Any) -> None:
        authorise(uow, Op.CONFIGURE)
        uow.record(EventKind.ISSUED)
        uow.pending[-1].kind = "ticket_lost"  # as if an operation wrote a new kind

    with pytest.raises(AssertionError, match=r"does not list: \['ticket_lost'\]"):
        uow_step(journal, "M01", "a new operation", unlisted)


def test_a_subscription_missing_a_group_fails_the_check(db: Database) -> None:
    # the greeter as it was: deaf to configuration changes
    deaf = Screen("greeter tiles", read_service_list, greeter.SUBSCRIBED - CONFIG_CHANGES)
    journal = Journal(db, (deaf,))
    with pytest.raises(AssertionError, match="changed the greeter tiles but wrote only"):
        uow_step(journal, "M01", "rename a service", rename_cash)
