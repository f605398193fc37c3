"""The journal feed as Qt signals: a thread waits for changes; windows just connect.

No widget polls: the feed thread blocks on the change detector (``PRAGMA
data_version`` on SQLite, ``LISTEN`` on PostgreSQL) and emits the new events.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Signal

from lobby.db import Database
from lobby.errors import LobbyError
from lobby.feed import Feed, change_detector

log = logging.getLogger(__name__)


class _FeedThread:
    """A Python thread (not a QThread) that waits on the database and emits via a relay.

    It holds its :class:`LiveFeed` only while it runs. A feed and its thread that
    kept each other alive would be freed by the cyclic garbage collector, which runs
    on whichever thread happens to allocate (a worker, this one), and a QObject must
    be deleted on its own thread: that crashed the apps now and then.
    """

    def __init__(
        self, db: Database, interval: float, after_id: int | None, relay: LiveFeed
    ) -> None:
        self._db = db
        self._interval = interval
        self._after_id = after_id
        self._relay: LiveFeed | None = relay
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self.run, name="lobby-feed", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def resume_after(self, event_id: int) -> None:
        if self._thread.is_alive() or self._stopping.is_set():
            raise RuntimeError("resume_after() comes before start()")
        self._after_id = event_id

    def stop(self) -> None:
        self._stopping.set()
        if not self._thread.is_alive():
            self._relay = None  # never started, or already done

    def wait(self, msecs: int) -> None:
        if self._thread.is_alive():
            self._thread.join(msecs / 1000)

    def run(self) -> None:
        try:
            self._follow()
        finally:
            # The owners (GUI thread) still hold the LiveFeed: the last reference is theirs.
            self._relay = None

    def _follow(self) -> None:
        relay = self._relay
        assert relay is not None
        feed: Feed | None = None
        connected = True
        while not self._stopping.is_set():
            try:
                if feed is None:
                    feed = Feed(self._db, change_detector(self._db, self._interval), self._after_id)
                batch = feed.wait(0.25)
                if not connected:
                    connected = True
                    relay.online.emit(True)
                    batch = feed.poll() + batch
                if batch:
                    self._after_id = batch[-1].id
                    relay.events.emit(batch)
            except LobbyError as exc:
                if connected:
                    log.warning("feed lost the database: %s", exc)
                    connected = False
                    relay.online.emit(False)
                if feed is not None:
                    self._after_id = feed.last_id
                    feed.close()
                    feed = None
                self._stopping.wait(0.5)  # retry pace while the database is away
        if feed is not None:
            feed.close()


class LiveFeed(QObject):
    """New journal events, delivered on the GUI thread.

    Args:
        db: The shared database.
        interval: SQLite polling interval in seconds.
        after_id: Deliver events after this id; ``None`` starts at the journal's end.

    Signals:
        events(list[EventView]): New events, oldest first, each exactly once.
        online(bool): The database was lost (False) or is back (True).
    """

    events = Signal(list)
    online = Signal(bool)

    def __init__(
        self,
        db: Database,
        interval: float = 0.02,
        after_id: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._thread = _FeedThread(db, interval, after_id, self)

    def resume_after(self, event_id: int) -> None:
        """Deliver the events after ``event_id`` (the last one a first read saw).

        Raises:
            RuntimeError: The feed has started already.
        """
        self._thread.resume_after(event_id)

    def start(self) -> None:
        """Start following the journal."""
        self._thread.start()

    def stop(self) -> None:
        """Stop the feed thread and wait for it."""
        self._thread.stop()
        self._thread.wait(5000)
