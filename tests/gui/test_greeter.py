"""The greeter's tablet app, driven through its widgets on a real database and printer.

The printer is the TCP endpoint on 127.0.0.1 (``tests.printer_endpoint``); what it
receives is decoded back into pictures and the QR codes read with pyzbar.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot
from pyzbar.pyzbar import decode as read_codes
from sqlalchemy import func, select

from devices.printer import open_printer
from devices.printer.layout import render_receipt
from lobby import admin, engine
from lobby.db import Database
from lobby.engine.occupancy import sign_in_at_counter
from lobby.models import Appointment, Complaint, Event, Ticket, Visit
from lobby.receipt_print import printable_receipt
from lobby.settings import Settings
from tests.escpos_decoder import decode, printed_picture
from tests.helpers import ManualClock, actor, as_staff, environment_at
from tests.printer_endpoint import OFFLINE, ONLINE, PrinterEndpoint, closed_port
from ui.common.app import make_app
from ui.greeter.main import GreeterApp, GreeterOptions, bootstrap
from ui.greeter.style import TOUCH_PX
from ui.greeter.window import GreeterWindow

PORTRAIT, LANDSCAPE = (800, 1280), (1280, 800)
#: Quiet timings for tests: no periodic printer checks, no page leaving by itself.
QUIET = GreeterOptions(idle_lock_s=600, return_after_s=600, printer_check_s=0)
CJK = re.compile(r"[\u3400-\u9fff]")


class WatchingEndpoint(PrinterEndpoint):
    """A printer that counts the tickets in the database when each connection's first bytes come.

    ``first_bytes[i]`` belongs to ``jobs[i]``: the app prints one job at a time.
    """

    def __init__(self, db: Database, **options: Any) -> None:
        self.db = db
        self.first_bytes: list[int] = []
        super().__init__(**options)

    def _receive(self, selector: Any, connection: Any, stream: Any) -> None:
        if not stream.data and not getattr(stream, "seen", False):
            stream.seen = True
            with self.db.read() as session:
                self.first_bytes.append(session.scalar(select(func.count(Ticket.id))) or 0)
        super()._receive(selector, connection, stream)


class Greeter:
    """The greeter app under test, with helpers that tap and wait."""

    def __init__(
        self, qtbot: QtBot, db: Database, printer_uri: str, options: GreeterOptions = QUIET
    ) -> None:
        self.qtbot = qtbot
        self.db = db
        printer = open_printer(printer_uri, timeout_s=3)
        self.app: GreeterApp = bootstrap(Settings(), db, printer, staff="G01", options=options)
        self.window.resize(*LANDSCAPE)
        self.window.show()
        self.taps = 0

    @property
    def window(self) -> GreeterWindow:
        return self.app.window

    def idle(self) -> bool:
        printing = self.app.printing.jobs.values()
        return not self.app.runner.busy and all(state != "printing" for state in printing)

    def settle(self) -> None:
        self.qtbot.waitUntil(self.idle, timeout=20_000)

    def tap(self, widget: QWidget) -> None:
        assert widget.isVisible(), f"{widget.objectName()} is not on screen"
        assert widget.isEnabled(), f"{widget.objectName()} is disabled"
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
        self.taps += 1

    def sign_in(self, staff: str = "G01", pin: str = "2468") -> None:
        page = self.window.sign_in
        page.staff.setText(staff)
        page.pin.setText(pin)
        self.tap(page.button)
        self.settle()
        self.taps = 0

    def page(self) -> QWidget:
        return self.window.pages.currentWidget()

    def close(self) -> None:
        self.app.close()


@pytest.fixture
def endpoint() -> Iterator[PrinterEndpoint]:
    with PrinterEndpoint() as printer:
        yield printer


@pytest.fixture
def greeters(qtbot: QtBot) -> Iterator[list[Greeter]]:
    make_app(["test"])
    opened: list[Greeter] = []
    yield opened
    for greeter in opened:
        greeter.close()


@pytest.fixture
def open_greeter(
    qtbot: QtBot, db: Database, greeters: list[Greeter], endpoint: PrinterEndpoint
) -> Callable[..., Greeter]:
    def _open(
        printer_uri: str | None = None, options: GreeterOptions = QUIET, sign_in: bool = True
    ) -> Greeter:
        greeter = Greeter(qtbot, db, printer_uri or endpoint.uri, options)
        greeters.append(greeter)
        greeter.settle()
        if sign_in:
            greeter.sign_in()
        return greeter

    return _open


def pictures(jobs: list[bytes]) -> list[Image.Image]:
    """The printed pictures of the jobs that printed something (not status checks)."""
    found = []
    for job in jobs:
        commands = decode(job)
        if any(c.picture is not None for c in commands):
            found.append(printed_picture(commands))
    return found


def qr_codes(picture: Image.Image) -> list[str]:
    return [code.data.decode() for code in read_codes(picture)]


def tickets(db: Database) -> list[Any]:
    """Today's tickets as plain rows (number, state, category, visit_id, id)."""
    columns = (Ticket.number, Ticket.state, Ticket.category, Ticket.visit_id, Ticket.id)
    with db.read() as session:
        return list(session.execute(select(*columns).order_by(Ticket.id)).all())


