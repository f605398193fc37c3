"""Test doubles and small helpers shared by the test suite."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

#: 10:00 in Shanghai on a Monday: the branch is open.
BRANCH_MORNING = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


class ManualClock:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime = BRANCH_MORNING) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, minutes: float = 0, seconds: float = 0) -> datetime:
        self.current += timedelta(minutes=minutes, seconds=seconds)
        return self.current


def environment_at(clock: ManualClock) -> dict[str, str]:
    """This process's environment with ``LOBBY_NOW`` at ``clock``'s time.

    A process started with it (a CLI run, a worker) issues and reads on the test's
    business day, not the wall clock's, which differs after midnight in the branch.
    """
    return {**os.environ, "LOBBY_NOW": clock.now().isoformat()}
