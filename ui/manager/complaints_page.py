"""Complaint follow-up: a filtered list, overdue ones in red, and the chosen one's file."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lobby.clock import zone
from lobby.complaints import (
    COMPLAINT_CATEGORIES,
    COMPLAINT_STATUSES,
    INFORM_CHANNELS,
    ComplaintQuery,
    ComplaintView,
)
from ui.manager.widgets import ALERT, GOOD, WARN, DataTable

STATUS_TEXT = {
    "new": "新 new",
    "in_progress": "处理中 in progress",
    "resolved": "已解决 resolved",
    "informed": "已告知客户 informed",
}
CATEGORY_TEXT = {
    "service": "服务 service", "waiting": "等候 waiting", "fees": "收费 fees",
    "product": "产品 product", "facilities": "设施 facilities", "staff": "员工 staff",
    "other": "其他 other",
}  # fmt: skip


def deadline_text(view: ComplaintView) -> str:
    """The answer clock: time left, how late, or how it ended."""
    if view.time_left_s is None:
        return "按时答复 answered" if not view.answered_late else "逾期答复 answered late"
    hours = abs(view.time_left_s) / 3600
    span = f"{hours / 24:.1f} d" if hours >= 48 else f"{hours:.0f} h"
    if view.overdue:
        return f"⚠ 逾期 overdue {span}"
    return f"剩余 {span} left"


class ComplaintsPage(QWidget):
    """List, filter and follow up complaints.

    Signals:
        query_changed(ComplaintQuery): The filters changed; read the list again.
        follow_up(str, dict): Apply a follow-up (keyword arguments of ``follow_up``)
            to the complaint with this reference.
    """

    query_changed = Signal(object)
    follow_up = Signal(str, dict)
    reveal_requested = Signal(str, str)

    def __init__(self, timezone: str) -> None:
        super().__init__()
        self._zone = zone(timezone)
        self.views: tuple[ComplaintView, ...] = ()
        self.current: ComplaintView | None = None
        self.status = QComboBox()
        self.status.addItem("全部 all", "")
        self.status.addItem("未结 open (new + in progress)", "open")
        for key in COMPLAINT_STATUSES:
            self.status.addItem(STATUS_TEXT[key], key)
        self.category = QComboBox()
        self.category.addItem("全部类别 all categories", "")
        for key in COMPLAINT_CATEGORIES:
            self.category.addItem(CATEGORY_TEXT.get(key, key), key)
        self.overdue_only = QCheckBox("只看逾期 overdue only")
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索 search reference / text")
        filters = QHBoxLayout()
        for widget in (self.status, self.category, self.overdue_only, self.search):
            filters.addWidget(widget)
        for widget in (self.status, self.category):
            widget.currentIndexChanged.connect(self.request)
        self.overdue_only.toggled.connect(self.request)
        self.search.returnPressed.connect(self.request)

        self.table = DataTable(
            ["编号 Reference", "类别 Category", "状态 Status", "负责人 Assigned",
             "受理 Filed", "答复期限 Answer clock", "内容 Description"]
        )  # fmt: skip
        self.table.itemSelectionChanged.connect(self._selected)

        self.title = QLabel("选择一条投诉 / choose a complaint")
        self.title.setObjectName("header")
        self.title.setWordWrap(True)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.clock = QLabel()
        self.notes = QPlainTextEdit()
        self.notes.setReadOnly(True)
        self.assignee = QLineEdit()
        self.assignee.setPlaceholderText("工号 staff id, e.g. M01")
        self.assign_button = QPushButton("指派 Assign")
        self.next_status = QComboBox()
        self.resolution = QPlainTextEdit()
        self.resolution.setPlaceholderText("处理结果 resolution (needed to resolve)")
        self.resolution.setMaximumHeight(90)
        self.channel = QComboBox()
        for key in INFORM_CHANNELS:
            self.channel.addItem(key, key)
        self.move_button = QPushButton("更新状态 Update status")
        self.note = QLineEdit()
        self.note.setPlaceholderText("备注 note")
        self.note_button = QPushButton("添加备注 Add note")
        self.assign_button.clicked.connect(self._assign)
        self.move_button.clicked.connect(self._move)
        self.note_button.clicked.connect(self._note)
        self.note.returnPressed.connect(self._note)
        self.reveal_reason = QLineEdit()
        self.reveal_reason.setPlaceholderText("为何需要 why, e.g. 客户要求回电 asked for a call")
        self.reveal_button = QPushButton("显示完整号码 Reveal contact")
        self.reveal_button.setObjectName("secondary")
        self.reveal_button.clicked.connect(self._reveal)
        self.revealed = QLabel()
        self.revealed.setObjectName("revealedContact")

        form = QFormLayout()
        assign_row = QHBoxLayout()
        assign_row.addWidget(self.assignee)
        assign_row.addWidget(self.assign_button)
        form.addRow("负责人 Assign", assign_row)
        form.addRow("下一状态 Next status", self.next_status)
        form.addRow("处理结果 Resolution", self.resolution)
        form.addRow("告知方式 Informed by", self.channel)
        form.addRow("", self.move_button)
        note_row = QHBoxLayout()
        note_row.addWidget(self.note)
        note_row.addWidget(self.note_button)
        form.addRow("备注 Note", note_row)
        reveal_row = QHBoxLayout()
        reveal_row.addWidget(self.reveal_reason)
        reveal_row.addWidget(self.reveal_button)
        form.addRow("联系方式 Contact", reveal_row)
        form.addRow("", self.revealed)
        detail_box = QGroupBox("投诉详情 Complaint")
        column = QVBoxLayout(detail_box)
        column.addWidget(self.title)
        column.addWidget(self.clock)
        column.addWidget(self.details)
        column.addWidget(QLabel("备注与记录 Notes"))
        column.addWidget(self.notes, 1)
        column.addLayout(form)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(detail_box)
        splitter.setSizes([1100, 800])
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        self._enable(False)

    def query(self) -> ComplaintQuery:
        """The filters as a query."""
        status = self.status.currentData()
        statuses = ("new", "in_progress") if status == "open" else (status,) if status else ()
        return ComplaintQuery(
            statuses=statuses,
            category=self.category.currentData() or None,
            overdue=True if self.overdue_only.isChecked() else None,
            text=self.search.text().strip() or None,
        )

    def request(self) -> None:
        """Ask for the list under the current filters."""
        self.query_changed.emit(self.query())

    def show_complaints(self, views: tuple[ComplaintView, ...]) -> None:
        """Show a fresh list, keeping the chosen complaint if it is still there."""
        keep = self.current.reference if self.current else None
        self.views = views
        rows, tints = [], []
        for v in views:
            rows.append([
                v.reference, CATEGORY_TEXT.get(v.category, v.category),
                STATUS_TEXT.get(v.status, v.status), v.assigned_to or "—",
                self._local(v.created_at), deadline_text(v), v.description.replace("\n", " ")[:80],
            ])  # fmt: skip
            tints.append(ALERT if v.overdue else GOOD if v.status == "informed" else
                         WARN if v.status == "new" else None)  # fmt: skip
        self.table.fill(rows, tints, keys=[v.reference for v in views])
        for row, v in enumerate(views):
            if v.reference == keep:
                self.table.blockSignals(True)
                self.table.selectRow(row)
                self.table.blockSignals(False)
                self._show(v)
                break
        else:
            self.table.clearSelection()
            self._show(None)

    def _selected(self) -> None:
        reference = self.table.selected_key()
        self._show(next((v for v in self.views if v.reference == reference), None))

    def _show(self, view: ComplaintView | None) -> None:
        if view is None or self.current is None or view.reference != self.current.reference:
            self.revealed.clear()
        self.current = view
        self._enable(view is not None)
        if view is None:
            self.title.setText("选择一条投诉 / choose a complaint")
            for label in (self.details, self.clock):
                label.clear()
            self.notes.clear()
            return
        self.title.setText(
            f"{view.reference}  {CATEGORY_TEXT.get(view.category, view.category)}  ·  "
            f"{STATUS_TEXT.get(view.status, view.status)}"
        )
        due = self._local(view.answer_due)
        self.clock.setText(f"答复期限 answer by {due}  —  {deadline_text(view)}")
        self.clock.setObjectName("overdue" if view.overdue else "")
        self.clock.style().unpolish(self.clock)
        self.clock.style().polish(self.clock)
        lines = [
            view.description,
            f"联系方式 contact: {view.contact_masked or '—'} ({view.wished_follow_up})",
            f"票号 ticket: {view.ticket or '—'}   受理 filed by {view.created_by}",
        ]
        if view.resolution:
            lines.append(f"处理结果 resolution: {view.resolution}")
        self.details.setText("\n".join(lines))
        self.notes.setPlainText(
            "\n".join(f"{self._local(n.at)}  {n.author}: {n.text}" for n in view.notes)
        )
        self.assignee.setText(view.assigned_to or "")
        self.next_status.clear()
        for key in view.allowed:
            self.next_status.addItem(STATUS_TEXT.get(key, key), key)
        self.move_button.setEnabled(bool(view.allowed))

    def _enable(self, enabled: bool) -> None:
        for widget in (self.assign_button, self.move_button, self.note_button, self.reveal_button):
            widget.setEnabled(enabled)

    def _reveal(self) -> None:
        if self.current is None:
            return
        self.reveal_requested.emit(self.current.reference, self.reveal_reason.text())

    def show_contact(self, reference: str, contact: str | None) -> None:
        """Show a revealed contact (journalled by the core) for the complaint on screen."""
        if self.current is None or self.current.reference != reference:
            return
        self.revealed.setText(f"{contact or '未留 none left'}  (已记录 journalled)")
        self.reveal_reason.clear()

    def _assign(self) -> None:
        if self.current is None:
            return
        code = self.assignee.text().strip().upper()
        args = {"assign_to": code} if code else {"unassign": True}
        self.follow_up.emit(self.current.reference, args)

    def _move(self) -> None:
        if self.current is None or self.next_status.currentData() is None:
            return
        status = str(self.next_status.currentData())
        args: dict[str, object] = {"status": status}
        if status == "resolved":
            args["resolution"] = self.resolution.toPlainText()
        if status == "informed":
            args["channel"] = self.channel.currentData()
        self.follow_up.emit(self.current.reference, args)

    def _note(self) -> None:
        if self.current is None:
            return
        self.follow_up.emit(self.current.reference, {"note": self.note.text()})

    def _local(self, moment: datetime) -> str:
        return moment.astimezone(self._zone).strftime("%Y-%m-%d %H:%M")

    def applied(self, view: ComplaintView) -> None:
        """A follow-up went through: clear the inputs (the list reloads from the journal)."""
        self.note.clear()
        self.resolution.clear()
        self.current = view
