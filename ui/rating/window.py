"""The rating pad's one window: welcome, the five faces, thank you."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QFont, QResizeEvent
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from ui.common.faces import FacesRow
from ui.rating.controller import RatingPadController


class RatingPadWindow(QWidget):
    """A small customer-facing screen beside the counter (1280x800 down to 800x480)."""

    def __init__(self, controller: RatingPadController, counter_name: str) -> None:
        super().__init__()
        self.setObjectName("ratingPad")
        self.setWindowTitle(self.tr("Lobby 服务评价"))
        self.controller = controller
        self.pages = QStackedWidget()
        self.welcome = self._page(self.tr("欢迎光临"), counter_name, name="welcomeTitle")
        self.ask = QWidget()
        self.question = QLabel()
        self.question.setObjectName("question")
        self.question.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.question.setWordWrap(True)
        self.faces = FacesRow()
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column = QVBoxLayout(self.ask)
        column.addStretch(1)
        column.addWidget(self.question)
        column.addWidget(self.faces, 6)
        column.addStretch(1)
        self.thanks = self._page(self.tr("感谢您的评价！"), "", name="thanksTitle")
        thanks_layout = self.thanks.layout()
        assert thanks_layout is not None
        thanks_layout.addWidget(self.error)
        for page in (self.welcome, self.ask, self.thanks):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.pages)

        self.faces.rated.connect(controller.rate)
        self.faces.skipped.connect(controller.skip)
        controller.asking.connect(self._ask)
        controller.thanked.connect(self._thank)
        controller.welcome.connect(self._welcome)
        controller.failed.connect(self._failed)

    def _page(self, title: str, subtitle: str, *, name: str) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        heading = QLabel(title)
        heading.setObjectName(name)
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addStretch(1)
        column.addWidget(heading)
        if subtitle:
            sub = QLabel(subtitle)
            sub.setObjectName("padSubtitle")
            sub.setAlignment(Qt.AlignmentFlag.AlignCenter)
            column.addWidget(sub)
        column.addStretch(1)
        return page

    def _ask(self, number: str) -> None:
        self.error.clear()
        self.question.setText(
            self.tr("请为本次服务评价（{0}）").format(number)
        )
        self._show(self.ask)

    def _thank(self, _score: int) -> None:
        self._show(self.thanks)

    def _welcome(self) -> None:
        self._show(self.welcome)

    def _failed(self, message: str) -> None:
        self.error.setText(message)
        self._show(self.thanks)

    def _show(self, page: QWidget) -> None:
        self.pages.setCurrentWidget(page)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        """A closed pad beats no more."""
        self.controller.heartbeat.stop()
        super().closeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        """Scale the type to the pad's screen (the faces scale themselves)."""
        super().resizeEvent(event)
        width, height = event.size().width(), event.size().height()
        scale = min(width / 1280, height / 800)
        self.faces.skip.setFont(_pixels(max(16, int(24 * scale))))
        self.question.setFont(_pixels(max(20, int(34 * scale)), bold=True))
        for heading in self.findChildren(QLabel):
            if heading.objectName() in ("welcomeTitle", "thanksTitle"):
                heading.setFont(_pixels(max(30, int(64 * scale)), bold=True))
            elif heading.objectName() == "padSubtitle":
                heading.setFont(_pixels(max(20, int(32 * scale))))


def _pixels(size: int, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(size)
    font.setBold(bold)
    return font