# --- sign-in and the idle lock ------------------------------------------------------------


def test_sign_in_refuses_wrong_pin_and_tellers_then_locks_when_idle(
    open_greeter: Callable[..., Greeter],
) -> None:
    options = GreeterOptions(idle_lock_s=1, return_after_s=600, printer_check_s=0)
    greeter = open_greeter(options=options, sign_in=False)
    window = greeter.window
    assert greeter.page() is window.sign_in
    assert window.sign_in.staff.text() == "G01"  # prefilled with --staff
    assert not window.header.lock.isVisible()

    greeter.sign_in("G01", "0000")
    assert "wrong staff id or PIN" in window.sign_in.error.text()
    assert window.sign_in.pin.text() == ""
    greeter.sign_in("T01", "1111")
    assert "T01 is a teller, not a greeter" in window.sign_in.error.text()
    assert greeter.page() is window.sign_in

    window.sign_in.staff.setText("G01")
    for key in "2468":  # the touch keypad types the PIN
        greeter.tap(window.sign_in.keys[key])
    assert window.sign_in.pin.text() == "2468"
    greeter.tap(window.sign_in.button)
    greeter.settle()
    assert greeter.page() is window.tiles
    assert "G01" in window.header.staff.full_text()
    assert window.header.lock.isVisible()

    # nobody touches the tablet: it locks, the staff id stays, the PIN must be typed again
    greeter.qtbot.waitUntil(lambda: greeter.page() is window.sign_in, timeout=5_000)
    assert greeter.app.controller.staff is None
    assert window.sign_in.staff.text() == "G01"
    assert window.sign_in.pin.text() == ""
    assert not window.header.lock.isVisible()


# --- issuing --------------------------------------------------------------------------------


def test_three_taps_issue_a_ticket_that_is_committed_before_any_printer_byte(
    qtbot: QtBot, db: Database, greeters: list[Greeter]
) -> None:
    with WatchingEndpoint(db) as printer:
        greeter = Greeter(qtbot, db, printer.uri)
        greeters.append(greeter)
        greeter.settle()
        greeter.sign_in()
        window = greeter.window

        greeter.tap(window.tiles.tiles["wealth"])  # 1: the need
        assert greeter.page() is window.details
        greeter.tap(window.details.all_documents)  # 2: the customer has every document
        greeter.tap(window.details.confirm_button)  # 3: confirm
        greeter.settle()
        assert greeter.taps == 3

        assert greeter.page() is window.ticket
        (ticket,) = tickets(db)
        assert window.ticket.number.text() == ticket.number == "C001"
        assert window.ticket.ahead.text() == "前面还有 0 人"
        assert not window.ticket.qr.pixmap().isNull()
        assert "已打印" in window.ticket.printing.text()
        with db.read() as session:
            visit = session.get_one(Visit, ticket.visit_id)
            assert (visit.created_by, visit.category) == ("G01", "regular")
            assert visit.documents_checked == ["id_card", "bank_card"]

        qtbot.waitUntil(lambda: len(pictures(printer.jobs)) == 1, timeout=10_000)
        printed = [i for i, job in enumerate(printer.jobs) if pictures([job])]
        assert len(printer.first_bytes) == len(printer.jobs)
        # the job that printed the ticket began only once the ticket was in the database
        assert [printer.first_bytes[i] for i in printed] == [1]
        code = greeter.app.controller.last_ticket.ticket.code  # type: ignore[union-attr]
        assert qr_codes(pictures(printer.jobs)[0]) == [code]
        assert printer.errors == []


