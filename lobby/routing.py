"""Who is next at a counter, and why: pure functions over the waiting tickets.

The rule, in the words a teller sees:

* A counter serves its tier-1 services first; it takes tier-2 work only when no
  tier-1 ticket waits, and so on.
* Within a tier, each ticket scores the minutes it has waited plus its category's
  head start (elderly, disabled, pregnant, VIP, a due appointment, a transfer).
  The highest score goes next; ties go to the ticket queued first. So tickets of one
  category are served first come, first served, and a regular customer is never
  passed by anyone who arrived more than the largest head start after them.
* After ``interleave`` priority calls in a row at a counter, the longest-waiting
  regular ticket goes next, so a stream of priority customers cannot hold the
  regular queue still.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

#: The bound on regular customers that the head starts are tuned to keep: over the
#: simulated days of ``tests/bench/test_fairness.py``, which asserts it, the longest
#: regular wait is at most this many times the longest under first-come-first-served.
REGULAR_MAX_TO_FIFO = 1.1

#: Tuned on simulated branch days (``tests/bench/test_fairness.py``): with about a
#: quarter of the customers in a priority class, these head starts bring priority
#: customers' mean wait to under 40 % of regular customers' (measured 38 %) while the
#: longest regular wait stays within :data:`REGULAR_MAX_TO_FIFO` (1.1x) of plain
#: first-come-first-served (measured 1.08x over the eight days; 1.24x on the weekday
#: days alone); larger ones cost regular customers more for little gain. Ten minutes
#: (the first defaults) gave priority customers 83-94 % of the regular wait: too
#: little to notice.
DEFAULT_HEAD_START_MIN: Mapping[str, float] = {
    "elderly": 40.0,
    "disabled": 40.0,
    "pregnant": 40.0,
    "vip": 60.0,
    "appointment": 80.0,
    "transfer": 40.0,
}

CATEGORY_ZH: Mapping[str, str] = {
    "regular": "普通",
    "elderly": "老年人优先",
    "disabled": "残障人士优先",
    "pregnant": "孕妇优先",
    "vip": "贵宾优先",
    "appointment": "预约到时",
    "transfer": "转办优先",
}


@dataclass(frozen=True)
class RoutingPolicy:
    """Tunable parts of the rule.

    Attributes:
        head_start_min: Minutes of head start per priority class.
        interleave: After this many priority calls in a row, a waiting regular ticket
            goes next; 0 turns interleaving off.
        appointment_grace_min: An appointment counts as due this many minutes early.
    """

    head_start_min: Mapping[str, float] = field(
        default_factory=lambda: dict(DEFAULT_HEAD_START_MIN)
    )
    interleave: int = 3
    appointment_grace_min: float = 10.0

    @property
    def max_head_start_min(self) -> float:
        """The largest head start: no one is passed by a ticket queued later than this."""
        return max(self.head_start_min.values(), default=0.0)


@dataclass(frozen=True)
class Candidate:
    """A waiting ticket as routing sees it."""

    ticket_id: int
    number: str
    service_id: int
    category: str
    queued_at: datetime
    is_transfer: bool = False
    appointment_due_at: datetime | None = None
    target_counter_id: int | None = None


@dataclass(frozen=True)
class Choice:
    """The ticket to call and the reason, in English and Chinese."""

    ticket_id: int
    number: str
    priority_class: str
    waited_min: float
    reason_en: str
    reason_zh: str

    @property
    def is_priority(self) -> bool:
        """Whether the ticket was called for a priority class."""
        return self.priority_class != "regular"


def priority_class(candidate: Candidate, now: datetime, policy: RoutingPolicy) -> str:
    """Return the class a ticket is ranked in at ``now``.

    A transfer or a due appointment outranks the customer's own category only when
    its head start is larger.
    """
    classes = []
    if candidate.category in policy.head_start_min and candidate.category != "appointment":
        classes.append(candidate.category)
    due = candidate.appointment_due_at
    if due is not None and now >= due - timedelta(minutes=policy.appointment_grace_min):
        classes.append("appointment")
    if candidate.is_transfer:
        classes.append("transfer")
    if not classes:
        return "regular"
    return max(classes, key=lambda c: policy.head_start_min.get(c, 0.0))


def score(candidate: Candidate, now: datetime, policy: RoutingPolicy) -> float:
    """Minutes waited plus the head start of the ticket's class."""
    waited = (now - candidate.queued_at).total_seconds() / 60
    return waited + policy.head_start_min.get(priority_class(candidate, now, policy), 0.0)


