"""The issued ticket on screen: number, QR, people ahead, wait, and how printing went.

The page returns to the start by itself a few seconds after the ticket printed.
After a failed print it stays, so the customer can note the number, and offers
a reprint. The countdown is a screen timer; it never reads the database.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from lobby.error_texts import say
from lobby.errors import LobbyError
from ui.greeter.i18n import CATEGORY_LABELS, UNSERVED, Language, label
from ui.greeter.printing import FAILED, PRINTED, PRINTING
from ui.greeter.qr import qr_pixmap
from ui.greeter.records import IssuedTicket
from ui.greeter.widgets import AdaptiveBox, button, repolish
from ui.greeter.widgets import label as make_label

QR_PX = 240


class TicketPage(QWidget):
    """Shows one issued ticket.

    Signals:
        done(): Back to the start (tapped, or the countdown ran out).
        reprint(IssuedTicket): Print this ticket again.
    """

    done = Signal()
    reprint = Signal(object)

    def __init__(self, language: Language, return_after_s: int = 8) -> None:
        super().__init__()
        self._language = language
        self._return_after = return_after_s
        self.remaining = return_after_s
        self.issued: IssuedTicket | None = None
        self.print_state = ""
        self.print_message = ""
        #: The print jobs' failures by number (the printing's own table): said in the
        #: screen's language when shown.
        self.print_errors: Mapping[str, LobbyError] = {}
        self.heading = make_label("hint", center=True)
        self.number = make_label("bigNumber", wrap=False, center=True)
        self.service = make_label("serviceName", center=True)
        self.category = make_label("tileBadge", wrap=False, center=True)
        self.ahead = make_label("waitInfo", center=True)
        self.wait = make_label("waitInfo", center=True)
        self.qr = QLabel()
        self.qr.setObjectName("qr")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_caption = make_label("small", center=True)
        self.printing = make_label("printState", center=True)
        self.printing.setMargin(12)  # a wrapping label's size ignores style-sheet padding
        self.reprint_button = button("secondary", name="reprintTicket")
        self.done_button = button(name="doneButton")
        for action in (self.reprint_button, self.done_button):
            action.setMinimumHeight(80)
            action.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        info = QVBoxLayout()
        info.setSpacing(6)
        for widget in (self.heading, self.number, self.service):
            info.addWidget(widget)
        info.addWidget(self.category, 0, Qt.AlignmentFlag.AlignHCenter)
        info.addWidget(self.ahead)
        info.addWidget(self.wait)
        code = QVBoxLayout()
        code.addWidget(self.qr)
        code.addWidget(self.qr_caption)
        self.columns = AdaptiveBox()
        self.columns.setSpacing(24)
        self.columns.addStretch(1)
        self.columns.addLayout(info, 3)
        self.columns.addLayout(code, 2)
        self.columns.addStretch(1)
        actions = QHBoxLayout()
        actions.setSpacing(16)
        actions.addWidget(self.reprint_button)
        actions.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 20)
        layout.setSpacing(14)
        layout.addStretch(1)
        layout.addLayout(self.columns)
        layout.addStretch(1)
        layout.addWidget(self.printing)
        layout.addLayout(actions)

        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self.done_button.clicked.connect(self._finish)
        self.reprint_button.clicked.connect(self._reprint)
        self.retranslate()

    def show_ticket(self, issued: IssuedTicket) -> None:
        """Show a freshly committed ticket; printing is about to start."""
        self.issued = issued
        self.print_state, self.print_message = PRINTING, ""
        self.qr.setPixmap(qr_pixmap(issued.ticket.code, QR_PX))
        self.remaining = self._return_after
        self._timer.start()
        self.retranslate()

    def show_print(self, key: str, state: str, message: str) -> None:
        """Follow the print job ``key`` if it is this page's ticket."""
        if self.issued is None or key != self.issued.number:
            return
        self.print_state, self.print_message = state, message
        if state == FAILED:
            self._timer.stop()  # stay: the number must be seen, and a reprint offered
        elif state == PRINTED and not self._timer.isActive():
            self.remaining = self._return_after
            self._timer.start()
        self.retranslate()

    def show_error(self, message: str) -> None:
        """A reprint could not even be prepared (e.g. the database is away)."""
        if self.issued is not None:
            self.show_print(self.issued.number, FAILED, message)

    def stop(self) -> None:
        """Stop the countdown (the page is being left)."""
        self._timer.stop()

    def set_portrait(self, portrait: bool) -> None:
        """QR code beside the number in landscape, below it in portrait."""
        self.columns.set_portrait(portrait)

    def retranslate(self) -> None:
        """Re-apply every text."""
        self.heading.setText(self.tr("您的号码"))
        self.qr_caption.setText(self.tr("号票二维码（柜员扫码叫号）"))
        self.reprint_button.setText(self.tr("补打号票"))
        self.done_button.setText(
            self.tr("完成（{n} 秒后返回）").format(n=self.remaining)
            if self._timer.isActive()
            else self.tr("完成")
        )
        issued = self.issued
        if issued is None:
            return
        t, p = issued.ticket, issued.printable
        self.number.setText(t.number)
        self.service.setText(f"{t.service_zh}  {t.service_en}")
        self.category.setVisible(t.category != "regular")
        self.category.setText(label(CATEGORY_LABELS.get(t.category, t.category)))
        self.ahead.setText(self.tr("前面还有 {n} 人").format(n=p.ahead))
        self.ahead.setVisible(bool(p.ahead) or not p.unserved)
        if p.unserved:  # nobody will call it until a counter opens: not "you're next"
            self.wait.setText(label(UNSERVED))
        elif p.ahead:
            wait = self._language.wait_range(p.wait_low_min, p.wait_high_min)
            self.wait.setText(self.tr("预计等候：{wait}").format(wait=wait))
        else:
            self.wait.setText(self.tr("请留意叫号，马上就到您"))
        level, text = {
            PRINTING: ("busy", self.tr("正在打印…")),
            PRINTED: ("info", self.tr("✔ 已打印，请把号票交给客户")),
            FAILED: (
                "error",
                self.tr(
                    "打印失败，号码 {number} 仍然有效：请客户记下号码，或修好打印机后补打。"
                ).format(number=t.number)
                + "\n"
                + self._print_failure(t.number),
            ),
        }.get(self.print_state, ("busy", ""))
        self.printing.setProperty("level", level)
        self.printing.setText(text)
        repolish(self.printing)
        self.reprint_button.setEnabled(self.print_state != PRINTING)

    def _print_failure(self, number: str) -> str:
        error = self.print_errors.get(number)
        if error is None or not error.code:
            return self.print_message
        # the page says already that the ticket stays valid
        return say(error, "en" if self._language.english else "zh", follow_up=False)

    def _tick(self) -> None:
        self.remaining -= 1
        if self.remaining <= 0:
            self._finish()
        else:
            self.retranslate()

    def _finish(self) -> None:
        self._timer.stop()
        self.done.emit()

    def _reprint(self) -> None:
        if self.issued is not None:
            self.reprint.emit(self.issued)