def test_a_double_tap_on_confirm_gives_one_ticket(
    open_greeter: Callable[..., Greeter], db: Database, endpoint: PrinterEndpoint
) -> None:
    greeter = open_greeter()
    window = greeter.window
    greeter.tap(window.tiles.tiles["loans"])
    confirm = window.details.confirm_button
    greeter.qtbot.mouseClick(confirm, Qt.MouseButton.LeftButton)
    assert not confirm.isEnabled()  # disabled the moment it is tapped
    greeter.qtbot.mouseDClick(confirm, Qt.MouseButton.LeftButton)
    greeter.qtbot.mouseClick(confirm, Qt.MouseButton.LeftButton)
    greeter.settle()
    assert [t.number for t in tickets(db)] == ["D001"]
    with db.read() as session:
        issued = session.scalars(select(Event).where(Event.kind == "issued")).all()
    assert len(issued) == 1
    greeter.qtbot.waitUntil(lambda: len(pictures(endpoint.jobs)) == 1, timeout=10_000)


def test_an_invalid_phone_is_refused_with_a_message(
    open_greeter: Callable[..., Greeter], db: Database
) -> None:
    greeter = open_greeter()
    window = greeter.window
    details = window.details
    greeter.tap(window.tiles.tiles["wealth"])
    greeter.qtbot.keyClicks(details.phone.edit, "12345")
    greeter.tap(details.confirm_button)
    greeter.settle()
    assert greeter.page() is details
    assert "手机号码无效" in details.error.text()
    assert "手机号码无效" in details.phone.result.text()
    assert details.phone.edit.property("valid") == "false"
    assert details.confirm_button.isEnabled()
    assert tickets(db) == []

    details.phone.edit.clear()
    greeter.qtbot.keyClicks(details.phone.edit, "138 1234 5678")
    assert "138****5678" in details.phone.result.text()  # shown masked
    greeter.tap(details.category.chips["elderly"])
    greeter.tap(details.confirm_button)
    greeter.settle()
    assert greeter.page() is window.ticket
    with db.read() as session:
        visit = session.scalars(select(Visit)).one()
        assert (visit.phone, visit.category) == ("+8613812345678", "elderly")
    assert window.ticket.category.text() == "老年人"


def test_missing_documents_warn_but_do_not_block(
    open_greeter: Callable[..., Greeter], db: Database
) -> None:
    greeter = open_greeter()
    window = greeter.window
    details = window.details
    greeter.tap(window.tiles.tiles["loans"])
    greeter.tap(details.documents.chips["id_card"])
    assert details.warning.isVisible()
    assert "收入证明" in details.warning.text()
    assert "婚姻证明" in details.warning.text()
    assert "身份证" not in details.warning.text()
    greeter.tap(details.confirm_button)
    greeter.settle()
    with db.read() as session:
        assert session.scalars(select(Visit.documents_checked)).one() == ["id_card"]


def test_self_service_is_suggested_first_with_a_way_to_issue_anyway(
    open_greeter: Callable[..., Greeter], db: Database
) -> None:
    greeter = open_greeter()
    window = greeter.window
    greeter.tap(window.tiles.tiles["cash"])
    assert greeter.page() is window.self_service
    assert "ATM" in window.self_service.suggestion.text()
    greeter.tap(window.self_service.machine_button)
    assert greeter.page() is window.tiles
    assert "自助设备" in window.tiles.notice.text()
    greeter.settle()
    assert tickets(db) == []
    with db.read() as session:  # no ticket, but the journal knows the customer came
        diverted = session.scalars(select(Event).where(Event.kind == "diverted")).one()
        assert (diverted.actor, diverted.payload) == (
            "G01",
            {"service": "cash", "reason": "self_service"},
        )
    assert "自助设备" in window.tiles.notice.text()  # no error replaced the confirmation

    greeter.tap(window.tiles.tiles["cash"])
    greeter.tap(window.self_service.anyway_button)
    assert greeter.page() is window.details
    greeter.tap(window.details.confirm_button)
    greeter.settle()
    assert [t.number for t in tickets(db)] == ["A001"]

    greeter.tap(window.ticket.done_button)
    greeter.tap(window.tiles.tiles["wealth"])  # no machine for this one: straight to details
    assert greeter.page() is window.details


