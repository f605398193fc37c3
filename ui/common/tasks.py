"""Run database work off the GUI thread and deliver the result back on it.

A plain Python worker thread (``concurrent.futures``) does the work; the result
crosses back through a Qt signal of a QObject that lives on the GUI thread, which
Qt delivers as a queued call. (Python ``QRunnable`` objects in a ``QThreadPool``
crashed the interpreter now and then; a Python-owned thread does not.)
"""

from __future__ import annotations

import concurrent.futures
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from lobby.errors import LobbyError

log = logging.getLogger(__name__)


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class TaskRunner(QObject):
    """Runs callables one at a time on a worker thread; results come back as signals.

    Signals:
        busy_changed(bool): True while any task runs (windows disable their actions).
    """

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # one worker keeps the order of clicks
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="lobby-task")
        self._running = 0
        self._relays: set[_Relay] = set()
        self._futures: set[concurrent.futures.Future[None]] = set()

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
        """Run ``fn`` on the worker; its result or error is delivered on the GUI thread."""
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
        future = self._pool.submit(_call, fn, relay)
        self._futures.add(future)
        future.add_done_callback(self._futures.discard)

    def _settle(self, relay: _Relay) -> None:
        self._relays.discard(relay)
        self._running -= 1
        if self._running == 0:
            self.busy_changed.emit(False)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until queued tasks finish (shutdown and tests only)."""
        pending = list(self._futures)
        _, not_done = concurrent.futures.wait(pending, timeout=msecs / 1000)
        return not not_done


def _call(fn: Callable[[], Any], relay: _Relay) -> None:
    try:
        result = fn()
    except LobbyError as exc:
        relay.failed.emit(exc)
    except Exception as exc:  # a bug: log it, and tell the window in plain words
        log.exception("background task failed")
        relay.failed.emit(LobbyError(f"internal error: {exc}"))
    else:
        relay.done.emit(result)
