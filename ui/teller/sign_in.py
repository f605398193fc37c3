"""The teller's sign-in page: staff id, PIN and counter."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class SignInPage(QWidget):
    """Staff id, PIN and the counter to open.

    Signals:
        submitted(str, str, int): staff id, PIN, counter number.
    """

    submitted = Signal(str, str, int)

    def __init__(self, counters: list[tuple[int, str]], preset: int | None = None) -> None:
        super().__init__()
        self.setObjectName("signIn")
        title = QLabel(self.tr("柜员登录  Teller sign-in"))
        title.setObjectName("title")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.staff = QLineEdit()
        self.staff.setPlaceholderText("T01")
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText("PIN")
        self.counter = QComboBox()
        for number, name in counters:
            self.counter.addItem(name, number)
        if preset is not None and (index := self.counter.findData(preset)) >= 0:
            self.counter.setCurrentIndex(index)
        self.button = QPushButton(self.tr("登录 Sign in"))
        self.button.setDefault(True)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("工号 Staff id"), self.staff)
        form.addRow(self.tr("密码 PIN"), self.pin)
        form.addRow(self.tr("窗口 Counter"), self.counter)
        box = QWidget()
        box.setMaximumWidth(520)
        inner = QVBoxLayout(box)
        inner.addWidget(title)
        inner.addLayout(form)
        inner.addWidget(self.button)
        inner.addWidget(self.error)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

        self.button.clicked.connect(self._submit)
        self.pin.returnPressed.connect(self._submit)
        self.staff.returnPressed.connect(self.pin.setFocus)

    def _submit(self) -> None:
        if not self.staff.text().strip() or not self.pin.text():
            self.show_error(self.tr("请输入工号和密码 / enter staff id and PIN"))
            return
        self.error.clear()
        self.submitted.emit(
            self.staff.text().strip(), self.pin.text(), int(self.counter.currentData())
        )

    def show_error(self, text: str) -> None:
        """Show why sign-in failed and clear the PIN."""
        self.error.setText(text)
        self.pin.clear()
        self.pin.setFocus()
