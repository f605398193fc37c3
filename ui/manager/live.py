"""The live floor: counters and queues now, and queues heading past their target."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from lobby.queries.floor import FloorCounter, FloorView
from lobby.queries.queues import QueueOutlook
from ui.common.breaks import BREAK_WORDS
from ui.manager.widgets import ALERT, GOOD, WARN, DataTable, KpiCard, clock_text

STATUS_TEXT = {
    "open": "开放 open",
    "break": "暂停 break",
    "closed": "关闭 closed",
}
PHASE_TEXT = {"called": "叫号中 called", "serving": "办理中 serving"}
#: A rating pad as far as anyone can tell (a silent pad is not "offline": we do not know).
PAD_TEXT = {
    "online": "评价器在线 pad online",
    "unknown": "评价器无响应 pad status unknown",
    "offline": "评价器已关闭 pad off",
}
#: A service running this much past its mean is tinted amber.
LONG_SERVICE_FACTOR = 2.0


def alert_reason(queue: QueueOutlook) -> str:
    """Why a queue is flagged: already past its target, or predicted to pass it."""
    name = f"{queue.name_zh} {queue.name_en}"
    if queue.longest_wait_min > queue.target_wait_min:
        return (
            f"{name}: 已等 {queue.longest_wait_min:.0f} 分钟 / waited "
            f"{queue.longest_wait_min:.0f} min > {queue.target_wait_min}"
        )
    return (
        f"{name}: 预计 {queue.predicted_wait_min:.0f} 分钟 / predicted "
        f"{queue.predicted_wait_min:.0f} min > {queue.target_wait_min}"
    )


def _status_text(counter: FloorCounter) -> str:
    """Open, closed, or on a break with its reason."""
    text = STATUS_TEXT.get(counter.status, counter.status)
    if counter.break_reason:
        text += f" · {BREAK_WORDS.get(counter.break_reason, counter.break_reason)}"
    return text


def _staff_text(counter: FloorCounter) -> str:
    """Who is signed in, and whether their console has gone silent."""
    if counter.staff and counter.console_silent:
        return f"{counter.staff} ⚠"
    return counter.staff or ""


def devices_text(floor: FloorView) -> str:
    """The counters' rating pads and silent consoles, in one line ("" when nothing to say)."""
    silent = [c for c in floor.counters if c.staff and c.console_silent]
    parts = [f"{c.name_zh} {c.staff}: 终端无响应 console not heard from" for c in silent]
    parts += [f"{c.name_zh}: {PAD_TEXT[c.pad]}" for c in floor.counters if c.pad]
    warn = silent or any(c.pad == "unknown" for c in floor.counters)
    return ("⚠ " if warn else "") + "；".join(parts)


