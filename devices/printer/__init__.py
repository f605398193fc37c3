"""Ticket printers: ESC/POS over network, USB, serial or a device file; PNG; none.

Importing this package does not import python-escpos, pyusb or pyserial; they are
loaded when a printer that needs them is opened. Typical use::

    printer = open_printer(settings.printer, paper_width_mm=settings.paper_width_mm,
                           timeout_s=settings.printer_timeout_s)
    with PrintQueue(printer) as queue:
        future = queue.print_ticket(printable_ticket(session, view.id, view.code))

Failures are :class:`PrinterError` subclasses (CLI exit code 5) with a message in
Chinese and English; a bad address is :class:`BadPrinterUri` (exit code 2).
"""

from devices.printer.errors import (
    BadPrinterUri,
    CoverOpen,
    PaperOut,
    PrinterError,
    PrinterOffline,
    PrinterTimeout,
    PrinterUnreachable,
)
from devices.printer.factory import open_printer
from devices.printer.print_queue import PrintQueue
from devices.printer.protocol import TicketPrinter
from devices.printer.status import PaperState, PrinterState, PrinterStatus

__all__ = [
    "BadPrinterUri",
    "CoverOpen",
    "PaperOut",
    "PaperState",
    "PrintQueue",
    "PrinterError",
    "PrinterOffline",
    "PrinterState",
    "PrinterStatus",
    "PrinterTimeout",
    "PrinterUnreachable",
    "TicketPrinter",
    "open_printer",
]
