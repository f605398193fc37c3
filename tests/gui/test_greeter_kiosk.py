"""A greeter kiosk left unattended acts as its enrolled device, journalled as that device."""

from __future__ import annotations

import stat
from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from devices.printer import open_printer
from lobby.db import Database
from lobby.enrolment import enrol_device, withdraw_device
from lobby.keyfiles import device_file, save_device_key
from lobby.models import Event
from lobby.settings import Settings
from tests.helpers import actor
from ui.common.app import make_app
from ui.greeter.main import GreeterApp, GreeterOptions, bootstrap
from ui.greeter.records import Triage


def enrol(db: Database, code: str, role: str) -> None:
    with db.unit_of_work(actor("M01")) as uow:
        key = enrol_device(uow, code, role)
    save_device_key(str(db.engine.url), key)


@pytest.fixture
def open_kiosk(qtbot: QtBot, db: Database) -> Iterator[Callable[[str], GreeterApp]]:
    make_app(["test"])
    opened: list[GreeterApp] = []

    def _open(device: str) -> GreeterApp:
        options = GreeterOptions(
            idle_lock_s=1, return_after_s=600, printer_check_s=0, unattended=device
        )
        app = bootstrap(Settings(), db, open_printer("none"), options=options)
        app.window.show()
        opened.append(app)
        qtbot.waitUntil(lambda: not app.runner.busy, timeout=20_000)
        return app

    yield _open
    for app in opened:
        app.close()


def issued_by(db: Database) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(Event.actor).where(Event.kind == "issued")))


def test_an_enrolled_kiosk_issues_tickets_as_itself(
    qtbot: QtBot, db: Database, open_kiosk: Callable[[str], GreeterApp]
) -> None:
    enrol(db, "kiosk-1", "kiosk")
    assert stat.S_IMODE(device_file().stat().st_mode) == 0o600  # the key is the owner's only
    app = open_kiosk("kiosk-1")
    window = app.window
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.tiles, timeout=20_000)
    assert not window.header.lock.isVisible()  # nobody to sign in again
    app.controller.issue(Triage(service="cash"))
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.ticket, timeout=20_000)
    assert issued_by(db) == ["kiosk-1"]
    # the idle lock is off: a kiosk is never left on a sign-in page nobody can use
    assert not window.idle.armed


@pytest.mark.parametrize(
    ("setup", "refusal"),
    [
        pytest.param(None, "kiosk-9 has no key on this machine", id="no-key"),
        pytest.param("display", "enrolled as a display, not a kiosk", id="wrong-role"),
        pytest.param("withdrawn", "kiosk-9 is not enrolled", id="withdrawn"),
    ],
)
def test_a_kiosk_without_a_valid_key_stays_on_the_sign_in_page(
    qtbot: QtBot,
    db: Database,
    open_kiosk: Callable[[str], GreeterApp],
    setup: str | None,
    refusal: str,
) -> None:
    if setup is not None:
        enrol(db, "kiosk-9", "kiosk" if setup == "withdrawn" else setup)
    if setup == "withdrawn":
        with db.unit_of_work(actor("M01")) as uow:
            withdraw_device(uow, "kiosk-9")
    app = open_kiosk("kiosk-9")
    window = app.window
    qtbot.waitUntil(lambda: refusal in window.sign_in.error.text(), timeout=20_000)
    assert window.pages.currentWidget() is window.sign_in
    assert app.controller.staff is None
    app.controller.issue(Triage(service="cash"))
    qtbot.waitUntil(lambda: not app.runner.busy, timeout=20_000)
    assert issued_by(db) == []
