"""The shape the greeter's form pages share: back and title, one action, busy and errors."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from ui.greeter.widgets import button, label, scrolling


class FormPage(QWidget):
    """A page reached from the tiles: a form whose one action is refused or done.

    From the tap on :attr:`action` until the answer the page is busy (the action is
    disabled, so a double tap does one thing); an error re-enables it and keeps what
    was typed. Subclasses lay out :meth:`header`, their fields and :attr:`error`.

    Signals:
        back(): Back to the tiles.
    """

    back = Signal()

    def __init__(self, action_name: str, *, error_centered: bool = False) -> None:
        super().__init__()
        self.back_button = button("secondary", name="backButton")
        self.title = label("pageTitle")
        self.error = label("error", center=error_centered)
        self.action = button(name=action_name)
        self.action.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.back_button.clicked.connect(self.back)

    def header(self, *beside_title: QWidget, spacing: int = 16) -> QHBoxLayout:
        """The back button, then ``beside_title``, then the title."""
        head = QHBoxLayout()
        head.setSpacing(spacing)
        head.addWidget(self.back_button)
        for widget in beside_title:
            head.addWidget(widget)
        head.addWidget(self.title, 1)
        return head

    def arrange(self, head: QHBoxLayout, form: QWidget) -> None:
        """Lay the page out: the header, the form (scrolling when tall), the error, the action."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 16)
        layout.setSpacing(10)
        layout.addLayout(head)
        layout.addWidget(scrolling(form), 1)
        layout.addWidget(self.error)
        layout.addWidget(self.action)

    def set_busy(self, busy: bool) -> None:
        """Keep the action disabled from the tap until the form is answered."""
        self.action.setEnabled(not busy)

    def show_error(self, text: str) -> None:
        """Say why the form was refused; what was typed stays."""
        self.error.setText(text)
        self.set_busy(False)
