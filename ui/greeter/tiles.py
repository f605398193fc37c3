"""The start page: one tile per service with its live queue, and the other errands."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from lobby.queries.service_list import ServiceInfo, ServiceList
from ui.greeter.i18n import Language
from ui.greeter.icons import icon
from ui.greeter.style import NORMAL
from ui.greeter.widgets import button, label, scrolling

#: A tile is never narrower than this (pixels at normal text size).
TILE_MIN_WIDTH = 280


class ServiceTile(QPushButton):
    """A service: icon, both names, one line about it and its queue right now."""

    def __init__(self, service: ServiceInfo, language: Language) -> None:
        super().__init__()
        self.setObjectName("tile")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.service = service
        self._language = language
        self.picture = QLabel()
        self.name = label("tileName", wrap=False)
        self.name_en = label("tileNameEn")
        self.description = label("tileText")
        self.queue = label("tileQueue")
        self.badge = label("tileBadge", wrap=False)
        for child in (self.picture, self.name, self.name_en, self.description, self.queue):
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.badge.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

        english = QHBoxLayout()
        english.setSpacing(6)
        english.addWidget(self.name_en, 1)
        english.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.name)
        names.addLayout(english)
        top = QHBoxLayout()
        top.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(names, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.description)
        layout.addStretch(1)
        layout.addWidget(self.queue)
        self.set_scale(NORMAL)
        self.show_service(service)

    def set_scale(self, scale: float) -> None:
        """Size the icon for the text size; large text leaves the description out."""
        self.description.setVisible(scale == NORMAL)
        side = round(56 * scale)
        self.picture.setPixmap(icon(self.service.code).pixmap(QSize(side, side)))
        self.picture.setFixedSize(side, side)

    def show_service(self, service: ServiceInfo) -> None:
        """Show ``service`` (new counts arrive this way)."""
        self.service = service
        self.retranslate()

    def retranslate(self) -> None:
        """Re-apply every text."""
        s, lang = self.service, self._language
        self.name.setText(f"{s.prefix}  {s.name_zh}")
        self.name_en.setText(s.name_en)
        self.description.setText(lang.pick(s.description_zh, s.description_en))
        wait = lang.queue_wait(s.unserved, s.wait_low_min, s.wait_high_min)
        if s.waiting:
            people = self.tr("等候 {n} 人").format(n=s.waiting)
            self.queue.setText(f"{people}  {wait}")
        elif s.unserved:
            self.queue.setText(wait)
        else:
            self.queue.setText(self.tr("无人等候"))
        self.badge.setText(self.tr("可自助") if s.self_service else "")
        self.badge.setVisible(s.self_service)
        self.setAccessibleName(f"{s.name_zh} {s.name_en}")


class TilesPage(QWidget):
    """Pick the customer's need; appointments, complaints and reprints from the bar below.

    Signals:
        chosen(str): A service tile was tapped (its code).
        appointment(): The appointment check-in was asked for.
        complaint(): The complaint form was asked for.
        reprint(): The last ticket should be printed again.
    """

    chosen = Signal(str)
    appointment = Signal()
    complaint = Signal()
    reprint = Signal()

    def __init__(self, language: Language) -> None:
        super().__init__()
        self._language = language
        self._scale = NORMAL
        self._columns = 4
        self._last_number = ""
        self.tiles: dict[str, ServiceTile] = {}
        self.title = label("pageTitle")
        self.hint = label("hint")
        self.notice = label("ok")
        self.notice.hide()
        self.grid_box = QWidget()
        self.grid = QGridLayout(self.grid_box)
        self.grid.setSpacing(14)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = scrolling(self.grid_box)

        self.appointment_button = button("secondary", icon("appointment"), "appointmentButton")
        self.complaint_button = button("secondary", icon("complaint"), "complaintButton")
        self.reprint_button = button("secondary", icon("reprint"), "reprintButton")
        for action in (self.appointment_button, self.complaint_button, self.reprint_button):
            action.setIconSize(QSize(36, 36))
            action.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.reprint_button.setEnabled(False)
        self.appointment_button.clicked.connect(self.appointment)
        self.complaint_button.clicked.connect(self.complaint)
        self.reprint_button.clicked.connect(self.reprint)
        bar = QHBoxLayout()
        bar.setSpacing(14)
        bar.addWidget(self.appointment_button)
        bar.addWidget(self.complaint_button)
        bar.addWidget(self.reprint_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.notice)
        layout.addWidget(self.scroll_area, 1)
        layout.addLayout(bar)
        self.retranslate()

    def show_snapshot(self, snapshot: ServiceList) -> None:
        """Show the services; live counts update the existing tiles in place."""
        if list(self.tiles) != [s.code for s in snapshot.services]:
            for tile in self.tiles.values():
                self.grid.removeWidget(tile)
                tile.deleteLater()
            self.tiles = {}
            for service in snapshot.services:
                tile = ServiceTile(service, self._language)
                tile.set_scale(self._scale)
                tile.clicked.connect(lambda _=False, code=service.code: self.chosen.emit(code))
                self.tiles[service.code] = tile
            self._place()
        else:
            for service in snapshot.services:
                tile = self.tiles[service.code]
                if tile.service != service:  # most changes touch one queue: redraw only it
                    tile.show_service(service)

    def set_last_ticket(self, number: str) -> None:
        """Offer to reprint ``number``."""
        self._last_number = number
        self.reprint_button.setEnabled(bool(number))
        self.retranslate()

    def show_notice(self, text: str) -> None:
        """A short confirmation above the tiles (cleared by the next errand)."""
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def set_scale(self, scale: float) -> None:
        """Follow the text size: bigger icons, fewer columns."""
        self._scale = scale
        self.hint.setVisible(scale == NORMAL)
        for tile in self.tiles.values():
            tile.set_scale(scale)
        self._fit_columns()

    def retranslate(self) -> None:
        """Re-apply every text."""
        self.title.setText(self.tr("请选择客户要办理的业务"))
        self.hint.setText(self.tr("点按业务取号；数字为当前等候人数和预计等候时间"))
        self.appointment_button.setText(self.tr("预约签到"))
        self.complaint_button.setText(self.tr("投诉登记"))
        if self._last_number:
            self.reprint_button.setText(self.tr("补打 {number}").format(number=self._last_number))
        else:
            self.reprint_button.setText(self.tr("补打上一张"))
        for tile in self.tiles.values():
            tile.retranslate()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        """Choose the number of columns for the width."""
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        columns = max(2, min(4, self.width() // round(TILE_MIN_WIDTH * self._scale)))
        if columns != self._columns:
            self._columns = columns
            self._place()

    def _place(self) -> None:
        for tile in self.tiles.values():
            self.grid.removeWidget(tile)
        for index, tile in enumerate(self.tiles.values()):
            self.grid.addWidget(tile, index // self._columns, index % self._columns)
        rows = (len(self.tiles) + self._columns - 1) // self._columns
        for row in range(self.grid.rowCount()):
            self.grid.setRowStretch(row, 1 if row < rows else 0)