def test_appointment_check_in_by_scan_gets_the_appointment_priority(
    open_greeter: Callable[..., Greeter], db: Database, clock: ManualClock
) -> None:
    with db.unit_of_work(actor("M01")) as uow:
        code = engine.book_appointment(uow, "account", clock.now() + timedelta(minutes=20))
    greeter = open_greeter()
    window = greeter.window
    greeter.tap(window.tiles.appointment_button)
    page = window.appointment
    assert greeter.page() is page

    greeter.qtbot.keyClicks(page.code, "B000000")  # a scanner types, then presses Enter
    greeter.qtbot.keyClick(page.code, Qt.Key.Key_Return)
    greeter.settle()
    assert greeter.page() is page
    assert "没有找到" in page.error.text()

    page.code.clear()
    greeter.qtbot.keyClicks(page.code, code)
    greeter.qtbot.keyClick(page.code, Qt.Key.Key_Return)
    greeter.settle()
    assert greeter.page() is window.ticket
    (ticket,) = tickets(db)
    assert (ticket.number, ticket.category) == ("B001", "appointment")
    assert window.ticket.category.text() == "预约"
    with db.read() as session:
        appointment = session.scalars(select(Appointment)).one()
        assert (appointment.status, appointment.ticket_id) == ("checked_in", ticket.id)


def test_a_returning_customer_hears_the_missed_ticket_is_still_valid(
    open_greeter: Callable[..., Greeter], db: Database, clock: ManualClock
) -> None:
    with db.unit_of_work(actor("G01")) as uow:
        missed = engine.issue_ticket(uow, "cash")
        waiting = engine.issue_ticket(uow, "cash")
    with db.unit_of_work(actor("T01")) as uow:
        engine.call_ticket(uow, 1, missed.number)
        engine.no_show(uow, 1)
    greeter = open_greeter()
    window = greeter.window
    greeter.tap(window.tiles.appointment_button)
    page = window.appointment
    for text, expected in (
        (missed.code, "A001 号仍然有效"),  # the ticket's QR, scanned
        (waiting.number, "A002 号不在过号列表中"),
    ):
        page.code.clear()
        greeter.qtbot.keyClicks(page.code, text)
        greeter.qtbot.keyClick(page.code, Qt.Key.Key_Return)
        greeter.settle()
        assert expected in page.error.text()
    clock.advance(minutes=16)
    page.code.clear()
    greeter.qtbot.keyClicks(page.code, missed.number.lower())
    greeter.qtbot.keyClick(page.code, Qt.Key.Key_Return)
    greeter.settle()
    assert "A001 号已过有效时间，请重新取号" in page.error.text()
    assert greeter.page() is page
    assert len(tickets(db)) == 2  # nothing issued


# --- complaints --------------------------------------------------------------------------------


def test_a_complaint_gets_a_reference_an_answer_date_and_a_receipt(
    open_greeter: Callable[..., Greeter], db: Database, endpoint: PrinterEndpoint
) -> None:
    greeter = open_greeter()
    window = greeter.window
    form = window.complaint
    greeter.tap(window.tiles.complaint_button)
    assert greeter.page() is form
    greeter.tap(form.submit_button)
    assert "请填写事情经过" in form.error.text()
    form.description.setPlainText("等了一个小时，没有任何说明")
    greeter.tap(form.category.chips["waiting"])
    greeter.tap(form.submit_button)  # phone follow-up without a number
    assert "手机号码" in form.error.text()
    greeter.qtbot.keyClicks(form.contact.edit, "13900001234")
    greeter.tap(form.submit_button)
    greeter.settle()

    done = window.complaint_done
    assert greeter.page() is done
    with db.read() as session:
        complaint = session.scalars(select(Complaint)).one()
        reference = complaint.reference
        assert (complaint.category, complaint.wished_follow_up) == ("waiting", "phone")
        assert complaint.contact == "+8613900001234"
        assert complaint.created_by == "G01"
    assert done.reference.text() == reference
    assert "2026年11月26日" in done.answer.text()  # three days, as the branch's policy says
    assert "139****1234" in done.summary.text()

    greeter.tap(done.print_button)
    greeter.settle()
    assert "回执已打印" in done.printing.text()
    greeter.qtbot.waitUntil(lambda: len(pictures(endpoint.jobs)) == 1, timeout=10_000)
    assert qr_codes(pictures(endpoint.jobs)[0]) == [reference]
    with db.read() as session:  # the receipt's own layout, not a ticket's ("0 ahead")
        expected = render_receipt(printable_receipt(session, reference), 576)
    assert pictures(endpoint.jobs)[0].tobytes() == expected.tobytes()


