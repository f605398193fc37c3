"""One journal feed for the whole web process, fanned out to every open page.

A thread follows the journal (:class:`lobby.feed.Feed`: SQLite ``data_version`` or
PostgreSQL ``LISTEN``). After each change it reads the hall once — every ticket's
state and the latest calls, a few small queries — and hands the result to the event
loop, which wakes every waiting page. A second thread then reads what takes longer
with a long queue (the wait estimates and the display's board: a replay of the
routing rule, on one read of the queue for the tickets and the board) and publishes again;
changes meanwhile are coalesced into one more read, and a change no queue depends on
(a rating, a customer on the way) costs none. A phone's live connection costs no
query of its own: 500 phones cost what one does, a page load waits for the shared
read rather than predicting for itself, and a call reaches them without waiting for
the replay.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from lobby.db import Database
from lobby.errors import LobbyError
from lobby.estimate import WaitEstimate
from lobby.feed import Feed, change_detector
from lobby.journal import last_event_id
from lobby.queries.board import CALL_KINDS, board
from lobby.queries.ticket_status import HallStatus, hall_outlook, hall_status
from lobby.views import BoardView, EventView
from lobby.vocabulary import CONFIG_CHANGES, COUNTER_CHANGES, OCCUPANCY_CHANGES, QUEUE_CHANGES

log = logging.getLogger(__name__)

#: Seconds between reads when nothing happens (waits drift, the day ends).
IDLE_REFRESH_S = 30.0
#: Seconds before a lost feed is opened again.
RECONNECT_S = 1.0
#: Seconds a page load waits for the shared estimates read before it shows "estimating".
COMPLETE_WAIT_S = 10.0
#: What the estimates and the board depend on (who is at which counter too: a queue no
#: staffed counter serves says so): other changes (a rating, a customer on the way, a
#: complaint) cost no new prediction.
ESTIMATE_INPUTS = QUEUE_CHANGES | COUNTER_CHANGES | OCCUPANCY_CHANGES | CONFIG_CHANGES


@dataclass(frozen=True)
class HallSnapshot:
    """What the pages show, as of one journal position.

    Attributes:
        version: Grows by one with every snapshot the hub publishes.
        status: Every ticket of the day.
        board: The hall display's board.
        calls: The call events (called, recalled, resumed) since the previous snapshot.
        connected: The feed is following the journal (false while it reconnects).
    """

    version: int
    status: HallStatus
    board: BoardView
    calls: tuple[EventView, ...] = ()
    connected: bool = True
    cache: dict[tuple[str, ...], str] = field(default_factory=dict, compare=False)

    def rendered(self, key: tuple[str, ...], render: Callable[[], str]) -> str:
        """``render()`` once per snapshot and key: pages that look alike share the work."""
        page = self.cache.get(key)
        if page is None:
            page = self.cache[key] = render()
        return page


class Hub:
    """The feed thread and the latest :class:`HallSnapshot` for the event loop.

    Args:
        db: The shared database.
        poll_interval_s: How often the SQLite feed looks for commits.
    """

    def __init__(self, db: Database, poll_interval_s: float = 0.02) -> None:
        self._db = db
        self._interval = poll_interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._changed = asyncio.Event()
        self._reading = asyncio.Lock()
        self._version = 0
        self._feed: Feed | None = None
        self._last_read = time.monotonic()
        self._estimates: dict[int, WaitEstimate] = {}
        self._board: BoardView | None = None
        self._slow_due = threading.Event()
        self._slow_thread: threading.Thread | None = None
        self._estimated = asyncio.Event()
        #: Predictions made (one per journal move that changes a queue, at most).
        self.predictions = 0
        #: The estimates thread is reading (or due to).
        self.estimating = False
        self.snapshot: HallSnapshot | None = None

    async def start(self) -> None:
        """Read the hall, then follow the journal in a thread."""
        self._loop = asyncio.get_running_loop()
        self._changed = asyncio.Event()
        self._reading = asyncio.Lock()
        self._estimated = asyncio.Event()
        self._feed = await asyncio.to_thread(self._open_feed, None)
        await asyncio.to_thread(self._read_slow)
        self._publish(await asyncio.to_thread(self._read, ()))
        self._thread = threading.Thread(target=self._run, name="lobby-web-feed", daemon=True)
        self._thread.start()
        self._slow_thread = threading.Thread(
            target=self._run_slow, name="lobby-web-estimates", daemon=True
        )
        self._slow_thread.start()

    async def stop(self) -> None:
        """Stop the thread and release the feed."""
        self._stop.set()
        self._slow_due.set()
        for thread in (self._thread, self._slow_thread):
            if thread is not None:
                await asyncio.to_thread(thread.join, 10)
        if self._feed is not None:
            self._feed.close()
            self._feed = None

    async def refresh(self) -> HallSnapshot:
        """Read the hall now; pages asking meanwhile share the one read."""
        async with self._reading:
            snapshot = await asyncio.to_thread(self._read, ())
            self._publish(snapshot)
            return self.snapshot or snapshot

    async def complete(self, number: str) -> HallSnapshot:
        """A snapshot holding ticket ``number``'s estimate (a page load that found none).

        The page waits for the estimates thread's next read, which every page asking
        meanwhile shares: a hundred phones scanning their new tickets cost one
        prediction, not a hundred. After :data:`COMPLETE_WAIT_S` the page is shown
        as it is ("estimating"), and its live stream brings the estimate.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + COMPLETE_WAIT_S
        while True:
            snapshot = self.snapshot
            assert snapshot is not None, "the hub has started"
            status = snapshot.status.tickets.get(number)
            if status is None or status.state != "waiting" or status.ahead is not None:
                return snapshot
            remaining = deadline - loop.time()
            if remaining <= 0:
                return snapshot
            published = self._estimated
            self._slow_due.set()
            try:
                await asyncio.wait_for(published.wait(), remaining)
            except TimeoutError:
                return self.snapshot or snapshot

    async def fresh(self) -> HallSnapshot:
        """A snapshot as new as the journal: a page load sees every commit before it.

        One small query (the journal's last id) tells whether the snapshot is behind;
        only then is the hall read again.
        """
        current = self.snapshot
        if current is not None:
            last_id = await asyncio.to_thread(self._last_event_id)
            if last_id <= current.status.last_event_id:
                return current
            if self._reading.locked():  # someone is reading already: take theirs
                async with self._reading:
                    pass
                current = self.snapshot
                if current is not None and last_id <= current.status.last_event_id:
                    return current
        return await self.refresh()

    def _last_event_id(self) -> int:
        with self._db.read() as session:
            return last_event_id(session)

    async def next(self, after_version: int) -> HallSnapshot:
        """The first snapshot newer than ``after_version`` (waits for it)."""
        while self.snapshot is None or self.snapshot.version <= after_version:
            await self._changed.wait()
        return self.snapshot

    def _open_feed(self, after_id: int | None) -> Feed:
        return Feed(self._db, change_detector(self._db, self._interval), after_id=after_id)

    def _read(self, calls: tuple[EventView, ...], connected: bool = True) -> HallSnapshot:
        """The fast read: every ticket's state and the latest calls, with the last estimates."""
        now = self._db.clock.now()
        with self._db.read() as session:
            status = hall_status(session, now, self._estimates)
        assert self._board is not None, "the slow read runs first"
        return HallSnapshot(0, status, self._board, calls, connected)

    def _read_slow(self) -> None:
        """The slow read: every waiting ticket's estimate and the display's board.

        One read of the queue serves both (:func:`lobby.queries.ticket_status.hall_outlook`).
        """
        now = self._db.clock.now()
        with self._db.read() as session:
            outlook = hall_outlook(session, now)
            self._board = board(session, now, outlook.queues)
        self._estimates = outlook.tickets
        self.predictions += 1

    def _run_slow(self) -> None:
        while True:
            self._slow_due.wait()
            if self._stop.is_set():
                return
            self._slow_due.clear()  # changes from here on ask for one more read
            self.estimating = True
            try:
                self._read_slow()
                self._hand_over(self._read(()))
                if self._loop is not None and not self._loop.is_closed():
                    self._loop.call_soon_threadsafe(self._estimates_published)
            except LobbyError as exc:
                log.warning("lobby web: estimates not read: %s", exc)
                self._stop.wait(RECONNECT_S)
            finally:
                self.estimating = False

    def _publish(self, snapshot: HallSnapshot) -> None:
        """On the event loop: number the snapshot and wake every waiting page."""
        self._version += 1
        self.snapshot = HallSnapshot(
            self._version, snapshot.status, snapshot.board, snapshot.calls, snapshot.connected
        )
        waiting, self._changed = self._changed, asyncio.Event()
        waiting.set()

    def _estimates_published(self) -> None:
        """On the event loop, after the snapshot with new estimates: wake waiting page loads."""
        waiting, self._estimated = self._estimated, asyncio.Event()
        waiting.set()

    def _hand_over(self, snapshot: HallSnapshot) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._publish, snapshot)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self._feed is None:
                    self._feed = self._open_feed(None)
                    self._hand_over(self._read(()))
                    self._slow_due.set()  # what happened while the feed was lost
                events = self._feed.wait(0.5)
                idle = self._idle_due()
                if events or idle:
                    calls = tuple(e for e in events if e.kind in CALL_KINDS)
                    self._hand_over(self._read(calls))
                    if idle or any(e.kind in ESTIMATE_INPUTS for e in events):
                        self._last_read = time.monotonic()
                        self._slow_due.set()
            except LobbyError as exc:  # database gone or listener lost: say so, retry
                log.warning("lobby web: %s; reconnecting", exc)
                if self._feed is not None:
                    self._close_quietly(self._feed)
                    self._feed = None
                if self.snapshot is not None:
                    old = self.snapshot
                    self._hand_over(HallSnapshot(0, old.status, old.board, (), False))
                self._stop.wait(RECONNECT_S)

    def _idle_due(self) -> bool:
        now = time.monotonic()
        if now - self._last_read >= IDLE_REFRESH_S:
            self._last_read = now
            return True
        return False

    @staticmethod
    def _close_quietly(feed: Feed) -> None:
        try:
            feed.close()
        except Exception:  # noqa: BLE001 - the connection is already broken
            log.debug("closing a broken feed", exc_info=True)
