"""Filing a complaint and following it up: assign, move along, annotate (manager only)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select

from lobby.access import Op, authorise
from lobby.complaints.rules import (
    COMPLAINT_CATEGORIES,
    COMPLAINT_STATUSES,
    FOLLOW_UP_CHANNELS,
    INFORM_CHANNELS,
    LEGACY_STATUSES,
    MAX_TEXT,
    TRANSITIONS,
    choice,
    clean_text,
)
from lobby.complaints.views import ComplaintView, complaint_view
from lobby.db import UnitOfWork
from lobby.errors import InvalidInput, InvalidTransition, NotFound
from lobby.manager_auth import require_manager
from lobby.models import Complaint, ComplaintNote, Staff
from lobby.phone import normalize_phone
from lobby.vocabulary import EventKind

MAX_REVEAL_REASON = 200


def file_complaint(
    uow: UnitOfWork,
    *,
    category: str,
    description: str,
    contact: str | None = None,
    wished_follow_up: str = "phone",
    ticket_number: str | None = None,
) -> str:
    """Record a complaint as ``new`` and return its reference (e.g. ``C20261123-7F3A``).

    Anyone may file one (the greeter does, at the door).
    """
    authorise(uow, Op.FILE_COMPLAINT)
    choice("complaint category", category, COMPLAINT_CATEGORIES)
    text = description.strip()
    if not text:
        raise InvalidInput("a complaint needs a description of what happened")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"the description is longer than {MAX_TEXT} characters")
    choice("follow-up", wished_follow_up, FOLLOW_UP_CHANNELS)
    phone = normalize_phone(contact) if contact else None
    if wished_follow_up in ("phone", "sms") and phone is None:
        raise InvalidInput(f"a {wished_follow_up} follow-up needs a contact number")
    visit_id = None
    if ticket_number:
        # imported here: lobby.engine re-exports this module's functions
        from lobby.engine.common import ticket_by_number

        visit_id = ticket_by_number(uow, ticket_number, lock=False).visit_id
    reference = f"C{uow.today:%Y%m%d}-{secrets.token_hex(2).upper()}"
    days = int((uow.branch.policy or {}).get("complaint_answer_days", 3))
    uow.session.add(
        Complaint(
            reference=reference,
            visit_id=visit_id,
            category=category,
            description=text,
            contact=phone,
            wished_follow_up=wished_follow_up,
            status="new",
            created_at=uow.now,
            updated_at=uow.now,
            answer_due=uow.now + timedelta(days=days),
            created_by=uow.actor,
        )
    )
    uow.record(EventKind.COMPLAINT_FILED, payload={"reference": reference, "category": category})
    return reference


def _locked(uow: UnitOfWork, reference: str) -> Complaint:
    complaint = uow.session.scalar(
        select(Complaint).where(Complaint.reference == reference.strip().upper()).with_for_update()
    )
    if complaint is None:
        raise NotFound(f"no complaint {reference.strip().upper()}")
    return complaint


def _journal(uow: UnitOfWork, complaint: Complaint, **details: object) -> None:
    complaint.updated_at = uow.now
    uow.record(
        EventKind.COMPLAINT_UPDATED,
        payload={"reference": complaint.reference, "status": complaint.status, **details},
    )


def _assign(uow: UnitOfWork, complaint: Complaint, staff_code: str | None) -> None:
    code = staff_code.strip().upper() if staff_code and staff_code.strip() else None
    if code is not None:
        active = uow.session.scalar(select(Staff.id).where(Staff.code == code, Staff.active))
        if active is None:
            raise InvalidInput(f"cannot assign to {code}: no active staff member has that id")
    complaint.assigned_to = code


def _move(
    uow: UnitOfWork,
    complaint: Complaint,
    status: str,
    *,
    resolution: str = "",
    channel: str | None = None,
) -> None:
    choice("complaint status", status, COMPLAINT_STATUSES)
    if status not in TRANSITIONS[complaint.status]:
        allowed = ", ".join(TRANSITIONS[complaint.status]) or "nothing (it is finished)"
        raise InvalidTransition(
            f"complaint {complaint.reference} is {complaint.status}: it can move to {allowed}"
        )
    cleaned = clean_text("the resolution", resolution, required=False)
    if status == "resolved":
        if not (cleaned or complaint.resolution):
            raise InvalidInput(
                f"complaint {complaint.reference} needs a resolution: say how it was resolved"
            )
        complaint.resolved_at = uow.now
    if cleaned:
        complaint.resolution = cleaned
    if status == "informed":
        if channel is None:
            raise InvalidInput("say how the customer was informed: " + ", ".join(INFORM_CHANNELS))
        choice("channel", channel, INFORM_CHANNELS)
        complaint.informed_at, complaint.informed_channel = uow.now, channel
    elif channel is not None:
        raise InvalidInput("a channel is given only when the customer is informed")
    if status == "in_progress":  # a reopened complaint is no longer resolved
        complaint.resolved_at = None
    complaint.status = status


def _add_note(uow: UnitOfWork, complaint: Complaint, text: str) -> None:
    cleaned = clean_text("a note", text, required=True)
    complaint.notes.append(ComplaintNote(at=uow.now, author=uow.actor, text=cleaned))


def follow_up(
    uow: UnitOfWork,
    reference: str,
    *,
    status: str | None = None,
    resolution: str = "",
    channel: str | None = None,
    assign_to: str | None = None,
    unassign: bool = False,
    note: str | None = None,
) -> ComplaintView:
    """Assign, move along and annotate a complaint in one manager action.

    Args:
        uow: The unit of work; its actor must be an active manager.
        reference: The complaint's reference (any case).
        status: The next status (see :data:`TRANSITIONS`).
        resolution: How it was resolved; required to reach ``resolved`` unless set before.
        channel: How the customer was informed; required for ``informed`` only.
        assign_to: Staff code of the person in charge.
        unassign: Clear the assignee.
        note: A note to add.

    Raises:
        PermissionDenied: The actor is not an active manager.
        NotFound: No such complaint.
        InvalidTransition: The status may not follow the current one.
        InvalidInput: A missing resolution or channel, an unknown assignee, a bad value.
    """
    require_manager(uow, op=Op.FOLLOW_UP_COMPLAINT)
    complaint = _locked(uow, reference)
    if status is None and assign_to is None and not unassign and note is None:
        raise InvalidInput("nothing to change: give a status, an assignee or a note")
    if assign_to is not None and unassign:
        raise InvalidInput("assign or unassign, not both")
    details: dict[str, object] = {}
    if assign_to is not None or unassign:
        _assign(uow, complaint, None if unassign else assign_to)
        details["assigned_to"] = complaint.assigned_to
    if status is not None:
        before = complaint.status
        _move(uow, complaint, status, resolution=resolution, channel=channel)
        details["from"] = before
        if channel:
            details["channel"] = channel
    elif resolution.strip() or channel is not None:
        raise InvalidInput("a resolution or channel goes with a new status")
    if note is not None:
        _add_note(uow, complaint, note)
        details["note"] = True
    _journal(uow, complaint, **details)
    uow.session.flush()
    return complaint_view(uow.session, complaint, uow.now)


def assign_complaint(uow: UnitOfWork, reference: str, staff_code: str | None) -> ComplaintView:
    """Put a staff member in charge of a complaint (``None``: nobody)."""
    return follow_up(uow, reference, assign_to=staff_code, unassign=staff_code is None)


def move_complaint(
    uow: UnitOfWork,
    reference: str,
    status: str,
    *,
    resolution: str = "",
    channel: str | None = None,
) -> ComplaintView:
    """Move a complaint to ``status`` (see :func:`follow_up`)."""
    return follow_up(uow, reference, status=status, resolution=resolution, channel=channel)


def add_complaint_note(uow: UnitOfWork, reference: str, text: str) -> ComplaintView:
    """Add a dated note under the actor's name."""
    return follow_up(uow, reference, note=text)


