"""The manager's window and its composition root."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lobby.audit import AuditPage, AuditQuery, event_kinds, search_journal
from lobby.clock import zone
from lobby.complaints import (
    ComplaintQuery,
    ComplaintView,
    follow_up,
    list_complaints,
    reveal_contact,
)
from lobby.journal import verify_chain
from lobby.lifecycle.history import BackupStatus, read_backup_status
from lobby.queries.floor import FloorView, floor_view
from lobby.reports import Report, build_report
from lobby.staff import StaffView
from lobby.staffing import Advice, advise_from_history
from ui.common.pin_change import PinChangeDialog, ask_for_new_pin
from ui.manager.audit_page import AuditView
from ui.manager.complaints_page import ComplaintsPage
from ui.manager.config_link import ConfigLink
from ui.manager.config_page import ConfigPage
from ui.manager.controller import ManagerController
from ui.manager.live import LivePage
from ui.manager.reports_page import ReportsPage
from ui.manager.sign_in import SignInPage
from ui.manager.staffing_page import StaffingPage

#: Waits grow while nothing happens: the floor is read again at least this often.
FLOOR_REFRESH_MS = 30_000


class ManagerWindow(QMainWindow):
    """Sign-in, then tabs: live floor, reports, complaints, configuration, audit, staffing."""

    def __init__(
        self,
        controller: ManagerController,
        branch: str,
        today: date,
        timezone: str,
        service_names: dict[str, str],
        backup_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.backup_dir = backup_dir
        self.timezone = timezone
        self.setWindowTitle("Lobby 网点经理 Branch manager")
        self.controller = controller
        self.pin_change: PinChangeDialog | None = None
        self.sign_in = SignInPage(branch)
        self.live = LivePage()
        self.live.set_clock(controller.now)
        self.reports = ReportsPage(today, service_names)
        self.complaints = ComplaintsPage(timezone)
        self.config = ConfigPage()
        self.config_link = ConfigLink(self.config, controller)
        self.audit = AuditView(timezone, controller.now().astimezone(zone(timezone)))
        self.tabs = QTabWidget()
        self.tabs.setObjectName("managerTabs")
        self.tabs.addTab(self.live, "实时 Live floor")
        self.tabs.addTab(self.reports, "报表 Reports")
        self.tabs.addTab(self.complaints, "投诉 Complaints")
        self.tabs.addTab(self.config, "配置 Configuration")
        self.tabs.addTab(self.audit, "审计 Audit")
        self.staffing = StaffingPage(today)
        self.tabs.addTab(self.staffing, "排班建议 Staffing")

        self.who = QLabel()
        self.who.setObjectName("header")
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.backup = QLabel()
        self.backup.setObjectName("backupStatus")
        top = QHBoxLayout()
        top.addWidget(QLabel(branch, objectName="header"), 1)  # type: ignore[call-overload]
        top.addWidget(self.backup)
        top.addWidget(self.who)
        main = QWidget()
        column = QVBoxLayout(main)
        column.addLayout(top)
        column.addWidget(self.notice)
        column.addWidget(self.tabs, 1)

        self.pages = QStackedWidget()
        self.pages.addWidget(self.sign_in)
        self.pages.addWidget(main)
        self.setCentralWidget(self.pages)
        self._main = main
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self.notice.hide)
        self.floor_timer = QTimer(self)
        self.floor_timer.setInterval(FLOOR_REFRESH_MS)
        self.floor_timer.timeout.connect(self.refresh_floor)

        self.sign_in.submitted.connect(controller.sign_in)
        controller.signed_in.connect(self._signed_in)
        controller.pin_change_needed.connect(self._ask_for_new_pin)
        controller.notice.connect(self.show_notice)
        controller.floor_stale.connect(self.refresh_floor)
        self.reports.requested.connect(self.load_report)
        self.complaints.query_changed.connect(self.load_complaints)
        self.complaints.follow_up.connect(self.follow_up)
        self.complaints.reveal_requested.connect(self.reveal_contact)
        controller.complaints_stale.connect(self.complaints.request)
        self.audit.query_changed.connect(self.load_audit)
        self.audit.verify_requested.connect(self.verify_chain)
        self.staffing.requested.connect(self.load_advice)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        """Stop timers and drop results still on their way."""
        self.controller.shutdown()
        self.floor_timer.stop()
        self.live.ticker.stop()
        super().closeEvent(event)

    def _ask_for_new_pin(self, code: str) -> None:
        self.sign_in.show_error(self.tr("请设置新密码 / choose a new PIN"))
        self.pin_change = ask_for_new_pin(self, code)
        self.pin_change.chosen.connect(self.controller.change_pin)

    def _signed_in(self, staff: StaffView) -> None:
        self.who.setText(f"{staff.name} ({staff.code})")
        self.pages.setCurrentWidget(self._main)
        self.refresh_floor()
        self.floor_timer.start()
        first, last = self.reports.period_dates()
        self.load_report(first, last)
        self.complaints.request()
        self.config_link.load()
        self.load_audit(self.audit.query())
        self.verify_chain()

    def show_notice(self, text: str, level: str) -> None:
        """Show a message; sign-in errors go to the sign-in page."""
        if self.pages.currentWidget() is self.sign_in and level == "error":
            self.sign_in.show_error(text)
            return
        self.notice.setText(text)
        self.notice.setProperty("level", level)
        self.notice.style().unpolish(self.notice)
        self.notice.style().polish(self.notice)
        self.notice.show()
        self._notice_timer.start(8000 if level == "error" else 4000)

    def refresh_floor(self) -> None:
        """Read the floor again (after a journal move, or on the refresh timer)."""
        if self.controller.staff is None:
            return
        now = self.controller.now()
        self.controller.read(lambda s: floor_view(s, now), self._floor, latest="floor")
        folder = self.backup_dir
        self.controller.read(
            lambda s: read_backup_status(s, now, folder), self.show_backup, latest="backup"
        )

    def show_backup(self, status: BackupStatus) -> None:
        """The last backup's time and size, or a warning (older than a day, or failed)."""
        warning = status.warning
        if warning is None and status.last_at is not None:
            local = status.last_at.astimezone(zone(self.timezone))
            size = (status.size or 0) / 1e6
            self.backup.setText(f"备份 Last backup {local:%m-%d %H:%M}, {size:.1f} MB")
            self.backup.setProperty("level", "")
        else:
            self.backup.setText(f"⚠ 备份 Backup: {warning}")
            self.backup.setProperty("level", "alert")
        self.backup.setToolTip(status.file or "")
        self.backup.style().unpolish(self.backup)
        self.backup.style().polish(self.backup)

    def _floor(self, floor: FloorView) -> None:
        self.live.show_floor(floor)

    def load_report(self, first: date, last: date) -> None:
        """Read a period's report off the GUI thread."""
        if last < first:
            self.show_notice("结束日期早于开始日期 / the end date is before the start", "error")
            return
        self.reports.set_busy(True)

        def done(report: Report) -> None:
            self.reports.set_busy(False)
            self.reports.show_report(report)

        now, credential = self.controller.now(), self.controller.credential
        self.controller.read(
            lambda s: build_report(s, first, last, reader=credential, now=now),
            done,
            lambda _: self.reports.set_busy(False),
        )

    def load_complaints(self, query: ComplaintQuery) -> None:
        """Read the complaint list under ``query``."""
        staff = self.controller.actor
        now = self.controller.now()
        self.controller.read(
            lambda s: list_complaints(s, staff, now, query),
            self.complaints.show_complaints,
            latest="complaints",
        )

    def load_audit(self, query: AuditQuery) -> None:
        """Read one page of the journal (and the kinds it holds, for the filter)."""
        reader, now = self.controller.credential, self.controller.now()

        def read(session: Any) -> tuple[AuditPage, tuple[str, ...]]:
            return search_journal(session, reader, query, now), event_kinds(session, reader, now)

        def done(result: tuple[AuditPage, tuple[str, ...]]) -> None:
            page, kinds = result
            self.audit.set_kinds(kinds)
            self.audit.show_page(page)

        self.controller.read(read, done)

    def verify_chain(self) -> None:
        """Walk the journal's hash chain off the GUI thread and show its state."""
        self.controller.read(verify_chain, self.audit.show_chain, latest="chain")

    def load_advice(self, day: date, target_wait_min: float, level: float) -> None:
        """Advise counters per hour for ``day`` from the last weeks (simulation, off-thread)."""
        now = self.controller.now()
        self.staffing.set_busy(True)

        def done(advice: Advice) -> None:
            self.staffing.set_busy(False)
            self.staffing.show_advice(advice)

        self.controller.read(
            lambda s: advise_from_history(
                s, day, now=now, target_wait_min=target_wait_min, level=level
            ),
            done,
            lambda _: self.staffing.set_busy(False),
        )

    def follow_up(self, reference: str, changes: dict[str, object]) -> None:
        """Apply a follow-up to a complaint as the signed-in manager."""

        def done(view: ComplaintView) -> None:
            self.complaints.applied(view)

        self.controller.change(
            lambda uow: follow_up(uow, reference, **changes),  # type: ignore[arg-type]
            done,
            f"{reference} 已更新 updated",
        )

    def reveal_contact(self, reference: str, reason: str) -> None:
        """Show a complaint's full contact; the core journals who asked and why."""
        self.controller.change(
            lambda uow: reveal_contact(uow, reference, reason),
            lambda contact: self.complaints.show_contact(reference, contact),
        )
