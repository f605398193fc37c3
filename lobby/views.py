"""Plain, immutable views of the data that the apps and the CLI receive.

Widgets and commands get these, never ORM rows or sessions.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from lobby.phone import mask_phone
from lobby.states import TicketState
from lobby.vocabulary import CounterStatus


class JsonView:
    """Mixin for the views: ``to_json()`` gives a JSON-ready dict (times in ISO 8601)."""

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict of this view."""
        return _json_dict(asdict(self))  # type: ignore[call-overload]


@dataclass(frozen=True)
class TicketView(JsonView):
    """A ticket with what a screen needs to show it."""

    id: int
    number: str
    service: str
    service_zh: str
    service_en: str
    state: TicketState
    category: str
    counter: int | None
    visit_id: int
    hop: int
    business_day: date
    issued_at: datetime
    queued_at: datetime
    called_at: datetime | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    staff: str | None = None
    call_count: int = 0
    reason: str | None = None
    outcome: str | None = None
    follow_up: str | None = None
    transfer_note: str | None = None
    target_counter: int | None = None
    code: str = ""


@dataclass(frozen=True)
class VisitView(JsonView):
    """A visit's triage and its chain of tickets (first ticket first)."""

    id: int
    need: str
    category: str
    phone_masked: str | None
    note: str
    documents_checked: tuple[str, ...]
    created_by: str
    confirmed_by: str | None
    tickets: tuple[TicketView, ...]
    rating: int | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class EventView(JsonView):
    """One journal entry."""

    id: int
    kind: str
    at: datetime
    ticket: str | None
    ticket_id: int | None
    counter: int | None
    actor: str
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class QueueOutlook(JsonView):
    """How one service's queue stands and where it is heading.

    The one queue record that the hall display, the greeter, the teller console, the
    manager's floor, the web pages and the CLI all read.

    Attributes:
        service: The service's code.
        prefix: The letter its ticket numbers start with.
        name_zh: The service's Chinese name.
        name_en: The service's English name.
        waiting: Tickets waiting now.
        longest_wait_min: Minutes (to a tenth) the longest-waiting ticket has waited.
        predicted_wait_min: Expected wait of a regular customer joining now.
        wait_low_min: Lower end of that prediction's range.
        wait_high_min: Upper end of that prediction's range.
        target_wait_min: The service's target wait.
        heading_past_target: The predicted wait, or the longest wait so far, is past
            the target.
        counters_open: Open counters that serve the service now (any tier, not on a
            break): with none, nobody is being called for it.
        wait_rough: The prediction has little to go on; its range is wide, say "about".
    """

    service: str
    prefix: str
    name_zh: str
    name_en: str
    waiting: int
    longest_wait_min: float
    predicted_wait_min: float
    wait_low_min: int
    wait_high_min: int
    target_wait_min: int
    heading_past_target: bool
    counters_open: int
    wait_rough: bool = False
    #: No staffed counter serves it now: say so instead of a wait.
    unserved: bool = False


@dataclass(frozen=True)
class CallView:
    """One call as the hall display lists it."""

    event_id: int
    kind: str
    number: str
    counter: int
    service_zh: str
    service_en: str
    at: datetime


@dataclass(frozen=True)
class CounterState:
    """A counter as the per-counter layout shows it."""

    number: int
    name_zh: str
    name_en: str
    status: CounterStatus
    current: str | None


@dataclass(frozen=True)
class BoardView(JsonView):
    """What the hall display shows: the open calls and the waiting per service."""

    calls: tuple[TicketView, ...]
    queues: tuple[QueueOutlook, ...]
    last_event_id: int
    recent: tuple[CallView, ...] = ()
    counters: tuple[CounterState, ...] = ()
    branch_zh: str = ""
    branch_en: str = ""
    notices: tuple[str, ...] = ()
    timezone: str = "UTC"


def _json_dict(value: dict[str, Any]) -> dict[str, Any]:
    return {k: _jsonable(v) for k, v in value.items()}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def masked(phone: str | None) -> str | None:
    """The phone number as screens show it (middle digits hidden)."""
    return mask_phone(phone) if phone else None
