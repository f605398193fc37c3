"""A counter's latest journal entry of some kinds: who holds it, its pad, its break.

Each lookup is ``max(id)`` over ``ix_event_counter_kind`` (counter_id, kind, id): one
index seek per kind, whatever the length of the journal. (``ORDER BY id DESC LIMIT 1``
with several kinds tempts SQLite's planner into walking the whole journal backwards.)
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.orm import QueryableAttribute, aliased

from lobby.models import Counter, Event


def latest_id(
    counter_id: int | QueryableAttribute[int], kinds: Collection[str]
) -> ScalarSelect[Any]:
    """The id of the counter's latest event of ``kinds`` (a scalar subquery).

    ``counter_id`` is a counter's id, or ``Counter.id`` for one lookup per counter row.
    """
    e = aliased(Event)
    query = select(func.max(e.id)).where(e.counter_id == counter_id, e.kind.in_(list(kinds)))
    if not isinstance(counter_id, int):
        query = query.correlate(Counter)
    return query.scalar_subquery()
