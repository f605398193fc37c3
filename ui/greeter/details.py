"""Optional triage details: priority category, phone, note and the document checklist.

Everything here may be left as it is: the common case is one tap on "all
documents present" (or none) and one on confirm. Missing documents give a
friendly reminder, never a refusal.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from lobby.engine.issuing import MAX_NOTE
from lobby.errors import InvalidInput
from lobby.queries.service_list import ServiceInfo
from ui.greeter.form_page import FormPage
from ui.greeter.i18n import CATEGORY_LABELS, Language, label
from ui.greeter.icons import icon
from ui.greeter.records import Triage
from ui.greeter.widgets import AdaptiveBox, ChipGroup, PhoneField, button
from ui.greeter.widgets import label as make_label


class DetailsPage(FormPage):
    """The details of one customer's need, then confirm to issue.

    Signals:
        confirmed(Triage): Issue a ticket for this triage.
        back(): Back to the tiles.
    """

    confirmed = Signal(object)

    def __init__(self, language: Language) -> None:
        super().__init__("confirmButton")
        self._language = language
        self.service: ServiceInfo | None = None
        self.picture = QLabel()
        self.category_label = make_label("section")
        self.category = ChipGroup(list(CATEGORY_LABELS), exclusive=True, columns=3)
        self.appointment_label = make_label("section")
        self.appointment_code = QLineEdit()
        self.appointment_code.setObjectName("appointmentCode")
        self.appointment_code.setMaxLength(32)
        self.phone_label = make_label("section")
        self.phone = PhoneField()
        self.note_label = make_label("section")
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.note.setMaxLength(MAX_NOTE)
        self.documents_label = make_label("section")
        self.documents = ChipGroup([], exclusive=False, columns=1)
        self.documents_holder = QVBoxLayout()
        self.documents_holder.addWidget(self.documents)
        self.all_documents = button("secondary", name="allDocuments")
        self.no_documents = make_label("hint")
        self.warning = make_label("warning")
        self.confirm_button = self.action
        self.confirm_button.setMinimumHeight(88)

        head = self.header(self.picture, spacing=12)

        left = QVBoxLayout()
        left.setSpacing(8)
        left.setAlignment(Qt.AlignmentFlag.AlignTop)
        for widget in (
            self.category_label,
            self.category,
            self.appointment_label,
            self.appointment_code,
            self.phone_label,
            self.phone,
            self.note_label,
            self.note,
        ):
            left.addWidget(widget)
        right = QVBoxLayout()
        right.setSpacing(8)
        right.setAlignment(Qt.AlignmentFlag.AlignTop)
        right.addWidget(self.documents_label)
        right.addWidget(self.all_documents)  # first: the common case needs no scrolling
        right.addLayout(self.documents_holder)
        right.addWidget(self.no_documents)
        right.addWidget(self.warning)
        self.columns = AdaptiveBox()
        self.columns.setSpacing(28)
        self.columns.addLayout(left, 3)
        self.columns.addLayout(right, 2)
        body = QWidget()
        stack = QVBoxLayout(body)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.addLayout(self.columns)
        stack.addStretch(1)

        self.arrange(head, body)

        self.category.changed.connect(self._category_changed)
        self.all_documents.clicked.connect(self._all_documents)
        self.confirm_button.clicked.connect(self._confirm)
        self.retranslate()

    def start(self, service: ServiceInfo) -> None:
        """A fresh form for ``service``: regular category, nothing typed, nothing ticked."""
        self.service = service
        self.picture.setPixmap(icon(service.code).pixmap(QSize(48, 48)))
        self.category.select(["regular"])
        self.appointment_code.clear()
        self.phone.clear()
        self.note.clear()
        self.error.clear()
        self.documents_holder.removeWidget(self.documents)
        self.documents.deleteLater()
        self.documents = ChipGroup([d.key for d in service.documents], exclusive=False, columns=1)
        self.documents.changed.connect(self._documents_changed)
        self.documents_holder.addWidget(self.documents)
        self.set_busy(False)
        self.retranslate()

    def set_portrait(self, portrait: bool) -> None:
        """Checklist beside the form in landscape, below it in portrait."""
        self.columns.set_portrait(portrait)

    def retranslate(self) -> None:
        """Re-apply every text."""
        lang = self._language
        self.back_button.setText(self.tr("← 返回"))
        self.category_label.setText(self.tr("客户类别（优先）"))
        self.category.set_texts({key: label(text) for key, text in CATEGORY_LABELS.items()})
        self.appointment_label.setText(self.tr("预约码"))
        self.appointment_code.setPlaceholderText(self.tr("输入或扫描预约码"))
        self.phone_label.setText(self.tr("手机号码（选填）"))
        self.phone.edit.setPlaceholderText(self.tr("例如 138 1234 5678"))
        self.phone.retranslate()
        self.note_label.setText(self.tr("备注（选填，给柜员看）"))
        self.note.setPlaceholderText(self.tr("例如：需要轮椅、听力不好"))
        self.documents_label.setText(self.tr("所需材料：点选客户已带的"))
        self.all_documents.setText(self.tr("✔ 材料全部带齐"))
        self.no_documents.setText(self.tr("此业务不需要材料"))
        self.confirm_button.setText(self.tr("确认取号"))
        s = self.service
        if s is not None:
            self.title.setText(f"{s.prefix}  {lang.pick(s.name_zh, s.name_en)}")
        self._category_changed()
        self._documents_changed()

    def _documents_changed(self) -> None:
        s = self.service
        documents = s.documents if s is not None else ()
        ticked = set(self.documents.selected())
        self.documents.set_texts(
            {
                d.key: ("✔ " if d.key in ticked else "") + self._language.pick(d.zh, d.en)
                for d in documents
            }
        )
        missing = [self._language.pick(d.zh, d.en) for d in documents if d.key not in ticked]
        self.no_documents.setVisible(not documents)
        self.all_documents.setVisible(bool(documents))
        self.all_documents.setEnabled(bool(missing))
        self.warning.setVisible(bool(missing))
        if missing:
            self.warning.setText(
                self.tr("还缺：{missing}。可以先取号，请提醒客户在叫号前备齐。").format(
                    missing=self.tr("、").join(missing)
                )
            )

    def _category_changed(self) -> None:
        wants_code = self.category.current() == "appointment"
        self.appointment_label.setVisible(wants_code)
        self.appointment_code.setVisible(wants_code)

    def _all_documents(self) -> None:
        self.documents.select(list(self.documents.chips))

    def _confirm(self) -> None:
        self.set_busy(True)  # at once: a second tap of a fast finger finds it disabled
        if self.service is None:
            self.set_busy(False)
            return
        self.error.clear()
        try:
            phone = self.phone.value()
        except InvalidInput:
            self.show_error(self.tr("手机号码无效，未取号。请更正或清空后再确认。"))
            self.phone.edit.setFocus()
            return
        category = self.category.current() or "regular"
        code = self.appointment_code.text().strip() or None
        if category == "appointment" and code is None:
            self.show_error(self.tr("预约客户请输入或扫描预约码。"))
            self.appointment_code.setFocus()
            return
        self.confirmed.emit(
            Triage(
                service=self.service.code,
                category=category,
                phone=phone,
                note=self.note.text().strip(),
                documents=tuple(self.documents.selected()),
                appointment_code=code if category == "appointment" else None,
            )
        )
