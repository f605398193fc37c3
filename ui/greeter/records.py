"""Plain data the greeter's screens show, and the read-only queries that produce it.

Widgets get these frozen dataclasses, never ORM rows or sessions. The queries run
in a worker thread inside one short read transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.board import service_queues
from lobby.clock import business_day, zone
from lobby.models import Branch, Complaint, Service
from lobby.ticket_print import PrintableTicket
from lobby.views import TicketView, masked


@dataclass(frozen=True)
class DocumentInfo:
    """One document a service asks for."""

    key: str
    zh: str
    en: str


@dataclass(frozen=True)
class ServiceInfo:
    """A service tile: names, what it is for, its documents and how its queue stands."""

    code: str
    prefix: str
    name_zh: str
    name_en: str
    description_zh: str
    description_en: str
    documents: tuple[DocumentInfo, ...]
    self_service_zh: str | None = None
    self_service_en: str | None = None
    waiting: int = 0
    wait_low_min: int = 0
    wait_high_min: int = 0

    @property
    def self_service(self) -> bool:
        """Whether a machine in the hall can do this for the customer."""
        return bool(self.self_service_zh or self.self_service_en)


@dataclass(frozen=True)
class Snapshot:
    """What the greeter's start page needs: the branch and its services with live queues."""

    branch_zh: str
    branch_en: str
    services: tuple[ServiceInfo, ...]
    complaint_answer_days: int = 3

    def service(self, code: str) -> ServiceInfo | None:
        """The service called ``code``, if it is offered."""
        return next((s for s in self.services if s.code == code), None)


@dataclass(frozen=True)
class Triage:
    """What the greeter recorded before issuing a ticket."""

    service: str
    category: str = "regular"
    phone: str | None = None
    note: str = ""
    documents: tuple[str, ...] = ()
    appointment_code: str | None = None


@dataclass(frozen=True)
class IssuedTicket:
    """A committed ticket and its printed content (people ahead, wait range, QR code)."""

    ticket: TicketView
    printable: PrintableTicket

    @property
    def number(self) -> str:
        """The ticket number, e.g. ``A012``."""
        return self.ticket.number


@dataclass(frozen=True)
class ComplaintForm:
    """A complaint as the greeter typed it."""

    category: str
    description: str
    contact: str | None
    follow_up: str


@dataclass(frozen=True)
class ComplaintReceipt:
    """A recorded complaint as the customer is told about it."""

    reference: str
    category: str
    follow_up: str
    contact_masked: str | None
    filed_local: datetime
    answer_due_local: datetime
    branch_zh: str
    branch_en: str


def read_snapshot(session: Session, now: datetime) -> Snapshot:
    """The branch, its active services in display order and their queues at ``now``."""
    branch = session.get_one(Branch, 1)
    today = business_day(now, branch.timezone)
    queues = {q.service: q for q in service_queues(session, today, now)}
    services = []
    for row in session.scalars(select(Service).where(Service.active).order_by(Service.sort_order)):
        queue = queues.get(row.code)
        services.append(
            ServiceInfo(
                code=row.code,
                prefix=row.prefix,
                name_zh=row.name_zh,
                name_en=row.name_en,
                description_zh=row.description_zh,
                description_en=row.description_en,
                documents=tuple(DocumentInfo(d["key"], d["zh"], d["en"]) for d in row.documents),
                self_service_zh=row.self_service_zh,
                self_service_en=row.self_service_en,
                waiting=queue.waiting if queue else 0,
                wait_low_min=queue.wait_low_min if queue else 0,
                wait_high_min=queue.wait_high_min if queue else 0,
            )
        )
    days = int((branch.policy or {}).get("complaint_answer_days", 3))
    return Snapshot(branch.name_zh, branch.name_en, tuple(services), days)


def read_receipt(session: Session, reference: str) -> ComplaintReceipt:
    """The receipt of the complaint ``reference``, with times in the branch's time zone."""
    branch = session.get_one(Branch, 1)
    complaint = session.scalars(select(Complaint).where(Complaint.reference == reference)).one()
    local = zone(branch.timezone)
    return ComplaintReceipt(
        reference=complaint.reference,
        category=complaint.category,
        follow_up=complaint.wished_follow_up,
        contact_masked=masked(complaint.contact),
        filed_local=complaint.created_at.astimezone(local),
        answer_due_local=complaint.answer_due.astimezone(local),
        branch_zh=branch.name_zh,
        branch_en=branch.name_en,
    )


def receipt_printable(receipt: ComplaintReceipt) -> PrintableTicket:
    """The complaint receipt in the ticket printer's layout: reference, QR and answer date.

    The ticket layout is the only one the printers have; it also prints a "0 ahead"
    line, which a receipt layout in ``devices.printer`` would leave out.
    """
    due = receipt.answer_due_local
    return PrintableTicket(
        branch_zh=receipt.branch_zh,
        branch_en=receipt.branch_en,
        number=receipt.reference,
        service_zh="投诉受理回执",
        service_en="Complaint receipt",
        ahead=0,
        wait_low_min=0,
        wait_high_min=0,
        issued_local=receipt.filed_local,
        documents=(),
        code=receipt.reference,
        notice_zh=f"我们将于 {due:%Y-%m-%d} 前答复您，请保留本回执",
        notice_en=f"We will answer you by {due:%Y-%m-%d}; please keep this receipt",
    )
