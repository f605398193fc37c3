"""Complaint intake at the door: the form, then the reference and when to expect an answer."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from lobby.engine.visits import COMPLAINT_CATEGORIES, FOLLOW_UP_CHANNELS, MAX_TEXT
from lobby.error_texts import say
from lobby.errors import InvalidInput, LobbyError
from ui.greeter.form_page import FormPage
from ui.greeter.i18n import COMPLAINT_LABELS, FOLLOW_UP_LABELS, Language, label
from ui.greeter.records import ComplaintForm, ComplaintReceipt
from ui.greeter.widgets import AdaptiveBox, ChipGroup, PhoneField, button, repolish
from ui.greeter.widgets import label as make_label

#: Follow-ups that need a number to call or text.
NEEDS_NUMBER = ("phone", "sms")


class ComplaintPage(FormPage):
    """Category, what happened, contact and the follow-up the customer wishes.

    Signals:
        submitted(ComplaintForm): Record this complaint.
        back(): Back to the tiles.
    """

    submitted = Signal(object)

    def __init__(self) -> None:
        super().__init__("submitComplaint")
        self.category_label = make_label("section")
        self.category = ChipGroup(list(COMPLAINT_CATEGORIES), exclusive=True, columns=4)
        self.description_label = make_label("section")
        self.description = QPlainTextEdit()
        self.description.setObjectName("description")
        self.description.setMinimumHeight(150)
        self.contact_label = make_label("section")
        self.contact = PhoneField()
        self.follow_up_label = make_label("section")
        self.follow_up = ChipGroup(list(FOLLOW_UP_CHANNELS), exclusive=True, columns=2)
        self.submit_button = self.action
        self.submit_button.setMinimumHeight(80)

        head = self.header()
        left = QVBoxLayout()
        left.setSpacing(8)
        left.addWidget(self.category_label)
        left.addWidget(self.category)
        left.addWidget(self.description_label)
        left.addWidget(self.description, 1)
        right = QVBoxLayout()
        right.setSpacing(8)
        right.setAlignment(Qt.AlignmentFlag.AlignTop)
        right.addWidget(self.follow_up_label)
        right.addWidget(self.follow_up)
        right.addWidget(self.contact_label)
        right.addWidget(self.contact)
        self.columns = AdaptiveBox()
        self.columns.setSpacing(28)
        self.columns.addLayout(left, 3)
        self.columns.addLayout(right, 2)
        body = QWidget()
        body.setLayout(self.columns)
        self.arrange(head, body)

        self.submit_button.clicked.connect(self._submit)
        self.follow_up.changed.connect(self._follow_up_changed)
        self.retranslate()

    def start(self) -> None:
        """An empty form: category "service", phone follow-up."""
        self.category.select(["service"])
        self.follow_up.select(["phone"])
        self.description.clear()
        self.contact.clear()
        self.error.clear()
        self.set_busy(False)

    def set_portrait(self, portrait: bool) -> None:
        """Contact beside the description in landscape, below it in portrait."""
        self.columns.set_portrait(portrait)

    def retranslate(self) -> None:
        """Re-apply every text."""
        self.back_button.setText(self.tr("← 返回"))
        self.title.setText(self.tr("投诉登记"))
        self.category_label.setText(self.tr("投诉类别"))
        self.category.set_texts({k: label(v) for k, v in COMPLAINT_LABELS.items()})
        self.description_label.setText(self.tr("事情经过"))
        self.description.setPlaceholderText(self.tr("请记录客户所说的经过：时间、窗口、发生了什么"))
        self.follow_up_label.setText(self.tr("客户希望的答复方式"))
        self.follow_up.set_texts({k: label(v) for k, v in FOLLOW_UP_LABELS.items()})
        self.contact.edit.setPlaceholderText(self.tr("例如 138 1234 5678"))
        self.contact.retranslate()
        self.submit_button.setText(self.tr("提交投诉"))
        self._follow_up_changed()

    def _follow_up_changed(self) -> None:
        needed = self.follow_up.current() in NEEDS_NUMBER
        self.contact_label.setText(
            self.tr("联系电话（必填）") if needed else self.tr("联系电话（选填）")
        )

    def _submit(self) -> None:
        self.set_busy(True)
        text = self.description.toPlainText().strip()
        follow_up = self.follow_up.current() or "phone"
        if not text:
            self.show_error(self.tr("请填写事情经过。"))
            return
        if len(text) > MAX_TEXT:
            self.show_error(self.tr("经过太长，请精简到 {n} 字以内。").format(n=MAX_TEXT))
            return
        try:
            contact = self.contact.value()
        except InvalidInput:
            self.show_error(self.tr("联系电话无效，请更正。"))
            return
        if contact is None and follow_up in NEEDS_NUMBER:
            self.show_error(self.tr("电话或短信答复需要客户的手机号码。"))
            return
        self.error.clear()
        self.submitted.emit(
            ComplaintForm(self.category.current() or "other", text, contact, follow_up)
        )


class ComplaintDonePage(QWidget):
    """The reference number, when the customer will hear back, and a printed receipt.

    Signals:
        print_receipt(ComplaintReceipt): Print the receipt.
        done(): Back to the tiles.
    """

    print_receipt = Signal(object)
    done = Signal()

    def __init__(self, language: Language) -> None:
        super().__init__()
        self._language = language
        #: The print jobs' failures by reference (the printing's own table).
        self.print_errors: Mapping[str, LobbyError] = {}
        self.receipt: ComplaintReceipt | None = None
        self.print_state = ""
        self.title = make_label("pageTitle", center=True)
        self.reference_label = make_label("section", center=True)
        self.reference = make_label("bigReference", center=True)
        self.answer = make_label("waitInfo", center=True)
        self.summary = make_label("hint", center=True)
        self.printing = make_label("printState", center=True)
        self.printing.setMargin(12)  # a wrapping label's size ignores style-sheet padding
        self.print_button = button("secondary", name="printReceipt")
        self.done_button = button(name="doneButton")
        for action in (self.print_button, self.done_button):
            action.setMinimumHeight(80)
            action.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        actions = AdaptiveBox()
        actions.setSpacing(16)
        actions.addWidget(self.print_button)
        actions.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 20)
        layout.setSpacing(14)
        layout.addStretch(1)
        for widget in (self.title, self.reference_label, self.reference, self.answer):
            layout.addWidget(widget)
        layout.addWidget(self.summary)
        layout.addStretch(1)
        layout.addWidget(self.printing)
        layout.addLayout(actions)

        self.print_button.clicked.connect(self._print)
        self.done_button.clicked.connect(self.done)
        self.retranslate()

    def show_receipt(self, receipt: ComplaintReceipt) -> None:
        """Show a recorded complaint."""
        self.receipt = receipt
        self.print_state = ""
        self.retranslate()

    def _print_failure(self, key: str, message: str) -> str:
        error = self.print_errors.get(key)
        if error is None or not error.code:
            return message
        # the page says already that the ticket stays valid
        return say(error, "en" if self._language.english else "zh", follow_up=False)

    def show_print(self, key: str, state: str, message: str) -> None:
        """Follow the receipt's print job."""
        if self.receipt is None or key != self.receipt.reference:
            return
        self.print_state = state
        level = {"failed": "error", "printed": "info"}.get(state, "busy")
        self.printing.setProperty("level", level)
        self.printing.setText(
            {
                "printing": self.tr("正在打印回执…"),
                "printed": self.tr("✔ 回执已打印"),
                "failed": self.tr("回执打印失败，投诉已登记，参考编号有效。")
                + "\n"
                + self._print_failure(key, message),
            }.get(state, "")
        )
        self.printing.setVisible(bool(state))
        repolish(self.printing)
        self.print_button.setEnabled(state != "printing")

    def retranslate(self) -> None:
        """Re-apply every text."""
        self.title.setText(self.tr("投诉已登记，感谢您的反馈"))
        self.reference_label.setText(self.tr("参考编号"))
        self.print_button.setText(self.tr("打印回执"))
        self.done_button.setText(self.tr("完成"))
        self.printing.setVisible(bool(self.print_state))
        r = self.receipt
        if r is None:
            return
        self.reference.setText(r.reference)
        day = self._language.date(r.answer_due_local)
        if r.follow_up == "none":
            answer = self.tr("您选择了无需答复；如需查询，请提供参考编号。")
        else:
            answer = self.tr("我们将在 {day} 前通过「{channel}」答复您。").format(
                day=day, channel=label(FOLLOW_UP_LABELS.get(r.follow_up, r.follow_up))
            )
        self.answer.setText(answer)
        contact = r.contact_masked or self.tr("未留")
        self.summary.setText(
            self.tr("类别：{category}    联系电话：{contact}").format(
                category=label(COMPLAINT_LABELS.get(r.category, r.category)), contact=contact
            )
        )

    def _print(self) -> None:
        if self.receipt is not None:
            self.print_receipt.emit(self.receipt)
