"""Printing from the greeter: jobs go to a PrintQueue; results come back as Qt signals.

The queue's futures complete on the printer thread. Their done-callbacks only emit
a signal of this object, which lives on the GUI thread, so Qt queues the delivery
and every slot runs on the GUI thread.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from devices.printer import (
    CoverOpen,
    PaperOut,
    PrinterError,
    PrinterOffline,
    PrinterStatus,
    PrinterUnreachable,
    PrintQueue,
)
from lobby.receipt_print import PrintableReceipt
from lobby.ticket_print import PrintableTicket

log = logging.getLogger(__name__)

#: Job states, in the order a job goes through them.
PRINTING, PRINTED, FAILED = "printing", "printed", "failed"


@dataclass(frozen=True)
class PrinterHealth:
    """The printer's state as the greeter's badge shows it.

    Attributes:
        state: ``checking``, ``ready``, ``paper_low``, ``paper_out``, ``cover_open``,
            ``offline`` (the printer says so), ``unreachable`` (no connection) or
            ``unknown`` (the connection cannot tell, or the printer did not answer).
        detail: A short technical note (address, reason) for whoever fixes it.
    """

    state: str
    detail: str = ""


#: Printer states (``devices.printer.PrinterState``) as the badge names them.
_BADGE_STATE = {"paper_near_end": "paper_low"}


def health_of(status: PrinterStatus) -> PrinterHealth:
    """What a status answer means for the badge."""
    return PrinterHealth(_BADGE_STATE.get(status.state, status.state), status.detail)


def health_after_failure(error: PrinterError) -> PrinterHealth:
    """What a failed job tells about the printer."""
    if isinstance(error, PaperOut):
        return PrinterHealth("paper_out", error.detail)
    if isinstance(error, CoverOpen):
        return PrinterHealth("cover_open", error.detail)
    if isinstance(error, PrinterUnreachable):
        return PrinterHealth("unreachable", error.detail)
    if isinstance(error, PrinterOffline):
        return PrinterHealth("offline", error.detail)
    return PrinterHealth("unknown", error.detail)


#: States that a job which came out proves wrong. "unknown" is not one: a printer
#: that never answers status queries takes jobs and still tells nothing of its paper.
_CLEARED_BY_A_PRINT = ("checking", "offline", "unreachable", "cover_open", "paper_out")


class TicketPrinting(QObject):
    """Prints tickets and receipts in order, and keeps the printer's health known.

    The health is asked for at start, when the greeter taps the badge, after a
    failed job and every ``status_interval_ms`` (0: never). That timer asks the
    printer, not the database.

    Signals:
        job_changed(str, str, str): job key (ticket number or complaint reference),
            state (``printing``, ``printed``, ``failed``) and, on failure, the message.
        health_changed(PrinterHealth): New printer health for the badge.
    """

    job_changed = Signal(str, str, str)
    health_changed = Signal(object)
    _job_done = Signal(str, object)  # from the printer thread: key, error or None
    _status_read = Signal(object)  # from the printer thread: PrinterStatus

    def __init__(
        self, queue: PrintQueue, status_interval_ms: int = 30_000, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._queue = queue
        self.health = PrinterHealth("checking")
        self.jobs: dict[str, str] = {}
        self.last_error: dict[str, PrinterError] = {}
        self._closed = False
        self._job_done.connect(self._finished)
        self._status_read.connect(self._status)
        self._timer = QTimer(self)
        self._timer.setInterval(status_interval_ms)
        self._timer.timeout.connect(self.refresh_status)
        if status_interval_ms > 0:
            self._timer.start()

    def print(self, printable: PrintableTicket | PrintableReceipt) -> None:
        """Queue a ticket or a complaint receipt; ``job_changed`` follows it under its number."""
        key = printable.number
        self.jobs[key] = PRINTING
        self.last_error.pop(key, None)
        self.job_changed.emit(key, PRINTING, "")
        if isinstance(printable, PrintableReceipt):
            future = self._queue.print_receipt(printable)
        else:
            future = self._queue.print_ticket(printable)
        future.add_done_callback(lambda done: self._relay_job(key, done))

    def refresh_status(self) -> None:
        """Ask the printer how it is, after the jobs already queued."""
        if self._closed:
            return
        self._queue.status().add_done_callback(self._relay_status)

    def close(self) -> None:
        """Finish the queued jobs and release the printer."""
        if self._closed:
            return
        self._closed = True
        self._timer.stop()
        self._queue.close()

    # printer thread

    def _relay_job(self, key: str, done: Future[None]) -> None:
        if done.cancelled():
            return
        self._job_done.emit(key, done.exception())

    def _relay_status(self, done: Future[PrinterStatus]) -> None:
        if done.cancelled() or done.exception() is not None:
            return
        self._status_read.emit(done.result())

    # GUI thread. Declared as slots: PySide has crashed delivering queued cross-thread
    # signals to plain Python callables (PYSIDE-3124); declared slots avoid that path.

    @Slot(str, object)
    def _finished(self, key: str, error: BaseException | None) -> None:
        if error is None:
            self.jobs[key] = PRINTED
            self.job_changed.emit(key, PRINTED, "")
            if self.health.state in _CLEARED_BY_A_PRINT:
                self._set_health(PrinterHealth("ready", self.health.detail))
            return
        if not isinstance(error, PrinterError):
            log.error("printing %s failed unexpectedly", key, exc_info=error)
            error = PrinterError("?", f"{type(error).__name__}: {error}", ticket=key)
        self.jobs[key] = FAILED
        self.last_error[key] = error
        self.job_changed.emit(key, FAILED, str(error))
        self._set_health(health_after_failure(error))
        self.refresh_status()

    @Slot(object)
    def _status(self, status: PrinterStatus) -> None:
        health = health_of(status)
        if health.state == "unknown" and self.health.state == "ready":
            return  # this connection cannot tell; the last print worked
        self._set_health(health)

    def _set_health(self, health: PrinterHealth) -> None:
        self.health = health
        self.health_changed.emit(health)
