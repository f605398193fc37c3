"""Qt objects die on the GUI thread, never in a garbage collection on another thread.

Python's cycle collector runs in whichever thread allocates, so a Qt object kept
alive only by a reference cycle could be deleted on a worker thread. The feed and the
task runner leave no Qt object in a cycle: dropped, they are freed at once by
reference counting, on the thread that drops them. (The greeter once crashed during
start-up when its worker's first read collected the previous window's feed, which
was kept in a cycle with its thread.)
"""

from __future__ import annotations

import gc
import weakref

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject
from pytestqt.qtbot import QtBot

from lobby.db import Database
from ui.common.tasks import TaskRunner
from ui.feed import LiveFeed


def live_qobjects() -> int:
    """How many QObjects Python holds, once earlier tests' deferred deletions are done."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    return sum(isinstance(o, QObject) for o in gc.get_objects())


def test_a_stopped_feed_is_freed_when_its_owner_lets_go(qtbot: QtBot, db: Database) -> None:
    feed = LiveFeed(db)
    feed.start()
    feed.stop()
    gone = weakref.ref(feed)
    del feed
    assert gone() is None  # no cycle: freed at once, on this thread, without a collection


def test_tasks_leave_no_qt_object_behind(qtbot: QtBot) -> None:
    runner = TaskRunner()
    results: list[int] = []
    before = live_qobjects()
    for number in range(50):
        runner.run(lambda n=number: n * n, results.append, pytest.fail)  # type: ignore[misc]
    qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
    assert results == [n * n for n in range(50)]
    assert live_qobjects() == before
    runner.deleteLater()


def test_after_wait_the_worker_holds_nothing_of_the_tasks(
    qtbot: QtBot
) -> None:
    """A window's owner may drop it right after ``wait()``: it must die here, not there."""
    runner = TaskRunner()
    owned = QObject()
    gone = weakref.ref(owned)
    for _ in range(3):
        runner.run(lambda kept=owned: kept.objectName(), lambda _: None, pytest.fail)  # type: ignore[misc]
    assert runner.wait()
    del owned
    assert gone() is None
    runner.deleteLater()
