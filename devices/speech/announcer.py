"""Calls spoken one at a time, in call order, each to its end.

:meth:`AnnouncementQueue.announce` only enqueues, so the GUI thread never waits for
speech. One worker thread takes the calls in order, renders each announcement and
hands it to the player, which blocks until the sound has finished: calls never
overlap and none is cut off or dropped. A call that cannot be rendered or played is
reported through ``on_error`` and the next call goes ahead.
"""

from __future__ import annotations

import itertools
import logging
import queue
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from devices.speech.errors import SpeechError
from devices.speech.player import Player

log = logging.getLogger(__name__)

#: Writes the announcement of (number, counter) to a WAV file.
RenderCall = Callable[[str, int, Path], object]
#: Told about a call that failed: (number, counter, error).
ErrorCallback = Callable[[str, int, Exception], None]


class Announcer(Protocol):
    """Speaks calls in the hall."""

    def announce(self, number: str, counter: int) -> None:
        """Queue the call of ticket ``number`` to ``counter``; returns at once."""
        ...

    def close(self) -> None:
        """Finish the calls already queued, then stop."""
        ...


class Closeable(Protocol):
    """Anything with a ``close()``."""

    def close(self) -> None:
        """Release it."""
        ...


def _log_error(number: str, counter: int, exc: Exception) -> None:
    log.error("call of %s to counter %d was not spoken: %s", number, counter, exc)


class AnnouncementQueue:
    """The :class:`Announcer` of the hall: a queue and one speaking thread.

    Args:
        render: Writes a call's announcement to a WAV path, e.g.
            :meth:`~devices.speech.render.AnnouncementRenderer.render`.
        player: Plays a WAV file, returning when it has finished.
        on_error: Told (on the speaking thread) about a call that failed; default: log.
        retries: Further attempts to render a call after a :class:`SpeechError` (by
            then a hung or dead worker has been replaced).
        owned: Closed after the queue, e.g. the synthesizer behind ``render``.
    """

    def __init__(
        self,
        render: RenderCall,
        player: Player,
        *,
        on_error: ErrorCallback = _log_error,
        retries: int = 1,
        owned: Sequence[Closeable] = (),
    ) -> None:
        self._render = render
        self._player = player
        self._on_error = on_error
        self._retries = retries
        self._owned = list(owned)
        self._calls: queue.Queue[tuple[str, int] | None] = queue.Queue()
        self._workdir = tempfile.TemporaryDirectory(prefix="lobby-announce-")
        self._names = itertools.count(1)
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._pending = 0
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="announcer", daemon=True)
        self._thread.start()

    def announce(self, number: str, counter: int) -> None:
        """Queue a call; it is spoken after every call queued before it.

        Raises:
            RuntimeError: The queue has been closed.
        """
        with self._lock:
            if self._closed:
                raise RuntimeError("the announcement queue is closed")
            self._pending += 1
            self._calls.put((number, counter))

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until every queued call has been spoken (or failed); False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def close(self, timeout: float | None = None) -> None:
        """Speak the calls still queued, then stop the thread and release what it owns.

        Args:
            timeout: Longest wait for the queued calls; None waits for all of them.
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._calls.put(None)
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.warning("announcer still speaking at close; %d calls left", self._pending)
            return  # the daemon thread still uses the files and the synthesizer
        for resource in self._owned:
            resource.close()
        self._workdir.cleanup()

    def _run(self) -> None:
        while (call := self._calls.get()) is not None:
            number, counter = call
            try:
                self._speak(number, counter)
            except Exception as exc:  # one bad call must not stop the ones after it
                try:
                    self._on_error(number, counter, exc)
                except Exception:
                    log.exception("on_error failed for the call of %s", number)
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()

    def _speak(self, number: str, counter: int) -> None:
        path = Path(self._workdir.name) / f"call-{next(self._names)}.wav"
        try:
            for attempt in itertools.count():
                try:
                    self._render(number, counter, path)
                    break
                except SpeechError as exc:
                    if attempt >= self._retries:
                        raise
                    log.warning("call of %s: %s; trying again", number, exc)
            self._player.play(path)
        finally:
            path.unlink(missing_ok=True)
