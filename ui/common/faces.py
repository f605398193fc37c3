"""Five large faces and "skip": how a customer rates a visit, on a pad or the console.

The faces are drawn (no emoji font is needed): a coloured disc, two eyes and a mouth
whose curve goes from a frown (1) to a broad smile (5). Each button paints its face
and words to whatever size the layout gives it, so one pad layout serves a 1280x800
monitor and an 800x480 tablet alike.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QWidget,
)

#: score -> the word under its face (Chinese source; the app's translator gives English)
WORDS = {
    1: str(QT_TRANSLATE_NOOP("Faces", "很不满意")),
    2: str(QT_TRANSLATE_NOOP("Faces", "不满意")),
    3: str(QT_TRANSLATE_NOOP("Faces", "一般")),
    4: str(QT_TRANSLATE_NOOP("Faces", "满意")),
    5: str(QT_TRANSLATE_NOOP("Faces", "非常满意")),
}
_COLOURS = {1: "#d9534f", 2: "#f0883e", 3: "#f2c94c", 4: "#8cc152", 5: "#37a85b"}


def draw_face(painter: QPainter, box: QRectF, score: int) -> None:
    """Draw the face of ``score`` (1-5) filling the square ``box``."""
    size = box.width()
    line = max(1.5, size / 22)
    painter.save()
    painter.translate(box.topLeft())
    painter.setPen(QPen(QColor("#3b3b3b"), line))
    painter.setBrush(QColor(_COLOURS[score]))
    painter.drawEllipse(QRectF(line, line, size - 2 * line, size - 2 * line))
    painter.setBrush(QColor("#3b3b3b"))
    eye = size / 14
    for x in (0.35, 0.65):
        painter.drawEllipse(QPointF(size * x, size * 0.38), eye, eye)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    curve = (score - 3) * 0.09  # the middle of the mouth below its ends: a smile
    mouth = QPainterPath(QPointF(size * 0.28, size * 0.66))
    mouth.quadTo(QPointF(size * 0.5, size * (0.66 + 2 * curve)), QPointF(size * 0.72, size * 0.66))
    painter.drawPath(mouth)
    painter.restore()


class FaceButton(QAbstractButton):
    """One face with its words: under it when the button is tall, beside it when wide."""

    def __init__(self, score: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.score = score
        self.setObjectName(f"face{score}")
        self.setText(QCoreApplication.translate("Faces", WORDS[score]))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """A comfortable touch target."""
        return QSize(140, 180)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """Small enough for a console strip (face beside one line of words)."""
        return QSize(80, 40)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        """A rounded card, the face, and its word in the app's language."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        card = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        pressed = self.isDown() or self.isChecked()
        painter.setPen(QPen(QColor("#37a85b" if pressed else "#c9d6e6"), 2))
        painter.setBrush(QColor("#e3f5e6" if pressed else "white"))
        painter.drawRoundedRect(card, 12, 12)
        word = QCoreApplication.translate("Faces", WORDS[self.score])
        font = QFont(self.font())
        painter.setPen(QColor("#14233a"))
        if card.width() > 2.2 * card.height():  # a strip: face, then its word
            face = card.height() - 8
            draw_face(painter, QRectF(card.left() + 6, card.top() + 4, face, face), self.score)
            font.setPixelSize(max(12, int(card.height() * 0.32)))
            painter.setFont(font)
            words = card.adjusted(face + 14, 0, -4, 0)
            painter.drawText(words, Qt.AlignmentFlag.AlignVCenter, word)
        else:
            text_height = card.height() * 0.3
            face = min(card.width() * 0.8, card.height() - text_height - 12)
            left = card.center().x() - face / 2
            draw_face(painter, QRectF(left, card.top() + 8, face, face), self.score)
            font.setPixelSize(max(13, int(min(text_height * 0.36, card.width() * 0.15))))
            painter.setFont(font)
            words = QRectF(card.left(), card.bottom() - text_height, card.width(), text_height)
            painter.drawText(words, Qt.AlignmentFlag.AlignCenter, word)
        painter.end()


class FacesRow(QWidget):
    """Five face buttons and a skip button.

    Signals:
        rated(int): A face was chosen (1-5).
        skipped(): The customer would rather not say.
    """

    rated = Signal(int)
    skipped = Signal()

    def __init__(self, *, compact: bool = False, parent: QWidget | None = None) -> None:
        """Large cards for a pad, or (``compact``) a strip for the console."""
        super().__init__(parent)
        self.group = QButtonGroup(self)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8 if compact else 14)
        for score in WORDS:
            button = FaceButton(score)
            self.group.addButton(button, score)
            row.addWidget(button, 1)
        self.skip = QPushButton(self.tr("跳过"))
        self.skip.setObjectName("skip")
        row.addWidget(self.skip)
        self.group.idClicked.connect(self.rated)
        self.skip.clicked.connect(self.skipped)

    def button(self, score: int) -> FaceButton:
        """The face button of ``score``."""
        found = self.group.button(score)
        assert isinstance(found, FaceButton)
        return found
