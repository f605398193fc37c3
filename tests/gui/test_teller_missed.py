"""Forgiving no-shows and typing during refreshes, on two consoles sharing one database."""

from __future__ import annotations

from sqlalchemy import select

from lobby import engine
from lobby.db import Database
from lobby.journal import last_event_id
from lobby.models import Event, Ticket
from tests.helpers import ManualClock, actor


def issue(db: Database, service: str = "cash") -> str:
    with db.unit_of_work(actor("G01")) as uow:
        return engine.issue_ticket(uow, service).number


def test_no_show_goes_to_the_missed_list_and_another_counter_calls_it_back(  # type: ignore[no-untyped-def]
    open_console, db: Database, clock: ManualClock
) -> None:
    number = issue(db)
    first = open_console(1)
    second = open_console(2, "T02", "2222")
    first.press("call")
    first.press("no_show")
    assert first.window.console.undo_bar.isVisible()
    assert "missed list" in first.notice
    second.qtbot.waitUntil(lambda: second.window.console.missed.count() == 1, timeout=10_000)
    assert number in second.window.console.missed.item(0).text()
    assert "15 分钟" in second.window.console.missed.item(0).text()
    clock.advance(minutes=4)
    second.window.console.missed.setCurrentRow(0)
    second.window.console.side.recall_button.click()
    second.settle()
    assert second.number == number
    assert "called back from the missed list" in second.notice
    first.qtbot.waitUntil(lambda: first.window.console.missed.count() == 0, timeout=10_000)
    with db.read() as session:
        event = session.scalars(select(Event).where(Event.kind == "missed_recalled")).one()
        assert (event.actor, event.payload["missed_at_counter"]) == ("T02", 1)
        ticket = session.scalars(select(Ticket)).one()
        assert (ticket.state, ticket.counter.number) == ("called", 2)


def test_undo_takes_the_no_show_back_and_the_offer_ends(open_console, db: Database) -> None:  # type: ignore[no-untyped-def]
    number = issue(db)
    issue(db)
    console = open_console(1)
    console.press("call")
    console.press("no_show")
    assert console.number == "—"
    console.window.console.undo_button.click()
    console.settle()
    assert console.number == number
    assert not console.window.console.undo_bar.isVisible()
    assert "no-show undone" in console.notice
    console.press("no_show")
    assert console.window.console.undo_bar.isVisible()
    console.window.console.undo_timer.timeout.emit()  # the 10 s have passed
    assert not console.window.console.undo_bar.isVisible()
    with db.read() as session:
        assert session.scalar(select(Ticket.state).where(Ticket.number == number)) == "no_show"


def test_list_buttons_with_nothing_selected_say_so(open_console, db: Database) -> None:  # type: ignore[no-untyped-def]
    issue(db)
    console = open_console(1)
    console.press("call")
    console.press("park")
    console.window.console.parked.setCurrentRow(-1)
    console.window.console.resume_button.click()
    assert "select a parked ticket first" in console.notice
    console.window.console.side.lists.setCurrentIndex(1)
    console.window.console.side.recall_button.click()
    assert "select a missed ticket first" in console.notice


def test_a_code_typed_while_50_events_arrive_arrives_whole(open_console, db: Database) -> None:  # type: ignore[no-untyped-def]
    with db.unit_of_work(actor("G01")) as uow:
        wanted = engine.issue_ticket(uow, "cash")
    console = open_console(1)
    scan = console.window.console.scan
    scan.setFocus()
    toggles: list[bool] = []
    console.controller.busy_changed.connect(toggles.append)
    pending = list(wanted.code)

    def type_during_refresh(busy: bool) -> None:
        # each key is typed while a refresh for new journal events is in flight
        if busy and pending:
            console.qtbot.keyClick(scan, pending.pop(0))

    console.runner.busy_changed.connect(type_during_refresh)
    events = 0
    while events < 50 or pending:
        assert events < 200, "refreshes stopped"
        issue(db, "account")
        events += 1
        with db.read() as session:
            newest = last_event_id(session)
        console.qtbot.waitUntil(
            lambda n=newest: console.controller.overview.last_event_id >= n, timeout=10_000
        )
        assert scan.isEnabled()
    console.runner.busy_changed.disconnect(type_during_refresh)
    assert events >= 50
    assert scan.text() == wanted.code
    assert toggles == []  # background refreshes never marked the console busy
    console.qtbot.keyClick(scan, "\r")
    console.settle()
    assert console.number == wanted.number


def test_a_code_scanned_while_finishing_is_called_next(open_console, db: Database) -> None:  # type: ignore[no-untyped-def]
    issue(db)
    with db.unit_of_work(actor("G01")) as uow:
        wanted = engine.issue_ticket(uow, "account")  # counter 1 serves it at tier 2
    console = open_console(1)
    console.press("call")
    scan = console.window.console.scan
    console.window.console.buttons["finish"].click()
    console.window.dialog.accept()  # the finish runs on the worker now
    assert console.controller.busy
    assert not console.window.console.buttons["call"].isEnabled()
    console.qtbot.keyClicks(scan, wanted.code)
    console.qtbot.keyClick(scan, "\r")  # queued behind the finish, not dropped
    console.settle()
    assert console.number == wanted.number
