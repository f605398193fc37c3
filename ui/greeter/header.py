"""The bar along the top: branch, who is signed in, printer, language, text size, lock."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from ui.greeter.i18n import Language
from ui.greeter.printer_status import PrinterBadge
from ui.greeter.widgets import ElidedLabel, button


class HeaderBar(QWidget):
    """Always visible; the lock button shows only while someone is signed in."""

    def __init__(self, language: Language) -> None:
        super().__init__()
        self.setObjectName("header")
        self._language = language
        self._staff: str | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        # Names shorten rather than push the buttons off a portrait screen.
        self.branch = ElidedLabel("branchName")
        self.staff = ElidedLabel("headerStaff")
        self.printer = PrinterBadge()
        self.language = button("header", name="languageButton")
        self.large_text = button("header", name="largeTextButton")
        self.large_text.setCheckable(True)
        self.lock = button("header", name="lockButton")
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.branch)
        names.addWidget(self.staff)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.setSpacing(10)
        layout.addLayout(names, 1)
        for widget in (self.printer, self.language, self.large_text, self.lock):
            layout.addWidget(widget)
        self.set_staff(None)
        self.retranslate()

    def set_branch(self, name: str) -> None:
        """Show the branch's name."""
        if name != self.branch.full_text():
            self.branch.set_full_text(name)

    def set_staff(self, name: str | None) -> None:
        """Show who is signed in (None: nobody, the lock button hides)."""
        self._staff = name
        self.lock.setVisible(name is not None)
        self.retranslate()

    def retranslate(self) -> None:
        """Re-apply every text."""
        # The switch names the language it switches to, in that language.
        self.language.setText("中文" if self._language.english else "English")
        self.large_text.setText(self.tr("大字"))
        self.lock.setText(self.tr("锁定"))
        if self._staff:
            self.staff.set_full_text(self.tr("大堂经理：{name}").format(name=self._staff))
        else:
            self.staff.set_full_text(self.tr("未登录"))
        self.printer.retranslate()
