"""What the hall display and the greeter show besides the queue: notices and opening hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from lobby.clock import zone
from lobby.models import Branch, Notice, OpeningHours
from lobby.views import JsonView


@dataclass(frozen=True)
class NoticeView(JsonView):
    """A notice to show now, in both languages."""

    key: str
    text_zh: str
    text_en: str
    starts_at: datetime | None
    ends_at: datetime | None


@dataclass(frozen=True)
class DayHours(JsonView):
    """Opening hours of one weekday (0 Monday); ``opens`` is ``None`` on a closed day."""

    weekday: int
    opens: time | None
    closes: time | None


def current_notices(session: Session, now: datetime) -> tuple[NoticeView, ...]:
    """The notices whose window includes ``now`` (no window: always), in display order."""
    rows = session.scalars(
        select(Notice)
        .where(
            or_(Notice.starts_at.is_(None), Notice.starts_at <= now),
            or_(Notice.ends_at.is_(None), Notice.ends_at > now),
        )
        .order_by(Notice.sort_order, Notice.id)
    )
    return tuple(NoticeView(n.key, n.text_zh, n.text_en, n.starts_at, n.ends_at) for n in rows)


def opening_hours(session: Session) -> tuple[DayHours, ...]:
    """The week's opening hours, Monday first; empty when the branch has set none."""
    rows = session.scalars(select(OpeningHours).order_by(OpeningHours.weekday))
    return tuple(DayHours(h.weekday, h.opens, h.closes) for h in rows)


def is_open(session: Session, now: datetime) -> bool | None:
    """Whether the branch is open at ``now`` by its hours; ``None`` when no hours are set."""
    timezone = session.scalar(select(Branch.timezone).where(Branch.id == 1)) or "UTC"
    local = now.astimezone(zone(timezone))
    week = {d.weekday: d for d in opening_hours(session)}
    if not week:
        return None
    day = week.get(local.weekday())
    if day is None or day.opens is None or day.closes is None:
        return False
    return day.opens <= local.time().replace(tzinfo=None) < day.closes
