"""The customer's side: triage confirmation, satisfaction ratings and complaints."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.db import UnitOfWork
from lobby.engine.common import ticket_by_number, ticket_view
from lobby.errors import InvalidInput, NotFound
from lobby.models import Complaint, Rating, Visit
from lobby.phone import normalize_phone
from lobby.states import TicketState
from lobby.views import VisitView, masked

COMPLAINT_CATEGORIES = ("service", "waiting", "fees", "product", "facilities", "staff", "other")
COMPLAINT_STATUSES = ("open", "in_progress", "resolved", "closed")
FOLLOW_UP_CHANNELS = ("phone", "sms", "in_person", "none")
MAX_TEXT = 2000


def visit_of(uow: UnitOfWork, number: str) -> VisitView:
    """Today's visit behind a ticket number, with its whole chain of tickets."""
    visit = uow.session.get_one(Visit, ticket_by_number(uow, number, lock=False).visit_id)
    return visit_view(uow.session, visit)


def visit_view(session: Session, visit: Visit) -> VisitView:
    """The plain view of a visit row with its chain of tickets and rating."""
    rating = session.scalar(select(Rating.score).where(Rating.visit_id == visit.id))
    return VisitView(
        id=visit.id,
        need=visit.need,
        category=visit.category,
        phone_masked=masked(visit.phone),
        note=visit.note,
        documents_checked=tuple(visit.documents_checked),
        created_by=visit.created_by,
        confirmed_by=visit.confirmed_by,
        tickets=tuple(ticket_view(t) for t in visit.tickets),
        rating=rating,
    )


def confirm_details(
    uow: UnitOfWork,
    number: str,
    *,
    note: str | None = None,
    phone: str | None = None,
    documents: Sequence[str] | None = None,
) -> VisitView:
    """The teller checks the greeter's triage, corrects what is wrong and confirms (信息确认)."""
    ticket = ticket_by_number(uow, number)
    visit = ticket.visit
    changes: dict[str, object] = {}
    if note is not None and note.strip() != visit.note:
        visit.note = changes["note"] = note.strip()
    if phone is not None:
        stored = normalize_phone(phone) if phone.strip() else None
        if stored != visit.phone:
            visit.phone = stored
            changes["phone"] = masked(stored)
    if documents is not None:
        known = {d["key"] for d in ticket.service.documents}
        unknown = [d for d in documents if d not in known]
        if unknown:
            raise InvalidInput(f"service {ticket.service.code} has no document {unknown[0]!r}")
        visit.documents_checked = changes["documents"] = list(documents)
    visit.confirmed_at, visit.confirmed_by = uow.now, uow.actor
    uow.record(
        "details_confirmed",
        ticket_id=ticket.id,
        counter_id=ticket.counter_id,
        payload={"number": ticket.number, "changes": changes},
    )
    return visit_of(uow, number)


def rate_visit(uow: UnitOfWork, number: str, score: int, comment: str = "") -> None:
    """Record the customer's 1-5 rating of their visit (once per visit)."""
    if not 1 <= score <= 5:
        raise InvalidInput("a rating is a whole number from 1 to 5")
    if len(comment) > MAX_TEXT:
        raise InvalidInput(f"the comment is longer than {MAX_TEXT} characters")
    ticket = ticket_by_number(uow, number)
    if ticket.state != TicketState.DONE.value:
        raise InvalidInput(f"ticket {ticket.number} is not finished yet")
    if uow.session.scalar(select(Rating.id).where(Rating.visit_id == ticket.visit_id)):
        raise InvalidInput(f"the visit of ticket {ticket.number} is already rated")
    uow.session.add(
        Rating(
            visit_id=ticket.visit_id,
            ticket_id=ticket.id,
            counter_id=ticket.counter_id,
            score=score,
            comment=comment.strip(),
            at=uow.now,
        )
    )
    uow.record(
        "visit_rated",
        ticket_id=ticket.id,
        counter_id=ticket.counter_id,
        payload={"number": ticket.number, "score": score},
    )


def file_complaint(
    uow: UnitOfWork,
    *,
    category: str,
    description: str,
    contact: str | None = None,
    wished_follow_up: str = "phone",
    ticket_number: str | None = None,
) -> str:
    """Record a complaint and return its reference (e.g. ``C20261123-7F3A``)."""
    if category not in COMPLAINT_CATEGORIES:
        raise InvalidInput(
            f"unknown complaint category {category!r}; choose one of: "
            + ", ".join(COMPLAINT_CATEGORIES)
        )
    text = description.strip()
    if not text:
        raise InvalidInput("a complaint needs a description of what happened")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"the description is longer than {MAX_TEXT} characters")
    if wished_follow_up not in FOLLOW_UP_CHANNELS:
        raise InvalidInput(
            f"unknown follow-up {wished_follow_up!r}; choose one of: "
            + ", ".join(FOLLOW_UP_CHANNELS)
        )
    phone = normalize_phone(contact) if contact else None
    if wished_follow_up in ("phone", "sms") and phone is None:
        raise InvalidInput(f"a {wished_follow_up} follow-up needs a contact number")
    visit_id = ticket_by_number(uow, ticket_number, lock=False).visit_id if ticket_number else None
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
            created_at=uow.now,
            updated_at=uow.now,
            answer_due=uow.now + timedelta(days=days),
            created_by=uow.actor,
        )
    )
    uow.record("complaint_filed", payload={"reference": reference, "category": category})
    return reference


def update_complaint(uow: UnitOfWork, reference: str, *, status: str, resolution: str = "") -> None:
    """Move a complaint along (in progress, resolved, closed) with a resolution note."""
    if status not in COMPLAINT_STATUSES:
        raise InvalidInput(
            f"unknown complaint status {status!r}; choose one of: " + ", ".join(COMPLAINT_STATUSES)
        )
    complaint = uow.session.scalar(
        select(Complaint).where(Complaint.reference == reference.strip().upper()).with_for_update()
    )
    if complaint is None:
        raise NotFound(f"no complaint {reference}")
    if status in ("resolved", "closed") and not (resolution.strip() or complaint.resolution):
        raise InvalidInput(f"a {status} complaint needs a resolution note")
    complaint.status, complaint.updated_at = status, uow.now
    if resolution.strip():
        complaint.resolution = resolution.strip()
    uow.record("complaint_updated", payload={"reference": complaint.reference, "status": status})
