"""Plain data of the greeter's actions (triage, tickets, complaints) and the receipt read.

Widgets get these frozen dataclasses, never ORM rows or sessions. The services and
their queues come from :mod:`lobby.queries.service_list`, a complaint's receipt from
:mod:`lobby.queries.receipts`; the queries run in a worker thread inside one short
read transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from lobby.queries.receipts import ComplaintReceipt
from lobby.ticket_print import PrintableTicket
from lobby.views import TicketView

__all__ = ["ComplaintForm", "ComplaintReceipt", "IssuedTicket", "Triage"]


@dataclass(frozen=True)
class Triage:
    """What the greeter recorded before issuing a ticket."""

    service: str
    category: str = "regular"
    phone: str | None = None
    note: str = ""
    documents: tuple[str, ...] = ()
    appointment_code: str | None = None


@dataclass(frozen=True)
class IssuedTicket:
    """A committed ticket and its printed content (people ahead, wait range, QR code)."""

    ticket: TicketView
    printable: PrintableTicket

    @property
    def number(self) -> str:
        """The ticket number, e.g. ``A012``."""
        return self.ticket.number


@dataclass(frozen=True)
class ComplaintForm:
    """A complaint as the greeter typed it."""

    category: str
    description: str
    contact: str | None
    follow_up: str
