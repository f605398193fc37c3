"""The hall display's state: the board, updated from journal events the moment they arrive."""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import QObject, Signal

from devices.speech import Announcer
from lobby.db import Database
from lobby.errors import LobbyError
from lobby.queries.board import CALL_KINDS, RECENT_CALLS, board
from lobby.views import BoardView, CallView, EventView
from lobby.vocabulary import EventKind
from ui.common.tasks import TaskRunner

log = logging.getLogger(__name__)

#: Journal kinds after which the board is read again: all of them (queues, counters,
#: notices and names all show on the board).
SUBSCRIBED = frozenset(EventKind)


class BoardModel(QObject):
    """The board plus the calls as they happen.

    A call event updates the board at once from the event itself (no database read
    between the teller's click and the screen); queues and counters are re-read in
    the background afterwards.

    Signals:
        changed(BoardView): The board to show.
        called(CallView): A new call (or recall) to highlight.
        online(bool): Whether the database is reachable.
    """

    changed = Signal(object)
    called = Signal(object)
    online = Signal(bool)

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        announcer: Announcer | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._runner = runner
        self._announcer = announcer
        self.board: BoardView | None = None
        # the latest announced calls' event ids (bounded: the display runs all day)
        self.announced: deque[int] = deque(maxlen=1000)

    def now(self) -> datetime:
        """The database clock's time (tests move it by hand)."""
        return self._db.clock.now()

    def load(self) -> BoardView:
        """Read the board now (start-up); old calls are shown, not announced."""
        with self._db.read() as session:
            self.board = board(session, self._db.clock.now())
        self.changed.emit(self.board)
        return self.board

    def on_events(self, events: list[EventView]) -> None:
        """Show and announce new calls at once; refresh the rest in the background."""
        calls = [e for e in events if e.kind in CALL_KINDS and e.ticket and e.counter]
        for event in calls:
            call = self._call_from(event)
            if self.board is not None:
                recent = (call, *self.board.recent)[:RECENT_CALLS]
                self.board = replace(self.board, recent=recent, last_event_id=event.id)
                self.changed.emit(self.board)
            self.called.emit(call)
            self._announce(call)
        if any(e.kind in SUBSCRIBED for e in events):
            self.refresh()

    def refresh(self) -> None:
        """Re-read queues and counters off the GUI thread."""

        def work() -> BoardView:
            with self._db.read() as session:
                return board(session, self._db.clock.now())

        self._runner.run_latest("board", work, self._refreshed, self._failed)

    def set_online(self, online: bool) -> None:
        """Relay the feed's view of the database."""
        self.online.emit(online)
        if online:
            self.refresh()

    def _refreshed(self, view: BoardView) -> None:
        self.board = view
        self.changed.emit(view)

    def _failed(self, exc: LobbyError) -> None:
        log.warning("board refresh failed: %s", exc)

    def _announce(self, call: CallView) -> None:
        self.announced.append(call.event_id)
        if self._announcer is None:
            return
        try:
            self._announcer.announce(call.number, call.counter)
        except Exception:  # the call stays on screen whatever the speech device does
            log.exception("announcing %s failed", call.number)

    def _call_from(self, event: EventView) -> CallView:
        service_zh = service_en = ""
        if self.board is not None:
            code = event.payload.get("service")
            for queue in self.board.queues:
                if queue.service == code:
                    service_zh, service_en = queue.name_zh, queue.name_en
        assert event.ticket is not None
        assert event.counter is not None
        return CallView(
            event.id, event.kind, event.ticket, event.counter, service_zh, service_en, event.at
        )
