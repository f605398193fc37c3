"""Reports for a date range: KPI cards, charts, tables by group, CSV/JSON export."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lobby.reports import Figures, Report, report_to_csv
from ui.manager.charts import BLUE, GREEN, GREY, ReportChart
from ui.manager.widgets import DataTable, KpiCard, minutes, share

FIGURE_COLUMNS = (
    ("issued", "取号 Issued"),
    ("served", "办结 Served"),
    ("no_show", "过号 No-show"),
    ("avg_wait_s", "平均等候 Avg wait (min)"),
    ("p90_wait_s", "P90 等候 P90 wait (min)"),
    ("avg_service_s", "平均办理 Avg service (min)"),
    ("no_show_share", "过号率 No-show share"),
    ("service_level", "达标率 Service level"),
)
#: The service level the branch aims for (share called within the target wait).
SERVICE_LEVEL_GOAL = 80.0


def figure_cells(f: Figures) -> list[str]:
    """A group's figures as table cells, in FIGURE_COLUMNS order."""
    return [
        str(f.issued),
        str(f.served),
        str(f.no_show),
        minutes(f.avg_wait_s),
        minutes(f.p90_wait_s),
        minutes(f.avg_service_s),
        share(f.no_show_share),
        share(f.service_level),
    ]


class ReportsPage(QWidget):
    """Pick a period, read its report, see it as cards, charts and tables; export it.

    Signals:
        requested(date, date): The manager asked for the report of a period.
    """

    requested = Signal(object, object)

    def __init__(self, today: date, service_names: dict[str, str] | None = None) -> None:
        super().__init__()
        self.report: Report | None = None
        self._names = service_names or {}
        self._today = today
        self.first = QDateEdit()
        self.last = QDateEdit()
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.presets: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        bar.addWidget(QLabel("从 From"))
        bar.addWidget(self.first)
        bar.addWidget(QLabel("到 To"))
        bar.addWidget(self.last)
        for key, label in (("today", "今天 Today"), ("week", "近7天 7 days"),
                           ("month", "本月 This month"), ("30", "近30天 30 days")):  # fmt: skip
            button = QPushButton(label)
            button.setObjectName("secondary")
            button.clicked.connect(lambda _=False, k=key: self.preset(k))
            self.presets[key] = button
            bar.addWidget(button)
        self.run_button = QPushButton("生成报表 Show report")
        self.run_button.clicked.connect(self._request)
        bar.addWidget(self.run_button)
        bar.addStretch(1)
        self.csv_button = QPushButton("导出 CSV")
        self.json_button = QPushButton("导出 JSON")
        self.csv_button.clicked.connect(lambda: self._export("csv"))
        self.json_button.clicked.connect(lambda: self._export("json"))
        bar.addWidget(self.csv_button)
        bar.addWidget(self.json_button)

        self.period = QLabel()
        self.period.setObjectName("header")
        self.cards = {
            "issued": KpiCard("取号 Issued"),
            "served": KpiCard("办结 Served"),
            "avg_wait": KpiCard("平均等候 Avg wait"),
            "p90_wait": KpiCard("P90 等候 P90 wait"),
            "avg_service": KpiCard("平均办理 Avg service"),
            "no_show": KpiCard("过号率 No-show"),
            "service_level": KpiCard("达标率 Service level"),
            "rating": KpiCard("满意度 Satisfaction"),
            "complaints": KpiCard("投诉 Complaints"),
        }
        cards = QGridLayout()
        for index, card in enumerate(self.cards.values()):
            cards.addWidget(card, 0, index)

        self.wait_chart = ReportChart("各时段等候 Wait by hour (min)")
        self.level_chart = ReportChart("每日达标率 Service level by day (%)")
        self.rating_chart = ReportChart("满意度分布 Satisfaction (ratings)")
        charts = QHBoxLayout()
        charts.addWidget(self.wait_chart, 3)
        charts.addWidget(self.level_chart, 3)
        charts.addWidget(self.rating_chart, 2)

        headers = [label for _, label in FIGURE_COLUMNS]
        self.tables = {
            "by_service": DataTable(["业务 Service", *headers]),
            "by_teller": DataTable(["柜员 Teller", *headers]),
            "by_hour": DataTable(["时段 Hour", *headers]),
            "by_day": DataTable(["日期 Day", *headers]),
        }
        self.tabs = QTabWidget()
        for key, label in (("by_service", "按业务 By service"), ("by_teller", "按柜员 By teller"),
                           ("by_hour", "按时段 By hour"), ("by_day", "按日 By day")):  # fmt: skip
            self.tabs.addTab(self.tables[key], label)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.period)
        layout.addLayout(cards)
        layout.addLayout(charts, 3)
        layout.addWidget(self.tabs, 2)
        self.preset("today")
        self._enable_export(False)

    def preset(self, key: str) -> None:
        """Set the period to today, the last 7 or 30 days, or this month."""
        last = self._today
        first = {
            "today": last,
            "week": last - timedelta(days=6),
            "30": last - timedelta(days=29),
            "month": last.replace(day=1),
        }[key]
        self.set_period(first, last)

    def set_period(self, first: date, last: date) -> None:
        """Put a period into the date fields."""
        self.first.setDate(QDate(first.year, first.month, first.day))
        self.last.setDate(QDate(last.year, last.month, last.day))

    def period_dates(self) -> tuple[date, date]:
        """The period in the date fields."""
        return self.first.date().toPython(), self.last.date().toPython()  # type: ignore[return-value]

    def _request(self) -> None:
        first, last = self.period_dates()
        self.requested.emit(first, last)

    def set_busy(self, busy: bool) -> None:
        """Disable the run button while a report is being read."""
        self.run_button.setEnabled(not busy)

    def show_report(self, report: Report) -> None:
        """Show a report: cards, charts and tables."""
        self.report = report
        t = report.totals
        self.period.setText(
            f"{report.first_day.isoformat()} — {report.last_day.isoformat()}   "
            f"共 {t.issued} 张票 tickets"
        )
        self.cards["issued"].show_value(str(t.issued))
        self.cards["served"].show_value(str(t.served))
        self.cards["avg_wait"].show_value(f"{minutes(t.avg_wait_s)} min")
        self.cards["p90_wait"].show_value(f"{minutes(t.p90_wait_s)} min")
        self.cards["avg_service"].show_value(f"{minutes(t.avg_service_s)} min")
        self.cards["no_show"].show_value(share(t.no_show_share))
        level = t.service_level
        below = level is not None and level * 100 < SERVICE_LEVEL_GOAL
        self.cards["service_level"].show_value(share(level), "alert" if below else "good")
        rating = "–" if report.avg_rating is None else f"{report.avg_rating:.2f} / 5"
        self.cards["rating"].show_value(f"{rating}  ({report.ratings})")
        resolve = report.complaint_figures.avg_resolve_h
        self.cards["complaints"].show_value(
            f"{report.complaints}  (未结 open {report.complaints_open})",
            "warn" if report.complaints_open else "",
        )
        self.cards["complaints"].caption.setText(
            "投诉 Complaints" + ("" if resolve is None else f" · 平均解决 avg {resolve:.1f} h")
        )
        self._plot(report)
        for key, table in self.tables.items():
            groups: dict[str, Figures] = getattr(report, key)
            names = self._names if key == "by_service" else {}
            table.fill([[names.get(k, k), *figure_cells(f)] for k, f in groups.items()])
        self._enable_export(True)

    def _plot(self, report: Report) -> None:
        hours = list(report.by_hour)
        self.wait_chart.plot_bars(
            [f"{h}:00" for h in hours],
            {
                "平均 mean": ([(f.avg_wait_s or 0) / 60 for f in report.by_hour.values()], BLUE),
                "P90": ([(f.p90_wait_s or 0) / 60 for f in report.by_hour.values()], GREY),
            },
            "分钟 min",
        )
        days = list(report.by_day)
        self.level_chart.plot_line(
            [d[5:] for d in days],
            [
                None if f.service_level is None else f.service_level * 100
                for f in report.by_day.values()
            ],
            "达标率 service level",
            "%",
            target=SERVICE_LEVEL_GOAL,
        )
        scores = [str(s) for s in range(1, 6)]
        self.rating_chart.plot_bars(
            [f"{s}★" for s in scores],
            {"评价 ratings": ([report.rating_counts.get(s, 0) for s in scores], GREEN)},
            "次 count",
        )

    def _enable_export(self, enabled: bool) -> None:
        self.csv_button.setEnabled(enabled)
        self.json_button.setEnabled(enabled)

    def export(self, path: Path) -> Path:
        """Write the shown report as CSV or JSON (by the file's suffix)."""
        if self.report is None:
            raise ValueError("no report to export")
        if path.suffix.lower() == ".json":
            text = json.dumps(self.report.to_json(), ensure_ascii=False, indent=2)
        else:
            text = report_to_csv(self.report)
        path.write_text(text, encoding="utf-8")
        return path

    def _export(self, kind: str) -> None:
        if self.report is None:
            return
        name = f"lobby-report-{self.report.first_day}-{self.report.last_day}.{kind}"
        chosen, _ = QFileDialog.getSaveFileName(self, "导出 Export", name, f"*.{kind}")
        if chosen:
            self.export(Path(chosen))
