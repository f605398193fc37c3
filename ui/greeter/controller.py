"""The greeter's actions: each is one engine operation run off the GUI thread.

Issuing is commit first, print second: the unit of work commits, the printed
content is read in a fresh read transaction, and only then is the job handed to
the printer. A failed print therefore never loses or duplicates a ticket.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, Signal, Slot

from lobby import engine
from lobby.access import KIOSK, Credential, authenticate
from lobby.db import Database, UnitOfWork
from lobby.engine.missed import MissedStanding
from lobby.error_texts import Lang, say
from lobby.errors import (
    AuthenticationFailed,
    DatabaseUnavailable,
    LobbyError,
    NotFound,
    PermissionDenied,
    PinChangeRequired,
)
from lobby.keyfiles import device_key
from lobby.queries.receipts import read_receipt
from lobby.queries.service_list import ServiceList, read_service_list
from lobby.staff import StaffView, change_pin, sign_in
from lobby.ticket_code import looks_like_code
from lobby.ticket_print import printable_ticket
from lobby.views import EventView, TicketView
from lobby.vocabulary import CONFIG_CHANGES, COUNTER_CHANGES, OCCUPANCY_CHANGES, QUEUE_CHANGES
from ui.common.tasks import TaskRunner
from ui.greeter.printing import TicketPrinting
from ui.greeter.records import ComplaintForm, ComplaintReceipt, IssuedTicket, Triage

#: Journal kinds that change the tiles: their waiting counts and estimates (which need a
#: teller signed in at a counter serving the service), and the services themselves
#: (names, documents, which are offered).
SUBSCRIBED = QUEUE_CHANGES | COUNTER_CHANGES | OCCUPANCY_CHANGES | CONFIG_CHANGES


#: A ticket number as printed (service prefix and the day's sequence), not an appointment code.
TICKET_NUMBER = re.compile(r"[A-Z]{1,4}\d{3}")


class GreeterController(QObject):
    """Signs the greeter in, issues tickets, checks in appointments and files complaints.

    Signals:
        signed_in(StaffView): Sign-in succeeded.
        snapshot_changed(ServiceList): Services and live queues to show.
        issued(IssuedTicket): A ticket was committed (printing follows).
        diverted(str): A customer sent to a machine was journalled (service code).
        complaint_filed(ComplaintReceipt): A complaint was recorded.
        pin_change_needed(str): The PIN typed was right but must be changed first (the
            staff id): the window asks for a new one and calls :meth:`change_pin`.
        failed(str, str): Where it failed (``sign_in``, ``issue``, ``appointment``,
            ``complaint``, ``reprint``, ``divert``) and a message for the greeter.
        ticket_standing(str): What to tell a customer back with an already called ticket.
    """

    signed_in = Signal(object)
    snapshot_changed = Signal(object)
    issued = Signal(object)
    diverted = Signal(str)
    complaint_filed = Signal(object)
    failed = Signal(str, str)
    pin_change_needed = Signal(str)
    ticket_standing = Signal(str)

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        printing: TicketPrinting,
        device: str = "greeter",
        base_url: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._base_url = base_url
        self._db = db
        self._runner = runner
        self._printing = printing
        self._device = device
        self._acting = False
        self.staff: StaffView | None = None
        self.snapshot: ServiceList | None = None
        self.last_ticket: IssuedTicket | None = None
        self.last_receipt: ComplaintReceipt | None = None
        #: The screen's language now (the window's switch sets it): errors are said in it.
        self.language: Callable[[], Lang] = lambda: "zh"
        self._old_pin: tuple[str, str] | None = None  # a right PIN that must change

    @property
    def acting(self) -> bool:
        """Whether an issue, check-in or complaint is on its way (taps meanwhile are ignored)."""
        return self._acting

    def now(self) -> datetime:
        """The database clock's time."""
        return self._db.clock.now()

    # sign-in and the live snapshot

    def sign_in(self, code: str, pin: str) -> None:
        """Check a greeter's PIN (slow on purpose, so off the GUI thread)."""
        self._sign_in(lambda: sign_in(self._db, code, pin, "greeter", device=self._device), pin)

    def start_unattended(self, device: str) -> None:
        """Act with nobody signed in, as the enrolled kiosk ``device`` (its key on this machine).

        Every ticket, check-in, diversion and complaint is then journalled as the device.
        A missing, withdrawn or wrong key, or a device enrolled for another role, is
        refused on the sign-in page (a greeter may still sign in there).
        """

        def work() -> tuple[StaffView, ServiceList]:
            key = device_key(device)
            if key is None:
                raise AuthenticationFailed(
                    f"{device} has no key on this machine: a manager runs "
                    f"`lobby device-enrol {device} --role kiosk` here"
                )
            with self._db.read() as session:
                who = authenticate(session, key, self.now())
                if who.role != KIOSK:
                    raise PermissionDenied(
                        f"{device} is enrolled as a {who.role}, not a kiosk: a manager "
                        f"runs `lobby device-enrol {device} --role kiosk` here"
                    )
                snapshot = read_service_list(session, self.now())
            return StaffView(who.code, "自助 Kiosk", KIOSK, credential=key), snapshot

        def done(result: tuple[StaffView, ServiceList]) -> None:
            self.staff, snapshot = result
            self._show(snapshot)
            self.signed_in.emit(self.staff)

        self._runner.run(work, done, lambda exc: self._fail("sign_in", exc))

    @property
    def unattended(self) -> bool:
        """Whether the app acts as a kiosk device, nobody signed in."""
        return self.staff is not None and self.staff.role == KIOSK

    def change_pin(self, code: str, new_pin: str) -> None:
        """Change the PIN that must change (see :attr:`pin_change_needed`) and sign in."""
        if self._old_pin is None or self._old_pin[0] != code:
            return
        old = self._old_pin[1]
        self._sign_in(
            lambda: change_pin(self._db, code, old, new_pin, device=self._device, role="greeter"),
            new_pin,
        )

    def _sign_in(self, check: Callable[[], StaffView], pin: str) -> None:
        def work() -> tuple[StaffView, ServiceList]:
            staff = check()
            with self._db.read() as session:
                return staff, read_service_list(session, self.now())

        def done(result: tuple[StaffView, ServiceList]) -> None:
            self._old_pin = None
            self.staff, snapshot = result
            self._show(snapshot)
            self.signed_in.emit(self.staff)

        def failed(exc: LobbyError) -> None:
            if isinstance(exc, PinChangeRequired):
                self._old_pin = (exc.staff, pin)
                self.pin_change_needed.emit(exc.staff)
                return
            self._fail("sign_in", exc)

        self._runner.run(work, done, failed)

    def sign_out(self) -> None:
        """Forget who is signed in (the idle lock and the lock button)."""
        self.staff = None

    def refresh(self) -> None:
        """Re-read the services and their queues."""

        def work() -> ServiceList:
            with self._db.read() as session:
                return read_service_list(session, self.now())

        self._runner.run(work, self._show, lambda exc: self._fail("refresh", exc))

    @Slot(list)
    def on_events(self, events: list[EventView]) -> None:
        """Refresh the counts when the journal shows a queue change (from any machine)."""
        if any(e.kind in SUBSCRIBED for e in events):
            self.refresh()

    # actions

    def issue(self, triage: Triage) -> None:
        """Issue a ticket for ``triage`` and print it once it is committed."""
        self._act(
            "issue",
            lambda uow: engine.issue_ticket(
                uow,
                triage.service,
                category=triage.category,
                phone=triage.phone,
                note=triage.note,
                documents=triage.documents,
                appointment_code=triage.appointment_code,
            ),
        )

    def divert(self, service: str) -> None:
        """Journal that the customer went to a machine for ``service`` instead of a ticket."""
        if self.staff is None or self.staff.credential is None:
            self.failed.emit("divert", self.tr("请先登录"))
            return
        actor = self.staff.credential

        def work() -> None:
            with self._db.unit_of_work(actor) as uow:
                engine.record_diversion(uow, service)

        self._runner.run(
            work, lambda _: self.diverted.emit(service), lambda exc: self._fail("divert", exc)
        )

    def check_in(self, code: str) -> None:
        """Check in an appointment by its typed or scanned code and print its ticket."""
        cleaned = code.strip()
        if not cleaned:
            self.failed.emit("appointment", self.tr("请输入或扫描预约码"))
            return
        if looks_like_code(cleaned) or TICKET_NUMBER.fullmatch(cleaned.upper()):
            self._tell_standing(cleaned)
            return
        self._act("appointment", lambda uow: engine.check_in_appointment(uow, cleaned))

    def _tell_standing(self, text: str) -> None:
        """A ticket rather than an appointment: say whether it is still valid (no write)."""
        if self.staff is None or self.staff.credential is None:
            self.failed.emit("appointment", self.tr("请先登录"))
            return
        actor = self.staff.credential

        def work() -> MissedStanding:
            with self._db.unit_of_work(actor) as uow:
                return engine.missed_standing(uow, text)

        def done(standing: MissedStanding) -> None:
            if standing.still_valid:
                message = self.tr("{0} 号仍然有效，请直接告知柜台叫回").format(standing.number)
            elif standing.state == "no_show":
                message = self.tr("{0} 号已过有效时间，请重新取号").format(standing.number)
            else:
                message = self.tr("{0} 号不在过号列表中，请按叫号等候").format(standing.number)
            self.ticket_standing.emit(message)

        self._runner.run(work, done, lambda exc: self._fail("appointment", exc))

    def file_complaint(self, form: ComplaintForm) -> None:
        """Record a complaint; its receipt follows."""
        actor = self._start("complaint")
        if actor is None:
            return

        def work() -> ComplaintReceipt:
            with self._db.unit_of_work(actor) as uow:
                reference = engine.file_complaint(
                    uow,
                    category=form.category,
                    description=form.description,
                    contact=form.contact,
                    wished_follow_up=form.follow_up,
                )
            with self._db.read() as session:
                return read_receipt(session, reference, self._base_url)

        def done(receipt: ComplaintReceipt) -> None:
            self._acting = False
            self.last_receipt = receipt
            self.complaint_filed.emit(receipt)

        self._runner.run(work, done, lambda exc: self._fail("complaint", exc))

    def print_receipt(self, receipt: ComplaintReceipt) -> None:
        """Print the complaint receipt (its own layout: reference, category, answer date)."""
        self._printing.print(receipt.printable)

    def reprint(self, issued: IssuedTicket | None = None) -> None:
        """Print a ticket again (the last one by default), with today's people ahead."""
        target = issued or self.last_ticket
        if target is None:
            self.failed.emit("reprint", self.tr("还没有可补打的号票"))
            return
        view = target.ticket

        def work() -> IssuedTicket:
            with self._db.read() as session:
                paper = printable_ticket(session, view.id, view.code, self._base_url)
                return IssuedTicket(view, paper)

        def done(fresh: IssuedTicket) -> None:
            if self.last_ticket is not None and self.last_ticket.number == fresh.number:
                self.last_ticket = fresh
            self._printing.print(fresh.printable)

        self._runner.run(work, done, lambda exc: self._fail("reprint", exc))

    # plumbing

    def _act(self, where: str, op: Callable[[UnitOfWork], TicketView]) -> None:
        """Run one ticket-issuing operation; a second tap while it runs is ignored."""
        actor = self._start(where)
        if actor is None:
            return

        def work() -> IssuedTicket:
            view = self._db.run(actor, op)  # all of it again while SQLite is busy
            # committed: only now read what the paper shows, and only then print
            with self._db.read() as session:
                paper = printable_ticket(session, view.id, view.code, self._base_url)
                return IssuedTicket(view, paper)

        def done(issued: IssuedTicket) -> None:
            self._acting = False
            self.last_ticket = issued
            self.issued.emit(issued)
            self._printing.print(issued.printable)

        self._runner.run(work, done, lambda exc: self._fail(where, exc))

    def _start(self, where: str) -> Credential | None:
        """The actor for a new action, or None when one is running or nobody is signed in."""
        if self._acting:
            return None  # the same tap twice: the first one is on its way
        if self.staff is None or self.staff.credential is None:
            self.failed.emit(where, self.tr("请先登录"))
            return None
        self._acting = True
        return self.staff.credential

    def _show(self, snapshot: ServiceList) -> None:
        self.snapshot = snapshot
        self.snapshot_changed.emit(snapshot)

    def _fail(self, where: str, exc: LobbyError) -> None:
        if where in ("issue", "appointment", "complaint"):
            self._acting = False
        self.failed.emit(where, self._explain(exc))

    def _explain(self, exc: LobbyError) -> str:
        """A headline in the screen's language and the engine's own words after it.

        An error with a code says itself in the screen's language (``lobby.error_texts``).
        """
        if exc.code:
            return say(exc, self.language())
        if isinstance(exc, AuthenticationFailed):
            headline = self.tr("登录失败")
        elif isinstance(exc, NotFound):
            headline = self.tr("没有找到")
        elif isinstance(exc, DatabaseUnavailable):
            headline = self.tr("系统暂时无法连接，请稍后再试")
        else:
            headline = self.tr("无法办理")
        return f"{headline}: {exc}"
