"""The branch's data as SQLAlchemy 2 typed ORM classes.

Times are stored as naive UTC and come back timezone-aware (see :class:`UTCDateTime`),
so SQLite and PostgreSQL behave alike. Rows never leave the core: the apps get the
dataclasses of :mod:`lobby.views`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: SQLite only autoincrements INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as naive UTC on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert an aware datetime to naive UTC before storing it."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware one is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Mark a stored naive UTC datetime as UTC."""
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Declarative base of every Lobby table."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[str]: JSON}


class Branch(Base):
    """The one branch this database serves, and its queue policy."""

    __tablename__ = "branch"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32))
    name_zh: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64))
    secret: Mapped[str] = mapped_column(String(64))
    policy: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Service(Base):
    """A kind of business the branch offers, with its own queue and ticket prefix."""

    __tablename__ = "service"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    prefix: Mapped[str] = mapped_column(String(4), unique=True)
    name_zh: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    description_zh: Mapped[str] = mapped_column(String(200), default="")
    description_en: Mapped[str] = mapped_column(String(200), default="")
    documents: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    target_wait_min: Mapped[int] = mapped_column(default=15)
    mean_service_min: Mapped[float] = mapped_column(default=8.0)
    self_service_zh: Mapped[str | None] = mapped_column(String(200))
    self_service_en: Mapped[str | None] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class WorkProfile(Base):
    """Which services a counter serves, and in which tier."""

    __tablename__ = "work_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    active: Mapped[bool] = mapped_column(default=True)
    entries: Mapped[list[WorkProfileEntry]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="WorkProfileEntry.tier"
    )


class WorkProfileEntry(Base):
    """One service of a work profile: tier 1 is served first, higher tiers when it is empty."""

    __tablename__ = "work_profile_entry"
    __table_args__ = (UniqueConstraint("profile_id", "service_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("work_profile.id", ondelete="CASCADE"))
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    tier: Mapped[int] = mapped_column(default=1)
    profile: Mapped[WorkProfile] = relationship(back_populates="entries")
    service: Mapped[Service] = relationship()


class Counter(Base):
    """A teller's window, numbered as the hall display announces it."""

    __tablename__ = "counter"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    name_zh: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(40))
    profile_id: Mapped[int] = mapped_column(ForeignKey("work_profile.id"))
    status: Mapped[str] = mapped_column(String(16), default="open")
    active: Mapped[bool] = mapped_column(default=True)
    profile: Mapped[WorkProfile] = relationship()


class Staff(Base):
    """A greeter, teller or manager who signs in with a PIN."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(16))
    pin_hash: Mapped[str] = mapped_column(String(200))
    failed_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(default=True)
    must_change_pin: Mapped[bool] = mapped_column(default=False)


class StaffSession(Base):
    """A staff member's sign-in, held by an app or a ``lobby sign-in``; it expires.

    Only a hash of the session's token is stored: the token itself stays with its holder.
    """

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    origin: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    staff: Mapped[Staff] = relationship(lazy="joined", innerjoin=True)


class Device(Base):
    """A device enrolled by a manager to act on its own (a kiosk greeter, a rating pad).

    It proves itself with a credential kept in its config directory; only its hash is here.
    """

    __tablename__ = "device"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(String(64))
    enrolled_by: Mapped[str] = mapped_column(String(32))
    enrolled_at: Mapped[datetime]
    active: Mapped[bool] = mapped_column(default=True)
    #: The counter a rating pad stands at (it rates only that counter's visits).
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counter.id"))


class Presence(Base):
    """The last heartbeat of what runs at a counter: the teller's console, the rating pad.

    Heartbeats are not journalled (one every few seconds from every screen would bury
    the journal); a screen not heard from within its expiry is "status unknown".
    """

    __tablename__ = "presence"
    __table_args__ = (UniqueConstraint("counter_id", "what"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counter.id"))
    what: Mapped[str] = mapped_column(String(16))  # "console" or "pad"
    who: Mapped[str] = mapped_column(String(64))  # the teller's id or the pad's device id
    last_seen_at: Mapped[datetime]


class Visit(Base):
    """One customer's stay in the branch, from triage to rating."""

    __tablename__ = "visit"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    business_day: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    need: Mapped[str] = mapped_column(String(32))
    category: Mapped[str] = mapped_column(String(16), default="regular")
    phone: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    documents_checked: Mapped[list[str]] = mapped_column(default=list)
    confirmed_at: Mapped[datetime | None]
    confirmed_by: Mapped[str | None] = mapped_column(String(64))
    tickets: Mapped[list[Ticket]] = relationship(back_populates="visit", order_by="Ticket.hop")


class Appointment(Base):
    """A booked visit; checking it in issues a ticket with appointment priority."""

    __tablename__ = "appointment"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    due_at: Mapped[datetime]
    customer: Mapped[str] = mapped_column(String(80), default="")
    phone: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="booked")
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"))
    service: Mapped[Service] = relationship()


