"""Qt objects die on the GUI thread, never in a garbage collection on another thread.

Python's cycle collector runs in whichever thread allocates, so a Qt object kept
alive only by a reference cycle could be deleted on a worker thread. Two guards: the
feed and the task runner leave no Qt object in a cycle (dropped, they are freed at
once by reference counting, on the thread that drops them), and in an app the cycles
that remain are collected on the GUI thread only (``ui.common.collector``). Without
the second, the rating-pad tests crashed now and then in PySide6 6.11.3 on 3.11.
(The greeter once crashed during start-up when its worker's first read collected the
previous window's feed, which was kept in a cycle with its thread.)
"""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject
from pytestqt.qtbot import QtBot

from lobby.db import Database
from ui.common.app import make_app
from ui.common.collector import GuiThreadCollector, collect_on_gui_thread
from ui.common.tasks import TaskRunner
from ui.feed import LiveFeed


class Node:
    """One half of a reference cycle; notes on which thread it was freed."""

    def __init__(self, deaths: list[str]) -> None:
        self.deaths = deaths
        self.partner: Node | None = None

    def __del__(self) -> None:
        self.deaths.append(threading.current_thread().name)


class QtNode(QObject):
    """A live QObject in a reference cycle."""

    def __init__(self, deaths: list[str]) -> None:
        super().__init__()
        self.deaths = deaths
        self.me = self

    def __del__(self) -> None:
        self.deaths.append(threading.current_thread().name)


def garbage_cycle(deaths: list[str]) -> None:
    first, second = Node(deaths), Node(deaths)
    first.partner, second.partner = second, first


def allocate_in_a_worker() -> None:
    """What a database read does: many container objects, enough for several collections."""

    def churn() -> None:
        for _ in range(20):
            kept = [[index] for index in range(5_000)]
            del kept

    worker = threading.Thread(target=churn, name="worker")
    worker.start()
    worker.join()


@pytest.fixture
def collector(qtbot: QtBot) -> Iterator[GuiThreadCollector]:
    app = make_app(["test"])
    found = collect_on_gui_thread(app)
    assert not gc.isenabled()
    yield found
    assert not gc.isenabled()


def test_without_the_collector_a_worker_thread_collects() -> None:
    """Why the collector exists: automatic collection runs on the allocating thread."""
    was_enabled = gc.isenabled()
    gc.enable()
    try:
        gc.collect()
        deaths: list[str] = []
        garbage_cycle(deaths)
        allocate_in_a_worker()
        assert deaths == ["worker", "worker"]
    finally:
        if not was_enabled:
            gc.disable()


def test_cycles_are_collected_on_the_gui_thread(
    qtbot: QtBot, collector: GuiThreadCollector
) -> None:
    assert collect_on_gui_thread(make_app(["again"])) is collector  # one per app
    gc.collect()
    deaths: list[str] = []
    garbage_cycle(deaths)
    QtNode(deaths)  # garbage too: only the cycle keeps it
    allocate_in_a_worker()
    assert deaths == []  # the worker allocated plenty, and collected nothing
    others: list[str] = []
    for _ in range(collector.thresholds[0]):  # a busy app's garbage: a collection is due
        garbage_cycle(others)
    qtbot.waitUntil(lambda: len(deaths) == 3, timeout=5_000)
    assert set(deaths) == {threading.current_thread().name}


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
