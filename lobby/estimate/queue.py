"""Waiting tickets grouped so that routing only needs to look at the front of each group.

Within one group (same service, category, transfer flag and target counter, no
appointment) the routing rule serves first come, first served: every member has the
same head start, so the earliest queued has the highest score, and the regular turn
also takes the earliest regular. Only the head of each group can therefore be chosen,
and :func:`lobby.routing.choose_next` gives the same answer on the heads as on the
whole queue, in time proportional to the number of groups instead of tickets.
Tickets with an appointment are never grouped: their class changes with time.
``tests/unit/test_estimate.py`` checks the equivalence on random queues.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator

from lobby.routing import Candidate

GroupKey = tuple[int, str, bool, int | None]


def group_key(candidate: Candidate) -> GroupKey | None:
    """The FIFO group of a ticket, or ``None`` for one that must be looked at alone."""
    if candidate.appointment_due_at is not None:
        return None
    return (
        candidate.service_id,
        candidate.category,
        candidate.is_transfer,
        candidate.target_counter_id,
    )


def _order(candidate: Candidate) -> tuple[float, int]:
    return (candidate.queued_at.timestamp(), candidate.ticket_id)


class WaitingQueue:
    """The waiting tickets of a branch, kept in FIFO groups.

    Tickets must be added in queue order within a group (as they arrive);
    :meth:`from_candidates` sorts an unordered collection first.
    """

    def __init__(self) -> None:
        self._groups: dict[GroupKey, deque[Candidate]] = {}
        self._loose: dict[int, Candidate] = {}
        self._size = 0

    @classmethod
    def from_candidates(cls, candidates: Iterable[Candidate]) -> WaitingQueue:
        """A queue holding ``candidates`` (any order)."""
        queue = cls()
        for candidate in sorted(candidates, key=_order):
            queue.add(candidate)
        return queue

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[Candidate]:
        for group in self._groups.values():
            yield from group
        yield from self._loose.values()

    def add(self, candidate: Candidate) -> None:
        """Append a ticket at the back of its group."""
        key = group_key(candidate)
        if key is None:
            self._loose[candidate.ticket_id] = candidate
        else:
            self._groups.setdefault(key, deque()).append(candidate)
        self._size += 1

    def heads(self) -> list[Candidate]:
        """The only tickets routing can choose next: each group's front and every loose one."""
        fronts = [group[0] for group in self._groups.values() if group]
        fronts.extend(self._loose.values())
        return fronts

    def remove(self, candidate: Candidate) -> None:
        """Take a ticket out (normally a head, just chosen)."""
        key = group_key(candidate)
        if key is None:
            del self._loose[candidate.ticket_id]
        else:
            group = self._groups[key]
            if group[0] is candidate or group[0].ticket_id == candidate.ticket_id:
                group.popleft()
            else:
                group.remove(candidate)
            if not group:
                del self._groups[key]
        self._size -= 1
