"""The manager's sign-in page: staff id and PIN (only a manager gets in)."""

from __future__ import annotations

from PySide6.QtCore import Signal

from ui.common.sign_in import SignInForm


class SignInPage(SignInForm):
    """Staff id and PIN.

    Signals:
        submitted(str, str): staff id, PIN.
    """

    submitted = Signal(str, str)

    def __init__(self, branch: str) -> None:
        super().__init__(f"{branch}\n网点经理登录  Branch manager sign-in", "M01")
        self.button.clicked.connect(self._submit)
        self.pin.returnPressed.connect(self._submit)

    def _submit(self) -> None:
        if self.filled():
            self.submitted.emit(self.staff.text().strip(), self.pin.text())
