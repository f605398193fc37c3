"""The current customer: number, waits, why called, both notes, triage and the whole chain."""

from __future__ import annotations

from datetime import datetime, tzinfo
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QListWidget, QVBoxLayout

from lobby.clock import zone
from lobby.queries.counter_view import CounterOverview
from lobby.routing import CATEGORY_ZH
from lobby.views import TicketView

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


def minutes_between(start: datetime | None, end: datetime) -> int | None:
    """Whole minutes from ``start`` to ``end`` (``None`` without a start)."""
    if start is None:
        return None
    return max(0, int((end - start).total_seconds() // 60))


class CurrentCustomer(QGroupBox):
    """The open ticket's panel; empty when the counter holds no ticket."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("当前客户 Current customer"))
        self.number = QLabel("—")
        self.number.setObjectName("bigNumber")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.service = QLabel()
        self.service.setObjectName("serviceName")
        self.service.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.service.setWordWrap(True)
        self.state = QLabel()
        self.state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.waits = QLabel()
        self.waits.setObjectName("waits")
        self.waits.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.waits.setWordWrap(True)
        self.reason = QLabel()
        self.reason.setObjectName("reason")
        self.reason.setWordWrap(True)
        self.transfer_note = QLabel()
        self.transfer_note.setObjectName("transferNote")
        self.transfer_note.setWordWrap(True)
        self.transfer_note.setTextFormat(Qt.TextFormat.RichText)
        self.greeter_note = QLabel()
        self.greeter_note.setObjectName("greeterNote")
        self.greeter_note.setWordWrap(True)
        self.greeter_note.setTextFormat(Qt.TextFormat.RichText)
        self.triage = QLabel()
        self.triage.setObjectName("triage")
        self.triage.setWordWrap(True)
        self.triage.setTextFormat(Qt.TextFormat.RichText)
        self.history = QListWidget()
        self.history.setObjectName("history")
        self.history.setWordWrap(True)
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        left = QVBoxLayout()
        for widget in (self.number, self.service, self.state, self.waits, self.reason):
            left.addWidget(widget)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.transfer_note)
        right.addWidget(self.greeter_note)
        right.addWidget(self.triage)
        right.addWidget(QLabel(self.tr("经办记录 History")))
        right.addWidget(self.history, 1)
        columns = QHBoxLayout(self)
        columns.addLayout(left, 2)
        columns.addLayout(right, 3)

    def show_view(self, view: CounterOverview, now: datetime) -> None:
        """Show the overview's open ticket, or an empty panel."""
        ticket = view.current
        self.history.clear()
        if ticket is None:
            self.number.setText("—")
            self.service.setText(self.tr("无当前客户 No current customer"))
            for label in (self.state, self.waits, self.reason, self.triage):
                label.setText("")
            for label in (self.transfer_note, self.greeter_note):
                label.hide()
            return
        self.number.setText(ticket.number)
        self.service.setText(f"{ticket.service_zh}  {ticket.service_en}")
        self.state.setText(STATE_WORDS.get(ticket.state, ticket.state))
        self.waits.setText(self._waits(view, ticket, now))
        self.reason.setText(self.tr("叫号原因 Why: ") + (ticket.reason or "-"))
        self._notes(view, ticket)
        self.triage.setText(self._triage_html(view))
        if view.visit is not None:
            local = zone(view.timezone)
            for step, hop in enumerate(view.visit.tickets, start=1):
                self.history.addItem(self._hop_line(step, hop, local))

    def _waits(self, view: CounterOverview, ticket: TicketView, now: datetime) -> str:
        until = ticket.called_at or now
        queue = minutes_between(ticket.queued_at, until)
        visit = minutes_between(view.visit.created_at if view.visit else None, now)
        text = self.tr("本队列已等 {0} 分钟 in this queue").format(queue)
        if visit is not None:
            text += "\n" + self.tr("到行已 {0} 分钟 in the branch").format(visit)
        return text

    def _notes(self, view: CounterOverview, ticket: TicketView) -> None:
        if ticket.transfer_note:
            source = ""
            if view.visit is not None:
                before = [t for t in view.visit.tickets if t.hop == ticket.hop - 1]
                if before and before[0].counter is not None:
                    source = self.tr("（来自{0}号窗口 {1}）from counter {0}").format(
                        before[0].counter, before[0].staff or ""
                    )
            self.transfer_note.setText(
                f"<b>{self.tr('转办说明 Transfer note')}</b> {escape(source)}<br>"
                f"{escape(ticket.transfer_note)}"
            )
            self.transfer_note.show()
        else:
            self.transfer_note.hide()
        note = view.visit.note if view.visit else ""
        title = self.tr("迎宾备注 Greeter's note")
        self.greeter_note.setText(f"<b>{title}</b><br>{escape(note) if note else '-'}")
        self.greeter_note.show()

    def _hop_line(self, step: int, hop: TicketView, local: tzinfo) -> str:
        where = self.tr("{0}号窗口 counter {0}").format(hop.counter) if hop.counter else ""
        when = (hop.queued_at if hop.hop else hop.issued_at).astimezone(local).strftime("%H:%M")
        parts = [f"{step}. {when}", f"{hop.service_zh} {hop.service_en}"]
        if where:
            parts.append(where)
        if hop.staff:
            parts.append(hop.staff)
        parts.append(STATE_WORDS.get(hop.state, hop.state))
        line = " · ".join(parts)
        if hop.transfer_note:
            line += "\n   " + self.tr("转办说明 note: ") + hop.transfer_note
        return line

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
            f"<b>{self.tr('材料 Documents')}:</b><br>{docs}<br>"
            f"<b>{self.tr('取号 Issued by')}:</b> {escape(view.issuer)}  · {confirmed}"
        )
