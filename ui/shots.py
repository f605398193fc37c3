"""``lobby shots APP --out DIR``: each main screen of an app, with sample data, as PNG.

Screens render offscreen on a temporary SQLite database with the sample branch, so
the pictures can be reviewed (and put in the README) without a display.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from lobby import engine
from lobby.config import SAMPLE_BRANCH, load_branch_config
from lobby.db import Database
from lobby.sample_history import sample_pad, sample_staff
from lobby.seeding import initialise
from lobby.settings import Settings

if TYPE_CHECKING:
    from devices.printer import PrinterStatus
    from lobby.receipt_print import PrintableReceipt
    from lobby.ticket_print import PrintableTicket

TELLER_SIZES = ((1366, 768), (1920, 1080))


#: Branch time (hour, minute) the screens show: the sample branch is always in its morning.
SHOTS_TIME = (10, 30)


class ShiftedClock:
    """The system clock, moved to this business day's morning in the branch.

    Time runs as on the wall, but from 10:30 branch time of the current day, so the
    sample tickets backdated by ``offset`` stay on the day the apps read, whatever
    the hour (at 00:10 in Shanghai, half an hour ago was the day before).
    """

    def __init__(self, timezone: str = "Asia/Shanghai") -> None:
        from lobby.clock import SystemClock, zone

        self._clock = SystemClock()
        local = self._clock.now().astimezone(zone(timezone))
        hour, minute = SHOTS_TIME
        morning = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
        self._to_morning = morning - local
        self.offset = timedelta()

    def now(self) -> datetime:
        """This morning's time in the branch plus the offset."""
        return self._clock.now() + self._to_morning + self.offset


@contextmanager
def sample_branch() -> Iterator[tuple[Database, ShiftedClock]]:
    """A temporary database with the sample branch and a morning's tickets."""
    with tempfile.TemporaryDirectory(prefix="lobby-shots-") as tmp:
        clock = ShiftedClock()
        clock.offset = -timedelta(minutes=30)
        db = Database.open(f"sqlite:///{Path(tmp) / 'lobby.db'}", clock=clock)
        initialise(db, load_branch_config(SAMPLE_BRANCH), "shots", waive_pin_change=True)
        with db.unit_of_work(sample_staff(db, "G01")) as uow:
            for service in ("cash", "cash", "account", "wealth", "cash", "enquiry"):
                engine.issue_ticket(uow, service)
        clock.offset = -timedelta(minutes=26)
        with db.unit_of_work(sample_staff(db, "T02")) as uow:
            engine.call_next(uow, 2)
            engine.start(uow, 2)
            engine.transfer(
                uow, 2, to_service="account", note="客户需办理第二张卡 wants a second card"
            )
        clock.offset = -timedelta(minutes=24)
        with db.unit_of_work(sample_staff(db, "G01")) as uow:
            engine.issue_ticket(
                uow,
                "cash",
                category="elderly",
                phone="13812345678",
                note="行动不便，需要座椅 / needs a chair",
                documents=["id_card"],
            )
        clock.offset = timedelta()
        try:
            yield db, clock
        finally:
            db.dispose()


