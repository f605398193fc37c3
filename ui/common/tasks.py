"""Run database work off the GUI thread and deliver the result back on it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from lobby.errors import LobbyError

log = logging.getLogger(__name__)


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._fn()
        except LobbyError as exc:
            self._relay.failed.emit(exc)
        except Exception as exc:  # a bug: log it, and tell the window in plain words
            log.exception("background task failed")
            self._relay.failed.emit(LobbyError(f"internal error: {exc}"))
        else:
            self._relay.done.emit(result)


class TaskRunner(QObject):
    """Runs callables on a thread pool; results and known errors come back as signals.

    Signals:
        busy_changed(bool): True while any task runs (windows disable their actions).
    """

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one action at a time keeps the order of clicks
        self._running = 0
        self._relays: set[_Relay] = set()

    @property
    def busy(self) -> bool:
        """Whether a task is running or queued."""
        return self._running > 0

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[LobbyError], None],
    ) -> None:
        """Run ``fn`` in the pool; its result or error is delivered on the GUI thread."""
        relay = _Relay()
        self._relays.add(relay)

        @Slot(object)
        def finished(result: Any) -> None:
            self._settle(relay)
            on_done(result)

        @Slot(object)
        def failed(exc: LobbyError) -> None:
            self._settle(relay)
            on_error(exc)

        relay.done.connect(finished)
        relay.failed.connect(failed)
        self._running += 1
        if self._running == 1:
            self.busy_changed.emit(True)
        self._pool.start(_Job(fn, relay))

    def _settle(self, relay: _Relay) -> None:
        self._relays.discard(relay)
        self._running -= 1
        if self._running == 0:
            self.busy_changed.emit(False)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until queued tasks finish (shutdown and tests only)."""
        return self._pool.waitForDone(msecs)
