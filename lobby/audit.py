"""The audit view of the journal: who did what, where and when, newest first (manager only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.access import Credential, require_figures_reader
from lobby.errors import InvalidInput
from lobby.journal import event_views, journal_select
from lobby.models import Event, Ticket
from lobby.views import EventView, JsonView

MAX_PAGE = 500


@dataclass(frozen=True)
class AuditQuery:
    """Filters of the audit list; every one left empty matches all.

    Attributes:
        actor: Events by this staff id or device (case-insensitive for staff ids).
        ticket: Events of tickets with this number (on any day unless ``since``/``until``
            narrow it; a number restarts every day).
        counter: Events at this counter number.
        kinds: Any of these event kinds (e.g. ``config_changed``, ``called``).
        since: At or after this time.
        until: Before this time.
        before_id: Only events older than this id: pass the last page's ``next_before_id``.
        page_size: At most this many events per page.
    """

    actor: str | None = None
    ticket: str | None = None
    counter: int | None = None
    kinds: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    before_id: int | None = None
    page_size: int = 100


@dataclass(frozen=True)
class AuditPage(JsonView):
    """One page of the audit list.

    Attributes:
        events: Newest first.
        next_before_id: Give it as ``before_id`` for the next (older) page; ``None`` at the end.
    """

    events: tuple[EventView, ...]
    next_before_id: int | None


def search_journal(
    session: Session, reader: Credential, query: AuditQuery, now: datetime | None = None
) -> AuditPage:
    """The journal filtered by ``query``, newest first, one page at a time.

    Args:
        session: A read session.
        reader: The manager asking (their credential, checked here).
        query: The filters and page.
        now: The time the credential is checked at (default: the wall clock).

    Raises:
        AuthenticationFailed: ``reader`` does not hold.
        PermissionDenied: ``reader`` is not an active manager.
        InvalidInput: A naive time, an empty range or a page size out of bounds.
    """
    require_figures_reader(session, reader, now or datetime.now(UTC))
    if not 1 <= query.page_size <= MAX_PAGE:
        raise InvalidInput(f"a page holds 1 to {MAX_PAGE} events")
    for bound in (query.since, query.until):
        if bound is not None and bound.tzinfo is None:
            raise InvalidInput("give the time range with its time zone")
    if query.since and query.until and query.since >= query.until:
        raise InvalidInput("the time range ends before it starts")
    stmt, counter = journal_select()
    if query.actor and query.actor.strip():
        wanted = query.actor.strip()
        stmt = stmt.where(Event.actor.in_({wanted, wanted.upper()}))
    if query.ticket and query.ticket.strip():
        stmt = stmt.where(Ticket.number == query.ticket.strip().upper())
    if query.counter is not None:
        stmt = stmt.where(counter.number == query.counter)
    if query.kinds:
        stmt = stmt.where(Event.kind.in_(query.kinds))
    if query.since is not None:
        stmt = stmt.where(Event.at >= query.since)
    if query.until is not None:
        stmt = stmt.where(Event.at < query.until)
    if query.before_id is not None:
        stmt = stmt.where(Event.id < query.before_id)
    rows = session.execute(stmt.order_by(Event.id.desc()).limit(query.page_size + 1)).all()
    events = tuple(event_views(rows[: query.page_size]))
    more = len(rows) > query.page_size
    return AuditPage(events, events[-1].id if more and events else None)


def event_kinds(
    session: Session, reader: Credential, now: datetime | None = None
) -> tuple[str, ...]:
    """Every event kind the journal holds, for the audit screen's filter (manager only)."""
    require_figures_reader(session, reader, now or datetime.now(UTC))
    return tuple(session.scalars(select(Event.kind).distinct().order_by(Event.kind)))
