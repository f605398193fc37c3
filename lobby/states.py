"""Ticket states, priority categories and the one table of allowed moves."""

from __future__ import annotations

from enum import StrEnum

from lobby.errors import InvalidTransition
from lobby.vocabulary import EventKind


class TicketState(StrEnum):
    """Where a ticket stands in its queue."""

    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    PARKED = "parked"
    DONE = "done"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"
    CANCELLED = "cancelled"
    EXPIRED = "expired"

    @property
    def is_open(self) -> bool:
        """Whether the ticket occupies a counter (called or being served)."""
        return self in (TicketState.CALLED, TicketState.SERVING)

    @property
    def is_final(self) -> bool:
        """Whether the ticket has left its queue for good.

        A no-show is final although it may still be called back from the missed
        list during its grace time: it holds no place in a queue or at a counter,
        and the day closes it as it stands.
        """
        return all(action is Action.RECALL_MISSED for action in ALLOWED_MOVES[self])


class Action(StrEnum):
    """Operations that move a ticket; each names one journal event kind."""

    CALL = "called"
    RECALL = "recalled"
    START = "started"
    FINISH = "finished"
    NO_SHOW = "no_show"
    PARK = "parked"
    RESUME = "resumed"
    TRANSFER = "transferred"
    CANCEL = "cancelled"
    EXPIRE = "expired"
    RECALL_MISSED = "missed_recalled"

    @property
    def kind(self) -> EventKind:
        """The journal kind this operation writes.

        Raises:
            ValueError: :attr:`EXPIRE`, which is journalled once per closed day
                (``day_closed`` lists the tickets), never per ticket.
        """
        return EventKind(self.value)


class Category(StrEnum):
    """The customer's priority category, chosen at triage."""

    REGULAR = "regular"
    ELDERLY = "elderly"
    DISABLED = "disabled"
    PREGNANT = "pregnant"
    VIP = "vip"
    APPOINTMENT = "appointment"


#: state -> {action: next state}; any pair not listed is refused.
ALLOWED_MOVES: dict[TicketState, dict[Action, TicketState]] = {
    TicketState.WAITING: {
        Action.CALL: TicketState.CALLED,
        Action.CANCEL: TicketState.CANCELLED,
        Action.EXPIRE: TicketState.EXPIRED,
    },
    TicketState.CALLED: {
        Action.RECALL: TicketState.CALLED,
        Action.START: TicketState.SERVING,
        Action.FINISH: TicketState.DONE,
        Action.NO_SHOW: TicketState.NO_SHOW,
        Action.PARK: TicketState.PARKED,
        Action.TRANSFER: TicketState.TRANSFERRED,
        Action.CANCEL: TicketState.CANCELLED,
        Action.EXPIRE: TicketState.EXPIRED,
    },
    TicketState.SERVING: {
        Action.FINISH: TicketState.DONE,
        Action.PARK: TicketState.PARKED,
        Action.TRANSFER: TicketState.TRANSFERRED,
        Action.CANCEL: TicketState.CANCELLED,
        Action.EXPIRE: TicketState.EXPIRED,
    },
    TicketState.PARKED: {
        Action.RESUME: TicketState.CALLED,
        Action.TRANSFER: TicketState.TRANSFERRED,
        Action.CANCEL: TicketState.CANCELLED,
        Action.EXPIRE: TicketState.EXPIRED,
    },
    TicketState.DONE: {},
    TicketState.NO_SHOW: {Action.RECALL_MISSED: TicketState.CALLED},
    TicketState.TRANSFERRED: {},
    TicketState.CANCELLED: {},
    TicketState.EXPIRED: {},
}

_STATE_WORDS: dict[TicketState, str] = {
    TicketState.WAITING: "is waiting",
    TicketState.CALLED: "has been called",
    TicketState.SERVING: "is being served",
    TicketState.PARKED: "is parked",
    TicketState.DONE: "is already finished",
    TicketState.NO_SHOW: "was marked no-show",
    TicketState.TRANSFERRED: "was transferred",
    TicketState.CANCELLED: "was cancelled",
    TicketState.EXPIRED: "expired at the close of its day",
}

_ACTION_WORDS: dict[Action, str] = {
    Action.CALL: "called",
    Action.RECALL: "recalled",
    Action.START: "started",
    Action.FINISH: "finished",
    Action.NO_SHOW: "marked no-show",
    Action.PARK: "parked",
    Action.RESUME: "resumed",
    Action.TRANSFER: "transferred",
    Action.CANCEL: "cancelled",
    Action.EXPIRE: "expired",
    Action.RECALL_MISSED: "called back from the missed list",
}


def next_state(number: str, state: TicketState, action: Action) -> TicketState:
    """Return the state ``action`` leads to, or explain why it is not allowed.

    Args:
        number: The ticket's number, for the message.
        state: The ticket's current state.
        action: The requested operation.

    Raises:
        InvalidTransition: The move is not in :data:`ALLOWED_MOVES`.
    """
    target = ALLOWED_MOVES[state].get(action)
    if target is None:
        raise InvalidTransition(
            f"ticket {number} {_STATE_WORDS[state]} and cannot be {_ACTION_WORDS[action]}"
        )
    return target