def eligible(
    candidates: Iterable[Candidate], counter_id: int, tiers: Mapping[int, int]
) -> list[Candidate]:
    """The tickets of the lowest tier with work that this counter may take.

    Args:
        candidates: Waiting tickets.
        counter_id: The calling counter.
        tiers: service id -> tier (1 first) from the counter's work profile.
    """
    allowed = [
        c for c in candidates if c.service_id in tiers and c.target_counter_id in (None, counter_id)
    ]
    if not allowed:
        return []
    best_tier = min(tiers[c.service_id] for c in allowed)
    return [c for c in allowed if tiers[c.service_id] == best_tier]


def priority_streak(recent_calls_priority: Sequence[bool]) -> int:
    """How many of a counter's latest calls (newest first) were priority calls in a row."""
    streak = 0
    for was_priority in recent_calls_priority:
        if not was_priority:
            break
        streak += 1
    return streak


def choose_next(
    candidates: Iterable[Candidate],
    *,
    counter_id: int,
    tiers: Mapping[int, int],
    now: datetime,
    policy: RoutingPolicy,
    recent_calls_priority: Sequence[bool] = (),
) -> Choice | None:
    """Pick the next ticket for a counter, or ``None`` when none may be called.

    Args:
        candidates: Waiting tickets (any service; ineligible ones are ignored).
        counter_id: The calling counter.
        tiers: service id -> tier from the counter's work profile.
        now: The moment of the call.
        policy: Head starts and interleave.
        recent_calls_priority: For the counter's latest calls, newest first, whether
            each was a priority call.
    """
    pool = eligible(candidates, counter_id, tiers)
    if not pool:
        return None

    def order(c: Candidate) -> tuple[float, datetime, int]:
        return (-score(c, now, policy), c.queued_at, c.ticket_id)

    best = min(pool, key=order)
    best_class = priority_class(best, now, policy)
    streak = priority_streak(recent_calls_priority)
    if best_class != "regular" and policy.interleave and streak >= policy.interleave:
        regulars = [c for c in pool if priority_class(c, now, policy) == "regular"]
        if regulars:
            turn = min(regulars, key=lambda c: (c.queued_at, c.ticket_id))
            waited = _waited(turn, now)
            return Choice(
                turn.ticket_id,
                turn.number,
                "regular",
                waited,
                f"regular turn after {streak} priority calls, waited {_minutes(waited)}",
                f"连续{streak}位优先客户后轮到普通客户，已等{_minutes_zh(waited)}",
            )
    waited = _waited(best, now)
    if best_class == "regular":
        en, zh = "first in line", "按顺序排在最前"
    elif best_class == "appointment":
        en, zh = "appointment due", CATEGORY_ZH["appointment"]
    else:
        en, zh = f"{best_class} priority", CATEGORY_ZH[best_class]
    return Choice(
        best.ticket_id,
        best.number,
        best_class,
        waited,
        f"{en}, waited {_minutes(waited)}",
        f"{zh}，已等{_minutes_zh(waited)}",
    )


def _waited(candidate: Candidate, now: datetime) -> float:
    return max(0.0, (now - candidate.queued_at).total_seconds() / 60)


def _minutes(value: float) -> str:
    return f"{int(value)} min"


def _minutes_zh(value: float) -> str:
    return f"{int(value)}分钟"
