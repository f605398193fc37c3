"""The teller console's actions: each is one engine operation run off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from lobby import engine
from lobby.db import Database, UnitOfWork
from lobby.engine.occupancy import console_heartbeat, require_holder, sign_in_at_counter
from lobby.engine.presence import HEARTBEAT_S
from lobby.engine.rating_pad import console_rating_actor
from lobby.errors import (
    CounterLost,
    CounterOccupied,
    LobbyError,
    NothingToCall,
    PinChangeRequired,
)
from lobby.keyfiles import device_key
from lobby.queries.counter_view import CounterOverview, counter_overview
from lobby.staff import StaffView, change_pin
from lobby.views import EventView
from lobby.vocabulary import (
    CONFIG_CHANGES,
    COUNTER_CHANGES,
    DEVICE_CHANGES,
    OCCUPANCY_CHANGES,
    QUEUE_CHANGES,
    VISIT_CHANGES,
)
from ui.common.tasks import TaskRunner

#: Journal kinds that change what a console shows.
SUBSCRIBED = (
    QUEUE_CHANGES
    | COUNTER_CHANGES
    | CONFIG_CHANGES
    | VISIT_CHANGES
    | DEVICE_CHANGES
    | OCCUPANCY_CHANGES
)


class TellerController(QObject):
    """Runs a counter's actions and keeps its overview fresh.

    Signals:
        overview_changed(CounterOverview): New state to show.
        notice(str, str): A message for the teller and its level ("info", "warn", "error").
        signed_in(StaffView): Sign-in succeeded.
        finished_ticket(str): A ticket was finished (the rating dialog follows).
        missed(str): This console marked a ticket no-show (its undo is offered).
        busy_changed(bool): True while an action the teller started runs. Refreshes
            after journal events never mark the console busy.
        signed_out(): The teller left the counter (or another took it over).
        occupied(str): Sign-in refused: another teller holds the counter (who).
        pin_change_needed(str): A PIN typed (the teller's or the approving manager's)
            was right but must be changed first: the window asks for a new one and
            calls :meth:`change_pin`.

    Attributes:
        heartbeat: While signed in, tells the database every :data:`HEARTBEAT_S`
            seconds that this console still runs (a crashed console stops, and its
            counter lapses to the next teller); each beat also re-reads the overview,
            so a pad that fell silent is shown as such.
    """

    overview_changed = Signal(object)
    notice = Signal(str, str)
    signed_in = Signal(object)
    finished_ticket = Signal(str)
    missed = Signal(str)
    busy_changed = Signal(bool)
    signed_out = Signal()
    occupied = Signal(str)
    pin_change_needed = Signal(str)

    def __init__(self, db: Database, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._runner = runner
        self.counter: int | None = None
        self.staff: StaffView | None = None
        self.overview: CounterOverview | None = None
        self._acting = 0
        # the sign-in waiting for a PIN change: (whose, their PIN, the sign-in's arguments)
        self._pending: tuple[str, str, tuple[str, str, int, str | None, str | None]] | None = None
        self.heartbeat = QTimer(self)
        self.heartbeat.setInterval(HEARTBEAT_S * 1000)
        self.heartbeat.timeout.connect(self.beat)

    def now(self) -> datetime:
        """The database clock's time (tests move it by hand)."""
        return self._db.clock.now()

    # sign-in and refresh

    def sign_in(
        self,
        code: str,
        pin: str,
        counter: int,
        manager: str | None = None,
        manager_pin: str | None = None,
    ) -> None:
        """Check the PIN (slow on purpose, so off the GUI thread) and take the counter.

        With a manager's id and PIN, an occupied counter is taken over (journalled).
        """
        attempt = (code, pin, counter, manager, manager_pin)

        def work() -> tuple[StaffView, CounterOverview]:
            try:
                staff = sign_in_at_counter(
                    self._db, code, pin, counter, manager=manager, manager_pin=manager_pin
                )
            except PinChangeRequired as exc:
                mine = exc.staff == code.strip().upper()
                self._pending = (exc.staff, pin if mine else manager_pin or "", attempt)
                raise
            with self._db.read() as session:
                return staff, counter_overview(session, counter, self._db.clock.now())

        def done(result: tuple[StaffView, CounterOverview]) -> None:
            self.staff, overview = result
            self.counter = counter
            self.heartbeat.start()
            self.signed_in.emit(self.staff)  # the header names the teller from the first frame
            self._show(overview)
            if overview.current is not None:
                self.notice.emit(f"已恢复 {overview.current.number} / restored open ticket", "info")

        self._run_action(work, done)

    def change_pin(self, code: str, new_pin: str) -> None:
        """Change the PIN that must change (see :attr:`pin_change_needed`), then sign in."""
        if self._pending is None or self._pending[0] != code:
            return
        _, old, (teller, pin, counter, manager, manager_pin) = self._pending
        self._pending = None
        if code == teller.strip().upper():
            pin = new_pin
        else:
            manager_pin = new_pin
        device = f"counter-{counter}"

        def work() -> None:
            change_pin(self._db, code, old, new_pin, device=device, session=False)

        self._run_action(work, lambda _: self.sign_in(teller, pin, counter, manager, manager_pin))

    def sign_out(self, why: str = "sign_out") -> None:
        """Leave the counter (``why`` is ``idle`` when the console timed out)."""
        if self.counter is None or self.staff is None or self.staff.credential is None:
            return
        counter, actor = self.counter, self.staff.credential

        def work() -> str | None:
            with self._db.unit_of_work(actor) as uow:
                return engine.sign_out(uow, counter, why=why)

        def done(parked: str | None) -> None:
            self._leave()
            text = "已签退 / signed out"
            if why == "idle":
                text = "长时间无操作，已自动签退 / signed out after being idle"
            if parked:
                text += f" · {parked} 已挂起 parked"
            self.notice.emit(text, "warn" if why == "idle" else "info")

        self._run_action(work, done)

    def _leave(self) -> None:
        self.heartbeat.stop()
        self.counter, self.staff, self.overview = None, None, None
        self.signed_out.emit()

    def beat(self) -> None:
        """Say this console still runs, and re-read the overview (never marks it busy)."""
        if self.counter is None or self.staff is None or self.staff.credential is None:
            return
        counter, actor, db = self.counter, self.staff.credential, self._db

        def work() -> CounterOverview:  # holds no QObject: it may end on the worker thread
            db.run(actor, lambda uow: console_heartbeat(uow, counter))
            with db.read() as session:
                return counter_overview(session, counter, db.clock.now())

        self._runner.run_latest("heartbeat", work, self._show, self._error)

    @property
    def busy(self) -> bool:
        """Whether an action the teller started is still running."""
        return self._acting > 0

    def refresh(self) -> None:
        """Re-read the overview (after a journal event)."""
        if self.counter is None:
            return
        counter = self.counter

        def work() -> CounterOverview:
            with self._db.read() as session:
                return counter_overview(session, counter, self._db.clock.now())

        self._runner.run_latest("overview", work, self._show, self._error)

    def on_events(self, events: list[EventView]) -> None:
        """Refresh when the journal shows a change this console cares about."""
        if any(e.kind in SUBSCRIBED for e in events):
            self.refresh()

    # actions

    def call_next(self) -> None:
        """Call the next customer by the routing rule."""
        self._act(lambda uow, n: engine.call_next(uow, n), "叫号 called {number}")

    def call_specific(self, text: str) -> None:
        """Call a typed number or a scanned QR code."""
        if not text.strip():
            self.notice.emit("请输入票号 / type a ticket number", "warn")
            return
        self._act(lambda uow, n: engine.call_ticket(uow, n, text), "叫号 called {number}")

    def recall(self) -> None:
        """Call the open ticket again."""
        self._act(lambda uow, n: engine.recall(uow, n), "重呼 recalled {number}")

    def start(self) -> None:
        """The customer has arrived."""
        self._act(lambda uow, n: engine.start(uow, n), "开始办理 started {number}")

    def finish(self, outcome: str, follow_up: str) -> None:
        """Finish with an outcome; the rating dialog follows."""

        def done(ticket: Any) -> None:
            self.finished_ticket.emit(ticket.number)

        self._act(
            lambda uow, n: engine.finish(uow, n, outcome=outcome, follow_up=follow_up),
            "办结 finished {number}",
            then=done,
        )

    def no_show(self) -> None:
        """The called customer did not come: the ticket goes to the missed list."""
        self._act(
            lambda uow, n: engine.no_show(uow, n),
            "过号 {number} 已移入过号列表 / no-show: moved to the missed list",
            then=lambda ticket: self.missed.emit(ticket.number),
        )

    def undo_no_show(self, number: str) -> None:
        """Take back this console's no-show (within its undo window)."""
        self._act(
            lambda uow, n: engine.undo_no_show(uow, n, number),
            "已撤销过号 {number} / no-show undone",
        )

    def recall_missed(self, number: str) -> None:
        """Call a missed ticket back to this counter."""
        self._act(
            lambda uow, n: engine.recall_missed(uow, n, number),
            "已叫回过号 {number} / called back from the missed list",
        )

    def park(self, note: str = "") -> None:
        """Set the customer aside."""
        self._act(lambda uow, n: engine.park(uow, n, note=note), "挂起 parked {number}")

    def resume(self, number: str) -> None:
        """Call a parked ticket back."""
        self._act(lambda uow, n: engine.resume(uow, n, number), "恢复 resumed {number}")

    def transfer(self, to_service: str | None, to_counter: int | None, note: str) -> None:
        """Hand the customer on with a note."""
        self._act(
            lambda uow, n: engine.transfer(
                uow, n, to_service=to_service, to_counter=to_counter, note=note
            ),
            "转办 transferred {number}",
        )

    def confirm(self, note: str, phone: str, documents: list[str]) -> None:
        """Confirm (and correct) the greeter's triage."""
        current = self.overview.current if self.overview else None
        if current is None:
            self.notice.emit("没有当前客户 / no current customer", "warn")
            return
        self._act(
            lambda uow, n: engine.confirm_details(
                uow, current.number, note=note, phone=phone, documents=documents
            ),
            "信息已确认 details confirmed",
        )

    def rate(self, number: str, score: int) -> None:
        """Record the customer's rating from the console's panel.

        It is journalled as the counter's customer panel, not as the teller (the core
        refuses a rating from a staff sign-in), and it never marks the console busy.
        """
        if self.counter is None:
            return
        panel = console_rating_actor(self.counter)
        actor = device_key(panel)
        if actor is None:
            self.notice.emit(
                f"评价面板未登记 / this console's rating panel is not enrolled "
                f"(`lobby device-enrol {panel} --role rating_pad --counter {self.counter}`)",
                "error",
            )
            return

        def work() -> None:
            with self._db.unit_of_work(actor) as uow:
                engine.rate_visit(uow, number, score)

        self._runner.run(
            work, lambda _: self.notice.emit("感谢评价 / thank you for rating", "info"), self._error
        )

    def set_status(self, status: str, reason: str | None = None) -> None:
        """Open the counter, pause it (with a reason) or close it."""
        self._act(
            lambda uow, n: engine.set_counter_status(uow, n, status, reason=reason),
            "窗口状态 status: " + status + (f" ({reason})" if reason else ""),
        )

    # plumbing

    def _act(
        self,
        op: Callable[[UnitOfWork, int], Any],
        message: str,
        then: Callable[[Any], None] | None = None,
    ) -> None:
        if self.counter is None or self.staff is None or self.staff.credential is None:
            self.notice.emit("请先登录 / sign in first", "warn")
            return
        counter, actor = self.counter, self.staff.credential

        def work() -> tuple[Any, CounterOverview]:
            def step(uow: UnitOfWork) -> Any:
                require_holder(uow, counter)  # a console that lost its counter acts no more
                return op(uow, counter)

            result = self._db.run(actor, step)  # again while busy
            with self._db.read() as session:
                return result, counter_overview(session, counter, self._db.clock.now())

        def done(pair: tuple[Any, CounterOverview]) -> None:
            result, overview = pair
            self._show(overview)
            number = getattr(result, "number", "")
            self.notice.emit(message.format(number=number), "info")
            if then is not None:
                then(result)

        self._run_action(work, done)

    def _run_action(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """Run an action the teller started; only these mark the console busy."""
        self._acting += 1
        if self._acting == 1:
            self.busy_changed.emit(True)

        def settle() -> None:
            self._acting -= 1
            if self._acting == 0:
                self.busy_changed.emit(False)

        def on_done(result: Any) -> None:
            settle()
            done(result)

        def on_error(exc: LobbyError) -> None:
            settle()
            self._error(exc)

        self._runner.run(work, on_done, on_error)

    def _show(self, overview: CounterOverview) -> None:
        if self.staff is None or overview.number != self.counter:
            return  # a read finished after sign-out
        holder = overview.holder
        if holder is None or holder.code != self.staff.code:
            # signed out elsewhere, or a manager handed the counter to another teller
            who = f" → {holder.name} ({holder.code})" if holder else ""
            self._leave()
            self.notice.emit(
                f"本窗口已由他人接管或签退 / you are no longer signed in here{who}", "warn"
            )
            return
        self.overview = overview
        self.overview_changed.emit(overview)

    def _error(self, exc: LobbyError) -> None:
        if isinstance(exc, PinChangeRequired):
            self.pin_change_needed.emit(exc.staff)
            return
        if isinstance(exc, CounterOccupied):
            self.occupied.emit(str(exc))
            return
        if isinstance(exc, CounterLost):
            if self.staff is not None:
                self._leave()
            self.notice.emit(f"本窗口已失去此柜台，请重新登录 / {exc}", "warn")
            return
        level = "warn" if isinstance(exc, NothingToCall) else "error"
        text = "没有等候的客户 / " + str(exc) if isinstance(exc, NothingToCall) else str(exc)
        self.notice.emit(text, level)
