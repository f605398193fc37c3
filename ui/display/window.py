"""The hall display window: latest call huge, recent calls, queues, notice; scales to any size."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from lobby.clock import zone
from lobby.views import BoardView, CallView
from ui.display.model import BoardModel
from ui.display.widgets import Marquee

FLASH_TICKS = 10  # half-second ticks: five seconds of highlight
RECENT_SHOWN = 8


class DisplayWindow(QWidget):
    """The call board; ``layout`` is ``board`` (latest call + recent) or ``counters``."""

    def __init__(self, model: BoardModel, notice: str, layout: str = "board") -> None:
        super().__init__()
        self.setObjectName("display")
        self.setWindowTitle("Lobby 叫号屏 Hall display")
        self.model = model
        self.layout_kind = layout
        self._unit = 0.0
        self._flash_left = 0

        self.branch = QLabel()
        self.branch.setObjectName("branch")
        self.clock = QLabel()
        self.clock.setObjectName("clock")
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.offline = QLabel("● 重新连接中 reconnecting")
        self.offline.setObjectName("offline")
        self.offline.hide()
        header = QHBoxLayout()
        header.addWidget(self.branch, 1)
        header.addWidget(self.offline)
        header.addWidget(self.clock)

        self.hero = QWidget()
        self.hero.setObjectName("hero")
        self.hero_number = QLabel("—")
        self.hero_number.setObjectName("heroNumber")
        self.hero_counter = QLabel("")
        self.hero_counter.setObjectName("heroCounter")
        self.hero_en = QLabel("")
        self.hero_en.setObjectName("heroEn")
        for label in (self.hero_number, self.hero_counter, self.hero_en):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        hero_box = QVBoxLayout(self.hero)
        row = QHBoxLayout()
        row.addWidget(self.hero_number, 5)
        row.addWidget(self.hero_counter, 4)
        hero_box.addLayout(row)
        hero_box.addWidget(self.hero_en)

        self.recent_title = QLabel("最近叫号 Recent calls")
        self.recent_title.setObjectName("sectionTitle")
        self.recent = QGridLayout()
        self.recent_labels: list[QLabel] = []
        for i in range(RECENT_SHOWN):
            label = QLabel("")
            label.setObjectName("recent")
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self.recent.addWidget(label, i // 2, i % 2)
            self.recent_labels.append(label)
        self.counter_grid = QGridLayout()
        self.counter_labels: dict[int, QLabel] = {}

        self.queue_title = QLabel("等候人数与预计等候 Waiting and expected wait")
        self.queue_title.setObjectName("sectionTitle")
        self.queues = QGridLayout()
        self.queues.setColumnStretch(0, 3)
        self.queues.setColumnStretch(1, 2)
        self.queue_labels: list[QLabel] = []

        left = QVBoxLayout()
        if layout == "counters":
            left.addLayout(self.counter_grid, 1)
        else:
            left.addWidget(self.hero, 3)
            left.addWidget(self.recent_title)
            left.addLayout(self.recent, 2)
        right = QVBoxLayout()
        right.addWidget(self.queue_title)
        right.addLayout(self.queues)
        right.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addLayout(right, 2)
        self.default_notice = notice
        self.marquee = Marquee(notice)
        self.marquee.setObjectName("marquee")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        # the window's size decides the fonts, never the other way round
        outer.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        outer.addLayout(header)
        outer.addLayout(body, 1)
        outer.addWidget(self.marquee)

        model.changed.connect(self.show_board)
        model.called.connect(self.show_call)
        model.online.connect(lambda ok: self.offline.setVisible(not ok))
        self._flash = QTimer(self)
        self._flash.timeout.connect(self._flash_tick)
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._show_time)
        self._tick.start(1000)
        self._show_time()

    def show_board(self, view: BoardView) -> None:
        """Show the whole board (recent calls, queues, counters)."""
        self.branch.setText(f"{view.branch_zh}  {view.branch_en}")
        # the branch's own notices replace the default welcome while any is current
        self.marquee.set_text("        ".join(view.notices) or self.default_notice)
        self._show_time()
        if view.recent and self.hero_number.text() == "—":
            self._set_hero(view.recent[0])
        earlier = view.recent[1 : RECENT_SHOWN + 1]
        for i, label in enumerate(self.recent_labels):
            call = earlier[i] if i < len(earlier) else None
            label.setText(f"{call.number}  →  {call.counter}号窗口" if call else "")
        while len(self.queue_labels) < 2 * len(view.queues):
            label = QLabel("")
            label.setObjectName("queue")
            label.setWordWrap(True)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self.queues.addWidget(label, len(self.queue_labels) // 2, len(self.queue_labels) % 2)
            self.queue_labels.append(label)
        for i, queue in enumerate(view.queues):
            name, figures = self.queue_labels[2 * i], self.queue_labels[2 * i + 1]
            name.setText(f"{queue.prefix}  {queue.name_zh}\n     {queue.name_en}")
            wait = (
                f"约 {queue.wait_low_min}–{queue.wait_high_min} 分钟 min"
                if queue.waiting
                else "无需等候 no wait"
            )
            figures.setText(f"{queue.waiting} 人 waiting\n{wait}")
        for state in view.counters:
            if state.number not in self.counter_labels:
                cell = QLabel()
                cell.setObjectName("counterCell")
                cell.setAlignment(Qt.AlignmentFlag.AlignCenter)
                n = len(self.counter_labels)
                self.counter_grid.addWidget(cell, n // 4, n % 4)
                self.counter_labels[state.number] = cell
            label = self.counter_labels[state.number]
            shown = state.current or ("暂停 break" if state.status != "open" else "—")
            label.setText(f"{state.name_zh}\n{shown}")
        self._rescale()

    def show_call(self, call: CallView) -> None:
        """Put a new call up large and flash it."""
        self._set_hero(call)
        self._flash_left = FLASH_TICKS
        self._flash.start(500)
        self._flash_tick()

    def _set_hero(self, call: CallView) -> None:
        self.hero_number.setText(call.number)
        self.hero_counter.setText(f"→ {call.counter}号窗口")
        again = "  (again)" if call.kind == "recalled" else ""
        self.hero_en.setText(f"Ticket {call.number}, please go to counter {call.counter}{again}")

    def _flash_tick(self) -> None:
        lit = self._flash_left % 2 == 0 and self._flash_left > 0
        self.hero.setProperty("lit", lit)
        self.hero.style().unpolish(self.hero)
        self.hero.style().polish(self.hero)
        self._flash_left -= 1
        if self._flash_left < 0:
            self._flash.stop()
            self.hero.setProperty("lit", False)
            self.hero.style().unpolish(self.hero)
            self.hero.style().polish(self.hero)

    def _show_time(self) -> None:
        # the branch's own time, whatever zone the display's computer is set to
        board = self.model.board
        local = self.model.now().astimezone(zone(board.timezone if board else "UTC"))
        self.clock.setText(local.strftime("%Y-%m-%d  %H:%M"))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        """Scale every text with the window height (720p, 1080p and 4K alike)."""
        super().resizeEvent(event)
        self._rescale()

    def _rescale(self) -> None:
        unit = max(min(self.height() / 1080, self.width() / 1920), 0.25)
        if unit == self._unit:
            return
        self._unit = unit
        # font sizes go in the style sheet: it overrides fonts set on widgets
        sizes = "\n".join(
            f"#{name} {{ font-size: {int(pixels * unit)}px; }}" for name, pixels in FONT_PX.items()
        )
        self.setStyleSheet(STYLE + sizes)
        self.marquee.setFixedHeight(int(FONT_PX["marquee"] * unit * 1.6))


FONT_PX = {
    "branch": 44,
    "clock": 40,
    "offline": 28,
    "heroNumber": 230,
    "heroCounter": 90,
    "heroEn": 56,
    "sectionTitle": 36,
    "recent": 56,
    "queue": 30,
    "counterCell": 72,
    "marquee": 34,
}

STYLE = """
QWidget#display { background: #0b2545; }
QLabel { color: #f4f4f4; }
QLabel#branch, QLabel#clock { padding: 8px 24px; background: #13315c; }
QLabel#offline { color: #ff6b6b; padding: 8px; background: #13315c; }
QWidget#hero { background: #13315c; border-radius: 16px; margin: 16px; }
QWidget#hero[lit="true"] { background: #b3261e; }
QLabel#heroNumber { color: #ffd166; font-weight: bold; }
QLabel#heroCounter { color: #ffffff; }
QLabel#sectionTitle { color: #8da9c4; padding: 4px 24px; }
QLabel#recent { color: #ffffff; padding: 4px 24px; font-weight: bold; }
QLabel#queue { color: #eef4ed; padding: 6px 12px; }
QLabel#counterCell { background: #13315c; border-radius: 12px; margin: 8px; color: #ffd166; }
"""
