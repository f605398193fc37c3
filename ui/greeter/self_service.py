"""Self-service first: for services a machine can do, suggest the machine before a ticket."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from lobby.queries.service_list import ServiceInfo
from ui.greeter.i18n import Language
from ui.greeter.icons import icon
from ui.greeter.widgets import AdaptiveBox, button, label


class SelfServicePage(QWidget):
    """Which machine to use instead of a counter, with a way to issue a ticket anyway.

    Signals:
        use_machine(str): The customer goes to the machine (service code).
        issue_anyway(str): The customer still wants a ticket (service code).
        back(): Back to the tiles.
    """

    use_machine = Signal(str)
    issue_anyway = Signal(str)
    back = Signal()

    def __init__(self, language: Language) -> None:
        super().__init__()
        self._language = language
        self.service: ServiceInfo | None = None
        self.back_button = button("secondary", name="backButton")
        self.title = label("pageTitle")
        self.picture = QLabel()
        self.name = label("serviceName")
        self.suggestion = label("suggestion")
        self.suggestion.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.other_language = label("hint", center=True)
        self.queue = label("section", center=True)
        self.machine_button = button(name="useMachine")
        self.anyway_button = button("secondary", name="issueAnyway")
        for action in (self.machine_button, self.anyway_button):
            action.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            action.setMinimumHeight(88)

        head = QHBoxLayout()
        head.setSpacing(16)
        head.addWidget(self.back_button)
        head.addWidget(self.title, 1)
        service = QHBoxLayout()
        service.addStretch(1)
        service.addWidget(self.picture)
        service.addWidget(self.name)
        service.addStretch(1)
        self.choices = AdaptiveBox()
        self.choices.setSpacing(16)
        self.choices.addWidget(self.machine_button)
        self.choices.addWidget(self.anyway_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 20)
        layout.setSpacing(16)
        layout.addLayout(head)
        layout.addStretch(1)
        layout.addLayout(service)
        layout.addWidget(self.suggestion)
        layout.addWidget(self.other_language)
        layout.addSpacing(12)
        layout.addWidget(self.queue)
        layout.addStretch(1)
        layout.addLayout(self.choices)

        self.back_button.clicked.connect(self.back)
        self.machine_button.clicked.connect(self._use_machine)
        self.anyway_button.clicked.connect(self._anyway)
        self.retranslate()

    def show_service(self, service: ServiceInfo) -> None:
        """Suggest the machine for ``service``."""
        self.service = service
        self.picture.setPixmap(icon(service.code).pixmap(QSize(64, 64)))
        self.retranslate()

    def set_portrait(self, portrait: bool) -> None:
        """Stack the two choices in portrait."""
        self.choices.set_portrait(portrait)

    def retranslate(self) -> None:
        """Re-apply every text."""
        self.back_button.setText(self.tr("← 返回"))
        self.title.setText(self.tr("建议客户使用自助设备"))
        self.machine_button.setText(self.tr("✔ 客户去自助设备办理"))
        self.anyway_button.setText(self.tr("仍要取号"))
        s = self.service
        if s is None:
            return
        lang = self._language
        self.name.setText(f"{s.name_zh}  {s.name_en}")
        self.suggestion.setText(lang.pick(s.self_service_zh, s.self_service_en))
        other = s.self_service_zh if lang.english else s.self_service_en
        self.other_language.setText(other or "")
        wait = lang.queue_wait(s.unserved, s.wait_low_min, s.wait_high_min)
        if s.waiting:
            self.queue.setText(
                self.tr("在柜台办理需排队：等候 {n} 人，{wait}").format(n=s.waiting, wait=wait)
            )
        elif s.unserved:
            self.queue.setText(wait)
        else:
            self.queue.setText(self.tr("柜台现在无人等候"))

    def _use_machine(self) -> None:
        if self.service is not None:
            self.use_machine.emit(self.service.code)

    def _anyway(self) -> None:
        if self.service is not None:
            self.issue_anyway.emit(self.service.code)
