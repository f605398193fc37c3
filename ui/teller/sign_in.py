"""The teller's sign-in page: staff id, PIN and counter."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFrame, QLabel, QLineEdit, QPushButton, QVBoxLayout

from ui.common.sign_in import SignInForm


class SignInPage(SignInForm):
    """Staff id, PIN and the counter to open.

    Signals:
        submitted(str, str, int): staff id, PIN, counter number.
        take_over(str, str, int, str, str): the same, with a manager's id and PIN.
    """

    submitted = Signal(str, str, int)
    take_over = Signal(str, str, int, str, str)

    def __init__(self, counters: list[tuple[int, str]], preset: int | None = None) -> None:
        self.counter = QComboBox()
        self.set_counters(counters, preset)
        super().__init__("柜员登录  Teller sign-in", "T01", (("窗口 Counter", self.counter),))
        self.button.clicked.connect(self._submit)
        self.pin.returnPressed.connect(self._submit)
        self.takeover = QFrame()
        self.takeover.setObjectName("takeover")
        self.holder = QLabel()
        self.holder.setWordWrap(True)
        self.holder.setMinimumHeight(56)  # two wrapped lines: layouts underestimate them
        self.manager = QLineEdit()
        self.manager.setPlaceholderText(self.tr("主任工号 Manager id"))
        self.manager_pin = QLineEdit()
        self.manager_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.manager_pin.setPlaceholderText(self.tr("主任密码 Manager PIN"))
        self.takeover_button = QPushButton(self.tr("主任授权接管 Take over with a manager's PIN"))
        self.takeover_button.setObjectName("takeOver")
        column = QVBoxLayout(self.takeover)
        column.setContentsMargins(0, 8, 0, 8)
        for widget in (self.holder, self.manager, self.manager_pin, self.takeover_button):
            column.addWidget(widget)
        self.takeover.hide()
        box = self.error.parentWidget()
        box_layout = box.layout() if box is not None else None
        assert box_layout is not None
        box_layout.addWidget(self.takeover)
        self.takeover_button.clicked.connect(self._take_over)
        self.manager_pin.returnPressed.connect(self._take_over)
        self.counter.currentIndexChanged.connect(lambda _: self.takeover.hide())

    def set_counters(self, counters: list[tuple[int, str]], preset: int | None = None) -> None:
        """Offer ``counters`` (number, name), with ``preset`` chosen if it is one of them."""
        self.counter.clear()
        for number, name in counters:
            self.counter.addItem(name, number)
        if preset is not None and (index := self.counter.findData(preset)) >= 0:
            self.counter.setCurrentIndex(index)

    def show_occupied(self, text: str) -> None:
        """Another teller holds the counter: say who, and offer a manager's takeover."""
        self.error.setText(self.tr("窗口已有柜员登录 / counter occupied"))
        self.holder.setText(text)
        self.takeover.show()
        self.manager.setFocus()

    def reset(self) -> None:
        """Back to a blank form (after a sign-out)."""
        for field in (self.pin, self.manager, self.manager_pin):
            field.clear()
        self.takeover.hide()

    def _take_over(self) -> None:
        if not self.filled():
            return
        if not self.manager.text().strip() or not self.manager_pin.text():
            self.error.setText(self.tr("请主任输入工号和密码 / the manager enters id and PIN"))
            return
        self.take_over.emit(
            self.staff.text().strip(),
            self.pin.text(),
            int(self.counter.currentData()),
            self.manager.text().strip(),
            self.manager_pin.text(),
        )
        self.manager_pin.clear()

    def _submit(self) -> None:
        if self.filled():
            self.submitted.emit(
                self.staff.text().strip(), self.pin.text(), int(self.counter.currentData())
            )
