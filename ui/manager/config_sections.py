"""An editable table of one configuration section (services, counters, profiles, notices).

Each row is one item of the section as plain data; the manager edits the flat fields
in place and saves the selected row. Fields the table does not show (documents,
self-service text) are kept from the stored item, so saving never loses them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

Item = dict[str, Any]


@dataclass(frozen=True)
class Column:
    """One editable field: its key, header, and text <-> value conversions."""

    key: str
    header: str
    show: Callable[[Any], str] = lambda value: "" if value is None else str(value)
    read: Callable[[str], Any] = lambda text: text.strip()


def tiers_text(tiers: Sequence[Sequence[str]]) -> str:
    """Profile tiers as the table shows them: ``cash account | wealth``."""
    return " | ".join(" ".join(tier) for tier in tiers)


def tiers_value(text: str) -> list[list[str]]:
    """Parse ``cash account | wealth`` back into tiers (empty tiers dropped)."""
    return [tier.split() for tier in text.split("|") if tier.split()]


def number_or_text(text: str) -> Any:
    """A whole number when the text is one, else the text (validation names the key)."""
    cleaned = text.strip()
    try:
        return int(cleaned)
    except ValueError:
        try:
            return float(cleaned)
        except ValueError:
            return cleaned


class SectionEditor(QWidget):
    """Rows of one section with Save, Add and Retire buttons.

    Signals:
        save(dict): Save this item (the stored item with the edited fields).
        retire(object): Retire the item with this key.
    """

    save = Signal(dict)
    retire = Signal(object)

    def __init__(self, title: str, key: str, columns: Sequence[Column]) -> None:
        super().__init__()
        self.key = key
        self.columns = tuple(columns)
        self.items: list[Item] = []
        self.table = QTableWidget(0, len(self.columns))
        self.table.setHorizontalHeaderLabels([c.header for c in self.columns])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.save_button = QPushButton("保存所选行 Save row")
        self.add_button = QPushButton("新增 Add")
        self.retire_button = QPushButton("停用 Retire")
        self.retire_button.setObjectName("secondary")
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(title, objectName="header"), 1)  # type: ignore[call-overload]
        for button in (self.add_button, self.save_button, self.retire_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.save_button.clicked.connect(self._save)
        self.add_button.clicked.connect(self.add_row)
        self.retire_button.clicked.connect(self._retire)

    def show_items(self, items: Sequence[Mapping[str, Any]]) -> None:
        """Show the stored items of the section."""
        self.items = [dict(item) for item in items]
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            for column, spec in enumerate(self.columns):
                self.table.setItem(row, column, QTableWidgetItem(spec.show(item.get(spec.key))))

    def add_row(self) -> None:
        """Append an empty row to fill in and save."""
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column in range(len(self.columns)):
            self.table.setItem(row, column, QTableWidgetItem(""))
        self.table.selectRow(row)
        first = self.table.item(row, 0)
        if first is not None:
            self.table.editItem(first)

    def edited_item(self, row: int) -> Item:
        """The item of ``row``: the stored one with the table's fields on top."""
        item = dict(self.items[row]) if row < len(self.items) else {}
        for column, spec in enumerate(self.columns):
            cell = self.table.item(row, column)
            text = cell.text() if cell else ""
            if text.strip() == "" and spec.key not in item:
                continue  # left empty on a new row: the default applies
            item[spec.key] = spec.read(text)
        return item

    def set_cell(self, row: int, key: str, text: str) -> None:
        """Type ``text`` into a cell (tests and keyboard shortcuts)."""
        column = next(i for i, c in enumerate(self.columns) if c.key == key)
        self.table.setItem(row, column, QTableWidgetItem(text))

    def selected_row(self) -> int | None:
        """The selected row, if any."""
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _save(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.save.emit(self.edited_item(row))

    def _retire(self) -> None:
        row = self.selected_row()
        if row is not None and row < len(self.items):
            self.retire.emit(self.items[row][self.key])
