"""The teller's dialogs: finish, transfer, confirm details, break."""

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
from ui.common.breaks import BREAK_WORDS


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
        self.service.setPlaceholderText(self.tr("请选择业务 Choose a service"))
        self.service.setCurrentIndex(-1)  # no default: the teller chooses where the customer goes
        self.counter = QComboBox()
        for number in counters:
            if number != own_counter:
                self.counter.addItem(self.tr("{0}号窗口 Counter {0}").format(number), number)
        self.counter.setCurrentIndex(-1)
        self.counter.setPlaceholderText(self.tr("请选择窗口 Choose a counter"))
        self.to_service.toggled.connect(self._target_kind)
        self._target_kind(True)
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

    def _target_kind(self, to_service: bool) -> None:
        """Only the chosen kind of target takes input (the other looks disabled)."""
        self.service.setEnabled(to_service)
        self.counter.setEnabled(not to_service)

    def target(self) -> tuple[str | None, int | None]:
        """(service code, None) or (None, counter number)."""
        if self.to_service.isChecked():
            return str(self.service.currentData()), None
        return None, int(self.counter.currentData())

    def accept(self) -> None:
        """Refuse a transfer without a chosen target or without a note."""
        combo = self.service if self.to_service.isChecked() else self.counter
        if combo.currentIndex() < 0:
            self.error.setText(self.tr("请选择转往的业务或窗口 / choose where to transfer"))
            return
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


class BreakDialog(QDialog):
    """Why the counter pauses: lunch, training, meeting or other (shown on the live floor)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("break")
        self.setWindowTitle(self.tr("暂停服务 Take a break"))
        self.choices: dict[str, QRadioButton] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("暂停原因 Reason for the break")))
        for key, label in BREAK_WORDS.items():
            choice = QRadioButton(label)
            self.choices[key] = choice
            layout.addWidget(choice)
        self.choices["lunch"].setChecked(True)
        layout.addWidget(_buttons(self, self.tr("暂停 Pause")))

    @property
    def reason(self) -> str:
        """The chosen reason's key."""
        return next(key for key, choice in self.choices.items() if choice.isChecked())
