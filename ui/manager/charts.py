"""The report's charts (QtCharts): wait by hour, service level by day, satisfaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QApplication

BLUE, RED, GREEN, GREY = "#1f5fa8", "#b3261e", "#2e7d32", "#7a8794"


class ReportChart(QChartView):
    """A chart view with Lobby's font sizes; ``plot_*`` methods redraw it."""

    def __init__(self, title: str) -> None:
        chart = QChart()
        chart.setTitle(title)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        super().__init__(chart)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(260)
        base = QApplication.font()
        self._title_font = QFont(base.family())
        self._title_font.setPixelSize(18)
        self._title_font.setBold(True)
        self._label_font = QFont(base.family())
        self._label_font.setPixelSize(13)
        chart.setTitleFont(self._title_font)
        chart.legend().setFont(self._label_font)

    def _reset(self) -> QChart:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        return chart

    def _axes(
        self, categories: Sequence[str], top: float, unit: str
    ) -> tuple[QBarCategoryAxis, QValueAxis]:
        chart = self.chart()
        x = QBarCategoryAxis()
        x.append(list(categories) or ["–"])
        x.setLabelsFont(self._label_font)
        y = QValueAxis()
        y.setRange(0, max(top, 1.0))
        y.setLabelFormat("%.0f")
        y.setTitleText(unit)
        y.setTitleFont(self._label_font)
        y.setLabelsFont(self._label_font)
        y.applyNiceNumbers()
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        return x, y

    def plot_bars(
        self,
        categories: Sequence[str],
        sets: Mapping[str, tuple[Sequence[float], str]],
        unit: str,
        target: float | None = None,
    ) -> None:
        """Grouped bars: ``sets`` maps a legend label to (values, colour).

        A ``target`` draws a red horizontal line across the chart.
        """
        chart = self._reset()
        series = QBarSeries()
        top = target or 0.0
        for label, (values, colour) in sets.items():
            bar_set = QBarSet(label)
            bar_set.append([float(v) for v in values])
            bar_set.setColor(QColor(colour))
            series.append(bar_set)
            top = max([top, *values])
        chart.addSeries(series)
        x, y = self._axes(categories, top * 1.15, unit)
        series.attachAxis(x)
        series.attachAxis(y)
        if target is not None and categories:
            self._target_line(len(categories), target, x, y)

    def plot_line(
        self,
        categories: Sequence[str],
        values: Sequence[float | None],
        label: str,
        unit: str,
        target: float | None = None,
    ) -> None:
        """A line over categories (gaps where a value is unknown)."""
        chart = self._reset()
        series = QLineSeries()
        series.setName(label)
        pen = QPen(QColor(BLUE))
        pen.setWidth(3)
        series.setPen(pen)
        series.setPointsVisible(True)
        for index, value in enumerate(values):
            if value is not None:
                series.append(index, value)
        chart.addSeries(series)
        top = max([target or 0.0, *(v for v in values if v is not None)], default=1.0)
        x, y = self._axes(categories, max(top, 100.0), unit)
        series.attachAxis(x)
        series.attachAxis(y)
        if target is not None and categories:
            self._target_line(len(categories), target, x, y)

    def _target_line(self, count: int, target: float, x: QBarCategoryAxis, y: QValueAxis) -> None:
        line = QLineSeries()
        line.setName(f"目标 target {target:g}")
        pen = QPen(QColor(RED))
        pen.setWidth(2)
        pen.setStyle(Qt.PenStyle.DashLine)
        line.setPen(pen)
        line.append(-0.5, target)
        line.append(count - 0.5, target)
        self.chart().addSeries(line)
        line.attachAxis(x)
        line.attachAxis(y)

    def series_values(self) -> list[list[float]]:
        """The plotted values, series by series (for tests and checks)."""
        out: list[list[float]] = []
        for series in self.chart().series():
            if isinstance(series, QBarSeries):
                out.extend([s.at(i) for i in range(s.count())] for s in series.barSets())
            elif isinstance(series, QLineSeries):
                out.append([p.y() for p in series.points()])
        return out


__all__ = ["BLUE", "GREEN", "GREY", "RED", "ReportChart"]