class LivePage(QWidget):
    """Counters (state, staff, ticket, time so far) and queues (waiting, waits, alert).

    The running clocks tick every second from the last floor read; the floor itself
    is read again when the journal shows a move (see ``ManagerController``).
    """

    def __init__(self) -> None:
        super().__init__()
        self.floor: FloorView | None = None
        self._now = datetime.now
        self.alert = QLabel()
        self.alert.setObjectName("alertBanner")
        self.alert.setWordWrap(True)
        self.alert.hide()
        self.waiting = KpiCard("排队人数 Waiting now")
        self.longest = KpiCard("最长等候 Longest wait")
        self.open_counters = KpiCard("开放窗口 Counters open")
        self.served = KpiCard("今日办结 Served today")
        cards = QHBoxLayout()
        for card in (self.waiting, self.longest, self.open_counters, self.served):
            cards.addWidget(card)

        self.counters = DataTable(
            ["窗口 Counter", "状态 Status", "柜员 Staff", "票号 Ticket", "业务 Service",
             "阶段 Phase", "已用时 Time", "办结 Served"]
        )  # fmt: skip
        self.queues = DataTable(
            ["业务 Service", "等候 Waiting", "最长 Longest", "预计 Predicted",
             "目标 Target", "提醒 Alert"]
        )  # fmt: skip
        counters_box = QGroupBox("窗口 Counters")
        self.devices = QLabel()
        self.devices.setObjectName("counterDevices")
        self.devices.setWordWrap(True)
        self.devices.hide()
        box = QVBoxLayout(counters_box)
        box.addWidget(self.counters)
        box.addWidget(self.devices)
        queues_box = QGroupBox("队列 Queues")
        QVBoxLayout(queues_box).addWidget(self.queues)
        tables = QHBoxLayout()
        tables.addWidget(counters_box, 1)
        tables.addWidget(queues_box, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.alert)
        layout.addLayout(cards)
        layout.addLayout(tables, 1)

        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self._tick)
        self.ticker.start()

    def set_clock(self, now: object) -> None:
        """Use ``now()`` (the database clock) for the running clocks."""
        self._now = now  # type: ignore[assignment]

    def show_floor(self, floor: FloorView) -> None:
        """Show a fresh read of the floor."""
        self.floor = floor
        waiting = sum(q.waiting for q in floor.queues)
        longest = max((q.longest_wait_min for q in floor.queues), default=0.0)
        self.waiting.show_value(str(waiting))
        late = any(q.longest_wait_min > q.target_wait_min for q in floor.queues)
        self.longest.show_value(f"{longest:.0f} min", "alert" if late else "")
        # open: a teller is there and calling; counters on a break are counted apart
        opened = sum(1 for c in floor.counters if c.status == "open" and c.staffed)
        paused = sum(1 for c in floor.counters if c.status == "break")
        apart = f" · {paused} 暂停 break" if paused else ""
        self.open_counters.show_value(f"{opened} / {len(floor.counters)}{apart}")
        self.served.show_value(str(sum(c.served_today for c in floor.counters)))
        self._fill_queues(floor)
        self._fill_counters(floor)
        alerts = floor.alerts
        if alerts:
            self.alert.setText(
                "⚠ 等候超标提醒 Waits past target — " + "；".join(alert_reason(q) for q in alerts)
            )
            self.alert.show()
        else:
            self.alert.hide()

    def _fill_queues(self, floor: FloorView) -> None:
        rows: list[list[str]] = []
        tints: list[QColor | None] = []
        for q in floor.queues:
            rows.append([
                f"{q.name_zh} {q.name_en}",
                str(q.waiting),
                f"{q.longest_wait_min:.0f} min",
                f"{q.predicted_wait_min:.0f} min ({q.wait_low_min}–{q.wait_high_min})",
                f"{q.target_wait_min} min",
                "⚠ 超标 past target" if q.heading_past_target else "",
            ])  # fmt: skip
            if q.heading_past_target:
                tints.append(ALERT)
            elif q.longest_wait_min > q.target_wait_min * 0.75:
                tints.append(WARN)
            else:
                tints.append(None)
        self.queues.fill(rows, tints)

    def _fill_counters(self, floor: FloorView) -> None:
        now = self._now()
        rows, tints = [], []
        for c in floor.counters:
            rows.append([
                c.name_zh,
                _status_text(c),
                _staff_text(c),
                c.ticket or "",
                f"{c.service_zh} {c.service_en}" if c.ticket else "",
                PHASE_TEXT.get(c.phase or "", ""),
                clock_text(c.seconds_so_far(now)),
                str(c.served_today),
            ])  # fmt: skip
            tint = GOOD if c.phase == "serving" else None if c.status == "open" else WARN
            tints.append(WARN if c.console_silent or c.pad == "unknown" else tint)
        self.counters.fill(rows, tints)
        text = devices_text(floor)
        self.devices.setText(text)
        self.devices.setVisible(bool(text))

    def _tick(self) -> None:
        if self.floor is None or not self.isVisible():
            return
        now = self._now()
        for row, c in enumerate(self.floor.counters):
            item = self.counters.item(row, 6)
            if item is not None:
                item.setText(clock_text(c.seconds_so_far(now)))

    def alert_text(self) -> str:
        """The alert banner's text ("" when hidden)."""
        return self.alert.text() if not self.alert.isHidden() else ""
