"""The teller console window and its composition root."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QMainWindow, QStackedWidget, QWidget

from lobby.db import Database
from lobby.queries.branch import counter_choices
from lobby.queries.counter_view import CounterOverview
from lobby.staff import StaffView
from ui.common.tasks import TaskRunner
from ui.feed import LiveFeed
from ui.teller.console import ConsolePage
from ui.teller.controller import TellerController
from ui.teller.dialogs import ConfirmDialog, FinishDialog, TransferDialog
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

    def _signed_in(self, staff: StaffView) -> None:
        self._staff_name = f"{staff.name} ({staff.code})"
        self.pages.setCurrentWidget(self.console)

    def _overview(self, view: CounterOverview) -> None:
        self.console.show_overview(view, self._staff_name, self.controller.now())

    def _notice(self, text: str, level: str) -> None:
        if self.pages.currentWidget() is self.sign_in and level == "error":
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
        elif key == "pause" and view:
            c.set_status("break" if view.status == "open" else "open")
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


def bootstrap(
    db: Database, counter: int | None = None, parent: QWidget | None = None
) -> tuple[TellerWindow, LiveFeed, TaskRunner]:
    """Build a teller console on ``db``: runner, controller, feed and window.

    Returns:
        The window, its live feed (started) and its task runner.
    """
    with db.read() as session:
        counters = counter_choices(session)
    runner = TaskRunner()
    controller = TellerController(db, runner)
    window = TellerWindow(controller, runner, counters, counter)
    feed = LiveFeed(db, after_id=None)
    feed.events.connect(controller.on_events)
    feed.start()
    return window, feed, runner
