"""The teller's working page: current customer, actions, queues and parked tickets."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lobby.queries.counter_view import CounterOverview
from lobby.routing import CATEGORY_ZH

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
STATE_WORDS = {
    "waiting": "等候 waiting",
    "called": "已叫号 called",
    "serving": "办理中 serving",
    "parked": "挂起 parked",
    "done": "已办结 done",
    "no_show": "过号 no-show",
    "transferred": "已转办 transferred",
    "cancelled": "已取消 cancelled",
    "expired": "已过期 expired",
}


def _minutes_since(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "-"
    return f"{int((now - moment).total_seconds() // 60)} 分钟 min"


class ConsolePage(QWidget):
    """The console once signed in.

    Signals:
        action(str): An action button or its shortcut was pressed.
        call_specific(str): A typed number or scanned code was entered.
        resume(str): A parked ticket's resume was asked for.
    """

    action = Signal(str)
    call_specific = Signal(str)
    resume = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.header = QLabel()
        self.header.setObjectName("header")
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)

        self.number = QLabel("—")
        self.number.setObjectName("bigNumber")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.service = QLabel()
        self.service.setObjectName("serviceName")
        self.service.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state = QLabel()
        self.state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reason = QLabel()
        self.reason.setObjectName("reason")
        self.reason.setWordWrap(True)
        self.triage = QLabel()
        self.triage.setObjectName("triage")
        self.triage.setWordWrap(True)
        self.triage.setTextFormat(Qt.TextFormat.RichText)
        self.history = QListWidget()
        self.history.setObjectName("history")

        current = QGroupBox(self.tr("当前客户 Current customer"))
        left = QVBoxLayout()
        for widget in (self.number, self.service, self.state, self.reason):
            left.addWidget(widget)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.triage)
        right.addWidget(QLabel(self.tr("经办记录 History")))
        right.addWidget(self.history, 1)
        columns = QHBoxLayout(current)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)

        self.queues = QTableWidget(0, 3)
        self.queues.setHorizontalHeaderLabels(
            [self.tr("业务 Service"), self.tr("等候 Waiting"), self.tr("最长 Longest")]
        )
        self.queues.verticalHeader().setVisible(False)
        header = self.queues.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.queues.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.parked = QListWidget()
        self.parked.itemActivated.connect(
            lambda item: self.resume.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        self.resume_button = QPushButton(self.tr("恢复所选 Resume selected"))
        self.resume_button.clicked.connect(self._resume_selected)
        self.scan = QLineEdit()
        self.scan.setObjectName("scan")
        self.scan.setPlaceholderText(self.tr("输入或扫描票号 Type or scan a ticket"))
        self.scan.returnPressed.connect(self._scanned)

        side = QVBoxLayout()
        side.addWidget(QLabel(self.tr("本窗口队列 Queues at this counter")))
        side.addWidget(self.queues, 3)
        side.addWidget(QLabel(self.tr("挂起 Parked")))
        side.addWidget(self.parked, 1)
        side.addWidget(self.resume_button)
        side.addWidget(QLabel(self.tr("指定叫号 Call a specific ticket")))
        side.addWidget(self.scan)

        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for key, label, shortcut in ACTIONS:
            button = QPushButton(f"{label}\n[{shortcut}]")
            button.setObjectName(f"action_{key}")
            button.setShortcut(QKeySequence(shortcut))
            button.setMinimumHeight(84)
            button.clicked.connect(lambda _=False, k=key: self.action.emit(k))
            self.buttons[key] = button
            bar.addWidget(button)

        middle = QHBoxLayout()
        middle.addWidget(current, 5)
        frame = QFrame()
        frame.setLayout(side)
        middle.addWidget(frame, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addLayout(middle, 1)
        layout.addLayout(bar)
        layout.addWidget(self.notice)

    def show_overview(self, view: CounterOverview, staff_name: str, now: datetime) -> None:
        """Show a fresh overview and enable the actions that apply."""
        status = {"open": "开放 open", "break": "暂停 on break", "closed": "关闭 closed"}
        state = status.get(view.status, view.status)
        self.header.setText(f"{view.name_zh} {view.name_en}   ·   {staff_name}   ·   {state}")
        ticket = view.current
        if ticket is None:
            self.number.setText("—")
            self.service.setText(self.tr("无当前客户 No current customer"))
            self.state.setText("")
            self.reason.setText("")
            self.triage.setText("")
            self.history.clear()
        else:
            self.number.setText(ticket.number)
            self.service.setText(f"{ticket.service_zh}  {ticket.service_en}")
            self.state.setText(
                f"{STATE_WORDS.get(ticket.state, ticket.state)} · "
                f"{self.tr('已等')} {_minutes_since(ticket.queued_at, ticket.called_at or now)}"
            )
            self.reason.setText(self.tr("叫号原因 Why: ") + (ticket.reason or "-"))
            self.triage.setText(self._triage_html(view))
            self.history.clear()
            if view.visit is not None:
                for hop in view.visit.tickets:
                    where = f"{hop.counter}号窗口" if hop.counter else ""
                    line = f"{hop.service_zh} {where} {STATE_WORDS.get(hop.state, hop.state)}"
                    if hop.transfer_note:
                        line += f" — {self.tr('转办说明')}: {hop.transfer_note}"
                    self.history.addItem(line)
        self.queues.setRowCount(len(view.queues))
        for row, queue in enumerate(view.queues):
            cells = [
                f"{queue.prefix} {queue.name_zh} {queue.name_en}",
                str(queue.waiting),
                f"{int(queue.longest_wait_min)} min",
            ]
            for column, text in enumerate(cells):
                self.queues.setItem(row, column, QTableWidgetItem(text))
        self.parked.clear()
        for parked in view.parked:
            item = QListWidgetItem(f"{parked.number}  {parked.service_zh} {parked.service_en}")
            item.setData(Qt.ItemDataRole.UserRole, parked.number)
            self.parked.addItem(item)
        self.enable_for(view)

    def _triage_html(self, view: CounterOverview) -> str:
        visit, ticket = view.visit, view.current
        if visit is None or ticket is None:
            return ""
        category = CATEGORY_ZH.get(ticket.category, ticket.category)
        ticked = set(visit.documents_checked)
        docs = (
            "<br>".join(f"{'✔' if key in ticked else '✘'} {label}" for key, label in view.documents)
            or "-"
        )
        confirmed = (
            f"✔ {self.tr('已确认')} {visit.confirmed_by}"
            if visit.confirmed_by
            else self.tr("待确认 not yet confirmed")
        )
        return (
            f"<b>{self.tr('类别 Category')}:</b> {category} ({ticket.category})<br>"
            f"<b>{self.tr('电话 Phone')}:</b> {visit.phone_masked or '-'}<br>"
            f"<b>{self.tr('备注 Note')}:</b> {visit.note or '-'}<br>"
            f"<b>{self.tr('材料 Documents')}:</b><br>{docs}<br>"
            f"<b>{self.tr('取号 Issued by')}:</b> {visit.created_by}  · {confirmed}"
        )

    def enable_for(self, view: CounterOverview | None, busy: bool = False) -> None:
        """Enable exactly the actions that make sense now."""
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
        self.scan.setEnabled(state is None and open_counter and not busy)
        self.resume_button.setEnabled(state is None and bool(view and view.parked) and not busy)

    def show_notice(self, text: str, level: str) -> None:
        """Show a one-line message."""
        self.notice.setProperty("level", level)
        self.notice.setText(text)
        self.notice.style().unpolish(self.notice)
        self.notice.style().polish(self.notice)

    def _scanned(self) -> None:
        text = self.scan.text()
        self.scan.clear()
        self.call_specific.emit(text)

    def _resume_selected(self) -> None:
        item = self.parked.currentItem()
        if item is not None:
            self.resume.emit(item.data(Qt.ItemDataRole.UserRole))
