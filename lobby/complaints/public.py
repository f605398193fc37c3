"""A complaint as its customer may see it on the web: no description, no contact.

The link on the receipt carries the reference and a signature made with the
branch's secret, so a guessed reference shows nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.errors import InvalidInput, NotFound
from lobby.models import Complaint
from lobby.views import JsonView

_SIGNATURE_CHARS = 8
#: The complaint page's path before the signed reference, ``/c/``.
LINK_PATH = "/c/"


@dataclass(frozen=True)
class ComplaintStatus(JsonView):
    """What the complaint's status page shows.

    Attributes:
        reference: The receipt's reference.
        category: The complaint's category code.
        status: ``new``, ``in_progress``, ``resolved`` or ``informed``.
        created_at: When it was filed.
        answer_due: The date the branch answers by.
        resolution: How it was resolved (empty before).
        resolved_at: When it was resolved.
    """

    reference: str
    category: str
    status: str
    created_at: datetime
    answer_due: datetime
    resolution: str
    resolved_at: datetime | None


def _signature(secret: str, reference: str) -> str:
    body = f"COMPLAINT:{reference.upper()}"
    digest = hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:_SIGNATURE_CHARS]


def signed_reference(secret: str, reference: str) -> str:
    """``REFERENCE.SIGNATURE``: the key of the complaint's status page."""
    return f"{reference.upper()}.{_signature(secret, reference)}"


def complaint_link(base_url: str | None, secret: str, reference: str) -> str:
    """What the receipt's QR holds: the status page's link, or the bare reference."""
    if not base_url:
        return reference
    return f"{base_url.rstrip('/')}{LINK_PATH}{signed_reference(secret, reference)}"


def verify_reference(secret: str, signed: str) -> str:
    """The reference in a signed key.

    Raises:
        InvalidInput: The signature is missing or does not match.
    """
    reference, _, signature = signed.strip().upper().rpartition(".")
    if not reference or not hmac.compare_digest(_signature(secret, reference), signature):
        raise InvalidInput("the complaint link does not check out")
    return reference


def complaint_status(session: Session, reference: str) -> ComplaintStatus:
    """The public status of complaint ``reference``.

    Raises:
        NotFound: No complaint has this reference.
    """
    row = session.scalar(select(Complaint).where(Complaint.reference == reference.upper()))
    if row is None:
        raise NotFound(f"no complaint {reference}")
    return ComplaintStatus(
        reference=row.reference,
        category=row.category,
        status=row.status,
        created_at=row.created_at,
        answer_due=row.answer_due,
        resolution=row.resolution if row.status in ("resolved", "informed") else "",
        resolved_at=row.resolved_at,
    )
