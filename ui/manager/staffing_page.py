"""Staffing advice: counters needed per hour for a day, learned from past weeks."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lobby.staffing import Advice
from ui.manager.charts import BLUE, GREY, ReportChart
from ui.manager.widgets import ALERT, DataTable, share

EXPLAIN = (
    "根据过去四周同一工作日的到达与办理时间，用模拟检验每小时所需窗口数。\n"
    "Learned from the same weekday of the last four weeks; each hour's counters are "
    "checked by simulation."
)


class StaffingPage(QWidget):
    """Pick a day and a service-level target; see the counters advised per hour.

    Signals:
        requested(date, float, float): Day, target wait (min), level (0-1).
    """

    requested = Signal(object, float, float)

    def __init__(self, today: date) -> None:
        super().__init__()
        self.advice: Advice | None = None
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        tomorrow = today + timedelta(days=1)
        self.day.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
        self.target = QSpinBox()
        self.target.setRange(1, 120)
        self.target.setValue(10)
        self.target.setSuffix(" min")
        self.level = QDoubleSpinBox()
        self.level.setRange(50, 99)
        self.level.setValue(80)
        self.level.setSuffix(" %")
        self.run_button = QPushButton("计算排班建议 Advise")
        bar = QHBoxLayout()
        for label, widget in (("日期 Day", self.day), ("目标等候 Target wait", self.target),
                              ("达标比例 Served within", self.level)):  # fmt: skip
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addWidget(self.run_button)
        bar.addStretch(1)
        self.summary = QLabel(EXPLAIN)
        self.summary.setObjectName("header")
        self.summary.setWordWrap(True)
        self.chart = ReportChart("每小时窗口数 Counters per hour")
        self.table = DataTable(
            ["时段 Hour", "预计到达 Visits", "Erlang C", "建议窗口 Advised",
             "按工作方案 By profile", "达标率 Service level", "平均等候 Mean wait"]
        )  # fmt: skip
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.chart, 3)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.notes)
        self.run_button.clicked.connect(self._request)

    def _request(self) -> None:
        day = self.day.date().toPython()
        self.requested.emit(day, float(self.target.value()), self.level.value() / 100)

    def set_busy(self, busy: bool) -> None:
        """Disable the button while the simulation runs."""
        self.run_button.setEnabled(not busy)
        self.run_button.setText("计算中… Simulating…" if busy else "计算排班建议 Advise")

    def show_advice(self, advice: Advice) -> None:
        """Show the advice: summary, chart and hour table."""
        self.advice = advice
        verdict = (
            "可达标 target met"
            if advice.met
            else "无法在现有窗口下达标 not met with these counters"
        )
        self.summary.setText(
            f"{advice.scenario}: {advice.level:.0%} 在 {advice.target_wait_min:g} 分钟内 / within "
            f"{advice.target_wait_min:g} min — 共 {advice.counter_hours:g} 窗口·小时 "
            f"counter-hours (Erlang C {advice.erlang_counter_hours:g}) — {verdict}"
        )
        hours = [h.hour for h in advice.hours]
        self.chart.plot_bars(
            hours,
            {
                "Erlang C": ([h.erlang_counters for h in advice.hours], GREY),
                "建议 advised": ([h.counters for h in advice.hours], BLUE),
            },
            "窗口 counters",
        )
        rows, tints = [], []
        for h in advice.hours:
            rows.append([
                h.hour, f"{h.visits:.1f}", str(h.erlang_counters), str(h.counters),
                ", ".join(f"{p} {n}" for p, n in h.by_profile.items() if n),
                share(h.service_level),
                "–" if h.mean_wait_min is None else f"{h.mean_wait_min:.1f} min",
            ])  # fmt: skip
            low = h.service_level is not None and h.service_level < advice.level
            tints.append(ALERT if low else None)
        self.table.fill(rows, tints)
        self.notes.setText("\n".join(advice.notes))
