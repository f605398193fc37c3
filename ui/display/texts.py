"""The hall display's words: Chinese sources, English from ``display_en.ts``.

The display shows both languages at once (``both``: Chinese above English), one of
them (``zh`` or ``en``), or both in turn (``alternate``). Counter and service names
are the branch's own, in the language of the line they stand in.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject

from lobby.views import BoardView, CallView, CounterState, QueueOutlook
from ui.common.translations import english

CONTEXT = "Display"
MODES = ("both", "zh", "en", "alternate")

TITLE = str(QT_TRANSLATE_NOOP("Display", "Lobby 叫号屏"))
RECONNECTING = str(QT_TRANSLATE_NOOP("Display", "● 重新连接中"))
RECENT = str(QT_TRANSLATE_NOOP("Display", "最近叫号"))
QUEUES = str(QT_TRANSLATE_NOOP("Display", "等候人数与预计等候"))
CALL = str(QT_TRANSLATE_NOOP("Display", "请 {number} 号到 {counter} 办理"))
RECALL = str(QT_TRANSLATE_NOOP("Display", "再次呼叫：请 {number} 号到 {counter} 办理"))
RECENT_CALL = str(QT_TRANSLATE_NOOP("Display", "{number} → {counter}"))
WAITING = str(QT_TRANSLATE_NOOP("Display", "{n} 人等候"))
WAIT_RANGE = str(QT_TRANSLATE_NOOP("Display", "约 {low}–{high} 分钟"))
WAIT_ONE = str(QT_TRANSLATE_NOOP("Display", "约 {high} 分钟"))
NO_WAIT = str(QT_TRANSLATE_NOOP("Display", "无需等候"))
UNSERVED = str(QT_TRANSLATE_NOOP("Display", "暂无窗口办理此业务"))
ON_BREAK = str(QT_TRANSLATE_NOOP("Display", "暂停服务"))
CLOSED = str(QT_TRANSLATE_NOOP("Display", "未开放"))
IDLE = str(QT_TRANSLATE_NOOP("Display", "请取号，留意叫号"))
NOTICE = str(QT_TRANSLATE_NOOP("Display", "欢迎光临。请留意叫号，过号请至大堂经理处重新取号。"))


class DisplayTexts:
    """Sentences of the display in each language it shows.

    Args:
        mode: ``both``, ``zh``, ``en`` or ``alternate``.
        parent: Owner of the English translator.
    """

    def __init__(self, mode: str = "both", parent: QObject | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown display language mode {mode!r}: use {', '.join(MODES)}")
        self.mode = mode
        self._english = english("display", parent)
        self._turn = "zh"

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages shown now, first (larger) first."""
        if self.mode == "both":
            return ("zh", "en")
        if self.mode == "alternate":
            return (self._turn,)
        return (self.mode,)

    def flip(self) -> None:
        """Alternate mode: show the other language from now on."""
        self._turn = "en" if self._turn == "zh" else "zh"

    def say(self, lang: str, source: str, **fields: object) -> str:
        """``source`` in ``lang``, its ``{fields}`` filled in."""
        text = source if lang == "zh" else (self._english.translate(CONTEXT, source) or source)
        return text.format(**fields) if fields else text

    def each(self, source: str, **fields: object) -> list[str]:
        """``source`` in every language shown now."""
        return [self.say(lang, source, **fields) for lang in self.languages]

    def lines(self, source: str, **fields: object) -> str:
        """``source`` in every language shown now, one line each."""
        return "\n".join(self.each(source, **fields))

    @staticmethod
    def counter_name(lang: str, board: BoardView | None, number: int) -> str:
        """The counter's configured name (``8号贵宾室`` / ``VIP room 8``)."""
        state = _counter(board, number)
        if state is not None:
            return (state.name_en if lang == "en" else state.name_zh) or state.name_zh
        return f"Counter {number}" if lang == "en" else f"{number}号窗口"

    def call(self, lang: str, board: BoardView | None, call: CallView) -> str:
        """The full call sentence in ``lang``."""
        source = RECALL if call.kind == "recalled" else CALL
        return self.say(
            lang, source, number=call.number, counter=self.counter_name(lang, board, call.counter)
        )

    def wait(self, lang: str, queue: QueueOutlook) -> str:
        """A newcomer's wait in ``lang``, or that no counter serves the service."""
        if queue.unserved:
            return self.say(lang, UNSERVED)
        if not queue.waiting or queue.wait_high_min <= 0:
            return self.say(lang, NO_WAIT)
        if queue.wait_low_min == queue.wait_high_min:
            return self.say(lang, WAIT_ONE, high=queue.wait_high_min)
        return self.say(lang, WAIT_RANGE, low=queue.wait_low_min, high=queue.wait_high_min)


def _counter(board: BoardView | None, number: int) -> CounterState | None:
    if board is None:
        return None
    return next((c for c in board.counters if c.number == number), None)
