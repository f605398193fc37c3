"""An open line to a printer, as the ESC/POS printer adapter uses it."""

from __future__ import annotations

from typing import Protocol


class Link(Protocol):
    """A python-escpos connection with time limits (see ``connections``).

    Attributes:
        uri: The printer address, for messages.
        can_read: Whether the printer can answer status queries on this line.
    """

    uri: str
    can_read: bool

    def open(self) -> None:
        """Connect or open the device."""

    def send(self, msg: bytes) -> None:
        """Write bytes to the printer."""

    def ask(self, kind: int, wait_s: float) -> int | None:
        """Send the status query ``DLE EOT kind``; its answer byte, None if none in ``wait_s``."""

    def drain(self) -> None:
        """Wait, within the time limit, until the printer has taken what was sent."""

    def close(self) -> None:
        """Release the connection."""