class Ticket(Base):
    """One place in one service queue; a transfer ends it and opens the visit's next hop."""

    __tablename__ = "ticket"
    __table_args__ = (
        UniqueConstraint("business_day", "number", "hop"),
        Index("ix_ticket_queue", "state", "service_id", "queued_at"),
        Index("ix_ticket_counter_state", "counter_id", "state"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    business_day: Mapped[date] = mapped_column(Date)
    number: Mapped[str] = mapped_column(String(16))
    hop: Mapped[int] = mapped_column(default=0)
    state: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(16), default="regular")
    appointment_due_at: Mapped[datetime | None]
    issued_at: Mapped[datetime]
    queued_at: Mapped[datetime]
    called_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counter.id"))
    target_counter_id: Mapped[int | None] = mapped_column(ForeignKey("counter.id"))
    staff: Mapped[str | None] = mapped_column(String(64))
    call_count: Mapped[int] = mapped_column(default=0)
    call_reason: Mapped[str | None] = mapped_column(String(200))
    outcome: Mapped[str | None] = mapped_column(String(16))
    follow_up: Mapped[str | None] = mapped_column(Text)
    transfer_note: Mapped[str | None] = mapped_column(Text)
    # why it was parked or cancelled: free text, kept here and never in the journal
    remark: Mapped[str | None] = mapped_column(Text)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"))
    #: The wait estimate's own expected minutes at issue, for its self-calibration.
    estimate_min: Mapped[float | None]
    visit: Mapped[Visit] = relationship(back_populates="tickets")
    # joined: every operation shows the ticket's service and counter
    service: Mapped[Service] = relationship(lazy="joined", innerjoin=True)
    counter: Mapped[Counter | None] = relationship(foreign_keys=[counter_id], lazy="joined")
    target_counter: Mapped[Counter | None] = relationship(foreign_keys=[target_counter_id])


class TicketSequence(Base):
    """The last number drawn for one service on one business day."""

    __tablename__ = "ticket_sequence"

    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), primary_key=True)
    business_day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_value: Mapped[int] = mapped_column(default=0)


class Event(Base):
    """One journal row: what changed, when, where and by whom. Append-only, hash-chained."""

    __tablename__ = "event"
    # a counter's latest entry of some kinds (who holds it, its pad, its break): one seek
    __table_args__ = (Index("ix_event_counter_kind", "counter_id", "kind", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(32))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"), index=True)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counter.id"))
    actor: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # the chain (see lobby.journal): this event's hash over its content and prev_hash
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))


class JournalHead(Base):
    """The journal's newest event, kept apart from it (one row, id 1).

    Written in the transaction that appends events, so deleting the newest events (which
    leaves no broken link behind) or appending forged ones no longer matches it.
    """

    __tablename__ = "journal_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_id: Mapped[int] = mapped_column(BigInteger)
    last_hash: Mapped[str] = mapped_column(String(64))
    events: Mapped[int] = mapped_column(BigInteger)


class Rating(Base):
    """A customer's satisfaction score for a visit, 1 to 5."""

    __tablename__ = "rating"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), unique=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counter.id"))
    score: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime]


class Complaint(Base):
    """A customer's complaint, with its reference number and follow-up.

    Status moves new -> in_progress -> resolved -> informed (see :mod:`lobby.complaints`).
    """

    __tablename__ = "complaint"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"))
    category: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(String(32))
    wished_follow_up: Mapped[str] = mapped_column(String(32), default="phone")
    status: Mapped[str] = mapped_column(String(16), default="new")
    resolution: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    answer_due: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    assigned_to: Mapped[str | None] = mapped_column(String(32))
    resolved_at: Mapped[datetime | None]
    informed_at: Mapped[datetime | None]
    informed_channel: Mapped[str | None] = mapped_column(String(16))
    notes: Mapped[list[ComplaintNote]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="ComplaintNote.id"
    )


class ComplaintNote(Base):
    """A dated remark on a complaint's follow-up, by the staff member who wrote it."""

    __tablename__ = "complaint_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaint.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime]
    author: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    complaint: Mapped[Complaint] = relationship(back_populates="notes")


class Notice(Base):
    """A bilingual notice for the hall display and the greeter, optionally for a while only."""

    __tablename__ = "notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    text_zh: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    sort_order: Mapped[int] = mapped_column(default=0)


class OpeningHours(Base):
    """When the branch opens on one weekday (0 Monday .. 6 Sunday); no times: closed."""

    __tablename__ = "opening_hours"

    weekday: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    opens: Mapped[time | None] = mapped_column(Time)
    closes: Mapped[time | None] = mapped_column(Time)
