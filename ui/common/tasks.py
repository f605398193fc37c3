"""Run database work off the GUI thread and deliver the result back on it.

A plain Python worker thread (``concurrent.futures``) does the work; the result
crosses back through a Qt signal of a QObject that lives on the GUI thread, which
Qt delivers as a queued call. (Python ``QRunnable`` objects in a ``QThreadPool``
crashed the interpreter now and then; a Python-owned thread does not.)
"""

from __future__ import annotations

import concurrent.futures
import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance, Slot

from lobby.errors import LobbyError

log = logging.getLogger(__name__)


class TaskRunner(QObject):
    """Runs callables one at a time on a worker thread; results come back as signals.

    No Qt object is made per task: the worker emits one signal of the runner (which
    lives on the GUI thread) with the task's number, and the callbacks, kept in a
    dict on the GUI thread, are found and dropped there. A per-task QObject would be
    freed by whichever thread let go of it last, and a QObject must die on its own
    thread.

    Signals:
        busy_changed(bool): True while any task runs (windows disable their actions).
    """

    busy_changed = Signal(bool)
    _finished = Signal(int, object, bool)  # from the worker: task, result or error, succeeded

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # one worker keeps the order of clicks
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="lobby-task")
        self._tasks = itertools.count()
        self._callbacks: dict[int, tuple[Callable[[Any], None], Callable[[LobbyError], None]]] = {}
        self._futures: set[concurrent.futures.Future[None]] = set()
        # key -> [fn, on_done, on_error] of a run_latest task not started yet
        self._waiting: dict[str, list[Any]] = {}
        self._finished.connect(self._deliver)

    @property
    def busy(self) -> bool:
        """Whether a task is running or queued."""
        return bool(self._callbacks)

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[LobbyError], None],
    ) -> None:
        """Run ``fn`` on the worker; its result or error is delivered on the GUI thread."""
        task = next(self._tasks)
        self._callbacks[task] = (on_done, on_error)
        if len(self._callbacks) == 1:
            self.busy_changed.emit(True)
        future = self._pool.submit(_call, fn, task, self._finished)
        self._futures.add(future)
        future.add_done_callback(self._futures.discard)

    def run_latest(
        self,
        key: str,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[LobbyError], None],
    ) -> None:
        """Like :meth:`run`, but a task of ``key`` still waiting to start is replaced.

        For refreshes: when journal events come faster than the reads they trigger,
        at most one read per key waits (the newest), instead of a growing backlog.
        """
        waiting = self._waiting.get(key)
        if waiting is not None:
            waiting[:] = [fn, on_done, on_error]
            return
        holder: list[Any] = [fn, on_done, on_error]
        self._waiting[key] = holder

        def start() -> Any:
            self._waiting.pop(key, None)  # a request from now on queues anew
            return holder[0]()

        self.run(start, lambda result: holder[1](result), lambda exc: holder[2](exc))

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until queued tasks finish (shutdown and tests only).

        Also waits until the worker has let go of them: a finished task's closure
        may hold the last reference to a window's QObject, which must not be freed
        on the worker thread once the window's owner drops it.
        """
        pending = [*self._futures, self._pool.submit(_nothing)]
        _, not_done = concurrent.futures.wait(pending, timeout=msecs / 1000)
        return not not_done

    # GUI thread. A declared slot: PySide has crashed delivering queued cross-thread
    # signals to plain Python callables (PYSIDE-3124).

    @Slot(int, object, bool)
    def _deliver(self, task: int, value: Any, succeeded: bool) -> None:
        on_done, on_error = self._callbacks.pop(task)
        if not self._callbacks:
            self.busy_changed.emit(False)
        if succeeded:
            on_done(value)
        else:
            on_error(value)


def _call(fn: Callable[[], Any], task: int, finished: SignalInstance) -> None:
    try:
        result = fn()
    except LobbyError as exc:
        finished.emit(task, exc, False)
    except Exception as exc:  # a bug: log it, and tell the window in plain words
        log.exception("background task failed")
        finished.emit(task, LobbyError(f"internal error: {exc}"), False)
    else:
        finished.emit(task, result, True)


def _nothing() -> None:
    """Queued last by :meth:`TaskRunner.wait`: once it ran, no earlier task is held."""
