"""The manager app's link to the core: reads and changes run off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from lobby.access import Credential, SessionToken
from lobby.db import Database, ReadSession, UnitOfWork
from lobby.errors import LobbyError, PinChangeRequired
from lobby.staff import StaffView, change_pin, sign_in
from lobby.views import EventView
from lobby.vocabulary import (
    COMPLAINT_CHANGES,
    CONFIG_CHANGES,
    COUNTER_CHANGES,
    DEVICE_CHANGES,
    OCCUPANCY_CHANGES,
    QUEUE_CHANGES,
    STAFF_CHANGES,
)
from ui.common.tasks import TaskRunner

T = TypeVar("T")

#: Journal kinds after which the live floor is read again (queue, counter, staff, pad moves).
FLOOR_KINDS = (
    QUEUE_CHANGES
    | COUNTER_CHANGES
    | CONFIG_CHANGES
    | STAFF_CHANGES
    | OCCUPANCY_CHANGES
    | DEVICE_CHANGES
)
#: Journal kinds after which the complaints page is read again.
COMPLAINT_KINDS = COMPLAINT_CHANGES
#: Journal kinds after which the configuration page is read again.
CONFIG_KINDS = CONFIG_CHANGES
#: Everything this app reacts to, by group.
SUBSCRIBED = FLOOR_KINDS | COMPLAINT_KINDS | CONFIG_KINDS


class ManagerController(QObject):
    """Signs the manager in and runs every page's work on the task runner.

    Pages call :meth:`read` for queries and :meth:`change` for operations; results
    arrive on the GUI thread, errors become a ``notice``.

    Signals:
        signed_in(StaffView): The manager is in.
        pin_change_needed(str): The PIN was right but must be changed first (the staff
            id): the window asks for a new one and calls :meth:`change_pin`.
        notice(str, str): A message and its level ("info", "warn", "error").
        floor_stale(): The journal shows a move on the floor.
        complaints_stale(): The journal shows a complaint change.
        config_stale(): The branch configuration changed.
        events(list): Every new journal batch (the audit page follows it).
    """

    signed_in = Signal(object)
    pin_change_needed = Signal(str)
    notice = Signal(str, str)
    floor_stale = Signal()
    complaints_stale = Signal()
    config_stale = Signal()
    events = Signal(list)

    def __init__(self, db: Database, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.runner = runner
        self.staff: StaffView | None = None
        self.closed = False
        self._old_pin: tuple[str, str] | None = None  # a right PIN that must change

    def shutdown(self) -> None:
        """The window is closing: results still on their way are dropped."""
        self.closed = True

    def _deliver(self, done: Callable[[T], None] | None) -> Callable[[T], None]:
        def deliver(result: T) -> None:
            if not self.closed and done is not None:
                done(result)

        return deliver

    def now(self) -> datetime:
        """The database clock's time (tests move it by hand)."""
        return self.db.clock.now()

    @property
    def actor(self) -> str:
        """The journal actor of the manager's changes."""
        return self.staff.code if self.staff else "manager"

    @property
    def credential(self) -> Credential:
        """What the manager's reads present (an empty session, refused, before sign-in)."""
        held = self.staff.credential if self.staff else None
        return held if held is not None else SessionToken("")

    def sign_in(self, code: str, pin: str) -> None:
        """Check the PIN off the GUI thread; only a manager gets in."""
        self._sign_in(lambda: sign_in(self.db, code, pin, "manager", device="manager"), pin)

    def change_pin(self, code: str, new_pin: str) -> None:
        """Change the PIN that must change (see :attr:`pin_change_needed`) and sign in."""
        if self._old_pin is None or self._old_pin[0] != code:
            return
        old = self._old_pin[1]
        self._sign_in(
            lambda: change_pin(self.db, code, old, new_pin, device="manager", role="manager"),
            new_pin,
        )

    def _sign_in(self, check: Callable[[], StaffView], pin: str) -> None:
        def done(staff: StaffView) -> None:
            self._old_pin = None
            self.staff = staff
            self.signed_in.emit(staff)

        def failed(exc: LobbyError) -> None:
            if isinstance(exc, PinChangeRequired):
                self._old_pin = (exc.staff, pin)
                self.pin_change_needed.emit(exc.staff)
                return
            self._error(exc)

        self.runner.run(check, self._deliver(done), failed)

    def read(
        self,
        query: Callable[[ReadSession], T],
        done: Callable[[T], None],
        failed: Callable[[LobbyError], None] | None = None,
        *,
        latest: str | None = None,
    ) -> None:
        """Run ``query`` in a read transaction and hand its result to ``done``.

        Errors become a notice; ``failed`` (if given) is told as well. Reads with the
        same ``latest`` key coalesce: a newer one replaces one still waiting to start.
        """

        def work() -> T:
            with self.db.read() as session:
                return query(session)

        def error(exc: LobbyError) -> None:
            self._error(exc)
            if failed is not None and not self.closed:
                failed(exc)

        if latest is None:
            self.runner.run(work, self._deliver(done), error)
        else:
            self.runner.run_latest(latest, work, self._deliver(done), error)

    def change(
        self,
        operation: Callable[[UnitOfWork], T],
        done: Callable[[T], None] | None = None,
        message: str = "",
    ) -> None:
        """Run ``operation`` in one unit of work as the signed-in manager."""
        credential = self.staff.credential if self.staff else None
        if credential is None:
            self.notice.emit("请先登录 / sign in first", "warn")
            return

        def work() -> T:
            with self.db.unit_of_work(credential) as uow:
                return operation(uow)

        def finished(result: Any) -> None:
            if message:
                self.notice.emit(message, "info")
            if done is not None:
                done(result)

        self.runner.run(work, self._deliver(finished), self._error)

    def on_events(self, batch: list[EventView]) -> None:
        """Tell the pages which parts of the branch moved."""
        if self.closed:
            return
        kinds = {e.kind for e in batch}
        if kinds & FLOOR_KINDS:
            self.floor_stale.emit()
        if kinds & COMPLAINT_KINDS:
            self.complaints_stale.emit()
        if kinds & CONFIG_KINDS:
            self.config_stale.emit()
        self.events.emit(batch)

    def _error(self, exc: LobbyError) -> None:
        if not self.closed:
            self.notice.emit(str(exc), "error")
