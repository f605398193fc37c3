"""Appointment check-in by typed code or scan (scanners type the code and press Enter)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from ui.greeter.form_page import FormPage
from ui.greeter.icons import icon
from ui.greeter.widgets import label


class AppointmentPage(FormPage):
    """One field that a scanner fills; Enter or the button checks the appointment in.

    Signals:
        check_in(str): The code to check in.
        back(): Back to the tiles.
    """

    check_in = Signal(str)

    def __init__(self) -> None:
        super().__init__("checkInButton", error_centered=True)
        self.picture = QLabel()
        self.picture.setPixmap(icon("appointment").pixmap(QSize(96, 96)))
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = label("section", center=True)
        self.explain = label("hint", center=True)
        self.code = QLineEdit()
        self.code.setObjectName("appointmentScan")
        self.code.setMaxLength(64)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setMinimumHeight(80)
        self.check_button = self.action
        self.check_button.setMinimumHeight(80)

        head = self.header()
        form = QWidget()
        form.setMinimumWidth(560)
        form.setMaximumWidth(640)
        column = QVBoxLayout(form)
        column.setSpacing(14)
        for widget in (self.picture, self.hint, self.explain, self.code, self.check_button):
            column.addWidget(widget)
        column.addWidget(self.error)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 20)
        layout.addLayout(head)
        layout.addStretch(1)
        layout.addWidget(form, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

        self.check_button.clicked.connect(self._submit)
        self.code.returnPressed.connect(self._submit)
        self.retranslate()

    def start(self) -> None:
        """An empty field with the focus, ready for the scanner."""
        self.code.clear()
        self.error.clear()
        self.set_busy(False)
        self.code.setFocus()

    def set_busy(self, busy: bool) -> None:
        """Ignore further scans until this one is answered."""
        super().set_busy(busy)
        self.code.setReadOnly(busy)

    def show_error(self, text: str) -> None:
        """Say why the check-in failed and get ready for the next scan."""
        super().show_error(text)
        self.code.selectAll()
        self.code.setFocus()

    def show_standing(self, text: str) -> None:
        """Tell the greeter what a returning customer's ticket still counts for."""
        self.error.setText(text)
        self.set_busy(False)
        self.code.selectAll()
        self.code.setFocus()

    def retranslate(self) -> None:
        """Re-apply every text."""
        self.back_button.setText(self.tr("← 返回"))
        self.title.setText(self.tr("预约签到"))
        self.hint.setText(self.tr("请扫描客户的预约二维码，或输入预约码（过号客户可输入票号）"))
        self.explain.setText(self.tr("签到后按预约时间优先叫号"))
        self.code.setPlaceholderText(self.tr("预约码，例如 A1B2C3D"))
        self.check_button.setText(self.tr("签到取号"))

    def _submit(self) -> None:
        if not self.check_button.isEnabled():
            return
        text = self.code.text().strip()
        if not text:
            self.show_error(self.tr("请输入或扫描预约码"))
            return
        self.error.clear()
        self.set_busy(True)
        self.check_in.emit(text)
