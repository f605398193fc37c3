"""Chinese by default, English on request: the Qt translator and the shared labels.

Source strings are Chinese (``self.tr(...)``); ``resources/translations/greeter_en.qm``
holds the English. Switching installs or removes the translator; the window then
calls every page's ``retranslate()``. Names that the branch configures (services,
documents, self-service hints) come in both languages from the database and are
chosen with :meth:`Language.pick`.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Signal

from ui.common.translations import english

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
CONTEXT = "Labels"


#: Priority categories offered at triage (engine value -> source label).
CATEGORY_LABELS = {
    "regular": str(QT_TRANSLATE_NOOP("Labels", "普通")),
    "elderly": str(QT_TRANSLATE_NOOP("Labels", "老年人")),
    "disabled": str(QT_TRANSLATE_NOOP("Labels", "残障人士")),
    "pregnant": str(QT_TRANSLATE_NOOP("Labels", "孕妇")),
    "vip": str(QT_TRANSLATE_NOOP("Labels", "贵宾")),
    "appointment": str(QT_TRANSLATE_NOOP("Labels", "预约")),
}
#: Said instead of a wait when no staffed counter serves the service (``unserved``).
UNSERVED = str(QT_TRANSLATE_NOOP("Labels", "暂无窗口办理此业务"))
#: Complaint categories of ``lobby.engine.visits.COMPLAINT_CATEGORIES``.
COMPLAINT_LABELS = {
    "service": str(QT_TRANSLATE_NOOP("Labels", "服务质量")),
    "waiting": str(QT_TRANSLATE_NOOP("Labels", "等候时间")),
    "fees": str(QT_TRANSLATE_NOOP("Labels", "收费")),
    "product": str(QT_TRANSLATE_NOOP("Labels", "产品")),
    "facilities": str(QT_TRANSLATE_NOOP("Labels", "环境设施")),
    "staff": str(QT_TRANSLATE_NOOP("Labels", "工作人员")),
    "other": str(QT_TRANSLATE_NOOP("Labels", "其他")),
}
#: Follow-up channels of ``lobby.engine.visits.FOLLOW_UP_CHANNELS``.
FOLLOW_UP_LABELS = {
    "phone": str(QT_TRANSLATE_NOOP("Labels", "电话回访")),
    "sms": str(QT_TRANSLATE_NOOP("Labels", "短信答复")),
    "in_person": str(QT_TRANSLATE_NOOP("Labels", "到网点当面答复")),
    "none": str(QT_TRANSLATE_NOOP("Labels", "无需答复")),
}


def label(source: str) -> str:
    """A shared label (one of the tables above) in the current language."""
    return QCoreApplication.translate(CONTEXT, source)


class Language(QObject):
    """The greeter's display language: ``zh`` (default) or ``en``.

    Signals:
        changed(str): The new language code, after the translator was swapped.
    """

    changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.code = "zh"
        self._translator = english("greeter", self)

    @property
    def english(self) -> bool:
        """Whether English is shown."""
        return self.code == "en"

    def use(self, code: str) -> None:
        """Show the app in ``code`` (``zh`` or ``en``)."""
        if code not in ("zh", "en"):
            raise ValueError(f"unknown language {code!r}")
        if code == self.code:
            return
        app = QCoreApplication.instance()
        assert app is not None, "a QApplication must exist"
        if code == "en":
            app.installTranslator(self._translator)
        else:
            app.removeTranslator(self._translator)
        self.code = code
        self.changed.emit(code)

    def toggle(self) -> None:
        """Switch between Chinese and English."""
        self.use("zh" if self.english else "en")

    def pick(self, zh: str | None, en: str | None) -> str:
        """The configured text in the current language (falling back to the other one)."""
        first, second = (en, zh) if self.english else (zh, en)
        return first or second or ""

    def date(self, moment: datetime) -> str:
        """A day as customers read it: ``2026年11月26日`` or ``26 Nov 2026``."""
        if self.english:  # not %b: Qt sets the C library's locale from the system
            return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"
        return f"{moment.year}年{moment.month}月{moment.day}日"

    def queue_wait(self, unserved: bool, low: int, high: int) -> str:
        """A newcomer's wait, or that no counter serves the service now."""
        return label(UNSERVED) if unserved else self.wait_range(low, high)

    def wait_range(self, low: int, high: int) -> str:
        """An expected wait in minutes, e.g. ``约 5–10 分钟``."""
        if high <= 0:
            return QCoreApplication.translate("Labels", "无需等候")
        if low == high:
            return QCoreApplication.translate("Labels", "约 {n} 分钟").format(n=high)
        return QCoreApplication.translate("Labels", "约 {low}–{high} 分钟").format(
            low=low, high=high
        )