def update_complaint(uow: UnitOfWork, reference: str, *, status: str, resolution: str = "") -> None:
    """Move a complaint along; the first schema's ``open``/``closed`` are still understood.

    Kept for older callers; prefer :func:`follow_up`. ``closed`` means informed in person.
    """
    require_manager(uow, op=Op.FOLLOW_UP_COMPLAINT)
    _locked(uow, reference)  # an unknown reference is reported before a bad status
    new = LEGACY_STATUSES.get(status, status)
    follow_up(
        uow,
        reference,
        status=new,
        resolution=resolution,
        channel="in_person" if new == "informed" else None,
    )


def reveal_contact(uow: UnitOfWork, reference: str, reason: str) -> str | None:
    """Show a complaint's full contact to a manager who must call the customer back.

    Everyone else, and every list, sees the masked number; each reveal is journalled
    (``contact_revealed``) with who asked and why.

    Returns:
        The full contact (``None`` when the customer left none).

    Raises:
        PermissionDenied: The actor is not a manager.
        InvalidInput: No reason given.
        NotFound: No such complaint.
    """
    authorise(uow, Op.REVEAL_CONTACT)
    why = reason.strip()
    if not why:
        raise InvalidInput("say why the contact is needed (e.g. the customer asked for a call)")
    if len(why) > MAX_REVEAL_REASON:
        raise InvalidInput(f"the reason is longer than {MAX_REVEAL_REASON} characters")
    complaint = _locked(uow, reference)
    uow.record(
        EventKind.CONTACT_REVEALED,
        payload={"reference": complaint.reference, "why": why},
    )
    return complaint.contact
