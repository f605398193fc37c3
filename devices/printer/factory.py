"""``open_printer``: the ticket printer that a URI in the settings names."""

from __future__ import annotations

from functools import partial

from devices.printer.escpos_job import prepare_escpos
from devices.printer.escpos_printer import EscposTicketPrinter
from devices.printer.layout import paper_dots
from devices.printer.null_printer import NullTicketPrinter
from devices.printer.png_printer import PngTicketPrinter
from devices.printer.protocol import TicketPrinter
from devices.printer.uri import FileTarget, NoPrinter, PngTarget, parse_printer_uri


def open_printer(uri: str, *, paper_width_mm: int = 80, timeout_s: float = 5.0) -> TicketPrinter:
    """The printer at ``uri``; nothing is connected until the first job.

    Args:
        uri: ``tcp://HOST:9100``, ``usb://VID:PID``, ``serial:///dev/ttyUSB0?baudrate=9600``,
            ``file:///path``, ``png:///dir`` or ``none`` (see :mod:`devices.printer.uri`).
        paper_width_mm: 58 (384 dots) or 80 (576 dots).
        timeout_s: The longest wait for any connect, write or status answer.

    Raises:
        BadPrinterUri: The address is not understood (the message lists the forms).
        ConfigError: A paper width other than 58 or 80 mm.
        PrinterOffline: The library a USB or serial printer needs is not installed.
    """
    target = parse_printer_uri(uri)
    width = paper_dots(paper_width_mm)
    if isinstance(target, NoPrinter):
        return NullTicketPrinter()
    if isinstance(target, PngTarget):
        return PngTicketPrinter(uri, target.directory, width)
    prepare_escpos()
    from devices.printer import connections  # python-escpos: only once a printer is wanted

    link = connections.make_link(target, uri, timeout_s)  # fails early on a missing library
    link.close()
    check_status = not isinstance(target, FileTarget) and target.status
    return EscposTicketPrinter(
        uri,
        partial(connections.make_link, target, uri, timeout_s),
        width,
        check_status=check_status,
        timeout_s=timeout_s,
    )
