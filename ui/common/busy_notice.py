"""The strip an app shows while a write waits for a busy SQLite database.

The database's :class:`lobby.busy.BusyPolicy` tells its listeners before each pause;
the listener runs on the worker thread that waits, so it only emits a signal, which
Qt delivers to the notice on the GUI thread. The notice goes away when the app's
task runner has nothing left to do (the write committed, or failed and said why).
"""

from __future__ import annotations

from contextlib import suppress

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QLabel, QWidget

from lobby.db import Database
from ui.common.health import attach_banner
from ui.common.tasks import TaskRunner

TEXT = "数据库繁忙，正在重试… / database busy, retrying…"


class BusyNotice(QLabel):
    """An amber strip: "database busy, retrying", in Chinese and English, with the wait so far.

    Signals:
        retrying(int, float): A write is about to pause (attempt, seconds waited); may be
            emitted from any thread.
    """

    retrying = Signal(int, float)

    def __init__(self) -> None:
        super().__init__(TEXT)
        self.setObjectName("busyNotice")
        self.setWordWrap(True)
        self.hide()
        self.retrying.connect(self._retrying)

    def listener(self, attempt: int, waited: float) -> None:
        """A :data:`lobby.busy.BusyListener`: called on the thread that waits."""
        with suppress(RuntimeError):  # the notice is gone (its window closed): app ending
            self.retrying.emit(attempt, waited)

    @Slot(int, float)
    def _retrying(self, _attempt: int, waited: float) -> None:
        self.setText(TEXT + (f" ({waited:.0f} s)" if waited >= 1 else ""))
        self.show()

    @Slot(bool)
    def runner_busy(self, busy: bool) -> None:
        """Hide once the runner has no task left."""
        if not busy:
            self.hide()


def watch_busy(window: QWidget, db: Database, runner: TaskRunner) -> BusyNotice:
    """Show a :class:`BusyNotice` on ``window`` whenever a write of ``db`` waits."""
    notice = BusyNotice()
    attach_banner(window, notice)
    db.busy.listeners.append(notice.listener)
    runner.busy_changed.connect(notice.runner_busy)
    return notice
