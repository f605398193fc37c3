"""The teller console, driven through its widgets on a real database."""

from __future__ import annotations

from sqlalchemy import select

from lobby import engine
from lobby.db import Database
from lobby.models import Event, Rating, Ticket
from tests.gui.conftest import Console
from tests.helpers import ManualClock, actor


def issue(db: Database, service: str = "cash", **options: object) -> str:
    with db.unit_of_work(actor("G01")) as uow:
        return engine.issue_ticket(uow, service, **options).number  # type: ignore[arg-type]


def test_wrong_pin_then_lockout(qtbot, db: Database, consoles: list[Console]) -> None:  # type: ignore[no-untyped-def]
    console = Console(qtbot, db, 1)
    consoles.append(console)
    for _ in range(4):
        console.sign_in("T02", "0000")
        assert "wrong staff id or PIN" in console.window.sign_in.error.text()
    console.sign_in("T02", "0000")
    assert "locked for 5 min" in console.window.sign_in.error.text()
    console.sign_in("T02", "2222")  # right PIN, still locked
    assert "locked" in console.window.sign_in.error.text()
    assert console.window.pages.currentWidget() is console.window.sign_in


def test_full_serve_flow_with_rating(open_console, db: Database, clock: ManualClock) -> None:  # type: ignore[no-untyped-def]
    issue(db)
    clock.advance(minutes=2)
    elderly = issue(db, category="elderly", note="needs a chair", documents=["id_card"])
    clock.advance(minutes=6)
    console = open_console(1)
    console.press("call")
    assert console.number == elderly
    assert "elderly priority, waited 6 min" in console.window.console.reason.text()
    triage = console.window.console.triage.text()
    assert "needs a chair" in console.window.console.current.greeter_note.text()
    assert "迎宾 Greeter" in triage
    assert "✔ 身份证 ID card" in triage
    console.press("start")
    console.press("finish")
    dialog = console.window.dialog
    dialog.follow_choice.setChecked(True)
    dialog.accept()  # no note yet: refused, dialog stays
    assert dialog.isVisible()
    assert "后续事项" in dialog.error.text()
    dialog.note.setPlainText("card posted in 7 days")
    dialog.accept()
    console.settle()
    assert console.window.dialog is None  # the customer's panel is not modal
    rating = console.window.console.rating
    assert rating.isVisible()
    rating.faces.button(5).click()
    console.settle()
    with db.read() as session:
        assert session.scalar(select(Rating.score)) == 5
        ticket = session.scalars(select(Ticket).where(Ticket.number == elderly)).one()
        assert (ticket.state, ticket.outcome, ticket.follow_up) == (
            "done",
            "follow_up",
            "card posted in 7 days",
        )
    assert console.number == "—"


def test_transfer_note_reaches_the_receiving_console(open_console, db: Database) -> None:  # type: ignore[no-untyped-def]
    number = issue(db)
    first = open_console(1)
    receiving = open_console(4, "T03", "3333")
    first.press("call")
    first.press("transfer")
    dialog = first.window.dialog
    assert dialog.service.currentIndex() == -1  # no default service
    assert not dialog.counter.isEnabled()
    dialog.accept()  # no target: refused
    assert "choose where to transfer" in dialog.error.text()
    dialog.service.setCurrentIndex(dialog.service.findData("account"))
    dialog.accept()  # no note: refused
    assert "needs a note" in dialog.error.text()
    dialog.note.setPlainText("wants a second card")
    dialog.accept()
    first.settle()
    # the receiving console's queue updates live from the feed
    receiving.qtbot.waitUntil(
        lambda: receiving.controller.overview.queues[0].waiting == 1, timeout=10_000
    )
    receiving.press("call")
    assert receiving.number == number
    history = [
        receiving.window.console.history.item(i).text()
        for i in range(receiving.window.console.history.count())
    ]
    assert any("wants a second card" in line for line in history)
    note = receiving.window.console.current.transfer_note
    assert note.isVisible()
    assert "转办说明 Transfer note" in note.text()
    assert "wants a second card" in note.text()
    assert "from counter 1" in note.text()
    assert "迎宾备注 Greeter's note" in receiving.window.console.current.greeter_note.text()
    assert "in the branch" in receiving.window.console.current.waits.text()
    assert any("1号窗口" in line and "transferred" in line for line in history)


