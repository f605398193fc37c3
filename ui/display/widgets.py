"""Hall display widgets: a scrolling notice."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget


class Marquee(QWidget):
    """A notice that scrolls right to left, endlessly."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = text
        self._offset = -1  # first paint starts with the text in view
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._step)
        self._timer.start(30)

    @property
    def text(self) -> str:
        """The notice scrolling now."""
        return self._text

    def set_text(self, text: str) -> None:
        """Scroll ``text`` from now on (from the start when it changed)."""
        if text != self._text:
            self._text = text
            self._offset = -1
            self.update()

    def _step(self) -> None:
        if self._offset < 0:
            return  # not painted yet
        self._offset += max(1, self.height() // 25)
        width = self.fontMetrics().horizontalAdvance(self._text)
        if self._offset > width + self.width():
            self._offset = 0
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        """Draw the text at its current offset."""
        if self._offset < 0:
            self._offset = self.width() - self.height()
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#0b2545"))
        painter.setPen(QColor("#ffd166"))
        painter.setFont(self.font())
        baseline = (self.height() + self.fontMetrics().ascent() - self.fontMetrics().descent()) // 2
        painter.drawText(self.width() - self._offset, baseline, self._text)
        painter.end()
