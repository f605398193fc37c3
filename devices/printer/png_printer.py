"""A printer without paper: each ticket becomes a PNG (previews, screen-only kiosks)."""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

from PIL import Image

from devices.printer.errors import PrinterOffline
from devices.printer.layout import render_receipt, render_test_page, render_ticket
from devices.printer.status import PrinterStatus
from lobby.receipt_print import PrintableReceipt
from lobby.ticket_print import PrintableTicket

#: Dots per inch of the printers the image stands for, stored in the PNG.
DPI = 203


class PngTicketPrinter:
    """Writes ``<number>.png`` (a receipt ``<reference>.png``, the test page ``test-page.png``).

    The picture is exactly what an ESC/POS printer would print. Files appear
    complete or not at all (written aside, then renamed), so a kiosk that watches
    the directory never shows half a ticket; a reprint replaces the file.
    """

    def __init__(self, uri: str, directory: Path, width: int) -> None:
        """Print to ``directory`` (created when first needed) at ``width`` dots."""
        self.uri = uri
        self.directory = directory
        self.width = width

    def print_ticket(self, ticket: PrintableTicket) -> None:
        """Write the ticket's picture."""
        try:
            self._save(render_ticket(ticket, self.width), self.path_for(ticket.number).name)
        except PrinterOffline as exc:
            raise exc.for_ticket(ticket.number) from exc

    def print_receipt(self, receipt: PrintableReceipt) -> None:
        """Write the complaint receipt's picture."""
        try:
            self._save(render_receipt(receipt, self.width), self.path_for(receipt.reference).name)
        except PrinterOffline as exc:
            raise exc.for_ticket(receipt.reference) from exc

    def print_test_page(self, branch_zh: str, branch_en: str) -> None:
        """Write the test page's picture."""
        now = datetime.now().astimezone()
        self._save(render_test_page(branch_zh, branch_en, self.width, now), "test-page.png")

    def status(self) -> PrinterStatus:
        """Unknown: an image file has no paper."""
        return PrinterStatus("unknown", f"images in {self.directory}")

    def close(self) -> None:
        """Nothing to release."""

    def path_for(self, number: str) -> Path:
        """Where the ticket ``number`` is written."""
        return self.directory / f"{re.sub(r'[^A-Za-z0-9-]', '_', number)}.png"

    def _save(self, picture: Image.Image, name: str) -> None:
        partial = self.directory / f".{name}.partial"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            picture.save(partial, format="PNG", dpi=(DPI, DPI))
            os.replace(partial, self.directory / name)
        except OSError as exc:
            raise PrinterOffline(self.uri, f"cannot write {name}: {exc.strerror or exc}") from None
