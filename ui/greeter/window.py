"""The greeter's window: the header and the pages, and the way between them."""

from __future__ import annotations

from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from lobby.queries.service_list import ServiceList
from lobby.staff import StaffView
from ui.common.pin_change import PinChangeDialog, ask_for_new_pin
from ui.greeter.appointment import AppointmentPage
from ui.greeter.complaint import ComplaintDonePage, ComplaintPage
from ui.greeter.controller import GreeterController
from ui.greeter.details import DetailsPage
from ui.greeter.header import HeaderBar
from ui.greeter.i18n import Language
from ui.greeter.idle import IdleWatcher
from ui.greeter.printing import TicketPrinting
from ui.greeter.records import ComplaintReceipt, IssuedTicket
from ui.greeter.self_service import SelfServicePage
from ui.greeter.sign_in import SignInPage
from ui.greeter.style import LARGE, NORMAL, greeter_style
from ui.greeter.ticket_page import TicketPage
from ui.greeter.tiles import TilesPage

Page = (
    SignInPage
    | TilesPage
    | SelfServicePage
    | DetailsPage
    | TicketPage
    | AppointmentPage
    | ComplaintPage
    | ComplaintDonePage
)


class GreeterWindow(QWidget):
    """Sign-in, then the tiles; every errand is a page that comes back to the tiles.

    Attributes:
        pages: The page stack; ``pages.currentWidget()`` is what the greeter sees.
    """

    def __init__(
        self,
        controller: GreeterController,
        printing: TicketPrinting,
        language: Language,
        *,
        idle_lock_ms: int = 120_000,
        return_after_s: int = 8,
    ) -> None:
        super().__init__()
        self.setObjectName("greeter")
        # An explicit minimum stops the pages' portrait layout from holding the window
        # tall when the tablet turns back to landscape (the layout flips after the resize).
        self.setMinimumSize(640, 480)
        self.controller = controller
        self.language = language
        self.large_text = False
        self._staff_code = ""
        self.header = HeaderBar(language)
        self.sign_in = SignInPage()
        self.tiles = TilesPage(language)
        self.self_service = SelfServicePage(language)
        self.details = DetailsPage(language)
        self.ticket = TicketPage(language, return_after_s)
        self.appointment = AppointmentPage()
        self.complaint = ComplaintPage()
        self.complaint_done = ComplaintDonePage(language)
        self.pages = QStackedWidget()
        for page in self.all_pages():
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.pages, 1)
        self.idle = IdleWatcher(idle_lock_ms, self)
        self.pin_change: PinChangeDialog | None = None
        self.setStyleSheet(greeter_style(NORMAL))

        self._wire_controller(controller, printing)
        self._wire_pages(controller)
        h = self.header
        h.printer.clicked.connect(printing.refresh_status)
        h.language.clicked.connect(language.toggle)
        h.large_text.toggled.connect(self.set_large_text)
        h.lock.clicked.connect(self.lock)
        language.changed.connect(lambda _code: self.retranslate())
        self.idle.idle.connect(self.lock)
        self.retranslate()

    # the way between the pages

    def _wire_controller(self, c: GreeterController, printing: TicketPrinting) -> None:
        c.signed_in.connect(self._signed_in)
        c.snapshot_changed.connect(self._snapshot)
        c.issued.connect(self._issued)
        c.complaint_filed.connect(self._complaint_filed)
        c.failed.connect(self._failed)
        c.pin_change_needed.connect(self._ask_for_new_pin)
        c.ticket_standing.connect(self.appointment.show_standing)
        self.ticket.print_errors = self.complaint_done.print_errors = printing.last_error
        printing.job_changed.connect(self.ticket.show_print)
        printing.job_changed.connect(self.complaint_done.show_print)
        printing.health_changed.connect(self.header.printer.show_health)

    def _wire_pages(self, c: GreeterController) -> None:
        self.sign_in.submitted.connect(self._submit_sign_in)
        self.tiles.chosen.connect(self._chosen)
        self.tiles.appointment.connect(self._open_appointment)
        self.tiles.complaint.connect(self._open_complaint)
        self.tiles.reprint.connect(lambda: c.reprint())
        self.self_service.use_machine.connect(self._used_machine)
        self.self_service.issue_anyway.connect(self._open_details)
        self.details.confirmed.connect(c.issue)
        self.ticket.done.connect(self.go_home)
        self.ticket.reprint.connect(c.reprint)
        self.appointment.check_in.connect(c.check_in)
        self.complaint.submitted.connect(c.file_complaint)
        self.complaint_done.print_receipt.connect(c.print_receipt)
        self.complaint_done.done.connect(self.go_home)
        for page in (self.self_service, self.details, self.appointment, self.complaint):
            page.back.connect(self.go_home)

    def go_home(self) -> None:
        """Back to the service tiles."""
        self._show(self.tiles)

    def lock(self) -> None:
        """Lock the tablet: the next greeter signs in again (the staff id stays filled in)."""
        self.controller.sign_out()
        self.idle.disarm()
        self.header.set_staff(None)
        self.sign_in.prepare(self._staff_code)
        self._show(self.sign_in)

    def _show(self, page: QWidget) -> None:
        if page is not self.ticket:
            self.ticket.stop()
        if page is not self.tiles:
            self.tiles.show_notice("")
        self.pages.setCurrentWidget(page)

    def _submit_sign_in(self, code: str, pin: str) -> None:
        self.sign_in.set_busy(True)
        self.controller.sign_in(code, pin)

    def _ask_for_new_pin(self, code: str) -> None:
        self.sign_in.set_busy(False)
        self.sign_in.show_error(self.tr("请设置新密码"))
        self.pin_change = ask_for_new_pin(self, code)
        self.pin_change.chosen.connect(self._new_pin_chosen)

    def _new_pin_chosen(self, code: str, pin: str) -> None:
        self.sign_in.set_busy(True)
        self.controller.change_pin(code, pin)

    def _signed_in(self, staff: StaffView) -> None:
        self._staff_code = staff.code
        self.sign_in.set_busy(False)
        self.sign_in.error.clear()
        self.header.set_staff(f"{staff.name} ({staff.code})")
        if self.controller.unattended:
            self.header.lock.hide()  # nobody here to sign in again
        else:
            self.idle.arm()
        self.go_home()

    def _snapshot(self, snapshot: ServiceList) -> None:
        self.header.set_branch(self.language.pick(snapshot.branch_zh, snapshot.branch_en))
        self.tiles.show_snapshot(snapshot)
        shown = self.self_service.service
        fresh = snapshot.service(shown.code) if shown else None
        if fresh is not None and fresh != shown:
            self.self_service.show_service(fresh)

    def _chosen(self, code: str) -> None:
        snapshot = self.controller.snapshot
        service = snapshot.service(code) if snapshot else None
        if service is None:
            return
        if service.self_service:
            self.self_service.show_service(service)
            self._show(self.self_service)
        else:
            self._open_details(code)

    def _open_details(self, code: str) -> None:
        snapshot = self.controller.snapshot
        service = snapshot.service(code) if snapshot else None
        if service is not None:
            self.details.start(service)
            self._show(self.details)

    def _used_machine(self, code: str) -> None:
        self.go_home()
        self.tiles.show_notice(self.tr("✔ 已引导客户使用自助设备"))
        self.controller.divert(code)  # journalled in the background; a failure replaces the notice

    def _open_appointment(self) -> None:
        self.appointment.start()
        self._show(self.appointment)

    def _open_complaint(self) -> None:
        self.complaint.start()
        self._show(self.complaint)

    def _issued(self, issued: IssuedTicket) -> None:
        self.details.set_busy(False)
        self.appointment.set_busy(False)
        self.tiles.set_last_ticket(issued.number)
        self.ticket.show_ticket(issued)
        self._show(self.ticket)

    def _complaint_filed(self, receipt: ComplaintReceipt) -> None:
        self.complaint.set_busy(False)
        self.complaint_done.show_receipt(receipt)
        self._show(self.complaint_done)

    def _failed(self, where: str, message: str) -> None:
        if where == "sign_in":
            self.sign_in.set_busy(False)
            self.sign_in.show_error(message)
        elif where == "issue":
            self.details.show_error(message)
        elif where == "appointment":
            self.appointment.show_error(message)
        elif where == "complaint":
            self.complaint.show_error(message)
        elif where == "reprint" and self.pages.currentWidget() is self.ticket:
            self.ticket.show_error(message)
        else:
            self.tiles.show_notice(message)

    # language, text size, orientation

    def retranslate(self) -> None:
        """Re-apply every text of every page in the current language."""
        self.setWindowTitle(self.tr("Lobby 大堂经理"))
        self.header.retranslate()
        if self.controller.snapshot is not None:
            self._snapshot(self.controller.snapshot)
        for page in self.all_pages():
            page.retranslate()

    def set_large_text(self, on: bool) -> None:
        """Bigger type everywhere, for elderly customers reading along."""
        self.large_text = on
        scale = LARGE if on else NORMAL
        self.setStyleSheet(greeter_style(scale))
        self.tiles.set_scale(scale)
        if self.header.large_text.isChecked() != on:
            self.header.large_text.setChecked(on)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        """Lay the pages out for portrait or landscape."""
        super().resizeEvent(event)
        portrait = self.height() > self.width()
        for page in (self.sign_in, self.self_service, self.details, self.ticket, self.complaint):
            page.set_portrait(portrait)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        """Stop the idle lock's watch on the app."""
        self.idle.close()
        self.ticket.stop()
        super().closeEvent(event)

    def all_pages(self) -> list[Page]:
        """Every page, in the stack's order."""
        return [
            self.sign_in,
            self.tiles,
            self.self_service,
            self.details,
            self.ticket,
            self.appointment,
            self.complaint,
            self.complaint_done,
        ]
