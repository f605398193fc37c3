"""One teller per counter: refusal naming the holder, manager takeover, sign-out, idle, breaks."""

from __future__ import annotations

from sqlalchemy import select

from lobby import engine
from lobby.db import Database
from lobby.models import Counter, Event, Ticket
from lobby.queries.floor import floor_view
from tests.gui.conftest import Console
from tests.helpers import ManualClock, actor


def issue(db: Database, service: str = "cash") -> str:
    with db.unit_of_work(actor("G01")) as uow:
        return engine.issue_ticket(uow, service).number


def test_a_second_teller_is_refused_by_name_and_a_manager_takes_over(  # type: ignore[no-untyped-def]
    open_console, consoles, qtbot, db: Database
) -> None:
    first = open_console(1)
    assert "柜员一 Teller 1 (T01)" in first.window.console.header.text()  # from the first frame
    second = Console(qtbot, db, 1)
    consoles.append(second)
    second.sign_in("T03", "3333")
    page = second.window.sign_in
    assert second.window.pages.currentWidget() is page
    assert "signed in by 柜员一 Teller 1 (T01)" in page.holder.text()
    assert page.takeover.isVisible()
    page.manager.setText("M01")
    page.manager_pin.setText("0000")  # a wrong manager PIN changes nothing
    page.takeover_button.click()
    second.settle()
    assert second.window.pages.currentWidget() is page
    page.manager_pin.setText("9999")
    page.takeover_button.click()
    second.settle()
    assert second.window.pages.currentWidget() is second.window.console
    assert "柜员三 Teller 3 (T03)" in second.window.console.header.text()
    # the first console hears it and goes back to its sign-in page
    first.qtbot.waitUntil(
        lambda: first.window.pages.currentWidget() is first.window.sign_in, timeout=10_000
    )
    assert "T03" in first.window.sign_in.error.text()
    with db.read() as session:
        event = session.scalars(select(Event).where(Event.kind == "counter_taken_over")).one()
        assert (event.actor, event.payload["from_staff"], event.payload["manager"]) == (
            "T03",
            "T01",
            "M01",
        )


def test_sign_out_frees_the_counter_for_the_next_teller(open_console, db: Database) -> None:  # type: ignore[no-untyped-def]
    first = open_console(1)
    first.window.console.sign_out_button.click()
    first.settle()
    assert first.window.pages.currentWidget() is first.window.sign_in
    first.sign_in("T02", "2222")
    assert first.window.pages.currentWidget() is first.window.console
    assert "T02" in first.window.console.header.text()
    assert "关闭 closed" in first.window.console.header.text()  # left closed: F9 opens it
    first.press("pause")
    assert "开放 open" in first.window.console.header.text()


def test_idle_sign_out_parks_the_open_ticket(open_console, db: Database) -> None:  # type: ignore[no-untyped-def]
    number = issue(db)
    console = open_console(1)
    console.press("call")
    console.press("start")
    timer = console.window.idle_timer
    assert (timer.isActive(), timer.interval()) == (True, 20 * 60_000)
    timer.timeout.emit()  # twenty minutes without a key or a click
    console.settle()
    assert console.window.pages.currentWidget() is console.window.sign_in
    assert f"{number} 已挂起 parked" in console.window.sign_in.error.text()
    with db.read() as session:
        ticket = session.scalars(select(Ticket)).one()
        assert (ticket.state, ticket.counter.number) == ("parked", 1)
        why = session.scalars(select(Event.payload).where(Event.kind == "counter_signed_out"))
        assert [p["why"] for p in why] == ["idle"]
    console.sign_in("T01", "1111")
    console.press("pause")  # open again
    console.window.console.parked.setCurrentRow(0)
    console.window.console.resume_button.click()
    console.settle()
    assert console.number == number


def test_a_break_has_a_reason_and_a_running_timer_on_the_live_floor(  # type: ignore[no-untyped-def]
    open_console, db: Database, clock: ManualClock
) -> None:
    issue(db)
    console = open_console(1)
    console.press("call")
    console.press("finish")
    console.window.dialog.accept()
    console.settle()
    assert "今日办结 1" in console.window.console.header.text()
    console.press("pause")
    dialog = console.window.dialog
    dialog.choices["training"].click()
    dialog.accept()
    console.settle()
    assert "暂停 on break · 培训 training 00:00" in console.window.console.header.text()
    clock.advance(minutes=3, seconds=5)
    console.window.console.tick()
    assert "培训 training 03:05" in console.window.console.header.text()
    with db.read() as session:
        counter = next(c for c in floor_view(session, clock.now()).counters if c.number == 1)
        status = session.scalar(select(Counter.status).where(Counter.number == 1))
    assert (status, counter.break_reason, counter.staff) == ("break", "training", "T01")
    assert counter.seconds_so_far(clock.now()) == 185
