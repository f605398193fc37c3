"""Heartbeats at the counter: a crashed pad, a crashed console.

A pad that stops beating is "status unknown" (the console asks on its own panel); a
console that stops beating loses its counter to the next teller without a manager,
and says so when it comes back.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from lobby import engine
from lobby.db import Database
from lobby.engine.presence import HEARTBEAT_S
from lobby.models import Event, Ticket
from lobby.settings import Settings
from tests.gui.conftest import Console
from tests.helpers import ManualClock, actor
from ui.rating.main import RatingPadApp
from ui.rating.main import bootstrap as pad_bootstrap


def issue(db: Database) -> str:
    with db.unit_of_work(actor("G01")) as uow:
        return engine.issue_ticket(uow, "cash").number


@pytest.fixture
def pad(qtbot: QtBot, db: Database) -> Iterator[RatingPadApp]:
    app = pad_bootstrap(Settings(), db, counter=1)
    qtbot.addWidget(app.window)
    app.window.show()
    yield app
    app.feed.stop()
    app.runner.wait()
    app.window.controller.heartbeat.stop()


def beat_and_settle(console: Console) -> None:
    console.controller.beat()
    console.settle()


def test_a_pad_that_stops_beating_is_shown_as_status_unknown_and_the_console_asks(  # type: ignore[no-untyped-def]
    open_console, db: Database, clock: ManualClock, pad: RatingPadApp
) -> None:
    number = issue(db)
    console = open_console(1)
    beating = pad.window.controller.heartbeat
    assert beating.isActive()
    assert beating.interval() == HEARTBEAT_S * 1000
    assert console.controller.heartbeat.isActive()
    beat_and_settle(console)
    assert "rating pad online" in console.window.console.header.text()
    for _ in range(3):  # the pad beats every 10 s: it stays online
        clock.advance(seconds=HEARTBEAT_S)
        beating.timeout.emit()
        console.qtbot.waitUntil(lambda: not pad.runner.busy, timeout=20_000)
        beat_and_settle(console)
        assert console.controller.overview.rating_pad
    beating.stop()  # the pad crashes: no goodbye, no more beats
    clock.advance(seconds=31)
    beat_and_settle(console)
    header = console.window.console.header.text()
    assert "status unknown" in header
    assert "online" not in header
    assert " off" not in header
    assert not console.controller.overview.rating_pad
    console.press("call")
    console.press("finish")
    console.window.dialog.accept()
    console.settle()
    panel = console.window.console.rating
    assert panel.isVisible()  # the pad may be gone: the console asks on its own panel
    assert number in panel.title.text()


def test_a_crashed_console_loses_its_counter_and_says_so_when_it_comes_back(  # type: ignore[no-untyped-def]
    open_console, consoles, qtbot, db: Database, clock: ManualClock
) -> None:
    number = issue(db)
    crashed = open_console(1)
    crashed.press("call")
    assert crashed.number == number
    crashed.controller.heartbeat.stop()  # the console freezes: no beats, no journal reading
    crashed.feed.stop()
    other = Console(qtbot, db, 1)
    consoles.append(other)
    other.sign_in("T03", "3333")
    assert other.window.pages.currentWidget() is other.window.sign_in  # still T01's
    assert "T01" in other.window.sign_in.holder.text()
    clock.advance(seconds=61)  # past console_expiry_s (60)
    other.sign_in("T03", "3333")  # no manager needed now
    assert other.window.pages.currentWidget() is other.window.console
    assert "柜员三 Teller 3 (T03)" in other.window.console.header.text()
    assert [t.number for t in other.controller.overview.parked] == [number]
    # the frozen console wakes up: its next beat finds the counter gone
    assert crashed.window.pages.currentWidget() is crashed.window.console
    crashed.controller.heartbeat.timeout.emit()
    crashed.settle()
    assert crashed.window.pages.currentWidget() is crashed.window.sign_in
    said = crashed.window.sign_in.error.text()
    assert "not heard from for too long" in said
    assert "(T03)" in said
    with db.read() as session:
        out = session.scalars(select(Event).where(Event.kind == "counter_signed_out")).one()
        assert (out.payload["staff"], out.payload["why"]) == ("T01", "lapsed")
        assert session.scalars(select(Ticket.state)).one() == "parked"


def test_the_live_floor_names_silent_pads_and_consoles_honestly(
    db: Database, clock: ManualClock
) -> None:
    from lobby.engine.occupancy import sign_in_at_counter
    from lobby.engine.rating_pad import pad_started, pad_stopped
    from lobby.queries.floor import floor_view
    from tests.helpers import device
    from ui.manager.live import devices_text

    sign_in_at_counter(db, "T02", "2222", 2)
    for pad in ("pad-1", "pad-3"):
        with db.unit_of_work(device(pad)) as uow:
            pad_started(uow, int(pad[-1]))
    with db.unit_of_work(device("pad-3")) as uow:
        pad_stopped(uow, 3)
    with db.read() as session:
        fresh = devices_text(floor_view(session, clock.now()))
    assert fresh == "1号窗口: 评价器在线 pad online；3号窗口: 评价器已关闭 pad off"
    clock.advance(seconds=61)  # nothing beat: the pad and T02's console fell silent
    with db.read() as session:
        stale = devices_text(floor_view(session, clock.now()))
    assert stale == (
        "⚠ 2号窗口 T02: 终端无响应 console not heard from；"
        "1号窗口: 评价器无响应 pad status unknown；3号窗口: 评价器已关闭 pad off"
    )
