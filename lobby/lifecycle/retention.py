"""Retention: personal data is erased once its time is up (``lobby purge``, closing the day).

The times come from the branch policy's ``retention`` (see
:class:`lobby.config.RetentionConfig`), counted in closed business days: with 30
days, a visit of 1 March loses its phone number and notes when 31 March closes; with
0, when its own day closes. A visit with a ticket still open is left alone, and so is
an open complaint.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lobby.access import Op, authorise
from lobby.clock import zone
from lobby.config import RetentionConfig
from lobby.db import UnitOfWork
from lobby.lifecycle.erasure import Erased, erase
from lobby.models import Appointment, Branch, Complaint, Ticket, Visit
from lobby.reports import RESOLVED_STATUSES
from lobby.states import TicketState
from lobby.vocabulary import EventKind

PURGED = EventKind.PERSONAL_DATA_PURGED


def retention_of(branch: Branch) -> RetentionConfig:
    """The branch's retention times (the defaults where the policy names none)."""
    return RetentionConfig(**dict((branch.policy or {}).get("retention") or {}))


def _start_of(day: date, timezone: str) -> datetime:
    return datetime.combine(day, time(), zone(timezone))


def purge_expired(
    session: Session,
    branch: Branch,
    last_closed: date,
    *,
    dry_run: bool = False,
    retention: RetentionConfig | None = None,
) -> Erased:
    """Erase the personal data whose retention has run out by the close of ``last_closed``.

    Args:
        session: A write transaction (a read one for ``dry_run``).
        branch: The branch (policy and time zone).
        last_closed: The last business day that is closed.
        dry_run: Only count.
        retention: Override the branch's policy (tests, what-ifs).
    """
    keep = retention or retention_of(branch)
    final_states = [s.value for s in TicketState if s.is_final]
    visit_until = last_closed - timedelta(days=keep.visit_days)
    # not correlated: the few open tickets are read once, however long the history
    still_open = select(Ticket.visit_id).where(Ticket.state.not_in(final_states))
    visits = select(Visit.id).where(Visit.business_day <= visit_until, Visit.id.not_in(still_open))
    appointment_before = _start_of(
        last_closed - timedelta(days=keep.appointment_days - 1), branch.timezone
    )
    appointments = select(Appointment.id).where(Appointment.due_at < appointment_before)
    complaint_before = _start_of(
        last_closed - timedelta(days=keep.complaint_days - 1), branch.timezone
    )
    closed_at = func.coalesce(Complaint.informed_at, Complaint.resolved_at, Complaint.updated_at)
    complaints = select(Complaint.id).where(
        Complaint.status.in_(sorted(RESOLVED_STATUSES)), closed_at < complaint_before
    )
    return erase(session, visits=visits, appointments=appointments, complaints=complaints,
                 dry_run=dry_run)  # fmt: skip


def purge(uow: UnitOfWork, last_closed: date | None = None) -> Erased:
    """:func:`purge_expired` in a unit of work, journalled with the counts (zeros too).

    Args:
        uow: The unit of work.
        last_closed: The last closed business day; defaults to yesterday.
    """
    authorise(uow, Op.PURGE_PERSONAL_DATA)
    through = last_closed or uow.today - timedelta(days=1)
    done = purge_expired(uow.session, uow.branch, through)
    payload: dict[str, Any] = {"through": through.isoformat(), **done.to_json()}
    payload.pop("dry_run")
    uow.record(PURGED, payload=payload)
    return done