def settle(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    """Process Qt events until ``condition`` holds (background tasks finished)."""
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not settle")
        QApplication.processEvents()
        time.sleep(0.01)
    QApplication.processEvents()


def _teller(out: Path) -> list[Path]:
    from ui.teller.main import bootstrap

    files = []
    with sample_branch() as (db, clock):
        teller = bootstrap(Settings(), db, counter=1)
        window, feed, runner = teller.window, teller.feed, teller.runner
        try:
            for width, height in TELLER_SIZES:
                window.resize(width, height)
                window.show()
                settle(lambda: True)
                files.append(_grab(window, out / f"teller-signin-{width}x{height}.png"))
            window.sign_in.staff.setText("T01")
            window.sign_in.pin.setText("1111")
            window.sign_in.button.click()
            settle(lambda: window.controller.overview is not None and not runner.busy)
            window.controller.call_next()
            settle(lambda: not runner.busy)
            for width, height in TELLER_SIZES:
                window.resize(width, height)
                settle(lambda: True)
                files.append(_grab(window, out / f"teller-console-{width}x{height}.png"))
            window.resize(*TELLER_SIZES[0])
            window.console.buttons["transfer"].click()
            settle(lambda: window.dialog is not None)
            files.append(_grab(window.dialog, out / "teller-transfer.png"))
            window.dialog.reject()  # type: ignore[union-attr]
            window.controller.no_show()
            settle(lambda: not runner.busy)
            window.console.side.lists.setCurrentIndex(1)
            settle(lambda: True)
            files.append(_grab(window, out / "teller-missed-undo.png"))
            window.console.withdraw_undo()
            window.controller.call_next()
            settle(lambda: not runner.busy)
            window.controller.finish("done", "")
            settle(lambda: not runner.busy and window.console.rating.isVisible())
            files.append(_grab(window, out / "teller-rating-panel.png"))
            window.console.rating.withdraw()
            _silent_pad(db, clock)
            window.controller.beat()
            settle(lambda: not runner.busy)
            files.append(_grab(window, out / "teller-pad-unknown.png"))
            window.controller.set_status("break", "lunch")
            settle(lambda: not runner.busy)
            files.append(_grab(window, out / "teller-break.png"))
            occupied = _occupied_sign_in(db, out)
            files.append(occupied)
        finally:
            window.close()
            feed.stop()
            runner.wait()
        files += _receiving_teller(db, out)
    return files


def _silent_pad(db: Database, clock: ShiftedClock, counter: int = 1, seconds: int = 45) -> None:
    """The counter's rating pad started ``seconds`` ago and has not been heard from since."""
    from lobby.engine.rating_pad import pad_started

    clock.offset = -timedelta(seconds=seconds)
    with db.unit_of_work(sample_pad(db, counter)) as uow:
        pad_started(uow, counter)
    clock.offset = timedelta()


def _occupied_sign_in(db: Database, out: Path) -> Path:
    """A second teller at counter 1: refused with the holder's name, takeover offered."""
    from ui.teller.main import bootstrap

    teller = bootstrap(Settings(), db, counter=1)
    window, feed, runner = teller.window, teller.feed, teller.runner
    try:
        window.resize(*TELLER_SIZES[0])
        window.show()
        window.sign_in.staff.setText("T02")
        window.sign_in.pin.setText("2222")
        window.sign_in.button.click()
        settle(lambda: not runner.busy and window.sign_in.takeover.isVisible())
        settle(lambda: True)  # the form has grown by the takeover rows
        return _grab(window, out / "teller-signin-occupied-1366x768.png")
    finally:
        window.close()
        feed.stop()
        runner.wait()


def _receiving_teller(db: Database, out: Path) -> list[Path]:
    """Counter 4 calls the customer transferred from counter 2: both notes, both waits."""
    from ui.teller.main import bootstrap

    teller = bootstrap(Settings(), db, counter=4)
    window, feed, runner = teller.window, teller.feed, teller.runner
    try:
        window.resize(*TELLER_SIZES[0])
        window.show()
        window.sign_in.staff.setText("T03")
        window.sign_in.pin.setText("3333")
        window.sign_in.button.click()
        settle(lambda: window.controller.overview is not None and not runner.busy)
        window.controller.call_next()
        settle(lambda: not runner.busy)
        return [_grab(window, out / "teller-transfer-received-1366x768.png")]
    finally:
        window.close()
        feed.stop()
        runner.wait()


def _grab(widget: object, path: Path) -> Path:
    from PySide6.QtWidgets import QWidget

    assert isinstance(widget, QWidget)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    return path


RENDERERS: dict[str, Callable[[Path], list[Path]]] = {"teller": _teller}

PAD_SIZES = ((1280, 800), (800, 480))


def _rating_pad(out: Path) -> list[Path]:
    from ui.rating.main import bootstrap

    files: list[Path] = []
    with sample_branch() as (db, _clock):
        pad = bootstrap(Settings(), db, counter=1, credential=sample_pad(db, 1))
        window, feed, runner = pad.window, pad.feed, pad.runner
        try:
            for width, height in PAD_SIZES:
                window.resize(width, height)
                window.show()
                window.controller.welcome.emit()
                settle(lambda: True)
                files.append(_grab(window, out / f"rating-pad-welcome-{width}x{height}.png"))
                window.controller.ask("A004")
                settle(lambda: True)
                files.append(_grab(window, out / f"rating-pad-faces-{width}x{height}.png"))
                window.controller.thanked.emit(5)
                settle(lambda: True)
                files.append(_grab(window, out / f"rating-pad-thanks-{width}x{height}.png"))
        finally:
            window.close()
            feed.stop()
            runner.wait()
            window.controller.stop()
    return files


RENDERERS["rating-pad"] = _rating_pad


#: The language the screens are rendered in (``render`` sets it; the renderers read it).
LANG = {"code": "zh"}


def render(app_name: str, out: Path, lang: str = "zh") -> list[Path]:
    """Render every main screen of ``app_name`` into ``out`` in ``lang``; return the files."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication

    from ui.common.app import make_app
    from ui.common.translations import TRANSLATIONS, english

    if lang not in ("zh", "en"):
        raise ValueError(f"unknown language {lang!r}: use zh or en")
    app = make_app(["lobby-shots"])
    LANG["code"] = lang
    # apps without a language object of their own take their English from Qt's translator
    translator = None
    name = app_name.replace("rating-pad", "rating")
    own = app_name in ("greeter", "display")
    if lang == "en" and not own and (TRANSLATIONS / f"{name}_en.ts").exists():
        translator = english(name, app)
        QCoreApplication.installTranslator(translator)
    try:
        return RENDERERS[app_name](out)
    finally:
        if translator is not None:
            QCoreApplication.removeTranslator(translator)


DISPLAY_SIZES = ((1920, 1080), (1280, 720))


def _display(out: Path) -> list[Path]:
    from ui.display.main import bootstrap

    files = []
    with sample_branch() as (db, _clock):
        with db.unit_of_work(sample_staff(db, "T01")) as uow:
            engine.call_next(uow, 1)
        with db.unit_of_work(sample_staff(db, "T03")) as uow:
            engine.call_next(uow, 4)
        for layout, counter, languages in (
            ("board", 2, LANG["code"]),
            ("counters", 3, LANG["code"]),
            ("board", 5, "both"),  # the hall's usual setting: Chinese above English
        ):
            display = bootstrap(Settings(), db, layout=layout, languages=languages)
            window, feed, runner = display.window, display.feed, display.runner
            model = window.model
            try:
                with db.unit_of_work(sample_staff(db, "T02")) as uow:
                    engine.call_next(uow, counter)
                settle(lambda m=model: m.board is not None and len(m.announced) > 0)  # type: ignore[misc]
                settle(lambda r=runner: not r.busy)  # type: ignore[misc]
                sizes = (
                    DISPLAY_SIZES
                    if (layout, languages) == ("board", LANG["code"])
                    else DISPLAY_SIZES[:1]
                )
                for width, height in sizes:
                    window.resize(width, height)
                    window.show()
                    settle(lambda: True)
                    mode = "-both" if languages == "both" else ""
                    name = f"display-{layout}{mode}-{width}x{height}.png"
                    files.append(_grab(window, out / name))
            finally:
                window.close()
                feed.stop()
                runner.wait()
    return files


RENDERERS["display"] = _display


GREETER_SIZES = ((1280, 800), (800, 1280))


class _ShotsPrinter:
    """The PNG printer standing in for a networked ticket printer that can be unplugged."""

    uri = "tcp://192.168.1.50:9100"

    def __init__(self, directory: Path) -> None:
        from devices.printer import open_printer

        self._png = open_printer(f"png://{directory}")
        self.unplugged = False

    def print_ticket(self, ticket: PrintableTicket) -> None:
        """Write the ticket's picture, or fail as a switched-off printer does."""
        from devices.printer import PrinterUnreachable

        if self.unplugged:
            raise PrinterUnreachable(self.uri, "connection refused", ticket=ticket.number)
        self._png.print_ticket(ticket)

    def print_receipt(self, receipt: PrintableReceipt) -> None:
        """Write the complaint receipt's picture."""
        from devices.printer import PrinterUnreachable

        if self.unplugged:
            raise PrinterUnreachable(self.uri, "connection refused", ticket=receipt.reference)
        self._png.print_receipt(receipt)

    def print_test_page(self, branch_zh: str, branch_en: str) -> None:
        """Write the test page's picture."""
        self._png.print_test_page(branch_zh, branch_en)

    def status(self) -> PrinterStatus:
        """Online with paper, or unreachable once unplugged."""
        from devices.printer import PrinterStatus

        if self.unplugged:
            return PrinterStatus("unreachable", "connection refused")
        return PrinterStatus("ready")

    def close(self) -> None:
        """Nothing to release."""


def _greeter(out: Path) -> list[Path]:
    from ui.greeter.main import GreeterOptions, bootstrap

    files: list[Path] = []
    with sample_branch() as (db, clock), tempfile.TemporaryDirectory() as paper:
        with db.unit_of_work(sample_staff(db, "G01")) as uow:
            appointment = engine.book_appointment(
                uow, "account", clock.now() + timedelta(minutes=20), customer="王女士"
            )
        printer = _ShotsPrinter(Path(paper))
        app = bootstrap(
            Settings(), db, printer, staff="G01", options=GreeterOptions(printer_check_s=0)
        )
        window, runner = app.window, app.runner
        app.language.use(LANG["code"])

        def idle() -> bool:
            return not runner.busy and all(s != "printing" for s in app.printing.jobs.values())

        def shoot(name: str, sizes: tuple[tuple[int, int], ...] = GREETER_SIZES) -> None:
            for width, height in sizes:
                window.resize(width, height)
                window.show()
                settle(idle)
                files.append(_grab(window, out / f"greeter-{name}-{width}x{height}.png"))

        try:
            settle(lambda: idle() and app.printing.health.state != "checking")
            shoot("signin")
            window.sign_in.pin.setText("2468")
            window.sign_in.button.click()
            settle(lambda: window.pages.currentWidget() is window.tiles and idle())
            shoot("tiles")
            window.header.large_text.click()
            shoot("tiles-large-text", GREETER_SIZES[:1])
            window.header.large_text.click()

            window.tiles.tiles["account"].click()  # self-service first
            shoot("self-service")
            window.self_service.anyway_button.click()
            details = window.details
            details.category.chips["elderly"].click()
            details.phone.edit.setText("13812345678")
            details.phone.edit.editingFinished.emit()
            details.note.setText("行动不便，请安排座位")
            details.documents.chips["id_card"].click()
            shoot("details")
            details.confirm_button.click()
            settle(lambda: window.pages.currentWidget() is window.ticket and idle())
            shoot("ticket")

            window.ticket.done_button.click()
            printer.unplugged = True
            window.tiles.tiles["wealth"].click()
            window.details.all_documents.click()
            window.details.confirm_button.click()
            settle(lambda: window.ticket.print_state == "failed" and idle())
            shoot("print-failed")
            printer.unplugged = False
            window.header.printer.click()  # plugged back in: the greeter taps the badge
            window.ticket.done_button.click()

            window.tiles.appointment_button.click()
            window.appointment.code.setText(appointment)
            shoot("appointment")
            window.appointment.back_button.click()

            window.tiles.complaint_button.click()
            form = window.complaint
            form.category.chips["waiting"].click()
            form.description.setPlainText(
                "上午10点取号，等了一个多小时，中间没有任何说明；3号窗口长时间无人。"
            )
            form.contact.edit.setText("139 0000 1234")
            form.contact.edit.editingFinished.emit()
            shoot("complaint")
            form.submit_button.click()
            settle(lambda: window.pages.currentWidget() is window.complaint_done and idle())
            window.complaint_done.print_button.click()
            shoot("complaint-reference")
        finally:
            app.close()
    return files


RENDERERS["greeter"] = _greeter


MANAGER_SIZE = (1920, 1080)


def _manager(out: Path) -> list[Path]:
    from lobby.clock import business_day
    from lobby.sample_history import MovableClock, play_days
    from ui.manager.main import bootstrap

    files: list[Path] = []
    with sample_branch() as (db, clock):
        history = MovableClock()
        past = Database(db.engine, history)
        yesterday = business_day(clock.now(), "Asia/Shanghai") - timedelta(days=1)
        play_days(past, history, yesterday, 10, visits=45)
        with db.unit_of_work(sample_staff(db, "T01")) as uow:
            engine.call_next(uow, 1)
            engine.start(uow, 1)
        with db.unit_of_work(sample_staff(db, "G01")) as uow:
            for _ in range(14):
                engine.issue_ticket(uow, "account")
        _silent_pad(db, clock, 1)  # counter 1's pad fell silent: "status unknown"
        _silent_pad(db, clock, 2, seconds=0)  # counter 2's has just started: online
        manager = bootstrap(Settings(), db)
        window, feed, runner = manager.window, manager.feed, manager.runner
        try:
            window.resize(*MANAGER_SIZE)
            window.show()
            settle(lambda: not runner.busy)
            files.append(_grab(window, out / "manager-signin.png"))
            window.sign_in.staff.setText("M01")
            window.sign_in.pin.setText("9999")
            window.sign_in.button.click()
            settle(lambda: window.controller.staff is not None and not runner.busy)
            settle(lambda: window.live.floor is not None and not runner.busy)
            files.append(_grab(window, out / "manager-live.png"))
            window.tabs.setCurrentWidget(window.reports)
            window.reports.preset("30")
            window.reports.run_button.click()
            settle(lambda: not runner.busy)
            files.append(_grab(window, out / "manager-reports.png"))
            window.tabs.setCurrentWidget(window.complaints)
            window.complaints.request()
            settle(lambda: not runner.busy)
            if window.complaints.table.rowCount():
                window.complaints.table.selectRow(0)
            settle(lambda: True)
            files.append(_grab(window, out / "manager-complaints.png"))
            window.tabs.setCurrentWidget(window.config)
            settle(lambda: not runner.busy)
            files.append(_grab(window, out / "manager-config.png"))
            window.config.tabs.setCurrentWidget(window.config.policy)
            files.append(_grab(window, out / "manager-config-rules.png"))
            window.tabs.setCurrentWidget(window.audit)
            window.audit.request()
            settle(lambda: not runner.busy)
            files.append(_grab(window, out / "manager-audit.png"))
            window.tabs.setCurrentWidget(window.staffing)
            window.staffing.run_button.click()
            settle(lambda: not runner.busy, timeout=120)
            files.append(_grab(window, out / "manager-staffing.png"))
        finally:
            window.close()
            feed.stop()
            runner.wait()
    return files


RENDERERS["manager"] = _manager
