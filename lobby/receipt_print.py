"""Everything a printed complaint receipt shows, as plain data for the printer adapters.

The receipt is the customer's proof that the branch took the complaint: its
reference (also as a QR code, so staff can scan it), the category, when it was
filed and the date by which the branch will answer, in Chinese and English.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.clock import zone
from lobby.complaints.public import complaint_link
from lobby.errors import NotFound
from lobby.models import Branch, Complaint
from lobby.views import masked

#: Complaint categories (``lobby.engine.visits.COMPLAINT_CATEGORIES``) as paper names them.
CATEGORY_NAMES: dict[str, tuple[str, str]] = {
    "service": ("服务质量", "Service quality"),
    "waiting": ("等候时间", "Waiting time"),
    "fees": ("收费", "Fees"),
    "product": ("产品", "Products"),
    "facilities": ("环境设施", "Facilities"),
    "staff": ("工作人员", "Staff"),
    "other": ("其他", "Other"),
}
#: How the customer wished to be answered (``FOLLOW_UP_CHANNELS``).
FOLLOW_UP_NAMES: dict[str, tuple[str, str]] = {
    "phone": ("电话回访", "by phone"),
    "sms": ("短信答复", "by text message"),
    "in_person": ("到网点当面答复", "in person at the branch"),
    "none": ("无需答复", "no answer wished"),
}
RECEIPT_NOTICE_ZH = "请保留本回执，查询时请出示受理编号"
RECEIPT_NOTICE_EN = "Please keep this receipt and quote its reference"


@dataclass(frozen=True)
class PrintableReceipt:
    """A complaint receipt as paper shows it; times already in the branch's local time.

    Attributes:
        reference: The complaint's reference, printed large and as the QR code.
        contact_masked: The customer's phone with the middle digits hidden, if given.
        qr: What the QR holds: the link to the complaint's status page when the
            branch has ``lobby web``, else the reference.
    """

    branch_zh: str
    branch_en: str
    reference: str
    category_zh: str
    category_en: str
    follow_up_zh: str
    follow_up_en: str
    contact_masked: str | None
    filed_local: datetime
    answer_due_local: datetime
    qr: str = ""
    notice_zh: str = RECEIPT_NOTICE_ZH
    notice_en: str = RECEIPT_NOTICE_EN

    @property
    def number(self) -> str:
        """The key print jobs go by (the reference), as for a ticket."""
        return self.reference


def printable_receipt(
    session: Session, reference: str, base_url: str | None = None
) -> PrintableReceipt:
    """Collect the printed content of the complaint ``reference``.

    With ``base_url`` (where phones reach ``lobby web``) the QR links to the
    complaint's status page.

    Raises:
        NotFound: No complaint has this reference.
    """
    complaint = session.scalars(
        select(Complaint).where(Complaint.reference == reference.strip().upper())
    ).one_or_none()
    if complaint is None:
        raise NotFound(f"no complaint {reference!r}")
    branch = session.get_one(Branch, 1)
    local = zone(branch.timezone)
    category = CATEGORY_NAMES.get(complaint.category, (complaint.category, complaint.category))
    follow_up = FOLLOW_UP_NAMES.get(
        complaint.wished_follow_up, (complaint.wished_follow_up, complaint.wished_follow_up)
    )
    return PrintableReceipt(
        branch_zh=branch.name_zh,
        branch_en=branch.name_en,
        reference=complaint.reference,
        category_zh=category[0],
        category_en=category[1],
        follow_up_zh=follow_up[0],
        follow_up_en=follow_up[1],
        contact_masked=masked(complaint.contact),
        filed_local=complaint.created_at.astimezone(local),
        answer_due_local=complaint.answer_due.astimezone(local),
        qr=complaint_link(base_url, branch.secret, complaint.reference),
    )
