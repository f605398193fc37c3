"""A recorded complaint as the customer is told about it, on screen and on paper."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.clock import zone
from lobby.models import Branch, Complaint
from lobby.receipt_print import PrintableReceipt, printable_receipt
from lobby.views import masked


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


def read_receipt(session: Session, reference: str, base_url: str | None = None) -> ComplaintReceipt:
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
