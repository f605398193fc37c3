"""The customer's side: triage confirmation, satisfaction ratings and complaints.

Complaints live in :mod:`lobby.complaints`; their filing is re-exported here for the
greeter and older callers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.access import RATING_PAD, Op, authorise
from lobby.complaints import (
    COMPLAINT_CATEGORIES,
    COMPLAINT_STATUSES,
    FOLLOW_UP_CHANNELS,
    MAX_TEXT,
    file_complaint,
    update_complaint,
)
from lobby.db import UnitOfWork
from lobby.engine.common import ticket_by_number, ticket_view
from lobby.errors import InvalidInput, PermissionDenied
from lobby.models import Rating, Staff, Ticket, Visit
from lobby.phone import normalize_phone
from lobby.states import TicketState
from lobby.views import VisitView, masked
from lobby.vocabulary import EventKind

__all__ = [
    "COMPLAINT_CATEGORIES",
    "COMPLAINT_STATUSES",
    "FOLLOW_UP_CHANNELS",
    "MAX_TEXT",
    "confirm_details",
    "file_complaint",
    "rate_visit",
    "update_complaint",
    "visit_of",
    "visit_view",
]


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
        created_at=visit.created_at,
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
    authorise(uow, Op.CONFIRM)
    ticket = ticket_by_number(uow, number)
    visit = ticket.visit
    changes: dict[str, object] = {}
    if note is not None and note.strip() != visit.note:
        visit.note, changes["note"] = note.strip(), True  # the text stays off the journal
    if phone is not None:
        stored = normalize_phone(phone) if phone.strip() else None
        if stored != visit.phone:
            visit.phone = stored
            changes["phone"] = True
    if documents is not None:
        known = {d["key"] for d in ticket.service.documents}
        unknown = [d for d in documents if d not in known]
        if unknown:
            raise InvalidInput(f"service {ticket.service.code} has no document {unknown[0]!r}")
        visit.documents_checked = changes["documents"] = list(documents)
    visit.confirmed_at, visit.confirmed_by = uow.now, uow.actor
    uow.record(
        EventKind.DETAILS_CONFIRMED,
        ticket_id=ticket.id,
        counter_id=ticket.counter_id,
        payload={"number": ticket.number, "changes": changes},
    )
    return visit_of(uow, number)


#: How long after a finish the counter's pad may still rate it (its question times out
#: after 30 s; the rest is room for a slow network).
PAD_RATING_WINDOW = timedelta(minutes=5)


def _check_pad_may_rate(uow: UnitOfWork, ticket: Ticket) -> None:
    """Refuse unless ``ticket`` is the one just finished at the pad's own counter."""
    pad, counter_id = uow.actor, uow.principal.counter_id
    if counter_id is None:
        raise PermissionDenied(
            f"rating pad {pad} is not bound to a counter: a manager enrols it again "
            f"with `lobby device-enrol {pad} --role rating_pad --counter N`"
        )
    if ticket.counter_id != counter_id:
        raise PermissionDenied(
            f"rating pad {pad} rates only its own counter's customers, not ticket {ticket.number}"
        )
    latest = uow.session.scalar(
        select(Ticket.id)
        .where(Ticket.counter_id == counter_id, Ticket.state == TicketState.DONE.value)
        .order_by(Ticket.ended_at.desc(), Ticket.id.desc())
        .limit(1)
    )
    ended = ticket.ended_at
    if latest != ticket.id or ended is None or uow.now - ended > PAD_RATING_WINDOW:
        raise PermissionDenied(
            f"ticket {ticket.number} is not the visit just finished at rating pad {pad}'s counter"
        )


def rate_visit(uow: UnitOfWork, number: str, score: int, comment: str = "") -> None:
    """Record the customer's 1-5 rating of their visit (once per visit).

    The rating is the customer's: it comes from a rating pad or the customer's own
    screen (a device actor), never from a staff member's sign-in. A rating pad is
    bound to its counter and rates only the ticket just finished there (the latest,
    within :data:`PAD_RATING_WINDOW`), so a pad cannot rate anyone else's visit.

    Raises:
        PermissionDenied: The actor is a staff member, or a rating pad rating a ticket
            that is not the one just finished at its own counter.
        InvalidInput: A score outside 1-5, an unfinished ticket, a visit already rated.
    """
    if uow.session.scalar(select(Staff.id).where(Staff.code == uow.actor)) is not None:
        raise PermissionDenied(
            f"a rating comes from the customer (rating pad or the customer's screen), "
            f"not from the staff sign-in {uow.actor}"
        )
    authorise(uow, Op.RATE)
    if not 1 <= score <= 5:
        raise InvalidInput("a rating is a whole number from 1 to 5")
    if len(comment) > MAX_TEXT:
        raise InvalidInput(f"the comment is longer than {MAX_TEXT} characters")
    ticket = ticket_by_number(uow, number)
    if ticket.state != TicketState.DONE.value:
        raise InvalidInput(f"ticket {ticket.number} is not finished yet")
    if uow.principal.role == RATING_PAD:
        _check_pad_may_rate(uow, ticket)
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
        EventKind.VISIT_RATED,
        ticket_id=ticket.id,
        counter_id=ticket.counter_id,
        payload={"number": ticket.number, "score": score},
    )
