"""Helpers for the Qt app tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from lobby.db import Database
from lobby.settings import Settings
from tests.helpers import ManualClock
from ui.common.app import make_app
from ui.common.collector import collect_on_gui_thread
from ui.teller.main import bootstrap
from ui.teller.window import TellerWindow


@pytest.fixture(scope="session", autouse=True)
def _collect_on_gui_thread(qapp: QApplication) -> None:
    """The apps collect garbage cycles on the GUI thread only (``make_app``); so do the tests."""
    collect_on_gui_thread(qapp)


class Console:
    """A teller console under test, with helpers that wait for its background work."""

    def __init__(self, qtbot: QtBot, db: Database, counter: int) -> None:
        self.qtbot = qtbot
        self.app = bootstrap(Settings(), db, counter=counter)
        self.window, self.feed, self.runner = self.app.window, self.app.feed, self.app.runner
        qtbot.addWidget(self.window)
        self.window.show()

    @property
    def controller(self):  # type: ignore[no-untyped-def]
        return self.window.controller

    def settle(self) -> None:
        self.qtbot.waitUntil(lambda: not self.runner.busy, timeout=20_000)

    def sign_in(self, staff: str, pin: str) -> None:
        page = self.window.sign_in
        page.staff.setText(staff)
        page.pin.setText(pin)
        page.button.click()
        self.settle()

    def press(self, action: str) -> None:
        button = self.window.console.buttons[action]
        assert button.isEnabled(), f"{action} is disabled"
        button.click()
        self.settle()

    @property
    def number(self) -> str:
        return self.window.console.number.text()

    @property
    def notice(self) -> str:
        return self.window.console.notice.text()

    def close(self) -> None:
        self.window.close()
        self.feed.stop()
        self.runner.wait()


@pytest.fixture
def consoles(qtbot: QtBot, db: Database) -> Iterator[list[Console]]:
    """Factory list: ``consoles.append(Console(...))`` is done by ``open_console``."""
    make_app(["test"])
    opened: list[Console] = []
    yield opened
    for console in opened:
        console.close()


@pytest.fixture
def open_console(qtbot: QtBot, db: Database, consoles: list[Console]):  # type: ignore[no-untyped-def]
    def _open(counter: int, staff: str = "T01", pin: str = "1111") -> Console:
        console = Console(qtbot, db, counter)
        consoles.append(console)
        console.sign_in(staff, pin)
        return console

    return _open


__all__ = ["Console", "ManualClock", "TellerWindow"]