def test_two_consoles_race_for_the_last_ticket(open_console, db: Database) -> None:  # type: ignore[no-untyped-def]
    number = issue(db)
    one = open_console(1)
    two = open_console(2, "T02", "2222")
    one.window.console.buttons["call"].click()
    two.window.console.buttons["call"].click()
    one.settle()
    two.settle()
    winners = [c for c in (one, two) if c.number == number]
    losers = [c for c in (one, two) if c.number != number]
    assert len(winners) == 1
    assert len(losers) == 1
    assert "没有等候的客户" in losers[0].notice
    with db.read() as session:
        assert len(session.scalars(select(Event).where(Event.kind == "called")).all()) == 1


def test_call_by_scan_and_forged_code_refused(open_console, db: Database) -> None:  # type: ignore[no-untyped-def]
    issue(db)
    with db.unit_of_work(actor("G01")) as uow:
        wanted = engine.issue_ticket(uow, "cash")
    console = open_console(1)
    scan = console.window.console.scan
    forged = wanted.code[:-1] + ("A" if wanted.code[-1] != "A" else "B")
    console.qtbot.keyClicks(scan, forged)
    console.qtbot.keyClick(scan, "\r")
    console.settle()
    assert "forged or mistyped" in console.notice
    assert console.number == "—"
    console.qtbot.keyClicks(scan, wanted.code)
    console.qtbot.keyClick(scan, "\r")
    console.settle()
    assert console.number == wanted.number
    assert "called by number" in console.window.console.reason.text()


def test_restart_restores_the_open_ticket(open_console, db: Database, consoles) -> None:  # type: ignore[no-untyped-def]
    number = issue(db)
    first = open_console(3, "T03", "3333")
    first.press("call")
    first.press("start")
    first.close()
    consoles.remove(first)
    again = open_console(3, "T03", "3333")
    assert again.number == number
    assert "restored open ticket" in again.notice
    assert again.window.console.buttons["finish"].isEnabled()
    assert not again.window.console.buttons["call"].isEnabled()


def test_park_and_resume_from_the_list(open_console, db: Database) -> None:  # type: ignore[no-untyped-def]
    parked = issue(db)
    issue(db)
    console = open_console(1)
    console.press("call")
    console.press("park")
    assert console.window.console.parked.count() == 1
    console.press("call")
    console.press("no_show")
    console.window.console.parked.setCurrentRow(0)
    console.window.console.resume_button.click()
    console.settle()
    assert console.number == parked


def test_the_receiving_console_shows_the_visit_wait_beside_the_queue_wait(  # type: ignore[no-untyped-def]
    open_console, db: Database, clock: ManualClock
) -> None:
    number = issue(db, note="brings a passport")
    clock.advance(minutes=20)
    first = open_console(1)
    first.press("call")
    clock.advance(minutes=5)
    first.controller.transfer("account", None, "wants a second card")
    first.settle()
    clock.advance(minutes=3)
    receiving = open_console(4, "T03", "3333")
    receiving.press("call")
    assert receiving.number == number
    current = receiving.window.console.current
    assert "本队列已等 3 分钟 in this queue" in current.waits.text()
    assert "到行已 28 分钟 in the branch" in current.waits.text()
    assert "wants a second card" in current.transfer_note.text()
    assert "brings a passport" in current.greeter_note.text()
    assert "迎宾 Greeter 大堂经理一 Greeter 1 (G01)" in current.triage.text()
    chain = [current.history.item(i).text() for i in range(current.history.count())]
    assert len(chain) == 2
    assert current.history.horizontalScrollBarPolicy().name == "ScrollBarAlwaysOff"
