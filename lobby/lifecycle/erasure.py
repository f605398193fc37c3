"""Erasing personal data where it lives, and only there.

What goes: visit phone numbers and greeter notes, teller notes on tickets (follow-up,
transfer), rating comments, appointment names and phones, complaint contacts, texts,
resolutions and notes. What stays: every time, service, category, state, outcome,
counter, staff code, score and status, so the reports count exactly as before.
The journal is never touched (personal data does not enter it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from lobby.models import Appointment, Complaint, ComplaintNote, Rating, Ticket, Visit


@dataclass
class Erased:
    """Rows whose personal data was (or, in a dry run, would be) erased, per table."""

    visits: int = 0
    tickets: int = 0
    ratings: int = 0
    appointments: int = 0
    complaints: int = 0
    complaint_notes: int = 0
    dry_run: bool = field(default=False, compare=False)

    @property
    def total(self) -> int:
        """All rows."""
        return sum(v for k, v in asdict(self).items() if k != "dry_run")

    def to_json(self) -> dict[str, Any]:
        """Plain JSON values (counts only: what was erased is gone)."""
        return asdict(self)


@dataclass(frozen=True)
class _Target:
    model: type[Any]
    key: InstrumentedAttribute[Any]
    holds_data: ColumnElement[bool]
    blank: dict[str, Any]


_VISITS = _Target(Visit, Visit.id, or_(Visit.phone.is_not(None), Visit.note != ""),
                  {"phone": None, "note": ""})  # fmt: skip
_TICKETS = _Target(
    Ticket, Ticket.visit_id,
    or_(Ticket.follow_up.is_not(None), Ticket.transfer_note.is_not(None)),
    {"follow_up": None, "transfer_note": None},
)  # fmt: skip
_RATINGS = _Target(Rating, Rating.visit_id, Rating.comment != "", {"comment": ""})
_APPOINTMENTS = _Target(
    Appointment, Appointment.id,
    or_(Appointment.customer != "", Appointment.phone.is_not(None)),
    {"customer": "", "phone": None},
)  # fmt: skip
_COMPLAINTS = _Target(
    Complaint, Complaint.id,
    or_(Complaint.description != "", Complaint.contact.is_not(None), Complaint.resolution != ""),
    {"description": "", "contact": None, "resolution": ""},
)  # fmt: skip
_NOTES = _Target(ComplaintNote, ComplaintNote.complaint_id, ComplaintNote.text != "",
                 {"text": ""})  # fmt: skip


def _apply(session: Session, target: _Target, ids: Select[Any], dry_run: bool) -> int:
    where = (target.key.in_(ids), target.holds_data)
    if dry_run:
        return int(
            session.scalar(select(func.count()).select_from(target.model).where(*where)) or 0
        )
    result = session.execute(
        update(target.model).where(*where).values(**target.blank),
        execution_options={"synchronize_session": False},
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def erase(
    session: Session,
    *,
    visits: Select[Any] | None = None,
    appointments: Select[Any] | None = None,
    complaints: Select[Any] | None = None,
    dry_run: bool = False,
) -> Erased:
    """Erase the personal data of the rows whose ids the selects give.

    Args:
        session: A write transaction (a read one will do for ``dry_run``).
        visits: Ids of visits (their tickets and ratings go with them).
        appointments: Ids of appointments.
        complaints: Ids of complaints (their notes go with them).
        dry_run: Count what would be erased and change nothing.
    """
    done = Erased(dry_run=dry_run)
    # dependent rows first: a select may find its rows by the very data being erased
    if complaints is not None:
        done.complaint_notes = _apply(session, _NOTES, complaints, dry_run)
        done.complaints = _apply(session, _COMPLAINTS, complaints, dry_run)
    if visits is not None:
        done.tickets = _apply(session, _TICKETS, visits, dry_run)
        done.ratings = _apply(session, _RATINGS, visits, dry_run)
        done.visits = _apply(session, _VISITS, visits, dry_run)
    if appointments is not None:
        done.appointments = _apply(session, _APPOINTMENTS, appointments, dry_run)
    return done