# --- the printer --------------------------------------------------------------------------------


def test_printer_offline_leaves_the_ticket_valid_on_screen_and_reprintable(
    open_greeter: Callable[..., Greeter], db: Database
) -> None:
    with PrinterEndpoint(online=OFFLINE) as printer:
        greeter = open_greeter(printer.uri)
        window = greeter.window
        assert window.header.printer.health.state == "offline"
        assert "离线" in window.header.printer.text()
        greeter.tap(window.tiles.tiles["wealth"])
        greeter.tap(window.details.confirm_button)
        greeter.settle()

        assert greeter.page() is window.ticket
        assert window.ticket.number.text() == "C001"
        assert "仍然有效" in window.ticket.printing.text()
        assert "打印机离线" in window.ticket.printing.text()  # in the screen's language
        assert "offline" not in window.ticket.printing.text()
        window.language.use("en")
        assert "Printer offline" in window.ticket.printing.text()
        assert "离线" not in window.ticket.printing.text()
        window.language.use("zh")
        assert window.ticket.printing.property("level") == "error"
        assert window.ticket.done_button.text() == "完成"  # no countdown: the number must be seen
        assert [(t.number, t.state) for t in tickets(db)] == [("C001", "waiting")]
        assert pictures(printer.jobs) == []

        printer.answers[1] = ONLINE  # the cover is closed again
        greeter.tap(window.ticket.reprint_button)
        greeter.settle()
        assert "已打印" in window.ticket.printing.text()
        assert window.header.printer.health.state == "ready"
        greeter.qtbot.waitUntil(lambda: len(pictures(printer.jobs)) == 1, timeout=10_000)
        view = greeter.app.controller.last_ticket
        assert view is not None
        assert qr_codes(pictures(printer.jobs)[0]) == [view.ticket.code]

        greeter.tap(window.ticket.done_button)
        assert window.tiles.reprint_button.text() == "补打 C001"
        greeter.tap(window.tiles.reprint_button)  # "reprint last ticket"
        greeter.settle()
        greeter.qtbot.waitUntil(lambda: len(pictures(printer.jobs)) == 2, timeout=10_000)
        assert qr_codes(pictures(printer.jobs)[1]) == [view.ticket.code]
        assert len(tickets(db)) == 1


def test_a_printer_that_never_answers_status_shows_unknown_and_prints(
    open_greeter: Callable[..., Greeter], db: Database
) -> None:
    with PrinterEndpoint("silent") as printer:
        greeter = open_greeter(printer.uri)
        window = greeter.window
        badge = window.header.printer
        greeter.qtbot.waitUntil(lambda: badge.health.state != "checking", timeout=10_000)
        assert badge.health.state == "unknown"
        assert badge.text() == "● 打印机状态未知"
        greeter.tap(window.tiles.tiles["wealth"])
        greeter.tap(window.details.confirm_button)
        greeter.settle()
        assert "已打印" in window.ticket.printing.text()
        assert window.ticket.printing.property("level") != "error"
        greeter.qtbot.waitUntil(lambda: len(pictures(printer.jobs)) == 1, timeout=10_000)
        view = greeter.app.controller.last_ticket
        assert view is not None
        assert qr_codes(pictures(printer.jobs)[0]) == [view.ticket.code]
        assert badge.health.state == "unknown"  # it printed, and still tells nothing


