"""Time sources and business-day arithmetic.

The engine never calls ``datetime.now()`` itself; it asks a :class:`Clock`, so tests
and the simulator can move time by hand.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lobby.errors import ConfigError


class Clock(Protocol):
    """Anything that tells the current time as an aware UTC datetime."""

    def now(self) -> datetime:
        """Return the current time (timezone-aware, UTC)."""
        ...


class SystemClock:
    """The wall clock."""

    def now(self) -> datetime:
        """Return the current UTC time."""
        return datetime.now(UTC)


class FixedClock:
    """A clock stopped at one moment (``LOBBY_NOW``).

    Tests hand their own manual clock's time to the processes they start, so a
    ticket issued by a CLI run and the test that reads it agree on the business day
    whatever the hour on the wall.

    Args:
        moment: The time to report; must be timezone-aware.
    """

    def __init__(self, moment: datetime) -> None:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"a fixed clock needs a time zone: {moment.isoformat()}")
        self.moment = moment.astimezone(UTC)

    def now(self) -> datetime:
        """Return the fixed moment (UTC)."""
        return self.moment


def zone(name: str) -> ZoneInfo:
    """Return the time zone called ``name`` or raise a :class:`ConfigError`."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"unknown time zone {name!r}") from exc


def business_day(moment: datetime, timezone: str) -> date:
    """Return the branch's calendar day at ``moment``.

    Numbering restarts on this day, so it must follow the branch's time zone and not
    UTC: a branch in Shanghai starts a new day at 16:00 UTC.
    """
    return moment.astimezone(zone(timezone)).date()
