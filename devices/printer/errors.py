"""Printer failures a greeter can act on, each said in Chinese and English.

A failed print never loses a ticket: it is already committed, stays valid and can
be reprinted (``lobby print NUMBER``). Device failures exit the CLI with code 5;
a printer address that cannot be used is a configuration error (code 2).
"""

from __future__ import annotations

from typing import ClassVar, Self

from lobby.errors import ConfigError, LobbyError
from lobby.validation import shown

ACCEPTED_URIS = (
    "usb://VID:PID, serial:///dev/ttyUSB0?baudrate=9600, tcp://HOST:9100, "
    "file:///path, png:///dir or none"
)


class PrinterError(LobbyError):
    """The printer did not print; the ticket is kept and can be reprinted.

    Attributes:
        uri: The printer address, as configured.
        detail: What went wrong, for the person who fixes the printer.
        ticket: The ticket number that was being printed, if any.
    """

    exit_code = 5
    headline: ClassVar[str] = "打印失败 / printing failed"
    #: The code the screens say it by (``lobby.error_texts``); ``str()`` keeps the detail.
    error_code: ClassVar[str] = "printer.failed"

    def __init__(self, uri: str, detail: str, *, ticket: str | None = None) -> None:
        self.uri = uri
        self.detail = detail
        self.ticket = ticket
        self.follow_up = ("printer.still_valid", {"ticket": ticket}) if ticket else None
        message = f"{self.headline} ({uri}: {detail})"
        if ticket:
            message += f"; {ticket} 仍有效，可补打 / {ticket} is still valid, reprint it"
        super().__init__(message, code=self.error_code, uri=uri)

    def for_ticket(self, number: str) -> Self:
        """The same failure, naming the ticket that was not printed."""
        return type(self)(self.uri, self.detail, ticket=number)


class PrinterOffline(PrinterError):
    """The printer cannot print now: it reports offline, or the line to it broke."""

    headline = "打印机离线 / printer offline"
    error_code = "printer.offline"


class PrinterUnreachable(PrinterOffline):
    """No connection to the printer: refused, no route, no answer, no such device."""

    headline = "无法连接打印机 / printer unreachable"
    error_code = "printer.unreachable"


class CoverOpen(PrinterOffline):
    """The printer reports its cover open."""

    headline = "打印机盖未关 / printer cover open"
    error_code = "printer.cover_open"


class PrinterTimeout(PrinterError):
    """The printer stopped answering or taking data within the time limit."""

    headline = "打印机无响应 / printer not responding"
    error_code = "printer.timeout"


class PaperOut(PrinterError):
    """The printer reports that its paper has run out."""

    headline = "打印机缺纸 / printer out of paper"
    error_code = "printer.paper_out"


class BadPrinterUri(ConfigError):
    """A printer address that is not understood; names the accepted forms."""

    def __init__(self, uri: str, reason: str) -> None:
        self.uri = uri
        self.reason = reason
        super().__init__(
            f"打印机地址无效 / bad printer address "
            f"({shown(uri, 60)}: {reason}; use {ACCEPTED_URIS})"
        )