def test_an_unreachable_printer_is_not_called_out_of_paper(
    open_greeter: Callable[..., Greeter], db: Database
) -> None:
    with closed_port() as uri:
        greeter = open_greeter(uri)
        badge = greeter.window.header.printer
        greeter.qtbot.waitUntil(lambda: badge.health.state != "checking", timeout=10_000)
        assert badge.health.state == "unreachable"
        assert badge.text() == "● 无法连接打印机"
        assert "connection refused" in badge.toolTip()


def test_tapping_the_badge_asks_the_printer_again(
    open_greeter: Callable[..., Greeter],
) -> None:
    with PrinterEndpoint(online=OFFLINE) as printer:
        greeter = open_greeter(printer.uri)
        badge = greeter.window.header.printer
        assert badge.health.state == "offline"
        printer.answers[1] = ONLINE
        greeter.tap(badge)
        greeter.qtbot.waitUntil(lambda: badge.health.state == "ready", timeout=10_000)
        assert "正常" in badge.text()


# --- live counts ---------------------------------------------------------------------------


def test_live_counts_update_when_another_process_issues(
    open_greeter: Callable[..., Greeter], db_url: str, clock: ManualClock
) -> None:
    greeter = open_greeter()
    window = greeter.window
    tile = window.tiles.tiles["cash"]
    assert tile.queue.text() == "暂无窗口办理此业务"  # no teller at any cash counter yet
    sign_in_at_counter(greeter.db, "T01", "1111", 1)
    greeter.qtbot.waitUntil(lambda: tile.queue.text() == "无人等候", timeout=10_000)
    # nothing on screen ticks to look for changes (the idle lock's timer is minutes long)
    ticking = [t for t in window.findChildren(QTimer) if t.isActive()]
    assert [t.interval() for t in ticking] == [600_000]
    subprocess.run(  # on this test's clock: the same business day at any hour
        [sys.executable, "-m", "lobby", "issue", "cash", "--db", db_url, *as_staff("G01")],
        check=True,
        capture_output=True,
        env=environment_at(clock),
    )
    greeter.qtbot.waitUntil(lambda: tile.queue.text().startswith("等候 1 人"), timeout=10_000)
    assert "分钟" in tile.queue.text()


def test_a_service_renamed_by_the_manager_shows_within_a_second_without_a_ticket(
    open_greeter: Callable[..., Greeter], db: Database
) -> None:
    greeter = open_greeter()
    tile = greeter.window.tiles.tiles["cash"]
    assert tile.name_en.text() != "Cash and coins"
    with db.read() as session:
        cash = next(s for s in admin.export_config(session).services if s.code == "cash")
    renamed = cash.model_copy(update={"name_zh": "现金与硬币", "name_en": "Cash and coins"})
    with db.unit_of_work(actor("M01")) as uow:  # what the manager app's configuration page runs
        admin.save_service(uow, renamed)
    greeter.qtbot.waitUntil(lambda: tile.name_en.text() == "Cash and coins", timeout=1_000)
    assert tile.name.text().endswith("现金与硬币")
    assert tickets(db) == []


# --- touch, language, text size ------------------------------------------------------------


def _small_targets(window: GreeterWindow) -> list[str]:
    small = []
    for widget in window.findChildren(QWidget):
        touchable = isinstance(widget, QAbstractButton | QLineEdit | QPlainTextEdit)
        if touchable and widget.isVisible():
            size = widget.size()
            if size.width() < TOUCH_PX or size.height() < TOUCH_PX:
                small.append(f"{type(widget).__name__} {widget.objectName()} {size.toTuple()}")
    return small


