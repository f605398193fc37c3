"""Choosing a new PIN at sign-in, when someone else set the one the member typed.

Every app that signs staff in shows this dialog when :func:`lobby.staff.sign_in`
raises :class:`~lobby.errors.PinChangeRequired`: the member types the new PIN twice,
the app changes it (:func:`lobby.staff.change_pin`, journalled) and carries on signing
in with it. Nothing else is possible with the old PIN.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lobby.errors import InvalidInput
from lobby.security import MAX_PIN_LENGTH, check_pin_rules


class PinChangeDialog(QDialog):
    """The new PIN, typed twice, for staff member ``staff``.

    Signals:
        chosen(str, str): The staff id and the new PIN (valid, both fields equal).
    """

    chosen = Signal(str, str)

    def __init__(self, staff: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pinChange")
        self.staff = staff
        self.setWindowTitle(self.tr("设置新密码 Choose a new PIN"))
        heading = QLabel(
            self.tr(
                "{staff} 的密码是他人设置的，请设置自己的新密码。\n"
                "{staff}'s PIN was set by someone else: choose your own to go on."
            ).format(staff=staff)
        )
        heading.setObjectName("pinChangeHeading")
        heading.setWordWrap(True)
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.new_pin = self._pin_field(self.tr("4-8 位数字 4-8 digits"))
        self.repeat = self._pin_field(self.tr("再输入一次 again"))
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.ok_button = QPushButton(self.tr("确定 Set PIN"))
        self.ok_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("取消 Cancel"))
        form = QFormLayout()
        form.addRow(self.tr("新密码 New PIN"), self.new_pin)
        form.addRow(self.tr("确认 Repeat"), self.repeat)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.ok_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.setMinimumWidth(520)
        heading.setMinimumHeight(heading.heightForWidth(480))  # wrapped: layouts underestimate
        self.ok_button.clicked.connect(self._submit)
        self.cancel_button.clicked.connect(self.reject)
        self.new_pin.returnPressed.connect(self.repeat.setFocus)
        self.repeat.returnPressed.connect(self._submit)

    def _pin_field(self, placeholder: str) -> QLineEdit:
        field = QLineEdit()
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setMaxLength(MAX_PIN_LENGTH)
        field.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        field.setPlaceholderText(placeholder)
        return field

    def show_error(self, text: str) -> None:
        """Say why the new PIN was refused and clear both fields."""
        self.error.setText(text)
        self.new_pin.clear()
        self.repeat.clear()
        self.new_pin.setFocus()

    def _submit(self) -> None:
        pin = self.new_pin.text()
        try:
            check_pin_rules(pin)
        except InvalidInput:
            self.show_error(self.tr("新密码须为 4-8 位数字 / a PIN has 4 to 8 digits, 0-9 only"))
            return
        if self.repeat.text() != pin:
            self.show_error(self.tr("两次输入不一致 / the two PINs differ"))
            return
        self.chosen.emit(self.staff, pin)
        self.accept()


def ask_for_new_pin(parent: QWidget, staff: str) -> PinChangeDialog:
    """Open a :class:`PinChangeDialog` over ``parent`` (window-modal, not blocking)."""
    dialog = PinChangeDialog(staff, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    dialog.new_pin.setFocus()
    return dialog
