"""Heartbeats: whether a counter's console and rating pad are still running.

A console and a pad each beat every :data:`HEARTBEAT_S` seconds while they run; the
beat updates their :class:`~lobby.models.Presence` row and is not journalled. What is
shown to staff stays true:

- a pad is *online* only while heard from within ``pad_expiry_s`` (30 s by default);
  a pad that said it was starting and then fell silent is *status unknown* (it may
  have crashed, or its network may be down), never "online"; it is *offline* only
  when it said so itself (``rating_pad_offline``);
- a teller's hold on a counter lapses when their console has not been heard from
  within ``console_expiry_s`` (60 s by default): the next teller to sign in there
  takes the counter without a manager, and the silent console, should it come back,
  is told it lost the counter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.db import UnitOfWork
from lobby.engine.counter_journal import latest_id
from lobby.models import Event, Presence
from lobby.vocabulary import EventKind

#: How often a running console or pad beats.
HEARTBEAT_S = 10
CONSOLE, PAD = "console", "pad"
PAD_KINDS = (EventKind.RATING_PAD_ONLINE, EventKind.RATING_PAD_OFFLINE)


class PadStatus(StrEnum):
    """What staff are told about a counter's rating pad."""

    ONLINE = "online"
    UNKNOWN = "unknown"  # it started, then fell silent: crashed, or its network is down
    OFFLINE = "offline"  # it said it was closing


@dataclass(frozen=True)
class PadPresence:
    """A counter's rating pad as far as anyone can tell.

    Attributes:
        status: Online, status unknown, or offline.
        device: The pad's device id.
        last_seen: Its last heartbeat (or its start or stop).
    """

    status: PadStatus
    device: str
    last_seen: datetime


def console_expiry(policy: dict[str, Any] | None) -> timedelta:
    """How long a silent console keeps its counter (``console_expiry_s``, default 60)."""
    return timedelta(seconds=float((policy or {}).get("console_expiry_s", 60.0)))


def pad_expiry(policy: dict[str, Any] | None) -> timedelta:
    """How long a silent pad still counts as online (``pad_expiry_s``, default 30)."""
    return timedelta(seconds=float((policy or {}).get("pad_expiry_s", 30.0)))


def beat(uow: UnitOfWork, counter_id: int, what: str) -> None:
    """Note that ``what`` (console or pad) of the counter, run by the actor, is alive now."""
    row = uow.session.scalar(
        select(Presence)
        .where(Presence.counter_id == counter_id, Presence.what == what)
        .with_for_update()
    )
    if row is None:
        uow.session.add(
            Presence(counter_id=counter_id, what=what, who=uow.actor, last_seen_at=uow.now)
        )
    else:
        row.who, row.last_seen_at = uow.actor, uow.now


def last_seen(session: Session, counter_id: int, what: str, who: str) -> datetime | None:
    """When ``who``'s console or pad at the counter last beat (``None``: never)."""
    return session.scalar(
        select(Presence.last_seen_at).where(
            Presence.counter_id == counter_id, Presence.what == what, Presence.who == who
        )
    )


def seen_by_counter(session: Session, what: str) -> dict[int, tuple[str, datetime]]:
    """Counter id -> (who, last beat) of every counter's console or pad (one query)."""
    rows = session.execute(
        select(Presence.counter_id, Presence.who, Presence.last_seen_at).where(
            Presence.what == what
        )
    )
    return {int(counter_id): (who, at) for counter_id, who, at in rows}


def pad_presence(
    session: Session, counter_id: int, now: datetime, expiry: timedelta
) -> PadPresence | None:
    """The counter's rating pad at ``now``; ``None`` if no pad ever started there."""
    latest = session.execute(
        select(Event.kind, Event.actor, Event.at).where(
            Event.id == latest_id(counter_id, PAD_KINDS)
        )
    ).first()
    if latest is None:
        return None
    kind, device, at = latest
    if kind == EventKind.RATING_PAD_OFFLINE:
        return PadPresence(PadStatus.OFFLINE, device, at)
    seen = max(at, last_seen(session, counter_id, PAD, device) or at)
    status = PadStatus.ONLINE if now - seen <= expiry else PadStatus.UNKNOWN
    return PadPresence(status, device, seen)
