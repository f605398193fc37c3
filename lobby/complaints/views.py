"""Complaints as the manager's screens show them: plain views, the list and its filters."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from lobby.complaints.rules import COMPLAINT_CATEGORIES, COMPLAINT_STATUSES, TRANSITIONS, choice
from lobby.errors import InvalidInput, NotFound
from lobby.manager_auth import require_manager
from lobby.models import Complaint, ComplaintNote, Staff, Ticket
from lobby.views import JsonView, masked


@dataclass(frozen=True)
class ComplaintNoteView(JsonView):
    """One note on a complaint."""

    at: datetime
    author: str
    text: str


@dataclass(frozen=True)
class ComplaintView(JsonView):
    """A complaint with everything the manager's screen shows.

    Attributes:
        time_left_s: Seconds until ``answer_due`` at the time of reading; negative
            when overdue; ``None`` once the customer is informed.
        overdue: Not yet informed and past ``answer_due``.
        answered_late: Informed after ``answer_due``.
        time_to_resolve_s: From filing to resolution, when resolved.
        allowed: The statuses it may move to next.
    """

    reference: str
    category: str
    description: str
    status: str
    contact: str | None  # always None here: see lobby.complaints.reveal_contact
    contact_masked: str | None
    wished_follow_up: str
    ticket: str | None
    created_at: datetime
    created_by: str
    updated_at: datetime
    answer_due: datetime
    assigned_to: str | None
    assigned_name: str | None
    resolution: str
    resolved_at: datetime | None
    informed_at: datetime | None
    informed_channel: str | None
    notes: tuple[ComplaintNoteView, ...]
    time_left_s: float | None
    overdue: bool
    answered_late: bool
    time_to_resolve_s: float | None
    allowed: tuple[str, ...]


@dataclass(frozen=True)
class ComplaintQuery:
    """Filters of the complaint list; every one left empty matches all.

    Attributes:
        statuses: Any of these statuses.
        category: This category.
        assignee: Assigned to this staff code; ``"-"`` for unassigned.
        overdue: Only overdue ones (True) or only those not overdue (False).
        since: Filed at or after.
        until: Filed before.
        text: Case-insensitive part of the reference, description, resolution or a note.
        limit: At most this many, newest first.
    """

    statuses: tuple[str, ...] = ()
    category: str | None = None
    assignee: str | None = None
    overdue: bool | None = None
    since: datetime | None = None
    until: datetime | None = None
    text: str | None = None
    limit: int = 500


def complaint_view(session: Session, complaint: Complaint, now: datetime) -> ComplaintView:
    """The plain view of one complaint row at ``now``."""
    return _views(session, [complaint], now)[0]


def _views(session: Session, rows: Sequence[Complaint], now: datetime) -> list[ComplaintView]:
    ids = [c.id for c in rows]
    notes: dict[int, list[ComplaintNoteView]] = {i: [] for i in ids}
    if ids:
        for note in session.scalars(
            select(ComplaintNote)
            .where(ComplaintNote.complaint_id.in_(ids))
            .order_by(ComplaintNote.id)
        ):
            notes[note.complaint_id].append(ComplaintNoteView(note.at, note.author, note.text))
    codes = {c.assigned_to for c in rows if c.assigned_to}
    names = (
        dict(session.execute(select(Staff.code, Staff.name).where(Staff.code.in_(codes))).all())
        if codes
        else {}
    )
    visits = {c.visit_id for c in rows if c.visit_id is not None}
    tickets: dict[int, str] = {}
    if visits:
        for visit_id, number in session.execute(
            select(Ticket.visit_id, Ticket.number).where(
                Ticket.visit_id.in_(visits), Ticket.hop == 0
            )
        ):
            tickets[visit_id] = number
    return [_view(c, now, notes[c.id], names, tickets) for c in rows]


def _view(
    c: Complaint,
    now: datetime,
    notes: Iterable[ComplaintNoteView],
    names: dict[str, str],
    tickets: dict[int, str],
) -> ComplaintView:
    informed = c.informed_at is not None
    return ComplaintView(
        reference=c.reference,
        category=c.category,
        description=c.description,
        status=c.status,
        contact=None,  # shown in full only through reveal_contact, which is journalled
        contact_masked=masked(c.contact),
        wished_follow_up=c.wished_follow_up,
        ticket=tickets.get(c.visit_id) if c.visit_id is not None else None,
        created_at=c.created_at,
        created_by=c.created_by,
        updated_at=c.updated_at,
        answer_due=c.answer_due,
        assigned_to=c.assigned_to,
        assigned_name=names.get(c.assigned_to) if c.assigned_to else None,
        resolution=c.resolution,
        resolved_at=c.resolved_at,
        informed_at=c.informed_at,
        informed_channel=c.informed_channel,
        notes=tuple(notes),
        time_left_s=None if informed else (c.answer_due - now).total_seconds(),
        overdue=not informed and now > c.answer_due,
        answered_late=informed and c.informed_at is not None and c.informed_at > c.answer_due,
        time_to_resolve_s=(c.resolved_at - c.created_at).total_seconds() if c.resolved_at else None,
        allowed=TRANSITIONS.get(c.status, ()),
    )


def _filtered(query: ComplaintQuery, now: datetime) -> Select[Complaint]:
    stmt = select(Complaint)
    for status in query.statuses:
        choice("complaint status", status, COMPLAINT_STATUSES)
    if query.statuses:
        stmt = stmt.where(Complaint.status.in_(query.statuses))
    if query.category:
        choice("complaint category", query.category, COMPLAINT_CATEGORIES)
        stmt = stmt.where(Complaint.category == query.category)
    if query.assignee == "-":
        stmt = stmt.where(Complaint.assigned_to.is_(None))
    elif query.assignee:
        stmt = stmt.where(Complaint.assigned_to == query.assignee.strip().upper())
    if query.overdue is True:
        stmt = stmt.where(Complaint.status != "informed", Complaint.answer_due < now)
    elif query.overdue is False:
        stmt = stmt.where(or_(Complaint.status == "informed", Complaint.answer_due >= now))
    for bound in (query.since, query.until):
        if bound is not None and bound.tzinfo is None:
            raise InvalidInput("give dates and times with their time zone")
    if query.since is not None:
        stmt = stmt.where(Complaint.created_at >= query.since)
    if query.until is not None:
        stmt = stmt.where(Complaint.created_at < query.until)
    if query.text and query.text.strip():
        pattern = f"%{query.text.strip().lower()}%"
        noted = select(ComplaintNote.complaint_id).where(ComplaintNote.text.ilike(pattern))
        stmt = stmt.where(
            or_(
                Complaint.reference.ilike(pattern),
                Complaint.description.ilike(pattern),
                Complaint.resolution.ilike(pattern),
                Complaint.id.in_(noted),
            )
        )
    if query.limit < 1:
        raise InvalidInput("the limit must be at least 1")
    return stmt.order_by(Complaint.created_at.desc(), Complaint.id.desc()).limit(query.limit)


def list_complaints(
    session: Session, staff_code: str, now: datetime, query: ComplaintQuery | None = None
) -> tuple[ComplaintView, ...]:
    """Complaints matching ``query``, newest first (manager only).

    Raises:
        PermissionDenied: ``staff_code`` is not an active manager.
        InvalidInput: An unknown status or category, or a naive time.
    """
    require_manager(session, staff_code)
    rows = session.scalars(_filtered(query or ComplaintQuery(), now)).all()
    return tuple(_views(session, rows, now))


def get_complaint(
    session: Session, staff_code: str, reference: str, now: datetime
) -> ComplaintView:
    """One complaint by reference (manager only).

    Raises:
        PermissionDenied: ``staff_code`` is not an active manager.
        NotFound: No such complaint.
    """
    require_manager(session, staff_code)
    cleaned = reference.strip().upper()
    row = session.scalar(select(Complaint).where(Complaint.reference == cleaned))
    if row is None:
        raise NotFound(f"no complaint {cleaned}")
    return complaint_view(session, row, now)
