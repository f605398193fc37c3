"""The printer badge in the header: always visible, tap it to ask the printer again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from ui.greeter.printing import PrinterHealth
from ui.greeter.widgets import repolish


class PrinterBadge(QPushButton):
    """Shows :class:`PrinterHealth` as a coloured pill; ``clicked`` asks for a fresh status."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("printerBadge")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.health = PrinterHealth("checking")
        self.retranslate()

    def show_health(self, health: PrinterHealth) -> None:
        """Show ``health``."""
        self.health = health
        self.retranslate()

    def retranslate(self) -> None:
        """Re-say the state in the current language."""
        texts = {
            "checking": self.tr("打印机检查中…"),
            "ready": self.tr("● 打印机正常"),
            "paper_low": self.tr("● 打印纸将用完"),
            "paper_out": self.tr("● 打印机缺纸"),
            "cover_open": self.tr("● 打印机盖未关"),
            "offline": self.tr("● 打印机离线"),
            "unreachable": self.tr("● 无法连接打印机"),
            "unknown": self.tr("● 打印机状态未知"),
        }
        self.setText(texts.get(self.health.state, self.health.state))
        self.setToolTip(self.health.detail)
        self.setProperty("health", self.health.state)
        repolish(self)
