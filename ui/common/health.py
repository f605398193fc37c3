"""The banner an app shows when one of ``lobby doctor``'s cheap checks fails at its start.

The checks (schema, file permissions, free disk, last backup) take milliseconds; they
run once the window is on screen (``ui.common.running``). The banner names each failed
check in Chinese and English terms and stays until the app is restarted with the
problem fixed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QLayout, QMainWindow, QVBoxLayout, QWidget

from lobby.db import Database
from lobby.settings import Settings

if TYPE_CHECKING:
    from lobby.lifecycle.doctor import Check

#: Chinese names of the checks, shown before the English detail.
CHECK_NAMES_ZH = {
    "schema": "数据库版本",
    "storage": "数据库文件",
    "permissions": "文件权限",
    "disk": "磁盘空间",
    "journal": "日志",
    "backup": "备份",
}


class HealthBanner(QLabel):
    """A red strip listing the failed checks."""

    def __init__(self, checks: list[Check]) -> None:
        lines = [f"⚠ {CHECK_NAMES_ZH.get(c.name, c.name)} {c.name}: {c.detail}" for c in checks]
        lines.append("请联系网点经理运行 lobby doctor / ask the manager to run `lobby doctor`")
        super().__init__("\n".join(lines))
        self.setObjectName("healthBanner")
        self.setWordWrap(True)


def attach_banner(window: QWidget, banner: QWidget) -> None:
    """Put ``banner`` above everything else in ``window``."""
    if isinstance(window, QMainWindow):
        central = window.takeCentralWidget()
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(banner)
        if central is not None:
            column.addWidget(central, 1)
        window.setCentralWidget(holder)
        return
    layout = window.layout()
    if isinstance(layout, QVBoxLayout):
        layout.insertWidget(0, banner)
    elif isinstance(layout, QLayout):
        layout.addWidget(banner)


def check_at_start(
    window: QWidget, db: Database, settings: Settings | None = None
) -> HealthBanner | None:
    """Run the cheap checks; show a banner on ``window`` when one fails (and return it)."""
    from lobby.lifecycle.doctor import Doctor, failed  # after the window is shown

    bad = failed(Doctor(settings or Settings(), db).run(cheap=True))
    if not bad:
        return None
    banner = HealthBanner(bad)
    attach_banner(window, banner)
    return banner
