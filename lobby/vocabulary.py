"""The words the journal speaks: every event kind, and the groups the apps subscribe to.

Every engine operation writes its journal entry with one :class:`EventKind`; an app
refreshes a screen when a batch of events holds a kind of a group that changes what
the screen shows (``kinds & QUEUE_CHANGES``). A kind written anywhere but listed here,
or a screen whose subscription misses a group that changes it, fails
``tests/gui/test_event_kinds.py``.
"""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    """The kind of one journal entry."""

    # a ticket is drawn, or moves along its queue (the values of ``states.Action``; the
    # tickets a day's close expires are listed in its one ``day_closed`` entry instead)
    ISSUED = "issued"
    CALLED = "called"
    RECALLED = "recalled"
    STARTED = "started"
    FINISHED = "finished"
    NO_SHOW = "no_show"
    PARKED = "parked"
    RESUMED = "resumed"
    TRANSFERRED = "transferred"
    CANCELLED = "cancelled"
    MISSED_RECALLED = "missed_recalled"
    # a visit's details and what the customer said
    DETAILS_CONFIRMED = "details_confirmed"
    VISIT_RATED = "visit_rated"
    APPOINTMENT_BOOKED = "appointment_booked"
    DIVERTED = "diverted"
    # counters and the business day
    COUNTER_OPEN = "counter_open"
    COUNTER_BREAK = "counter_break"
    COUNTER_CLOSED = "counter_closed"
    DAY_CLOSED = "day_closed"
    # who works at a counter
    COUNTER_SIGNED_IN = "counter_signed_in"
    COUNTER_SIGNED_OUT = "counter_signed_out"
    COUNTER_TAKEN_OVER = "counter_taken_over"
    # the customer's rating pad at a counter
    RATING_PAD_ONLINE = "rating_pad_online"
    RATING_PAD_OFFLINE = "rating_pad_offline"
    # the branch's configuration
    CONFIG_LOADED = "config_loaded"
    CONFIG_CHANGED = "config_changed"
    PROFILE_CHANGED = "profile_changed"
    # staff signing in
    SIGNED_IN = "signed_in"
    SIGN_IN_FAILED = "sign_in_failed"
    STAFF_LOCKED = "staff_locked"
    SIGNED_OUT = "signed_out"
    PIN_CHANGED = "pin_changed"
    # access: enrolled devices, unmasked contacts, reprints
    DEVICE_ENROLLED = "device_enrolled"
    CONTACT_REVEALED = "contact_revealed"
    REPRINTED = "reprinted"
    # complaints
    COMPLAINT_FILED = "complaint_filed"
    COMPLAINT_UPDATED = "complaint_updated"
    # the database's own life: copies and restores
    BACKUP_MADE = "backup_made"
    BACKUP_FAILED = "backup_failed"
    RESTORED = "restored"
    # personal data: erased when its retention ends, or for one person on request
    PERSONAL_DATA_PURGED = "personal_data_purged"
    PERSON_EXPORTED = "person_exported"
    PERSON_ERASED = "person_erased"


class CounterStatus(StrEnum):
    """Whether a counter serves now."""

    OPEN = "open"
    BREAK = "break"
    CLOSED = "closed"

    @property
    def kind(self) -> EventKind:
        """The journal kind that records a counter moving to this status."""
        return _COUNTER_KINDS[self]


_COUNTER_KINDS = {
    CounterStatus.OPEN: EventKind.COUNTER_OPEN,
    CounterStatus.BREAK: EventKind.COUNTER_BREAK,
    CounterStatus.CLOSED: EventKind.COUNTER_CLOSED,
}

K = EventKind

#: A ticket moved along its queue (every ticket operation, not the issue).
TICKET_MOVES = frozenset({
    K.CALLED, K.RECALLED, K.STARTED, K.FINISHED, K.NO_SHOW, K.PARKED, K.RESUMED,
    K.TRANSFERRED, K.CANCELLED, K.MISSED_RECALLED,
})  # fmt: skip

#: The waiting lines changed: a ticket joined, moved or left, or the day closed.
QUEUE_CHANGES = frozenset({K.ISSUED, K.DAY_CLOSED}) | TICKET_MOVES

#: A counter opened, went on a break or closed (which changes who can serve a queue).
COUNTER_CHANGES = frozenset({K.COUNTER_OPEN, K.COUNTER_BREAK, K.COUNTER_CLOSED})

#: A teller took a counter, left it (or was signed out when idle), or a manager handed it on.
OCCUPANCY_CHANGES = frozenset({K.COUNTER_SIGNED_IN, K.COUNTER_SIGNED_OUT, K.COUNTER_TAKEN_OVER})

#: A counter's rating pad started or stopped (the console leaves ratings to it, or not).
DEVICE_CHANGES = frozenset({K.RATING_PAD_ONLINE, K.RATING_PAD_OFFLINE})

#: The branch's configuration changed (services, counters, profiles, notices, policy).
CONFIG_CHANGES = frozenset({K.CONFIG_LOADED, K.CONFIG_CHANGED, K.PROFILE_CHANGED})

#: Personal data was erased: visits' details and complaints' texts read differently.
ERASURES = frozenset({K.PERSONAL_DATA_PURGED, K.PERSON_ERASED})

#: What a visit holds changed (the details a teller sees, the rating).
VISIT_CHANGES = frozenset({K.DETAILS_CONFIRMED, K.VISIT_RATED}) | ERASURES

#: Somebody signed in, failed to, or was locked out.
STAFF_CHANGES = frozenset({
    K.SIGNED_IN, K.SIGN_IN_FAILED, K.STAFF_LOCKED, K.SIGNED_OUT, K.PIN_CHANGED,
})  # fmt: skip

#: A complaint was filed or followed up.
COMPLAINT_CHANGES = frozenset({K.COMPLAINT_FILED, K.COMPLAINT_UPDATED}) | ERASURES

#: Journalled for reports and audits; no screen shows them live.
RECORD_ONLY = frozenset({
    K.APPOINTMENT_BOOKED, K.DIVERTED, K.PERSON_EXPORTED, K.DEVICE_ENROLLED,
    K.CONTACT_REVEALED, K.REPRINTED,
})  # fmt: skip

#: Backups and restores (a restore runs with the apps closed: they start afresh).
LIFECYCLE = frozenset({K.BACKUP_MADE, K.BACKUP_FAILED, K.RESTORED})

#: Calls the hall display announces and lists.
CALLS = frozenset({K.CALLED, K.RECALLED, K.RESUMED, K.MISSED_RECALLED})

#: Every group by name, each kind in at least one (the completeness test checks it).
GROUPS: dict[str, frozenset[EventKind]] = {
    "queue": QUEUE_CHANGES,
    "counter": COUNTER_CHANGES,
    "device": DEVICE_CHANGES,
    "occupancy": OCCUPANCY_CHANGES,
    "config": CONFIG_CHANGES,
    "visit": VISIT_CHANGES,
    "staff": STAFF_CHANGES,
    "complaint": COMPLAINT_CHANGES,
    "record_only": RECORD_ONLY,
    "lifecycle": LIFECYCLE,
}

del K
