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
from ui.display import texts as t
from ui.display.model import BoardModel
from ui.display.texts import DisplayTexts
from ui.display.widgets import Marquee

FLASH_TICKS = 10  # half-second ticks: five seconds of highlight
RECENT_SHOWN = 4
ALTERNATE_MS = 8000  # alternate mode: each language this long


class DisplayWindow(QWidget):
    """The call board; ``layout`` is ``board`` (latest call + recent) or ``counters``."""

    def __init__(
        self,
        model: BoardModel,
        notice: str | None = None,
        layout: str = "board",
        languages: str = "both",
    ) -> None:
        super().__init__()
        self.setObjectName("display")
        self.texts = DisplayTexts(languages, self)
        self.setWindowTitle(self.texts.say(self.texts.languages[0], t.TITLE))
        self.model = model
        self._hero_call: CallView | None = None
        self.layout_kind = layout
        self._unit = 0.0
        self._flash_left = 0

        self.branch = QLabel()
        self.branch.setObjectName("branch")
        self.clock = QLabel()
        self.clock.setObjectName("clock")
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.offline = QLabel(" ".join(self.texts.each(t.RECONNECTING)))
        self.offline.setObjectName("offline")
        self.offline.hide()
        header = QHBoxLayout()
        header.addWidget(self.branch, 1)
        header.addWidget(self.offline)
        header.addWidget(self.clock)

        self.hero = QWidget()
        self.hero.setObjectName("hero")
        self.hero_number = QLabel("")
        self.hero_number.setObjectName("heroNumber")
        self.hero_counter = QLabel("")
        self.hero_counter.setObjectName("heroCounter")
        # the call sentence, one label per language shown (Chinese first)
        self.hero_lines = [QLabel(""), QLabel("")]
        self.hero_lines[0].setObjectName("heroLine")
        self.hero_lines[1].setObjectName("heroEn")
        for label in (self.hero_number, self.hero_counter, *self.hero_lines):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.hero_counter.setWordWrap(True)
        for label in self.hero_lines:
            label.setWordWrap(True)
        hero_box = QVBoxLayout(self.hero)
        row = QHBoxLayout()
        row.addWidget(self.hero_number, 5)
        row.addWidget(self.hero_counter, 4)
        hero_box.addLayout(row)
        for label in self.hero_lines:
            hero_box.addWidget(label)

        self.recent_title = QLabel()
        self.recent_title.setObjectName("sectionTitle")
        self.recent = QGridLayout()
        self.recent_labels: list[QLabel] = []
        for i in range(RECENT_SHOWN):
            label = QLabel("")
            label.setObjectName("recent")
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self.recent.addWidget(label, i, 0)
            self.recent_labels.append(label)
        self.counter_grid = QGridLayout()
        self.counter_labels: dict[int, QLabel] = {}

        self.queue_title = QLabel()
        self.queue_title.setObjectName("sectionTitle")
        self.queues = QGridLayout()
        self.queues.setColumnStretch(0, 10)
        self.queues.setColumnStretch(1, 4)
        self.queues.setColumnStretch(2, 7)
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
        body.addLayout(left, 4)
        body.addLayout(right, 5)
        self.default_notice = notice or "   ".join(self.texts.each(t.NOTICE))
        self.marquee = Marquee(self.default_notice)
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
        self._alternate = QTimer(self)
        self._alternate.timeout.connect(self._next_language)
        if languages == "alternate":
            self._alternate.start(ALTERNATE_MS)
        self._show_time()
        self._show_titles()
        self._show_idle()

    def _next_language(self) -> None:
        self.texts.flip()
        self._show_titles()
        if self.model.board is not None:
            self.show_board(self.model.board)
        if self._hero_call is not None:
            self._set_hero(self._hero_call)
        else:
            self._show_idle()

    def _show_titles(self) -> None:
        self.recent_title.setText(" · ".join(self.texts.each(t.RECENT)))
        self.queue_title.setText(" · ".join(self.texts.each(t.QUEUES)))

    def _show_idle(self) -> None:
        """No call yet today: the branch, and a line asking customers to take a ticket."""
        board = self.model.board
        names = [
            (board.branch_en if lang == "en" else board.branch_zh) if board else ""
            for lang in self.texts.languages
        ]
        self.hero_number.setText("")
        self.hero_number.hide()
        self.hero_counter.setText("\n".join(n for n in names if n))
        lines = self.texts.each(t.IDLE)
        for i, label in enumerate(self.hero_lines):
            label.setText(lines[i] if i < len(lines) else "")
            label.setVisible(i < len(lines))

    def show_board(self, view: BoardView) -> None:
        """Show the whole board (recent calls, queues, counters)."""
        names = {"zh": view.branch_zh, "en": view.branch_en}
        self.branch.setText("  ".join(names[lang] for lang in self.texts.languages if names[lang]))
        # the branch's own notices replace the default welcome while any is current
        self.marquee.set_text("        ".join(view.notices) or self.default_notice)
        self._show_time()
        if view.recent and self._hero_call is None:
            self._set_hero(view.recent[0])
        elif self._hero_call is None:
            self._show_idle()
        # each ticket once, at its latest counter (a transfer or recall calls it again)
        latest: dict[str, CallView] = {}
        for call in view.recent:
            latest.setdefault(call.number, call)
        shown = self._hero_call.number if self._hero_call else None
        earlier = [c for c in latest.values() if c.number != shown][:RECENT_SHOWN]
        lang = self.texts.languages[0]
        for i, label in enumerate(self.recent_labels):
            item = earlier[i] if i < len(earlier) else None
            label.setText(
                self.texts.say(
                    lang,
                    t.RECENT_CALL,
                    number=item.number,
                    counter=self.texts.counter_name(lang, view, item.counter),
                )
                if item
                else ""
            )
        # one row per service: its name, the people waiting, a newcomer's wait
        while len(self.queue_labels) < 3 * len(view.queues):
            label = QLabel("")
            # two languages stacked: a smaller type, still a line over 40 px at 1080p
            label.setObjectName("queueBoth" if len(self.texts.languages) > 1 else "queue")
            label.setWordWrap(True)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self.queues.addWidget(label, len(self.queue_labels) // 3, len(self.queue_labels) % 3)
            self.queue_labels.append(label)
        languages = self.texts.languages
        for i, queue in enumerate(view.queues):
            name, count, wait = self.queue_labels[3 * i : 3 * i + 3]
            service = {"zh": queue.name_zh, "en": queue.name_en}
            name.setText(
                "\n".join(
                    f"{queue.prefix}  {service[lang] or queue.name_zh}" if i == 0 else service[lang]
                    for i, lang in enumerate(languages)
                )
            )
            count.setText(
                "\n".join(self.texts.say(lang, t.WAITING, n=queue.waiting) for lang in languages)
            )
            wait.setText("\n".join(self.texts.wait(lang, queue) for lang in languages))
            wait.setProperty("unserved", queue.unserved)
            wait.style().unpolish(wait)
            wait.style().polish(wait)
        for state in view.counters:
            if state.number not in self.counter_labels:
                cell = QLabel()
                cell.setObjectName("counterCell")
                cell.setAlignment(Qt.AlignmentFlag.AlignCenter)
                cell.setWordWrap(True)
                cell.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
                n = len(self.counter_labels)
                self.counter_grid.addWidget(cell, n // 4, n % 4)
                self.counter_labels[state.number] = cell
            label = self.counter_labels[state.number]
            lang = self.texts.languages[0]
            # an open counter without a call says nothing: "open" is no promise that
            # a teller sits there
            status = {"break": t.ON_BREAK, "closed": t.CLOSED}.get(str(state.status))
            shown = state.current or (" / ".join(self.texts.each(status)) if status else "")
            label.setText(f"{self.texts.counter_name(lang, view, state.number)}\n{shown}")
        self._rescale()

    def show_call(self, call: CallView) -> None:
        """Put a new call up large and flash it."""
        self._set_hero(call)
        self._flash_left = FLASH_TICKS
        self._flash.start(500)
        self._flash_tick()

    def _set_hero(self, call: CallView) -> None:
        self._hero_call = call
        board = self.model.board
        self.hero_number.show()
        self.hero_number.setText(call.number)
        self.hero_counter.setText(
            "\n".join(
                self.texts.counter_name(lang, board, call.counter) for lang in self.texts.languages
            )
        )
        lines = [self.texts.call(lang, board, call) for lang in self.texts.languages]
        for i, label in enumerate(self.hero_lines):
            label.setText(lines[i] if i < len(lines) else "")
            label.setVisible(i < len(lines))

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
    "heroNumber": 200,
    "heroCounter": 80,
    "heroLine": 54,
    "heroEn": 46,
    "sectionTitle": 36,
    "recent": 56,
    "queue": 40,
    "queueBoth": 34,
    "counterCell": 44,
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
QLabel#queueBoth { color: #eef4ed; padding: 4px 12px; }
QLabel#queue[unserved="true"], QLabel#queueBoth[unserved="true"] { color: #ffb4a9; }
QLabel#counterCell { background: #13315c; border-radius: 12px; margin: 8px; color: #ffd166; }
"""
