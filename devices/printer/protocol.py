"""The ticket printer as the apps see it, whatever the hardware."""

from __future__ import annotations

from typing import Protocol

from devices.printer.status import PrinterStatus
from lobby.receipt_print import PrintableReceipt
from lobby.ticket_print import PrintableTicket


class TicketPrinter(Protocol):
    """Prints tickets. Calls block on I/O: run them off the GUI thread (``PrintQueue``).

    Every method that prints raises a :class:`~devices.printer.errors.PrinterError`
    subclass when the ticket did not come out; the ticket itself is untouched.
    """

    def print_ticket(self, ticket: PrintableTicket) -> None:
        """Print one ticket and cut it."""

    def print_receipt(self, receipt: PrintableReceipt) -> None:
        """Print one complaint receipt and cut it."""

    def print_test_page(self, branch_zh: str, branch_en: str) -> None:
        """Print a page that shows the paper width, the fonts and a QR code."""

    def status(self) -> PrinterStatus:
        """Ask the printer how it is; never raises for a device problem."""

    def close(self) -> None:
        """Release what the printer holds; printing afterwards is an error."""
