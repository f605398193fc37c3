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

    def is_online(self) -> bool:
        """Ask the printer whether it is online (``DLE EOT 1``)."""

    def paper_status(self) -> int:
        """Ask the paper sensor (``DLE EOT 4``): 2 plenty, 1 near the end, 0 out."""

    def close(self) -> None:
        """Release the connection."""
