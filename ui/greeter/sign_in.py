"""The greeter's sign-in (and lock) page: staff id, PIN and a touch keypad."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.greeter.widgets import AdaptiveBox, button, label

KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"]


class SignInPage(QWidget):
    """Staff id and PIN; the keypad types into the PIN unless the staff id has focus.

    Signals:
        submitted(str, str): staff id, PIN.
    """

    submitted = Signal(str, str)

    def __init__(self) -> None:
        super().__init__()
        self.title = label("pageTitle", center=True)
        self.subtitle = label("hint", center=True)
        self.staff_label = label("section")
        self.staff = QLineEdit()
        self.staff.setObjectName("staff")
        self.staff.setMaxLength(32)
        self.pin_label = label("section")
        self.pin = QLineEdit()
        self.pin.setObjectName("pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(16)
        self.pin.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.button = button(name="signInButton")
        self.error = label("error")
        self.error.setMinimumHeight(48)

        form = QWidget()
        form.setMinimumWidth(440)
        form.setMaximumWidth(520)
        column = QVBoxLayout(form)
        column.setSpacing(10)
        for widget in (self.title, self.subtitle, self.staff_label, self.staff, self.pin_label):
            column.addWidget(widget)
        column.addWidget(self.pin)
        column.addSpacing(8)
        column.addWidget(self.button)
        column.addWidget(self.error)

        pad = QWidget()
        pad.setMinimumWidth(360)
        pad.setMaximumWidth(420)
        grid = QGridLayout(pad)
        grid.setSpacing(10)
        self.keys: dict[str, QPushButton] = {}
        for index, key in enumerate(KEYS):
            key_button = button("key", name=f"key_{key}")
            key_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            key_button.setMinimumHeight(76)
            key_button.clicked.connect(lambda _=False, k=key: self._key(k))
            grid.addWidget(key_button, index // 3, index % 3)
            self.keys[key] = key_button

        self.box = AdaptiveBox()
        self.box.setSpacing(48)
        self.box.addStretch(1)
        for part in (form, pad):
            part.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        top_centre = Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter
        self.box.addWidget(form, 0, top_centre)
        self.box.addWidget(pad, 0, top_centre)
        self.box.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 32, 24, 24)
        outer.addLayout(self.box, 1)

        self.button.clicked.connect(self._submit)
        self.pin.returnPressed.connect(self._submit)
        self.staff.returnPressed.connect(self.pin.setFocus)
        self.retranslate()

    def set_portrait(self, portrait: bool) -> None:
        """Keypad beside the form in landscape, below it in portrait."""
        self.box.set_portrait(portrait)

    def retranslate(self) -> None:
        """Re-apply every text."""
        self.title.setText(self.tr("大堂经理登录"))
        self.subtitle.setText(self.tr("请输入工号和密码开始工作"))
        self.staff_label.setText(self.tr("工号"))
        self.pin_label.setText(self.tr("密码"))
        self.staff.setPlaceholderText(self.tr("例如 G01"))
        self.pin.setPlaceholderText(self.tr("请输入密码"))
        self.button.setText(self.tr("登录"))
        for key, key_button in self.keys.items():
            key_button.setText({"clear": self.tr("清除"), "back": "⌫"}.get(key, key))

    def prepare(self, staff: str = "") -> None:
        """Show the page ready for a sign-in, the staff id prefilled when known."""
        if staff:
            self.staff.setText(staff)
        self.pin.clear()
        (self.pin if self.staff.text() else self.staff).setFocus()

    def set_busy(self, busy: bool) -> None:
        """Disable the sign-in button while the PIN is checked."""
        self.button.setEnabled(not busy)

    def show_error(self, text: str) -> None:
        """Show why sign-in failed and clear the PIN."""
        self.error.setText(text)
        self.pin.clear()
        self.pin.setFocus()

    def _key(self, key: str) -> None:
        target = self.staff if self.staff.hasFocus() else self.pin
        if key == "clear":
            target.clear()
        elif key == "back":
            target.backspace()
        else:
            target.insert(key)

    def _submit(self) -> None:
        if not self.staff.text().strip() or not self.pin.text():
            self.show_error(self.tr("请输入工号和密码"))
            return
        self.error.clear()
        self.submitted.emit(self.staff.text().strip(), self.pin.text())
