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
