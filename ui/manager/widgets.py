"""Small widgets the manager's pages share: KPI cards, tables, a filter bar."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

ALERT = QColor("#fde2e0")
WARN = QColor("#fff1c2")
GOOD = QColor("#e3f5e6")


class KpiCard(QFrame):
    """A figure with its caption: big enough to read from across the office."""

    def __init__(self, caption: str) -> None:
        super().__init__()
        self.setObjectName("kpi")
        self.caption = QLabel(caption)
        self.caption.setObjectName("kpiCaption")
        self.caption.setWordWrap(True)
        self.value = QLabel("–")
        self.value.setObjectName("kpiValue")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)

    def show_value(self, text: str, level: str = "") -> None:
        """Show ``text``; ``level`` ("alert", "warn", "good") tints the card."""
        self.value.setText(text)
        self.setProperty("level", level)
        self.style().unpolish(self)
        self.style().polish(self)


class DataTable(QTableWidget):
    """A read-only table filled from rows of text, optionally tinted row by row."""

    def __init__(self, headers: Sequence[str]) -> None:
        super().__init__(0, len(headers))
        self.setHorizontalHeaderLabels(list(headers))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    def fill(
        self,
        rows: Sequence[Sequence[str]],
        tints: Sequence[QColor | None] | None = None,
        keys: Sequence[object] | None = None,
    ) -> None:
        """Replace the rows; ``keys`` are kept on column 0 for :meth:`selected_key`."""
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            tint = tints[r] if tints else None
            for c, text in enumerate(row):
                item = self.item(r, c)
                if item is None:
                    item = QTableWidgetItem()
                    self.setItem(r, c, item)
                item.setText(text)
                item.setBackground(QBrush(tint) if tint else QBrush())
                if c == 0 and keys is not None:
                    item.setData(Qt.ItemDataRole.UserRole, keys[r])

    def selected_key(self) -> object | None:
        """The key of the selected row, if any."""
        rows = self.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.item(rows[0].row(), 0)
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def text_at(self, row: int, column: int) -> str:
        """The text of one cell ("" when empty)."""
        item = self.item(row, column)
        return item.text() if item else ""


def minutes(seconds: float | None) -> str:
    """Seconds as minutes for a table cell ("–" when unknown)."""
    if seconds is None:
        return "–"
    return f"{seconds / 60:.1f}"


def share(value: float | None) -> str:
    """A share as a percentage ("–" when unknown)."""
    return "–" if value is None else f"{value * 100:.0f}%"


def clock_text(seconds: float | None) -> str:
    """Seconds as m:ss for running clocks."""
    if seconds is None:
        return ""
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"
