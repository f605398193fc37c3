"""The printer for machines that print nothing (``printer = none``)."""

from __future__ import annotations

from devices.printer.status import PrinterStatus
from lobby.receipt_print import PrintableReceipt
from lobby.ticket_print import PrintableTicket


class NullTicketPrinter:
    """Accepts every job and prints nothing."""

    uri = "none"

    def print_ticket(self, ticket: PrintableTicket) -> None:
        """Do nothing."""

    def print_receipt(self, receipt: PrintableReceipt) -> None:
        """Do nothing."""

    def print_test_page(self, branch_zh: str, branch_en: str) -> None:
        """Do nothing."""

    def status(self) -> PrinterStatus:
        """Unknown: there is no printer."""
        return PrinterStatus("unknown", "no printer configured")

    def close(self) -> None:
        """Nothing to release."""
