"""The hall display: calls from other processes, announced once each, never replayed."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from lobby import engine
from lobby.db import Database
from lobby.settings import Settings
from tests.helpers import ManualClock, actor, as_staff, environment_at
from ui.common.app import make_app
from ui.display.main import bootstrap
from ui.display.window import DisplayWindow


class RecordingAnnouncer:
    """Stands in for the speech device: records what it was asked to say."""

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[tuple[str, int]] = []
        self.fail = fail

    def announce(self, number: str, counter: int) -> None:
        self.calls.append((number, counter))
        if self.fail:
            raise RuntimeError("speech worker crashed")


class Display:
    def __init__(self, qtbot: QtBot, db: Database, announcer: RecordingAnnouncer) -> None:
        app = bootstrap(Settings(), db, announcer=announcer)
        self.window, self.feed, self.runner = app.window, app.feed, app.runner
        self.model = self.window.model
        qtbot.addWidget(self.window)
        self.window.resize(1280, 720)
        self.window.show()

    def close(self) -> None:
        self.window.close()
        self.feed.stop()
        self.runner.wait()


@pytest.fixture
def displays(qtbot: QtBot) -> Iterator[list[Display]]:
    make_app(["test"])
    opened: list[Display] = []
    yield opened
    for display in opened:
        display.close()


def issue_and_call(db: Database, counter: int, service: str = "cash") -> str:
    with db.unit_of_work(actor("G01")) as uow:
        engine.issue_ticket(uow, service)
    with db.unit_of_work(actor("T01")) as uow:
        return engine.call_next(uow, counter).number


def hero(window: DisplayWindow) -> tuple[str, str]:
    return window.hero_number.text(), window.hero_counter.text()


def test_a_call_from_another_process_appears(
    qtbot: QtBot, db: Database, db_url: str, clock: ManualClock, displays: list[Display]
) -> None:
    with db.unit_of_work(actor("G01")) as uow:
        number = engine.issue_ticket(uow, "cash").number
    announcer = RecordingAnnouncer()
    display = Display(qtbot, db, announcer)
    displays.append(display)
    subprocess.run(  # on this test's clock: the same business day at any hour
        [sys.executable, "-m", "lobby", "call", "--counter", "3", "--db", db_url, *as_staff("T03")],
        check=True,
        capture_output=True,
        env=environment_at(clock),
    )
    qtbot.waitUntil(
        lambda: hero(display.window) == (number, "3号窗口\nCounter 3"), timeout=10_000
    )
    assert announcer.calls == [(number, 3)]
    zh, en = (label.text() for label in display.window.hero_lines)
    assert (zh, en) == ("请 A001 号到 3号窗口 办理", "Ticket A001, please go to Counter 3")


def test_each_call_is_announced_once_in_order(
    qtbot: QtBot, db: Database, displays: list[Display]
) -> None:
    announcer = RecordingAnnouncer()
    display = Display(qtbot, db, announcer)
    displays.append(display)
    expected = [(issue_and_call(db, counter), counter) for counter in (1, 2, 3)]
    with db.unit_of_work(actor("T01")) as uow:
        engine.recall(uow, 2)
    expected.append((expected[1][0], 2))
    qtbot.waitUntil(lambda: len(announcer.calls) == 4, timeout=10_000)
    assert announcer.calls == expected
    qtbot.waitUntil(lambda: not display.runner.busy, timeout=10_000)
    recent = [(c.number, c.counter) for c in display.model.board.recent]  # type: ignore[union-attr]
    assert recent[:4] == list(reversed(expected))
    # the recall is up large; the labels list the other tickets, each once
    assert [label.text() for label in display.window.recent_labels[:3]] == [
        "A003 → 3号窗口",
        "A001 → 1号窗口",
        "",
    ]
    assert display.window.hero_lines[0].text() == "再次呼叫：请 A002 号到 2号窗口 办理"


def test_restart_shows_the_board_without_replaying(
    qtbot: QtBot, db: Database, displays: list[Display]
) -> None:
    first = RecordingAnnouncer()
    display = Display(qtbot, db, first)
    displays.append(display)
    number = issue_and_call(db, 1)
    qtbot.waitUntil(lambda: first.calls == [(number, 1)], timeout=10_000)
    display.close()
    displays.remove(display)
    second = RecordingAnnouncer()
    again = Display(qtbot, db, second)
    displays.append(again)
    assert hero(again.window) == (number, "1号窗口\nCounter 1")
    later = issue_and_call(db, 2)
    qtbot.waitUntil(lambda: second.calls == [(later, 2)], timeout=10_000)


def test_speech_failure_leaves_the_board_working(
    qtbot: QtBot, db: Database, displays: list[Display]
) -> None:
    announcer = RecordingAnnouncer(fail=True)
    display = Display(qtbot, db, announcer)
    displays.append(display)
    with qtbot.captureExceptions() as raised:
        first = issue_and_call(db, 1)
        qtbot.waitUntil(lambda: hero(display.window)[0] == first, timeout=10_000)
        second = issue_and_call(db, 2)
        qtbot.waitUntil(lambda: hero(display.window)[0] == second, timeout=10_000)
    assert raised == []
    assert announcer.calls == [(first, 1), (second, 2)]


def test_queues_update_live(qtbot: QtBot, db: Database, displays: list[Display]) -> None:
    display = Display(qtbot, db, RecordingAnnouncer())
    displays.append(display)
    with db.unit_of_work(actor("G01")) as uow:
        engine.issue_ticket(uow, "vip")
    label = display.window.queue_labels[3 * 7 + 1]  # V, the eighth service: its count
    qtbot.waitUntil(lambda: label.text().startswith("1 人"), timeout=10_000)


def test_clock_shows_the_branch_time_not_the_computer_zone(
    qtbot: QtBot, db: Database, clock: ManualClock, displays: list[Display]
) -> None:
    display = Display(qtbot, db, RecordingAnnouncer())
    displays.append(display)
    # the test clock says 02:00 UTC: 10:00 in Shanghai, whatever zone this machine is in
    assert display.window.clock.text() == "2026-11-23  10:00"
    clock.advance(minutes=75)
    qtbot.waitUntil(lambda: display.window.clock.text() == "2026-11-23  11:15", timeout=5_000)


@pytest.mark.postgres
def test_database_loss_shows_reconnecting_and_recovers(
    qtbot: QtBot, db: Database, db_url: str, displays: list[Display], pg_server: object
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("the server is cut off on PostgreSQL; a SQLite file cannot be")
    from tests.pgserver import PostgresServer

    assert isinstance(pg_server, PostgresServer)
    name = db.engine.url.database
    announcer = RecordingAnnouncer()
    display = Display(qtbot, db, announcer)
    displays.append(display)
    with pg_server.connect_admin() as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            (name,),
        )
        qtbot.waitUntil(lambda: display.window.offline.isVisibleTo(display.window), timeout=10_000)
        assert display.window.hero_lines[0].text() == "请取号，留意叫号"  # the last board stays up
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    qtbot.waitUntil(lambda: not display.window.offline.isVisibleTo(display.window), timeout=15_000)
    number = issue_and_call(db, 1)
    qtbot.waitUntil(lambda: announcer.calls == [(number, 1)], timeout=10_000)
