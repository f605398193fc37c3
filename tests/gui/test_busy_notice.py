"""While a write waits for a busy SQLite database, the app says so instead of failing.

Another program holds SQLite's write lock (as a backup or a long manager action
would); the greeter's ticket waits, the app shows "busy, retrying" in Chinese and
English, and once the lock is let go the ticket is issued and printed and the
notice goes away.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from lobby.db import Database
from tests.gui.test_greeter import Greeter, pictures, tickets
from tests.helpers import ManualClock
from tests.printer_endpoint import PrinterEndpoint
from ui.common.app import make_app
from ui.common.busy_notice import BusyNotice, watch_busy


@pytest.fixture
def busy_db(sqlite_template: Path, tmp_path: Path) -> Iterator[tuple[Database, str]]:
    """The sample branch on SQLite; SQLite itself waits only 50 ms before Lobby's retry."""
    path = tmp_path / "lobby.db"
    shutil.copy(sqlite_template, path)
    db = Database.open(f"sqlite:///{path}", clock=ManualClock(), busy_timeout_ms=50)
    yield db, str(path)
    db.dispose()


def test_a_greeter_waiting_for_the_write_lock_shows_busy_retrying_then_issues(
    qtbot: QtBot, busy_db: tuple[Database, str]
) -> None:
    db, path = busy_db
    make_app(["test"])
    with PrinterEndpoint() as printer:
        greeter = Greeter(qtbot, db, printer.uri)
        try:
            notice = watch_busy(greeter.window, db, greeter.app.runner)
            greeter.settle()
            greeter.sign_in()
            assert not notice.isVisible()
            window = greeter.window
            window.language.use("en")

            holder = sqlite3.connect(path, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")  # another program's write lock
            try:
                greeter.tap(window.tiles.tiles["wealth"])
                greeter.tap(window.details.confirm_button)
                qtbot.waitUntil(notice.isVisible, timeout=20_000)
                assert "database busy, retrying" in notice.text()
                assert "数据库繁忙，正在重试" in notice.text()
                assert tickets(db) == []
                assert greeter.page() is window.details  # no error page, no ticket yet
                window.language.use("zh")
                assert "数据库繁忙，正在重试" in notice.text()
            finally:
                holder.rollback()
                holder.close()

            greeter.settle()
            assert not notice.isVisible()
            assert [t.number for t in tickets(db)] == ["C001"]
            assert greeter.page() is window.ticket
            qtbot.waitUntil(lambda: len(pictures(printer.jobs)) == 1, timeout=10_000)
        finally:
            greeter.close()


def test_the_notice_is_told_from_a_worker_thread_and_shows_on_the_gui_thread(
    qtbot: QtBot,
) -> None:
    import threading

    make_app(["test"])
    notice = BusyNotice()
    qtbot.addWidget(notice)
    notice.show()
    notice.hide()
    worker = threading.Thread(target=notice.listener, args=(3, 2.4))
    worker.start()
    worker.join()
    qtbot.waitUntil(notice.isVisible)
    assert notice.text().endswith("(2 s)")
    notice.runner_busy(False)
    assert not notice.isVisible()
