"""A customer's data on request: everything held about one phone number, or erasing it now.

A person is found by the number they gave: on their visits, their appointments and
their complaints (and the complaints filed from those visits). Both requests are
manager work and journalled with counts only; the journal never holds the number.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, selectinload

from lobby.access import Op
from lobby.db import UnitOfWork
from lobby.lifecycle.erasure import Erased, erase
from lobby.manager_auth import require_manager
from lobby.models import Appointment, Complaint, Rating, Ticket, Visit
from lobby.phone import normalize_phone
from lobby.vocabulary import EventKind

EXPORTED = EventKind.PERSON_EXPORTED
ERASED = EventKind.PERSON_ERASED


def _selects(phone: str) -> tuple[Select[Any], Select[Any], Select[Any]]:
    visits = select(Visit.id).where(Visit.phone == phone)
    appointments = select(Appointment.id).where(Appointment.phone == phone)
    complaints = select(Complaint.id).where(
        or_(Complaint.contact == phone, Complaint.visit_id.in_(visits))
    )
    return visits, appointments, complaints


def _when(value: datetime | date | None) -> str | None:
    return None if value is None else value.isoformat()


def person_data(session: Session, phone: str) -> dict[str, Any]:
    """Everything held about ``phone`` (E.164), as plain JSON values."""
    visit_ids, appointment_ids, complaint_ids = _selects(phone)
    ratings = {
        r.visit_id: r for r in session.scalars(select(Rating).where(Rating.visit_id.in_(visit_ids)))
    }
    visits = []
    for visit in session.scalars(
        select(Visit).where(Visit.id.in_(visit_ids)).options(selectinload(Visit.tickets))
        .order_by(Visit.id)
    ):  # fmt: skip
        rating = ratings.get(visit.id)
        visits.append({
            "day": visit.business_day.isoformat(), "arrived": _when(visit.created_at),
            "need": visit.need, "category": visit.category, "phone": visit.phone,
            "note": visit.note, "documents_checked": list(visit.documents_checked or []),
            "tickets": [_ticket(t) for t in visit.tickets],
            "rating": None if rating is None else {"score": rating.score,
                                                    "comment": rating.comment},
        })  # fmt: skip
    appointments = [
        {"code": a.code, "service": a.service.code, "due": _when(a.due_at),
         "customer": a.customer, "phone": a.phone, "status": a.status}
        for a in session.scalars(
            select(Appointment).where(Appointment.id.in_(appointment_ids)).order_by(Appointment.id)
        )
    ]  # fmt: skip
    complaints = [
        {"reference": c.reference, "category": c.category, "description": c.description,
         "contact": c.contact, "status": c.status, "resolution": c.resolution,
         "filed": _when(c.created_at), "resolved": _when(c.resolved_at),
         "notes": [{"at": _when(n.at), "text": n.text} for n in c.notes]}
        for c in session.scalars(
            select(Complaint).where(Complaint.id.in_(complaint_ids)).order_by(Complaint.id)
        )
    ]  # fmt: skip
    return {"phone": phone, "visits": visits, "appointments": appointments,
            "complaints": complaints}  # fmt: skip


def _ticket(ticket: Ticket) -> dict[str, Any]:
    return {
        "number": ticket.number, "service": ticket.service.code, "state": ticket.state,
        "issued": _when(ticket.issued_at), "called": _when(ticket.called_at),
        "ended": _when(ticket.ended_at), "outcome": ticket.outcome,
        "follow_up": ticket.follow_up, "transfer_note": ticket.transfer_note,
    }  # fmt: skip


def export_person(uow: UnitOfWork, raw_phone: str) -> dict[str, Any]:
    """What is held about a phone number; manager only, journalled (counts only).

    Raises:
        PermissionDenied: The actor is not a manager.
        InvalidInput: Not a phone number.
    """
    require_manager(uow, op=Op.PERSONAL_DATA)
    data = person_data(uow.session, normalize_phone(raw_phone))
    uow.record(EXPORTED, payload={key: len(data[key])
                                  for key in ("visits", "appointments", "complaints")})  # fmt: skip
    return data


def erase_person(uow: UnitOfWork, raw_phone: str) -> Erased:
    """Erase now every piece of personal data held with a phone number; manager only.

    Raises:
        PermissionDenied: The actor is not a manager.
        InvalidInput: Not a phone number.
    """
    require_manager(uow, op=Op.PERSONAL_DATA)
    visits, appointments, complaints = _selects(normalize_phone(raw_phone))
    # the complaints are found through the visits' phones: erase them before the visits
    done_complaints = erase(uow.session, complaints=complaints)
    done = erase(uow.session, visits=visits, appointments=appointments)
    done.complaints, done.complaint_notes = (
        done_complaints.complaints,
        done_complaints.complaint_notes,
    )
    payload = done.to_json()
    payload.pop("dry_run")
    uow.record(ERASED, payload=payload)
    return done
