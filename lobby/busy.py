"""Waiting for a busy SQLite database: jittered back-off up to a deadline.

A SQLite writer takes the write lock at ``BEGIN IMMEDIATE``, before the unit of
work has read or written anything. When the lock stays held (many writers on a
loaded machine), SQLite's own busy timeout ends in ``SQLITE_BUSY``; the unit of
work is then begun again from the start after a random pause that grows with
each attempt, until the deadline (``LOBBY_BUSY_DEADLINE_S``, 30 s by default)
has passed. Whoever waits can be told, so that an app shows "busy, retrying"
instead of an error.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from lobby.errors import DatabaseUnavailable

#: Called with the attempt number and the seconds waited so far, before each pause.
BusyListener = Callable[[int, float], None]

FIRST_PAUSE_S, MAX_PAUSE_S = 0.02, 0.5


@dataclass
class BusyPolicy:
    """How long writers keep trying a busy database, and who hears about it.

    Attributes:
        deadline_s: Give up (exit code 4) once this much time has passed.
        listeners: Told before each pause (attempt, seconds so far); e.g. an app's
            "busy, retrying" banner.
    """

    deadline_s: float = 30.0
    listeners: list[BusyListener] = field(default_factory=list)
    _random: random.Random = field(default_factory=random.Random, repr=False)

    def pauses(self) -> BusyWait:
        """Pauses between attempts, jittered and growing, while the deadline allows."""
        return BusyWait(self)


class BusyWait:
    """One action's wait for a busy database: its pauses, its start and its deadline.

    Iterating yields the next pause; past the deadline it raises
    :class:`~lobby.errors.DatabaseUnavailable` instead.
    """

    def __init__(self, policy: BusyPolicy) -> None:
        self._policy = policy
        self.started = time.monotonic()
        self.deadline = self.started + policy.deadline_s
        self.attempt = 0

    @property
    def waited(self) -> float:
        """Seconds since the action began."""
        return time.monotonic() - self.started

    def __iter__(self) -> Iterator[float]:
        return self

    def __next__(self) -> float:
        waited = self.waited
        if waited >= self._policy.deadline_s:
            raise DatabaseUnavailable(
                f"the database stayed busy for {waited:.0f} s (other programs were "
                "writing); try again, or raise LOBBY_BUSY_DEADLINE_S"
            )
        self.attempt += 1
        for listener in self._policy.listeners:
            listener(self.attempt, waited)
        ceiling = min(MAX_PAUSE_S, FIRST_PAUSE_S * 2**self.attempt)
        pause = self._policy._random.uniform(ceiling / 2, ceiling)
        return min(pause, self._policy.deadline_s - waited)
