"""The audit journal: every action, filtered by staff, ticket, counter, kind and time."""

from __future__ import annotations

import json
from datetime import datetime, time

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lobby.audit import AuditPage, AuditQuery
from lobby.clock import zone
from lobby.journal import ChainReport
from ui.manager.widgets import DataTable


class AuditView(QWidget):
    """Filters, a page of journal entries (newest first) and "older" paging.

    Signals:
        query_changed(AuditQuery): Read the journal under these filters.
        verify_requested(): Check the journal's hash chain.
    """

    query_changed = Signal(object)
    verify_requested = Signal()

    def __init__(self, timezone: str, today: datetime) -> None:
        super().__init__()
        self._zone = zone(timezone)
        self.page: AuditPage | None = None
        self.actor = QLineEdit()
        self.actor.setPlaceholderText("员工/设备 staff or device")
        self.ticket = QLineEdit()
        self.ticket.setPlaceholderText("票号 ticket, e.g. A012")
        self.counter = QSpinBox()
        self.counter.setRange(0, 999)
        self.counter.setSpecialValueText("全部窗口 any counter")
        self.kind = QComboBox()
        self.kind.addItem("全部类型 any kind", "")
        self.since = QDateEdit()
        self.until = QDateEdit()
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate(today.year, today.month, today.day))
        self.search_button = QPushButton("查询 Search")
        self.older_button = QPushButton("更早 Older")
        self.older_button.setObjectName("secondary")
        self.older_button.setEnabled(False)
        filters = QHBoxLayout()
        for widget in (self.actor, self.ticket, self.counter, self.kind):
            filters.addWidget(widget)
        filters.addWidget(QLabel("从 From"))
        filters.addWidget(self.since)
        filters.addWidget(QLabel("到 To"))
        filters.addWidget(self.until)
        filters.addWidget(self.search_button)
        filters.addWidget(self.older_button)
        self.table = DataTable(
            ["#", "时间 Time", "类型 Kind", "操作人 Actor", "票号 Ticket", "窗口 Counter",
             "详情 Details"]
        )  # fmt: skip
        self.chain = QLabel("链未校验 chain not checked yet")
        self.chain.setObjectName("chainState")
        self.verify_button = QPushButton("校验链 Verify chain")
        self.verify_button.setObjectName("secondary")
        chain_row = QHBoxLayout()
        chain_row.addWidget(self.chain, 1)
        chain_row.addWidget(self.verify_button)
        layout = QVBoxLayout(self)
        layout.addLayout(chain_row)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        self.search_button.clicked.connect(self.request)
        self.older_button.clicked.connect(self._older)
        self.verify_button.clicked.connect(self.verify_requested)
        self.actor.returnPressed.connect(self.request)
        self.ticket.returnPressed.connect(self.request)

    def set_kinds(self, kinds: tuple[str, ...]) -> None:
        """Offer the event kinds the journal holds."""
        current = self.kind.currentData()
        self.kind.clear()
        self.kind.addItem("全部类型 any kind", "")
        for kind in kinds:
            self.kind.addItem(kind, kind)
        if current and (index := self.kind.findData(current)) >= 0:
            self.kind.setCurrentIndex(index)

    def query(self, before_id: int | None = None) -> AuditQuery:
        """The filters as a query (dates are whole local days)."""
        first = self.since.date().toPython()
        last = self.until.date().toPython()
        since = datetime.combine(first, time(0), self._zone)  # type: ignore[arg-type]
        until = datetime.combine(last, time(23, 59, 59, 999999), self._zone)  # type: ignore[arg-type]
        return AuditQuery(
            actor=self.actor.text().strip() or None,
            ticket=self.ticket.text().strip().upper() or None,
            counter=self.counter.value() or None,
            kinds=(self.kind.currentData(),) if self.kind.currentData() else (),
            since=since,
            until=until,
            before_id=before_id,
        )

    def request(self) -> None:
        """Read the newest page under the filters."""
        self.query_changed.emit(self.query())

    def _older(self) -> None:
        if self.page is not None and self.page.next_before_id is not None:
            self.query_changed.emit(self.query(self.page.next_before_id))

    def show_page(self, page: AuditPage) -> None:
        """Show one page of entries."""
        self.page = page
        self.older_button.setEnabled(page.next_before_id is not None)
        self.table.fill(
            [
                [
                    str(e.id),
                    e.at.astimezone(self._zone).strftime("%Y-%m-%d %H:%M:%S"),
                    e.kind,
                    e.actor,
                    e.ticket or "",
                    "" if e.counter is None else str(e.counter),
                    json.dumps(e.payload, ensure_ascii=False, sort_keys=True)[:200],
                ]
                for e in page.events
            ],
            keys=[e.id for e in page.events],
        )

    def show_chain(self, report: ChainReport) -> None:
        """Show whether the journal is as the engine wrote it, or where it was changed."""
        if report.intact:
            text = f"链完整 chain intact: {report.checked} events up to #{report.last_id}"
            level = "ok"
        else:
            text = f"链已断 CHAIN BROKEN at #{report.first_bad_id}: {report.message}"
            level = "error"
        self.chain.setText(text)
        self.chain.setProperty("level", level)
        self.chain.style().unpolish(self.chain)
        self.chain.style().polish(self.chain)
