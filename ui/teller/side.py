"""The console's side column: queues, parked and missed tickets, and the scan field."""

from __future__ import annotations

import math
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lobby.queries.counter_view import CounterOverview
from lobby.validation import SCANNED_MAX


class SidePanel(QWidget):
    """What waits at this counter, and how to call a particular ticket.

    Signals:
        call_specific(str): A typed number or scanned code was entered.
        resume(str): A parked ticket's resume was asked for.
        recall_missed(str): A missed ticket's call-back was asked for.
        notice(str, str): A message for the teller (a button pressed with nothing selected).
    """

    call_specific = Signal(str)
    resume = Signal(str)
    recall_missed = Signal(str)
    notice = Signal(str, str)

    def __init__(self) -> None:
        super().__init__()
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
        self.parked.itemActivated.connect(lambda item: self.resume.emit(_number(item)))
        self.resume_button = QPushButton(self.tr("恢复所选 Resume selected"))
        self.resume_button.clicked.connect(self._resume_selected)
        self.missed = QListWidget()
        self.missed.setObjectName("missed")
        self.missed.itemActivated.connect(lambda item: self.recall_missed.emit(_number(item)))
        self.recall_button = QPushButton(self.tr("叫回所选 Call back selected"))
        self.recall_button.setObjectName("recallMissed")
        self.recall_button.clicked.connect(self._recall_selected)
        self.lists = QTabWidget()
        self.lists.addTab(_column(self.parked, self.resume_button), self.tr("挂起 Parked"))
        self.lists.addTab(_column(self.missed, self.recall_button), self.tr("过号 Missed"))

        self.scan = QLineEdit()
        self.scan.setObjectName("scan")
        self.scan.setMaxLength(SCANNED_MAX)  # a scanner that sends too much is cut, not trusted
        self.scan.setPlaceholderText(self.tr("输入或扫描票号 Type or scan a ticket"))
        self.scan.returnPressed.connect(self._scanned)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("本窗口队列 Queues at this counter")))
        layout.addWidget(self.queues, 3)
        layout.addWidget(self.lists, 2)
        layout.addWidget(QLabel(self.tr("指定叫号 Call a specific ticket")))
        layout.addWidget(self.scan)

    def show_view(self, view: CounterOverview, now: datetime) -> None:
        """Fill the queues and both lists from a fresh overview."""
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
            text = f"{parked.number}  {parked.service_zh} {parked.service_en}"
            self.parked.addItem(_item(text, parked.number))
        self.missed.clear()
        for missed in view.missed:
            item = _item(missed.ticket.number, missed.ticket.number)
            item.setData(_UNTIL, missed.valid_until)
            item.setData(_SERVICE, f"{missed.ticket.service_zh} {missed.ticket.service_en}")
            self.missed.addItem(item)
        self.lists.setTabText(0, self.tr("挂起 Parked ({0})").format(len(view.parked)))
        self.tick(now)

    def tick(self, now: datetime) -> None:
        """Count the missed tickets' grace down; drop those whose grace ended."""
        for row in reversed(range(self.missed.count())):
            item = self.missed.item(row)
            left = (item.data(_UNTIL) - now).total_seconds()
            if left < 0:
                self.missed.takeItem(row)
                continue
            minutes = max(1, math.ceil(left / 60))
            item.setText(
                self.tr("{0}  {1} · 还剩 {2} 分钟 {2} min left").format(
                    _number(item), item.data(_SERVICE), minutes
                )
            )
        self.lists.setTabText(1, self.tr("过号 Missed ({0})").format(self.missed.count()))

    def enable_for(self, free: bool, open_counter: bool) -> None:
        """Calling from the lists needs a free, open counter; scanning an open counter.

        The scan field stays open while a ticket is open or an action runs: a code
        scanned right after F4 is called once the finish is through (actions run in
        order), and one scanned too early is refused with the reason, never dropped.
        """
        self.scan.setEnabled(open_counter)
        self.resume_button.setEnabled(free)
        self.recall_button.setEnabled(free and open_counter)

    def _scanned(self) -> None:
        text = self.scan.text()
        self.scan.clear()
        self.call_specific.emit(text)

    def _resume_selected(self) -> None:
        item = self.parked.currentItem()
        if item is None:
            text = self.tr("请先选择要恢复的挂起号 / select a parked ticket first")
            self.notice.emit(text, "warn")
            return
        self.resume.emit(_number(item))

    def _recall_selected(self) -> None:
        item = self.missed.currentItem()
        if item is None:
            text = self.tr("请先选择要叫回的过号 / select a missed ticket first")
            self.notice.emit(text, "warn")
            return
        self.recall_missed.emit(_number(item))


_UNTIL = Qt.ItemDataRole.UserRole + 1
_SERVICE = Qt.ItemDataRole.UserRole + 2


def _item(text: str, number: str) -> QListWidgetItem:
    item = QListWidgetItem(text)
    item.setData(Qt.ItemDataRole.UserRole, number)
    return item


def _number(item: QListWidgetItem) -> str:
    return str(item.data(Qt.ItemDataRole.UserRole))


def _column(*widgets: QWidget) -> QWidget:
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(4, 4, 4, 4)
    for widget in widgets:
        layout.addWidget(widget)
    return holder
