"""The console's own rating panel, for counters without a rating pad.

It sits in the console, never modal: the teller can call the next customer while it
shows, and it goes away after a rating, a skip or :data:`ASK_TIMEOUT_MS`. The score
is journalled as the counter's customer panel, not as the teller.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel

from ui.common.faces import FacesRow
from ui.rating.controller import ASK_TIMEOUT_MS


class RatingPanel(QFrame):
    """Five faces for the customer of a just finished ticket.

    Signals:
        rated(str, int): Ticket number and score.
    """

    rated = Signal(str, int)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("ratingPanel")
        self.number = ""
        self.title = QLabel()
        self.title.setObjectName("ratingPanelTitle")
        self.title.setWordWrap(True)
        self.faces = FacesRow(compact=True)
        self.faces.setFixedHeight(48)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(ASK_TIMEOUT_MS)
        self.timer.timeout.connect(self.withdraw)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 2, 8, 2)
        row.addWidget(self.title, 0)
        row.addWidget(self.faces, 1)
        self.faces.rated.connect(self._rated)
        self.faces.skipped.connect(self.withdraw)
        self.hide()

    def ask(self, number: str) -> None:
        """Show the faces for ``number`` (replacing any earlier question)."""
        self.number = number
        self.title.setText(
            self.tr("请客户为 {0} 评价\nAsk the customer to rate {0}").format(number)
        )
        self.show()
        self.timer.start()

    def withdraw(self) -> None:
        """Hide the panel (skipped or timed out: nothing is journalled)."""
        self.timer.stop()
        self.number = ""
        self.hide()

    def _rated(self, score: int) -> None:
        number = self.number
        self.withdraw()
        if number:
            self.rated.emit(number, score)
