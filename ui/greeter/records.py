"""Plain data of the greeter's actions (triage, tickets, complaints) and the receipt read.

Widgets get these frozen dataclasses, never ORM rows or sessions. The services and
their queues come from :mod:`lobby.service_list`; the queries run in a worker
thread inside one short read transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.clock import zone
from lobby.models import Branch, Complaint
from lobby.receipt_print import PrintableReceipt, printable_receipt
from lobby.ticket_print import PrintableTicket
from lobby.views import TicketView, masked


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


@dataclass(frozen=True)
class ComplaintReceipt:
    """A recorded complaint as the customer is told about it, on screen and on paper."""

    reference: str
    category: str
    follow_up: str
    contact_masked: str | None
    filed_local: datetime
    answer_due_local: datetime
    branch_zh: str
    branch_en: str
    printable: PrintableReceipt


def read_receipt(
    session: Session, reference: str, base_url: str | None = None
) -> ComplaintReceipt:
    """The receipt of the complaint ``reference``, with times in the branch's time zone.

    With ``base_url`` (``lobby web``'s address) its QR links to the status page.
    """
    branch = session.get_one(Branch, 1)
    complaint = session.scalars(select(Complaint).where(Complaint.reference == reference)).one()
    local = zone(branch.timezone)
    return ComplaintReceipt(
        reference=complaint.reference,
        category=complaint.category,
        follow_up=complaint.wished_follow_up,
        contact_masked=masked(complaint.contact),
        filed_local=complaint.created_at.astimezone(local),
        answer_due_local=complaint.answer_due.astimezone(local),
        branch_zh=branch.name_zh,
        branch_en=branch.name_en,
        printable=printable_receipt(session, reference, base_url),
    )
