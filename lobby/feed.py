"""Live sync without Qt: detect commits by others, then read the new journal entries.

SQLite: one dedicated read connection polls ``PRAGMA data_version`` (a few
microseconds), which changes when another connection commits. PostgreSQL: the
engine sends ``NOTIFY`` in the transaction that appends events, and the detector
``LISTEN``s. Either way the same ``events_after`` query follows, so a missed wake-up
costs latency, never an event.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterator
from typing import Protocol

from sqlalchemy.engine import make_url

from lobby.db import NOTIFY_CHANNEL, Database
from lobby.errors import DatabaseUnavailable, first_line
from lobby.journal import events_after, last_event_id
from lobby.views import EventView


class ChangeDetector(Protocol):
    """Blocks until the database may have changed."""

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds; return whether a change was seen."""
        ...

    def close(self) -> None:
        """Release the detector's connection."""
        ...


class SQLiteChangeDetector:
    """Polls ``PRAGMA data_version`` on its own connection every ``interval`` seconds."""

    def __init__(
        self,
        path: str,
        interval: float = 0.02,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._interval = interval
        self._sleep = sleep
        self._monotonic = monotonic
        self._version = self._read()

    def _read(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        """Check once, without waiting."""
        version = self._read()
        if version != self._version:
            self._version = version
            return True
        return False

    def wait(self, timeout: float) -> bool:
        """Poll until a change or ``timeout``."""
        deadline = self._monotonic() + timeout
        while True:
            if self.changed():
                return True
            remaining = deadline - self._monotonic()
            if remaining <= 0:
                return False
            self._sleep(min(self._interval, remaining))

    def close(self) -> None:
        """Close the polling connection."""
        self._conn.close()


class PostgresChangeDetector:
    """``LISTEN``s on the journal channel with its own autocommit connection."""

    def __init__(self, url: str) -> None:
        import psycopg  # only PostgreSQL branches pay for the import

        dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        try:
            self._conn = psycopg.connect(dsn, autocommit=True)
            self._conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
        except psycopg.Error as exc:
            raise DatabaseUnavailable(f"cannot listen for changes: {first_line(exc)}") from exc

    def wait(self, timeout: float) -> bool:
        """Block until a notification arrives or ``timeout`` passes.

        Raises:
            DatabaseUnavailable: The listening connection was lost.
        """
        import psycopg

        seen = False
        try:
            for _ in self._conn.notifies(timeout=timeout, stop_after=1):
                seen = True
        except psycopg.Error as exc:
            raise DatabaseUnavailable(f"lost the change listener: {first_line(exc)}") from exc
        return seen

    def close(self) -> None:
        """Close the listening connection."""
        self._conn.close()


def change_detector(db: Database, interval: float = 0.02) -> ChangeDetector:
    """The detector that suits ``db``'s backend."""
    url = db.engine.url
    if db.is_sqlite:
        if not url.database or url.database == ":memory:":
            raise ValueError("live sync needs a SQLite file, not an in-memory database")
        return SQLiteChangeDetector(url.database, interval)
    return PostgresChangeDetector(url.render_as_string(hide_password=False))


class Feed:
    """The journal as a stream: new events after the last one this feed delivered.

    Args:
        db: The shared database.
        detector: What tells the feed the database changed.
        after_id: Start after this event id; ``None`` starts at the journal's end,
            so a restarted app does not replay old calls.
    """

    def __init__(self, db: Database, detector: ChangeDetector, after_id: int | None = None) -> None:
        self._db = db
        self._detector = detector
        if after_id is None:
            with db.read() as session:
                after_id = last_event_id(session)
        self.last_id = after_id
        # commits between ``after_id`` and the detector's start raise no signal
        self._caught_up = False

    def poll(self) -> list[EventView]:
        """Read every event after :attr:`last_id` and advance it."""
        batch: list[EventView] = []
        with self._db.read() as session:
            while chunk := events_after(session, self.last_id):
                batch.extend(chunk)
                self.last_id = chunk[-1].id
        return batch

    def wait(self, timeout: float) -> list[EventView]:
        """Wait up to ``timeout`` seconds for a change, then return the new events."""
        if not self._caught_up:
            self._caught_up = True
            if batch := self.poll():
                return batch
        if self._detector.wait(timeout):
            return self.poll()
        return []

    def follow(self, idle_timeout: float = 1.0) -> Iterator[EventView]:
        """Yield events forever as they are committed (checks the journal each idle period)."""
        yield from self.poll()
        while True:
            self._detector.wait(idle_timeout)
            yield from self.poll()

    def close(self) -> None:
        """Release the detector."""
        self._detector.close()


def follow_reconnecting(
    db: Database,
    interval: float,
    after_id: int | None,
    *,
    on_lost: Callable[[DatabaseUnavailable], None] = lambda _exc: None,
    on_back: Callable[[], None] = lambda: None,
    retry_s: float = 0.5,
) -> Iterator[EventView]:
    """Yield events forever, as :meth:`Feed.follow`, across database restarts.

    A lost database (a PostgreSQL restart, a SQLite file briefly gone) is told to
    ``on_lost`` once; the feed retries every ``retry_s`` and, once back, calls
    ``on_back`` and resumes after the last event it delivered: none is missed or
    delivered twice.
    """
    last = after_id
    feed: Feed | None = None
    lost = False
    try:
        while True:
            try:
                if feed is None:
                    feed = Feed(db, change_detector(db, interval), last)
                    if lost:
                        lost = False
                        on_back()
                for event in feed.follow():
                    last = event.id
                    yield event
            except DatabaseUnavailable as exc:
                if feed is not None:
                    last = feed.last_id
                    _close_quietly(feed)
                    feed = None
                if not lost:
                    lost = True
                    on_lost(exc)
                time.sleep(retry_s)
    finally:
        if feed is not None:
            _close_quietly(feed)


def _close_quietly(feed: Feed) -> None:
    with contextlib.suppress(Exception):  # its connection may be broken already
        feed.close()
