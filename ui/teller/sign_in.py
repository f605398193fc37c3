"""The teller's sign-in page: staff id, PIN and counter."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox

from ui.common.sign_in import SignInForm


class SignInPage(SignInForm):
    """Staff id, PIN and the counter to open.

    Signals:
        submitted(str, str, int): staff id, PIN, counter number.
    """

    submitted = Signal(str, str, int)

    def __init__(self, counters: list[tuple[int, str]], preset: int | None = None) -> None:
        self.counter = QComboBox()
        for number, name in counters:
            self.counter.addItem(name, number)
        if preset is not None and (index := self.counter.findData(preset)) >= 0:
            self.counter.setCurrentIndex(index)
        super().__init__("柜员登录  Teller sign-in", "T01", (("窗口 Counter", self.counter),))
        self.button.clicked.connect(self._submit)
        self.pin.returnPressed.connect(self._submit)

    def _submit(self) -> None:
        if self.filled():
            self.submitted.emit(
                self.staff.text().strip(), self.pin.text(), int(self.counter.currentData())
            )
