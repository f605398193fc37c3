"""The journal: every app learns what happened from the events after the last it saw.

Each event also carries a SHA-256 hash over its content and the previous event's hash,
so an event edited, deleted or inserted behind the engine's back breaks the chain at
that event (:func:`verify_chain`, ``lobby audit verify``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from lobby.models import Counter, Event, JournalHead, Ticket
from lobby.views import EventView, JsonView

DEFAULT_BATCH = 500


def journal_select() -> tuple[Select[tuple[Event, str | None, int | None]], type[Counter]]:
    """Events with their ticket number and counter number (filter and order it)."""
    counter = aliased(Counter)
    stmt = (
        select(Event, Ticket.number, counter.number)
        .outerjoin(Ticket, Ticket.id == Event.ticket_id)
        .outerjoin(counter, counter.id == Event.counter_id)
    )
    return stmt, counter  # type: ignore[return-value]


def event_views(rows: Iterable[Any]) -> list[EventView]:
    """Rows of :func:`journal_select` as views."""
    return [
        EventView(
            id=event.id,
            kind=event.kind,
            at=event.at,
            ticket=number,
            ticket_id=event.ticket_id,
            counter=counter_number,
            actor=event.actor,
            payload=dict(event.payload or {}),
        )
        for event, number, counter_number in rows
    ]


def events_after(
    session: Session, after_id: int = 0, limit: int = DEFAULT_BATCH
) -> list[EventView]:
    """Journal entries with id greater than ``after_id``, oldest first.

    Args:
        session: A read session.
        after_id: The last event id the caller has seen (0 for all).
        limit: At most this many events.
    """
    stmt, _ = journal_select()
    return event_views(
        session.execute(stmt.where(Event.id > after_id).order_by(Event.id).limit(limit))
    )


def last_event_id(session: Session) -> int:
    """The newest event id (0 when the journal is empty)."""
    return int(session.scalar(select(func.max(Event.id))) or 0)


# --- the hash chain ------------------------------------------------------------------------------

#: The ``prev_hash`` of the first event.
GENESIS = "0" * 64


def event_digest(
    prev_hash: str,
    at: datetime,
    kind: str,
    ticket_id: int | None,
    counter_id: int | None,
    actor: str,
    payload: dict[str, Any] | None,
) -> str:
    """The hash of one event: SHA-256 over the previous event's hash and this one's content.

    The content is serialised canonically (UTC time with microseconds, sorted keys), so
    the same row read back from SQLite or PostgreSQL gives the same hash.
    """
    body = json.dumps(
        [
            at.astimezone(UTC).isoformat(timespec="microseconds"),
            kind,
            ticket_id,
            counter_id,
            actor,
            payload or {},
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(f"{prev_hash}|{body}".encode()).hexdigest()


def chain_head(session: Session) -> str:
    """The hash the next event chains to (call it under the journal's append lock)."""
    last = session.scalar(select(Event.hash).order_by(Event.id.desc()).limit(1))
    return last or GENESIS


@dataclass(frozen=True)
class ChainReport(JsonView):
    """What :func:`verify_chain` found.

    Attributes:
        intact: Every event is as the engine wrote it, none missing between them.
        checked: How many events were read.
        last_id: The newest event id read (0 for an empty journal).
        first_bad_id: The first event that breaks the chain, when not intact.
        problem: ``edited``, ``deleted`` (an event before it is missing, or the newest
            events are gone), ``inserted`` (written without Lobby's chain, or beyond the
            journal's head) or ``head_missing``, when not intact.
        message: One line for people.
    """

    intact: bool
    checked: int
    last_id: int
    first_bad_id: int | None = None
    problem: str | None = None
    message: str = ""


def verify_chain(session: Session, *, batch: int = 2000) -> ChainReport:
    """Walk the journal in id order and check every event's hash and its link.

    An event edited in place no longer matches its hash; a deleted event leaves the next
    one pointing at a hash that is not its predecessor's; a row inserted behind the
    engine's back has no hash (or one that does not fit). The walk ends at the journal's
    head (:class:`~lobby.models.JournalHead`, written with every append): newest events
    deleted leave the head pointing past the last one, events appended without Lobby
    lie beyond it. The first such event is named.

    Args:
        session: A read session.
        batch: Events read per round trip.
    """
    prev, checked, last_id = GENESIS, 0, 0
    stmt = select(
        Event.id,
        Event.at,
        Event.kind,
        Event.ticket_id,
        Event.counter_id,
        Event.actor,
        Event.payload,
        Event.prev_hash,
        Event.hash,
    ).order_by(Event.id)
    while True:
        rows = session.execute(stmt.where(Event.id > last_id).limit(batch)).all()
        if not rows:
            head = _head(session)
            if head is not None and head.last_id > last_id and _newer_than(session, last_id):
                continue  # committed while we walked (PostgreSQL reads see new commits)
            break
        for row in rows:
            checked, last_id = checked + 1, row.id
            problem = _problem(prev, row)
            if problem is not None:
                return _broken(checked, row.id, problem, _PROBLEMS[problem].format(id=row.id))
            prev = row.hash
    broken = _against_head(session, head, checked, last_id, prev)
    if broken is not None:
        return broken
    return ChainReport(
        intact=True,
        checked=checked,
        last_id=last_id,
        message=f"journal intact: {checked} events, chain verified up to #{last_id}",
    )


def _head(session: Session) -> Any:
    """The journal head's row (read afresh, not from the session's identity map)."""
    return session.execute(
        select(JournalHead.last_id, JournalHead.last_hash, JournalHead.events).where(
            JournalHead.id == 1
        )
    ).first()


def _newer_than(session: Session, last_id: int) -> bool:
    return session.scalar(select(Event.id).where(Event.id > last_id).limit(1)) is not None


def _broken(checked: int, last_id: int, problem: str, message: str) -> ChainReport:
    return ChainReport(
        intact=False,
        checked=checked,
        last_id=last_id,
        first_bad_id=last_id,
        problem=problem,
        message=message,
    )


def _against_head(
    session: Session, head: Any, checked: int, last_id: int, prev: str
) -> ChainReport | None:
    """Whether the walked chain ends where the journal's head says, with as many events."""
    if head is None:
        if checked == 0:
            return None
        return ChainReport(
            intact=False,
            checked=checked,
            last_id=last_id,
            first_bad_id=last_id,
            problem="head_missing",
            message="the journal's head record is missing: its newest events cannot be checked",
        )
    if head.last_id > last_id:
        return ChainReport(
            intact=False,
            checked=checked,
            last_id=last_id,
            first_bad_id=head.last_id,
            problem="deleted",
            message=(
                f"the newest events after #{last_id} were deleted: the journal's head "
                f"records #{head.last_id} ({head.events} events, {checked} left)"
            ),
        )
    if head.last_id < last_id:
        beyond = session.scalar(select(func.min(Event.id)).where(Event.id > head.last_id))
        assert beyond is not None
        return _broken(checked, beyond, "inserted", _PROBLEMS["inserted_after"].format(id=beyond))
    if head.last_hash != prev or head.events != checked:
        return ChainReport(
            intact=False,
            checked=checked,
            last_id=last_id,
            first_bad_id=last_id,
            problem="deleted",
            message=(
                f"the journal was rewritten: its head records {head.events} events up to "
                f"#{head.last_id}, the chain holds {checked}"
            ),
        )
    return None


_PROBLEMS = {
    "inserted": "event #{id} was inserted outside Lobby (it carries no chain hash)",
    "edited": "event #{id} was edited after it was written (its hash no longer matches)",
    "deleted": "an event before #{id} was deleted (its link points at a missing event)",
    "inserted_after": "event #{id} was appended outside Lobby (it lies beyond the journal's head)",
}


def _problem(prev: str, row: Any) -> str | None:
    if row.hash is None or row.prev_hash is None:
        return "inserted"
    own = event_digest(
        row.prev_hash, row.at, row.kind, row.ticket_id, row.counter_id, row.actor, row.payload
    )
    if own != row.hash:
        return "edited" if row.prev_hash == prev else "inserted"
    if row.prev_hash != prev:
        return "deleted"
    return None
