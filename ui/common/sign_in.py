"""The staff sign-in form the apps share: staff id, PIN, extra rows, one button."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class SignInForm(QWidget):
    """A centred form: title, staff id, PIN, any ``extra`` rows, the button and errors.

    Subclasses connect :attr:`button` (and Return in the PIN field) to their submit.
    """

    def __init__(
        self, title: str, placeholder: str, extra: tuple[tuple[str, QWidget], ...] = ()
    ) -> None:
        super().__init__()
        self.setObjectName("signIn")
        heading = QLabel(title)
        heading.setObjectName("title")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.staff = QLineEdit()
        self.staff.setPlaceholderText(placeholder)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText("PIN")
        self.button = QPushButton(self.tr("登录 Sign in"))
        self.button.setDefault(True)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("工号 Staff id"), self.staff)
        form.addRow(self.tr("密码 PIN"), self.pin)
        for label, widget in extra:
            form.addRow(label, widget)
        box = QWidget()
        box.setMaximumWidth(560)
        inner = QVBoxLayout(box)
        inner.addWidget(heading)
        inner.addLayout(form)
        inner.addWidget(self.button)
        inner.addWidget(self.error)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.staff.returnPressed.connect(self.pin.setFocus)

    def filled(self) -> bool:
        """Whether staff id and PIN are given; if not, say so."""
        if not self.staff.text().strip() or not self.pin.text():
            self.show_error(self.tr("请输入工号和密码 / enter staff id and PIN"))
            return False
        self.error.clear()
        return True

    def show_error(self, text: str) -> None:
        """Show why sign-in failed and clear the PIN."""
        self.error.setText(text)
        self.pin.clear()
        self.pin.setFocus()
