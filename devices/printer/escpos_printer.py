"""Printing on ESC/POS printers: one connection per job, health checked around it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from PIL import Image

from devices.printer import status_bytes as sb
from devices.printer.errors import (
    CoverOpen,
    PaperOut,
    PrinterError,
    PrinterOffline,
    PrinterTimeout,
    PrinterUnreachable,
)
from devices.printer.escpos_job import raster_job
from devices.printer.layout import render_receipt, render_test_page, render_ticket
from devices.printer.link import Link
from devices.printer.status import PrinterStatus
from lobby.receipt_print import PrintableReceipt
from lobby.ticket_print import PrintableTicket

log = logging.getLogger(__name__)

NO_STATUS = "status not available (a device file, or status=off)"
#: The longest wait for an answer to a status query before a job: many print servers
#: and one-way lines never answer, and their jobs must not wait the full time limit.
STATUS_WAIT_S = 1.0


class EscposTicketPrinter:
    """A :class:`~devices.printer.protocol.TicketPrinter` for ESC/POS printers.

    Each job opens its own connection, so a printer that was switched off and on
    between tickets needs no reconnecting and other machines may print in between.
    Where the line can read (network, USB, serial) and status checks are on, a job

    1. asks whether the printer is online and has paper, waiting a short while
       (``status_wait_s``) for each answer; it refuses when the printer says it
       cannot print, and prints anyway when no answer or no readable one comes
       (state ``unknown``);
    2. sends the ticket as one raster job;
    3. if the printer answered before, asks for the paper status again: the answer
       proves that the printer took every byte, and paper that ran out mid-ticket
       is reported. Before that (and for a printer that never answers, instead) it
       waits, while the printer keeps taking data, until the line has taken every byte.
    """

    def __init__(
        self,
        uri: str,
        connect: Callable[[], Link],
        width: int,
        *,
        check_status: bool,
        timeout_s: float = 5.0,
        status_wait_s: float = STATUS_WAIT_S,
    ) -> None:
        """Prepare the printer; nothing is opened until a job is sent.

        Args:
            uri: The printer address, for messages.
            connect: Makes a fresh, unopened connection.
            width: Printable width in dots (384 or 576).
            check_status: Ask the printer for its status around each job.
            timeout_s: The connection's time limit (the wait for the answer after a job).
            status_wait_s: The wait for each answer before a job (at most ``timeout_s``).
        """
        self.uri = uri
        self.width = width
        self._connect = connect
        self._check_status = check_status
        self._timeout_s = timeout_s
        self._status_wait_s = min(status_wait_s, timeout_s)
        self._lock = threading.Lock()
        self._closed = False

    def print_ticket(self, ticket: PrintableTicket) -> None:
        """Print ``ticket``; on failure the error names the ticket to reprint."""
        try:
            self._print(render_ticket(ticket, self.width))
        except PrinterError as exc:
            raise exc.for_ticket(ticket.number) from exc

    def print_receipt(self, receipt: PrintableReceipt) -> None:
        """Print a complaint receipt; on failure the error names its reference."""
        try:
            self._print(render_receipt(receipt, self.width))
        except PrinterError as exc:
            raise exc.for_ticket(receipt.reference) from exc

    def print_test_page(self, branch_zh: str, branch_en: str) -> None:
        """Print the test page with the time of printing."""
        now = datetime.now().astimezone()
        self._print(render_test_page(branch_zh, branch_en, self.width, now))

    def status(self) -> PrinterStatus:
        """Ask the printer; problems come back as the status, not as errors."""
        if not self._check_status:
            return PrinterStatus("unknown", NO_STATUS)
        try:
            with self._lock:
                link = self._open()
                try:
                    return self._health(link)
                finally:
                    link.close()
        except PrinterUnreachable as exc:
            return PrinterStatus("unreachable", exc.detail)
        except PrinterError as exc:  # the line broke or stalled while asking
            return PrinterStatus("unknown", exc.detail)

    def close(self) -> None:
        """Refuse further jobs (connections are closed after each job already)."""
        self._closed = True

    def _print(self, picture: Image.Image) -> None:
        job = raster_job(picture, self.width)
        with self._lock:
            link = self._open()
            try:
                before = self._health(link) if self._check_status else None
                if before is not None:
                    self._refuse_unless_ready(before)
                link.send(job)
                link.drain()
                if before is not None and before.state != "unknown":
                    self._confirm_delivery(link)
            finally:
                link.close()

    def _open(self) -> Link:
        if self._closed:
            raise RuntimeError(f"printer {self.uri} is closed")
        link = self._connect()
        link.open()
        return link

    def _health(self, link: Link) -> PrinterStatus:
        wait = self._status_wait_s
        online = link.ask(sb.PRINTER, wait)
        if online is None:
            return PrinterStatus("unknown", f"no answer to the status query within {wait:g} s")
        if not sb.is_status_byte(online):
            return PrinterStatus("unknown", f"unreadable status answer 0x{online:02x}")
        paper = link.ask(sb.PAPER, wait)
        if paper is None or not sb.is_status_byte(paper):
            return PrinterStatus("unknown", "no readable answer from the paper sensor")
        reading = sb.paper_reading(paper)
        if reading == "out":
            return PrinterStatus("paper_out", "the paper sensor reports no paper")
        if sb.says_offline(online):
            cause = link.ask(sb.OFFLINE_CAUSE, wait)
            if cause is not None and sb.is_status_byte(cause) and sb.says_cover_open(cause):
                return PrinterStatus("cover_open", "the printer reports its cover open")
            return PrinterStatus("offline", "the printer reports offline (an error or a jam)")
        if reading == "near_end":
            return PrinterStatus("paper_near_end", "paper near its end")
        return PrinterStatus("ready")

    def _refuse_unless_ready(self, status: PrinterStatus) -> None:
        if status.state == "paper_out":
            raise PaperOut(self.uri, status.detail)
        if status.state == "cover_open":
            raise CoverOpen(self.uri, status.detail)
        if status.state == "offline":
            raise PrinterOffline(self.uri, status.detail)
        if status.state == "paper_near_end":
            log.warning("%s: paper is near its end", self.uri)
        elif status.state == "unknown":
            log.info("%s: status unknown (%s); printing anyway", self.uri, status.detail)

    def _confirm_delivery(self, link: Link) -> None:
        # The printer works through the job before it answers: allow the full time limit.
        paper = link.ask(sb.PAPER, self._timeout_s)
        if paper is None:
            raise PrinterTimeout(
                self.uri, f"no answer to a status query within {self._timeout_s:g} s"
            )
        if sb.is_status_byte(paper) and sb.paper_reading(paper) == "out":
            raise PaperOut(self.uri, "paper ran out while printing; the ticket may be cut short")
