"""The teller's dialogs: finish, transfer, confirm details."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from lobby.queries.counter_view import ServiceChoice
from lobby.views import VisitView


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText(dialog.tr("取消 Cancel"))
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class FinishDialog(QDialog):
    """Outcome of the service: done, or a follow-up with what happens next (后续事项)."""

    def __init__(self, number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("办结 Finish {0}").format(number))
        self.done_choice = QRadioButton(self.tr("已办结 Done"))
        self.follow_choice = QRadioButton(self.tr("需后续跟进 Needs follow-up"))
        self.done_choice.setChecked(True)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(self.tr("后续事项 What happens next"))
        self.error = QLabel()
        self.error.setObjectName("error")
        layout = QVBoxLayout(self)
        layout.addWidget(self.done_choice)
        layout.addWidget(self.follow_choice)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, self.tr("办结 Finish")))

    @property
    def outcome(self) -> str:
        """``done`` or ``follow_up``."""
        return "follow_up" if self.follow_choice.isChecked() else "done"

    def accept(self) -> None:
        """Refuse a follow-up without its note."""
        if self.outcome == "follow_up" and not self.note.toPlainText().strip():
            self.error.setText(self.tr("请填写后续事项 / write what happens next"))
            return
        super().accept()


class TransferDialog(QDialog):
    """Transfer to a service or a counter, with a required note."""

    def __init__(
        self,
        services: tuple[ServiceChoice, ...],
        counters: tuple[int, ...],
        own_counter: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("转办 Transfer"))
        self.to_service = QRadioButton(self.tr("转业务 To service"))
        self.to_counter = QRadioButton(self.tr("转窗口 To counter"))
        self.to_service.setChecked(True)
        self.service = QComboBox()
        for s in services:
            self.service.addItem(f"{s.name_zh} {s.name_en}", s.code)
        self.counter = QComboBox()
        for number in counters:
            if number != own_counter:
                self.counter.addItem(self.tr("{0}号窗口 Counter {0}").format(number), number)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(self.tr("给接办柜员的说明 Note for the next teller"))
        self.error = QLabel()
        self.error.setObjectName("error")
        form = QFormLayout()
        form.addRow(self.to_service, self.service)
        form.addRow(self.to_counter, self.counter)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, self.tr("转办 Transfer")))

    def target(self) -> tuple[str | None, int | None]:
        """(service code, None) or (None, counter number)."""
        if self.to_service.isChecked():
            return str(self.service.currentData()), None
        return None, int(self.counter.currentData())

    def accept(self) -> None:
        """Refuse a transfer without a note."""
        if not self.note.toPlainText().strip():
            self.error.setText(self.tr("转办必须填写说明 / a transfer needs a note"))
            return
        super().accept()


class ConfirmDialog(QDialog):
    """Check and correct the greeter's triage (信息确认)."""

    def __init__(
        self, visit: VisitView, documents: list[tuple[str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("信息确认 Confirm details"))
        self.note = QLineEdit(visit.note)
        self.phone = QLineEdit()
        self.phone.setPlaceholderText(visit.phone_masked or self.tr("无 none"))
        self.checks: dict[str, QCheckBox] = {}
        form = QFormLayout()
        form.addRow(self.tr("备注 Note"), self.note)
        form.addRow(self.tr("新电话 New phone"), self.phone)
        for key, label in documents:
            box = QCheckBox(label)
            box.setChecked(key in visit.documents_checked)
            self.checks[key] = box
            form.addRow("", box)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_buttons(self, self.tr("确认 Confirm")))

    def documents(self) -> list[str]:
        """Keys of the ticked documents."""
        return [key for key, box in self.checks.items() if box.isChecked()]