def test_every_touch_target_is_at_least_64_px_on_every_page(
    open_greeter: Callable[..., Greeter], db: Database, clock: ManualClock
) -> None:
    greeter = open_greeter(sign_in=False)
    window = greeter.window
    seen: list[str] = []

    def check() -> None:
        for large in (False, True):
            window.set_large_text(large)
            for size in (LANDSCAPE, PORTRAIT):
                window.resize(*size)
                greeter.qtbot.waitUntil(lambda s=size: window.size().toTuple() == s)  # type: ignore[misc]
                assert _small_targets(window) == [], (type(greeter.page()).__name__, size, large)
        seen.append(type(greeter.page()).__name__)
        window.set_large_text(False)
        window.resize(*LANDSCAPE)

    check()
    greeter.sign_in()
    check()
    greeter.tap(window.tiles.tiles["cash"])
    check()
    greeter.tap(window.self_service.anyway_button)
    greeter.tap(window.details.category.chips["appointment"])
    check()
    greeter.tap(window.details.category.chips["regular"])
    greeter.tap(window.details.confirm_button)
    greeter.settle()
    check()
    greeter.tap(window.ticket.done_button)
    greeter.tap(window.tiles.appointment_button)
    check()
    greeter.tap(window.appointment.back_button)
    greeter.tap(window.tiles.complaint_button)
    check()
    window.complaint.description.setPlainText("柜台服务态度不好")
    greeter.qtbot.keyClicks(window.complaint.contact.edit, "13900001234")
    greeter.tap(window.complaint.submit_button)
    greeter.settle()
    check()
    assert sorted(seen) == sorted(type(p).__name__ for p in window.all_pages())


def test_english_switch_retranslates_every_page_and_back(
    open_greeter: Callable[..., Greeter],
) -> None:
    greeter = open_greeter()
    window = greeter.window
    header = window.header
    assert window.tiles.title.text() == "请选择客户要办理的业务"
    assert header.language.text() == "English"

    greeter.tap(header.language)
    assert window.tiles.title.text() == "What does the customer need?"
    assert window.tiles.tiles["wealth"].queue.text() == "No counter is serving this now"
    assert header.language.text() == "中文"
    assert header.printer.text() == "● Printer OK"
    snapshot = greeter.app.controller.snapshot
    assert snapshot is not None
    chinese_names = [s.name_zh for s in snapshot.services]

    def untranslated() -> list[str]:
        texts = []
        for widget in window.findChildren(QLabel) + window.findChildren(QAbstractButton):
            text = widget.text()
            if not widget.isVisible() or not CJK.search(text):
                continue
            if widget is header.language or widget is header.staff:
                continue  # the switch names Chinese in Chinese; the staff name is data
            if any(name in text for name in chinese_names):
                continue  # tiles and tickets name each service in both languages
            texts.append(text)
        return texts

    assert untranslated() == []
    greeter.tap(window.tiles.tiles["loans"])
    assert window.details.confirm_button.text() == "Issue ticket"
    assert "Proof of income" in window.details.warning.text()
    assert untranslated() == []
    greeter.tap(window.details.confirm_button)
    greeter.settle()
    assert window.ticket.ahead.text() == "0 ahead of you"
    assert untranslated() == []

    greeter.tap(header.language)
    assert window.ticket.ahead.text() == "前面还有 0 人"
    assert window.ticket.done_button.text().startswith("完成")


def test_large_text_mode_scales_the_type(open_greeter: Callable[..., Greeter]) -> None:
    greeter = open_greeter()
    window = greeter.window
    title = window.tiles.title
    normal = title.font().pixelSize()
    greeter.tap(window.header.large_text)
    assert window.large_text
    assert title.font().pixelSize() >= normal * 1.25
    greeter.tap(window.header.large_text)
    assert title.font().pixelSize() == normal


def test_the_greeter_command_refuses_a_bad_printer_address(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from lobby.cli.main import main

    assert main(["greeter", "--db", db_url, "--printer", "lpt://1", "--kiosk"]) == 2
    assert "bad printer address" in capsys.readouterr().err


def test_shots_render_every_screen_at_both_sizes(tmp_path: Path) -> None:
    from ui.shots import render

    files = render("greeter", tmp_path)
    names = {f.name for f in files}
    for screen in (
        "signin",
        "tiles",
        "self-service",
        "details",
        "ticket",
        "print-failed",
        "appointment",
        "complaint",
        "complaint-reference",
    ):
        for width, height in (LANDSCAPE, PORTRAIT):
            assert f"greeter-{screen}-{width}x{height}.png" in names
    assert "greeter-tiles-large-text-1280x800.png" in names
    for path in files:
        with Image.open(path) as picture:
            size = tuple(int(v) for v in path.stem.rsplit("-", 1)[1].split("x"))
            assert picture.size == size
