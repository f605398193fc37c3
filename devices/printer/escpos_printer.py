"""Printing on ESC/POS printers: one connection per job, health checked around it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from PIL import Image

from devices.printer.errors import PaperOut, PrinterError, PrinterOffline, PrinterTimeout
from devices.printer.escpos_job import raster_job
from devices.printer.layout import render_receipt, render_test_page, render_ticket
from devices.printer.link import Link
from devices.printer.status import PaperState, PrinterStatus
from lobby.receipt_print import PrintableReceipt
from lobby.ticket_print import PrintableTicket

log = logging.getLogger(__name__)

#: python-escpos's ``paper_status()`` codes.
PAPER: dict[int, PaperState] = {2: "ok", 1: "near_end", 0: "out"}
NO_STATUS = "status not available (a device file, or status=off)"
_NOTES: dict[object, str] = {
    "out": "no paper",
    "near_end": "paper near its end",
    False: "the printer reports offline: cover open or an error",
}


class EscposTicketPrinter:
    """A :class:`~devices.printer.protocol.TicketPrinter` for ESC/POS printers.

    Each job opens its own connection, so a printer that was switched off and on
    between tickets needs no reconnecting and other machines may print in between.
    Where the line can read (network, USB, serial) and status checks are on, a job

    1. asks whether the printer is online and has paper, and refuses if not;
    2. sends the ticket as one raster job;
    3. asks for the paper status again: the answer proves that the printer took
       every byte, and paper that ran out mid-ticket is reported.
    """

    def __init__(
        self, uri: str, connect: Callable[[], Link], width: int, *, check_status: bool
    ) -> None:
        """Prepare the printer; nothing is opened until a job is sent.

        Args:
            uri: The printer address, for messages.
            connect: Makes a fresh, unopened connection.
            width: Printable width in dots (384 or 576).
            check_status: Ask the printer for its status around each job.
        """
        self.uri = uri
        self.width = width
        self._connect = connect
        self._check_status = check_status
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
            return PrinterStatus(None, None, NO_STATUS)
        try:
            with self._lock:
                link = self._open()
                try:
                    online, paper = link.is_online(), PAPER[link.paper_status()]
                finally:
                    link.close()
        except PrinterTimeout as exc:
            return PrinterStatus(None, None, exc.detail)
        except PrinterOffline as exc:
            return PrinterStatus(False, None, exc.detail)
        return PrinterStatus(online, paper, _NOTES.get(paper, "") or _NOTES.get(online, ""))

    def close(self) -> None:
        """Refuse further jobs (connections are closed after each job already)."""
        self._closed = True

    def _print(self, picture: Image.Image) -> None:
        job = raster_job(picture, self.width)
        with self._lock:
            link = self._open()
            try:
                if self._check_status:
                    self._require_ready(link)
                link.send(job)
                if self._check_status and PAPER[link.paper_status()] == "out":
                    raise PaperOut(
                        self.uri, "paper ran out while printing; the ticket may be cut short"
                    )
            finally:
                link.close()

    def _open(self) -> Link:
        if self._closed:
            raise RuntimeError(f"printer {self.uri} is closed")
        link = self._connect()
        link.open()
        return link

    def _require_ready(self, link: Link) -> None:
        online = link.is_online()
        paper = PAPER[link.paper_status()]
        if paper == "out":
            raise PaperOut(self.uri, "the paper sensor reports no paper")
        if not online:
            raise PrinterOffline(self.uri, "the printer reports offline: cover open or an error")
        if paper == "near_end":
            log.warning("%s: paper is near its end", self.uri)
