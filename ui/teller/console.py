"""The teller's working page: current customer, actions, queues, parked and missed tickets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lobby.clock import zone
from lobby.engine.missed import UNDO_WINDOW
from lobby.engine.presence import PadPresence
from lobby.queries.counter_view import CounterOverview
from ui.common.breaks import BREAK_WORDS
from ui.teller.current import CurrentCustomer
from ui.teller.rating_panel import RatingPanel
from ui.teller.side import SidePanel

# (key, label, shortcut): the order of the action bar.
ACTIONS = [
    ("call", "叫号\nCall next", "F1"),
    ("recall", "重呼\nRecall", "F2"),
    ("start", "开始办理\nStart", "F3"),
    ("finish", "办结\nFinish", "F4"),
    ("no_show", "过号\nNo-show", "F5"),
    ("transfer", "转办\nTransfer", "F6"),
    ("park", "挂起\nPark", "F7"),
    ("confirm", "信息确认\nConfirm", "F8"),
    ("pause", "暂停/开放\nBreak/Open", "F9"),
]


STATUS_WORDS = {"open": "开放 open", "break": "暂停 on break", "closed": "关闭 closed"}


def pad_text(pad: PadPresence | None, timezone: str) -> str:
    """The counter's rating pad as far as anyone can tell ("" when it never had one).

    A pad that fell silent is "status unknown", not "off": it may still be running.
    """
    if pad is None:
        return ""
    if pad.status == "online":
        return "评价器在线 rating pad online"
    if pad.status == "offline":
        return "评价器已关闭 rating pad off"
    seen = pad.last_seen.astimezone(zone(timezone))
    at = f"{seen:%H:%M:%S}"
    return f"评价器 {at} 起无响应 rating pad silent since {at}: status unknown"


class ConsolePage(QWidget):
    """The console once signed in.

    Signals:
        action(str): An action button or its shortcut was pressed.
        call_specific(str): A typed number or scanned code was entered.
        resume(str): A parked ticket's resume was asked for.
        recall_missed(str): A missed ticket's call-back was asked for.
        undo_no_show(str): The teller took back the no-show just marked.
        sign_out(): The teller leaves the counter.
    """

    action = Signal(str)
    call_specific = Signal(str)
    resume = Signal(str)
    recall_missed = Signal(str)
    undo_no_show = Signal(str)
    sign_out = Signal()

    def __init__(self, now: Callable[[], datetime]) -> None:
        super().__init__()
        self._now = now
        self._staff_name = ""
        self.view: CounterOverview | None = None
        self.header = QLabel()
        self.header.setObjectName("header")
        self.header.setWordWrap(True)
        self.sign_out_button = QPushButton(self.tr("签退 Sign out"))
        self.sign_out_button.setObjectName("signOut")
        self.sign_out_button.clicked.connect(self.sign_out)
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.current = CurrentCustomer()
        self.side = SidePanel()
        # the names the tests and the screenshots reach for
        self.number, self.reason = self.current.number, self.current.reason
        self.triage, self.history = self.current.triage, self.current.history
        self.parked, self.resume_button = self.side.parked, self.side.resume_button
        self.missed, self.scan = self.side.missed, self.side.scan
        self.side.call_specific.connect(self.call_specific)
        self.side.resume.connect(self.resume)
        self.side.recall_missed.connect(self.recall_missed)
        self.side.notice.connect(self.show_notice)

        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for key, label, shortcut in ACTIONS:
            button = QPushButton(f"{label}\n[{shortcut}]")
            button.setObjectName(f"action_{key}")
            button.setShortcut(QKeySequence(shortcut))
            button.setProperty("role", "action")  # the style sheet keeps these tall
            button.clicked.connect(lambda _=False, k=key: self.action.emit(k))
            self.buttons[key] = button
            bar.addWidget(button)

        self.undo_bar = QFrame()
        self.undo_bar.setObjectName("undoBar")
        self.undo_text = QLabel()
        self.undo_button = QPushButton(self.tr("撤销过号 Undo no-show [Ctrl+Z]"))
        self.undo_button.setObjectName("undoNoShow")
        self.undo_button.setShortcut(QKeySequence("Ctrl+Z"))
        self.undo_button.clicked.connect(self._undo)
        undo_row = QHBoxLayout(self.undo_bar)
        undo_row.setContentsMargins(8, 2, 8, 2)
        undo_row.addWidget(self.undo_text, 1)
        undo_row.addWidget(self.undo_button)
        self.undo_bar.hide()
        self._undo_number = ""
        self.undo_timer = QTimer(self)
        self.undo_timer.setSingleShot(True)
        self.undo_timer.setInterval(int(UNDO_WINDOW.total_seconds() * 1000))
        self.undo_timer.timeout.connect(self.withdraw_undo)
        self.rating = RatingPanel()
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self.tick)
        self.ticker.start()

        middle = QHBoxLayout()
        middle.addWidget(self.current, 5)
        middle.addWidget(self.side, 3)
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.sign_out_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addLayout(bar)
        layout.addWidget(self.undo_bar)
        layout.addWidget(self.rating)
        layout.addWidget(self.notice)

    def show_overview(self, view: CounterOverview, staff_name: str, now: datetime) -> None:
        """Show a fresh overview and enable the actions that apply."""
        self.view = view
        self._staff_name = staff_name
        self.header.setText(self._header_text(view, now))
        self.current.show_view(view, now)
        self.side.show_view(view, now)
        if view.current is not None:
            self.withdraw_undo()
        self.enable_for(view)

    def enable_for(self, view: CounterOverview | None, busy: bool = False) -> None:
        """Enable exactly the actions that make sense now.

        ``busy`` (an action the teller started is running) disables the action
        buttons only: the scan field keeps what is typed into it.
        """
        state = view.current.state if view and view.current else None
        open_counter = view is not None and view.status == "open"
        allowed = {
            "call": state is None and open_counter,
            "recall": state == "called",
            "start": state == "called",
            "finish": state in ("called", "serving"),
            "no_show": state == "called",
            "transfer": state in ("called", "serving"),
            "park": state in ("called", "serving"),
            "confirm": state in ("called", "serving"),
            "pause": state is None,
        }
        for key, button in self.buttons.items():
            button.setEnabled(allowed[key] and not busy)
        self.side.enable_for(view is not None and state is None, open_counter)

    def offer_undo(self, number: str) -> None:
        """Offer to take back the no-show of ``number`` for the undo window."""
        self._undo_number = number
        seconds = int(UNDO_WINDOW.total_seconds())
        self.undo_text.setText(
            self.tr("{0} 已过号，{1} 秒内可撤销 / {0} marked no-show: undo within {1} s").format(
                number, seconds
            )
        )
        self.undo_bar.show()
        self.undo_timer.start()

    def withdraw_undo(self) -> None:
        """The undo window has passed (or another ticket is open)."""
        self.undo_timer.stop()
        self.undo_bar.hide()
        self._undo_number = ""

    def tick(self) -> None:
        """Once a second: count the missed tickets' grace down, run the break's timer."""
        now = self._now()
        self.side.tick(now)
        if self.view is not None and self.view.on_break is not None:
            self.header.setText(self._header_text(self.view, now))

    def _header_text(self, view: CounterOverview, now: datetime) -> str:
        """Counter · who is signed in · status (break reason and timer) · the teller's day."""
        holder = view.holder
        who = f"{holder.name} ({holder.code})" if holder else self._staff_name
        state = STATUS_WORDS.get(view.status, view.status)
        if view.on_break is not None:
            seconds = max(0, int((now - view.on_break.since).total_seconds()))
            reason = BREAK_WORDS.get(view.on_break.reason, view.on_break.reason)
            state += f" · {reason} {seconds // 60:02d}:{seconds % 60:02d}"
        parts = [f"{view.name_zh} {view.name_en}", who, state]
        pad = pad_text(view.pad, view.timezone)
        if pad:
            parts.append(pad)
        day = view.teller_day
        if day is not None:
            mean = f"{day.mean_service_min:.1f}" if day.mean_service_min is not None else "-"
            parts.append(
                self.tr("今日办结 {0} · 平均 {1} 分钟 served {0}, avg {1} min").format(
                    day.served, mean
                )
            )
        return "  ·  ".join(parts)

    def show_notice(self, text: str, level: str) -> None:
        """Show a one-line message."""
        self.notice.setProperty("level", level)
        self.notice.setText(text)
        self.notice.style().unpolish(self.notice)
        self.notice.style().polish(self.notice)

    def _undo(self) -> None:
        if self._undo_number:
            number = self._undo_number
            self.withdraw_undo()
            self.undo_no_show.emit(number)
