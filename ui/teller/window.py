"""The teller console window and its composition root."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QStackedWidget, QWidget

from lobby.queries.counter_view import CounterOverview
from lobby.staff import StaffView
from ui.common.pin_change import PinChangeDialog, ask_for_new_pin
from ui.common.tasks import TaskRunner
from ui.teller.console import ConsolePage
from ui.teller.controller import TellerController
from ui.teller.dialogs import BreakDialog, ConfirmDialog, FinishDialog, TransferDialog
from ui.teller.sign_in import SignInPage


class TellerWindow(QMainWindow):
    """Sign-in, then the console; dialogs open without blocking the event loop.

    Attributes:
        dialog: The dialog currently open, if any (tests answer it directly).
    """

    def __init__(
        self,
        controller: TellerController,
        runner: TaskRunner,
        counters: list[tuple[int, str]],
        preset_counter: int | None = None,
    ) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Lobby 柜员 Teller console"))
        self.controller = controller
        self.dialog: QDialog | None = None
        self._staff_name = ""
        self.sign_in = SignInPage(counters, preset_counter)
        self.console = ConsolePage(controller.now)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.sign_in)
        self.pages.addWidget(self.console)
        self.setCentralWidget(self.pages)

        self.sign_in.submitted.connect(controller.sign_in)
        self.sign_in.take_over.connect(controller.sign_in)
        controller.signed_out.connect(self._signed_out)
        controller.occupied.connect(self.sign_in.show_occupied)
        controller.pin_change_needed.connect(self._ask_for_new_pin)
        self.pin_change: PinChangeDialog | None = None
        self.console.sign_out.connect(controller.sign_out)
        # untouched for the branch's idle time: sign out, parking the open ticket
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(lambda: controller.sign_out("idle"))
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        controller.signed_in.connect(self._signed_in)
        controller.overview_changed.connect(self._overview)
        controller.notice.connect(self._notice)
        controller.finished_ticket.connect(self._ask_rating)
        controller.busy_changed.connect(self._busy)
        controller.missed.connect(self.console.offer_undo)
        self.console.action.connect(self._action)
        self.console.call_specific.connect(controller.call_specific)
        self.console.resume.connect(controller.resume)
        self.console.recall_missed.connect(controller.recall_missed)
        self.console.undo_no_show.connect(controller.undo_no_show)
        self.console.rating.rated.connect(controller.rate)

    def _ask_for_new_pin(self, code: str) -> None:
        self.sign_in.error.setText(self.tr("请设置新密码 / choose a new PIN"))
        self.pin_change = ask_for_new_pin(self, code)
        self.pin_change.chosen.connect(self.controller.change_pin)

    def _signed_in(self, staff: StaffView) -> None:
        self._staff_name = f"{staff.name} ({staff.code})"
        self.sign_in.reset()
        self.pages.setCurrentWidget(self.console)

    def _signed_out(self) -> None:
        self.idle_timer.stop()
        self.console.withdraw_undo()
        self.console.rating.withdraw()
        if self.dialog is not None:
            self.dialog.reject()
        self.sign_in.reset()
        self.pages.setCurrentWidget(self.sign_in)

    def _overview(self, view: CounterOverview) -> None:
        self.console.show_overview(view, self._staff_name, self.controller.now())
        minutes = view.idle_sign_out_min
        if self.idle_timer.interval() != int(minutes * 60_000) or not self.idle_timer.isActive():
            self.idle_timer.setInterval(int(minutes * 60_000))
            self.idle_timer.start()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        """A closed console beats no more (its counter lapses unless it signed out)."""
        self.controller.heartbeat.stop()
        super().closeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """A key or a click in this window restarts the idle countdown."""
        if (
            event.type() in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress)
            and self.idle_timer.isActive()
            and isinstance(watched, QWidget)
            and (watched is self or self.isAncestorOf(watched))
        ):
            self.idle_timer.start()
        return False

    def _notice(self, text: str, level: str) -> None:
        if self.pages.currentWidget() is self.sign_in and level in ("error", "warn"):
            self.sign_in.error.setText(text)
            if level == "error" and self.sign_in.takeover.isVisible():
                self.sign_in.manager_pin.clear()  # the teller's own PIN was right
            elif level == "error":
                self.sign_in.show_error(text)
        else:
            self.console.show_notice(text, level)

    def _busy(self, busy: bool) -> None:
        self.console.enable_for(self.controller.overview, busy)
        self.sign_in.button.setEnabled(not busy)

    def _action(self, key: str) -> None:
        c = self.controller
        view = c.overview
        if key == "finish" and view and view.current:
            dialog = FinishDialog(view.current.number, self)
            self._open(dialog, lambda: c.finish(dialog.outcome, dialog.note.toPlainText()))
        elif key == "transfer" and view:
            transfer = TransferDialog(view.services, view.counters, view.number, self)

            def go() -> None:
                service, counter = transfer.target()
                c.transfer(service, counter, transfer.note.toPlainText())

            self._open(transfer, go)
        elif key == "confirm" and view and view.visit:
            confirm = ConfirmDialog(view.visit, list(view.documents), self)
            self._open(
                confirm,
                lambda: c.confirm(confirm.note.text(), confirm.phone.text(), confirm.documents()),
            )
        elif key == "pause" and view and view.status == "open":
            pause = BreakDialog(self)
            self._open(pause, lambda: c.set_status("break", pause.reason))
        elif key == "pause" and view:
            c.set_status("open")
        else:
            simple = {
                "call": c.call_next,
                "recall": c.recall,
                "start": c.start,
                "no_show": c.no_show,
                "park": c.park,
            }
            if key in simple:
                simple[key]()

    def _ask_rating(self, number: str) -> None:
        view = self.controller.overview
        if view is not None and view.rating_pad:
            return  # the pad at the counter asks the customer
        self.console.rating.ask(number)

    def _open(self, dialog: QDialog, on_accept: object) -> None:
        self.dialog = dialog
        dialog.accepted.connect(on_accept)
        dialog.finished.connect(lambda _: setattr(self, "dialog", None))
        dialog.open()
