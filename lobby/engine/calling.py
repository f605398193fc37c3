"""Calling customers: next by the routing rule, a specific ticket, recall."""

from __future__ import annotations

from sqlalchemy import select

from lobby.access import Op, authorise
from lobby.db import UnitOfWork
from lobby.engine.common import (
    counter_by_number,
    counter_ticket,
    move,
    require_free,
    ticket_by_number,
    ticket_view,
    waiting_candidates,
)
from lobby.engine.missed import recall_missed
from lobby.errors import InvalidInput, NothingToCall
from lobby.models import Counter, Event, Ticket, WorkProfileEntry
from lobby.routing import Candidate, RoutingPolicy, choose_next
from lobby.states import Action, TicketState
from lobby.views import TicketView
from lobby.vocabulary import EventKind

MAX_CLAIM_ATTEMPTS = 20
STREAK_WINDOW = 10


def routing_policy(uow: UnitOfWork) -> RoutingPolicy:
    """The branch's routing policy as stored by ``lobby init``."""
    stored = uow.branch.policy or {}
    defaults = RoutingPolicy()
    return RoutingPolicy(
        head_start_min=stored.get("head_start_min", defaults.head_start_min),
        interleave=stored.get("interleave", defaults.interleave),
        appointment_grace_min=stored.get("appointment_grace_min", defaults.appointment_grace_min),
    )


def call_next(uow: UnitOfWork, counter_number: int) -> TicketView:
    """Claim the next ticket for a counter by the routing rule and mark it called.

    The claim and the check that the counter holds no open ticket happen in this one
    transaction. On SQLite the transaction holds the write lock from its start
    (``BEGIN IMMEDIATE``); on PostgreSQL the chosen row is locked with
    ``FOR UPDATE SKIP LOCKED`` and, if another counter has it, routing runs again
    without it.

    Raises:
        NothingToCall: No ticket waits that this counter may serve.
        CounterBusy: The counter still has a ticket open.
    """
    authorise(uow, Op.CALL)
    counter = counter_by_number(uow, counter_number, lock=True)
    _require_open_for_calls(counter)
    require_free(uow, counter)
    tiers = {
        e.service_id: e.tier
        for e in uow.session.scalars(
            select(WorkProfileEntry).where(WorkProfileEntry.profile_id == counter.profile_id)
        )
    }
    if not tiers:
        raise NothingToCall(f"counter {counter.number} serves no service")
    policy = routing_policy(uow)
    streak = _recent_calls_priority(uow, counter)
    skipped: set[int] = set()
    for _ in range(MAX_CLAIM_ATTEMPTS):
        candidates = [c for c in _waiting(uow, tiers) if c.ticket_id not in skipped]
        choice = choose_next(
            candidates,
            counter_id=counter.id,
            tiers=tiers,
            now=uow.now,
            policy=policy,
            recent_calls_priority=streak,
        )
        if choice is None:
            raise NothingToCall(f"no ticket is waiting for counter {counter.number}")
        ticket = _claim(uow, choice.ticket_id)
        if ticket is not None:
            return _call(
                uow, ticket, counter, choice.reason_en, choice.reason_zh, choice.is_priority
            )
        skipped.add(choice.ticket_id)
    raise NothingToCall(
        f"every waiting ticket is being called elsewhere; try counter {counter_number} again"
    )


def call_ticket(uow: UnitOfWork, counter_number: int, number: str) -> TicketView:
    """Call a specific waiting ticket (typed or scanned) to a counter."""
    authorise(uow, Op.CALL)
    counter = counter_by_number(uow, counter_number, lock=True)
    _require_open_for_calls(counter)
    require_free(uow, counter)
    ticket = ticket_by_number(uow, number)
    if ticket.state == TicketState.NO_SHOW.value:  # back from the missed list
        return recall_missed(uow, counter_number, number)
    if ticket.target_counter_id not in (None, counter.id):
        raise InvalidInput(f"ticket {ticket.number} was transferred to another counter")
    return _call(uow, ticket, counter, "called by number", "指定叫号", priority=False)


def recall(uow: UnitOfWork, counter_number: int, number: str | None = None) -> TicketView:
    """Call the counter's open ticket again (the display announces it again)."""
    authorise(uow, Op.RECALL)
    ticket = counter_ticket(uow, counter_number, number)
    move(uow, ticket, Action.RECALL, {"call_count": ticket.call_count + 1})
    ticket.call_count += 1
    return ticket_view(ticket)


def _call(
    uow: UnitOfWork,
    ticket: Ticket,
    counter: Counter,
    reason_en: str,
    reason_zh: str,
    priority: bool,
) -> TicketView:
    move(
        uow,
        ticket,
        Action.CALL,
        {
            "reason": reason_en,
            "reason_zh": reason_zh,
            "priority": priority,
            "waited_min": round((uow.now - ticket.queued_at).total_seconds() / 60, 1),
        },
        at_counter=counter,
    )
    ticket.counter = counter
    ticket.staff = uow.actor
    ticket.called_at = uow.now
    ticket.call_count = 1
    ticket.call_reason = reason_en
    return ticket_view(ticket)


def _require_open_for_calls(counter: Counter) -> None:
    if counter.status != "open":
        raise InvalidInput(f"counter {counter.number} is {counter.status}: open it before calling")


def _waiting(uow: UnitOfWork, tiers: dict[int, int]) -> list[Candidate]:
    return waiting_candidates(uow.session, uow.today, Ticket.service_id.in_(tiers))


def _claim(uow: UnitOfWork, ticket_id: int) -> Ticket | None:
    """Lock the chosen ticket if it is still waiting and nobody else holds it."""
    return uow.session.scalar(
        select(Ticket)
        .where(Ticket.id == ticket_id, Ticket.state == TicketState.WAITING.value)
        .with_for_update(skip_locked=True, of=Ticket)
        .execution_options(populate_existing=True)
    )


def _recent_calls_priority(uow: UnitOfWork, counter: Counter) -> list[bool]:
    """For the counter's latest calls, newest first, whether each was a priority call."""
    payloads = uow.session.scalars(
        select(Event.payload)
        .where(Event.counter_id == counter.id, Event.kind == EventKind.CALLED)
        .order_by(Event.id.desc())
        .limit(STREAK_WINDOW)
    )
    return [bool(p.get("priority")) for p in payloads]
