"""A PIN someone else set is changed in the app at sign-in: greeter, teller and manager."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from devices.printer import open_printer
from lobby import admin
from lobby.db import Database
from lobby.models import Event, Staff
from lobby.settings import Settings
from lobby.staff import sign_in
from tests.gui.conftest import Console
from tests.gui.test_manager import Manager
from tests.helpers import actor
from ui.common.app import make_app
from ui.common.pin_change import PinChangeDialog
from ui.greeter.main import GreeterOptions, bootstrap

QUIET = GreeterOptions(idle_lock_s=600, return_after_s=600, printer_check_s=0)


def reset_by_manager(db: Database, code: str, pin: str) -> None:
    with db.unit_of_work(actor("M01")) as uow:
        admin.reset_pin(uow, code, pin)


def must_change(db: Database, code: str) -> bool:
    with db.read() as session:
        return bool(session.scalar(select(Staff.must_change_pin).where(Staff.code == code)))


def pin_changes(db: Database) -> list[tuple[str, dict[str, object]]]:
    with db.read() as session:
        rows = session.execute(
            select(Event.actor, Event.payload).where(Event.kind == "pin_changed")
        )
        return [(who, dict(payload)) for who, payload in rows]


def choose(qtbot: QtBot, dialog: PinChangeDialog, new_pin: str, repeat: str | None = None) -> None:
    qtbot.waitUntil(dialog.isVisible)
    dialog.new_pin.setText(new_pin)
    dialog.repeat.setText(new_pin if repeat is None else repeat)
    dialog.ok_button.click()


@pytest.fixture
def greeter_app(qtbot: QtBot, db: Database) -> Iterator[object]:
    make_app(["test"])
    app = bootstrap(Settings(), db, open_printer("none"), staff="G01", options=QUIET)
    app.window.show()
    yield app
    app.close()


def test_the_greeter_changes_a_reset_pin_at_sign_in(
    qtbot: QtBot, db: Database, greeter_app: object
) -> None:
    reset_by_manager(db, "G01", "1357")
    window, runner = greeter_app.window, greeter_app.runner  # type: ignore[attr-defined]
    settle = lambda: qtbot.waitUntil(lambda: not runner.busy, timeout=20_000)  # noqa: E731
    window.sign_in.staff.setText("G01")
    window.sign_in.pin.setText("1357")
    window.sign_in.button.click()
    settle()
    assert window.pages.currentWidget() is window.sign_in  # nothing before a new PIN
    dialog = window.pin_change
    assert dialog is not None
    assert dialog.staff == "G01"
    choose(qtbot, dialog, "12", "12")
    assert "4 to 8 digits" in dialog.error.text()
    choose(qtbot, dialog, "8642", "8643")
    assert "differ" in dialog.error.text()
    assert dialog.isVisible()
    choose(qtbot, dialog, "8642")
    settle()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.tiles, timeout=20_000)
    assert greeter_app.controller.staff.code == "G01"  # type: ignore[attr-defined]
    assert not must_change(db, "G01")
    assert pin_changes(db) == [("G01", {"staff": "G01", "first": True})]
    assert sign_in(db, "G01", "8642", "greeter", device="test").credential is not None


def test_the_teller_console_changes_a_reset_pin_then_opens_the_counter(
    qtbot: QtBot, db: Database, consoles: list[Console]
) -> None:
    reset_by_manager(db, "T01", "1357")
    console = Console(qtbot, db, 1)
    consoles.append(console)
    console.sign_in("T01", "1357")
    window = console.window
    assert window.pages.currentWidget() is window.sign_in
    assert window.pin_change is not None
    choose(qtbot, window.pin_change, "7531")
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.console, timeout=20_000)
    console.settle()
    assert console.controller.staff.code == "T01"
    assert console.controller.counter == 1
    assert not must_change(db, "T01")
    assert not must_change(db, "T02")  # nobody else's PIN was touched
    assert sign_in(db, "T02", "2222", "teller", device="test").credential is not None


def test_the_manager_app_changes_a_new_managers_pin_at_sign_in(qtbot: QtBot, db: Database) -> None:
    with db.unit_of_work(actor("M01")) as uow:
        admin.add_staff(uow, "M02", "Deputy", "manager", "8888")
    manager = Manager(qtbot, db)
    try:
        manager.sign_in("M02", "8888")
        window = manager.window
        assert window.pages.currentWidget() is window.sign_in
        assert window.pin_change is not None
        window.pin_change.cancel_button.click()  # changing one's mind keeps the old PIN
        assert must_change(db, "M02")
        manager.sign_in("M02", "8888")
        choose(qtbot, window.pin_change, "2580")
        manager.settle()
        qtbot.waitUntil(lambda: window.pages.currentWidget() is not window.sign_in)
        assert window.who.text() == "Deputy (M02)"
        assert not must_change(db, "M02")
        assert ("M02", {"staff": "M02", "first": True}) in pin_changes(db)
    finally:
        manager.close()
