"""What an app needs to know of the branch when it starts: names, zone, counters, services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.clock import business_day
from lobby.models import Branch, Counter, Service


@dataclass(frozen=True)
class BranchHeading:
    """The branch as an app's title bar and date pickers need it.

    Attributes:
        title: Both names, e.g. ``"中山路支行  Zhongshan Road"``.
        timezone: The branch's time zone name.
        today: The business day at the moment it was read.
        service_names: Service code -> both names, for every service (inactive too).
    """

    title: str
    timezone: str
    today: date
    service_names: dict[str, str]


def branch_heading(session: Session, now: datetime) -> BranchHeading:
    """The branch's title, zone, business day at ``now`` and service names."""
    branch = session.get_one(Branch, 1)
    return BranchHeading(
        title=f"{branch.name_zh}  {branch.name_en}",
        timezone=branch.timezone,
        today=business_day(now, branch.timezone),
        service_names={
            s.code: f"{s.name_zh} {s.name_en}" for s in session.scalars(select(Service))
        },
    )


def counter_choices(session: Session) -> list[tuple[int, str]]:
    """Each active counter's number and both names, in number order (a sign-in's choice)."""
    return [
        (c.number, f"{c.name_zh} {c.name_en}")
        for c in session.scalars(select(Counter).where(Counter.active).order_by(Counter.number))
    ]
