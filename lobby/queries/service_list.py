"""The services a branch offers and how each queue stands: what a greeter shows first.

Plain frozen dataclasses read in one short read transaction; screens get these,
never ORM rows or sessions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.clock import business_day
from lobby.models import Branch, Service
from lobby.queries.queues import queue_outlook


@dataclass(frozen=True)
class DocumentInfo:
    """One document a service asks for."""

    key: str
    zh: str
    en: str


@dataclass(frozen=True)
class ServiceInfo:
    """One service: names, what it is for, its documents and how its queue stands.

    Attributes:
        self_service_zh: The machine in the hall that can do this instead, if any.
        waiting: Tickets waiting for it now.
        wait_low_min: Low end of a newcomer's expected wait, in minutes.
        wait_high_min: High end of a newcomer's expected wait, in minutes.
        unserved: No staffed counter serves it now (no wait can be promised).
    """

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
    unserved: bool = False

    @property
    def self_service(self) -> bool:
        """Whether a machine in the hall can do this for the customer."""
        return bool(self.self_service_zh or self.self_service_en)


@dataclass(frozen=True)
class ServiceList:
    """The branch and its active services in display order, with live queues."""

    branch_zh: str
    branch_en: str
    services: tuple[ServiceInfo, ...]
    complaint_answer_days: int = 3

    def service(self, code: str) -> ServiceInfo | None:
        """The service called ``code``, if it is offered."""
        return next((s for s in self.services if s.code == code), None)


def read_service_list(session: Session, now: datetime) -> ServiceList:
    """The branch, its active services in display order and their queues at ``now``."""
    branch = session.get_one(Branch, 1)
    today = business_day(now, branch.timezone)
    queues = {q.service: q for q in queue_outlook(session, now, today=today)}
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
                unserved=queue.unserved if queue else False,
            )
        )
    days = int((branch.policy or {}).get("complaint_answer_days", 3))
    return ServiceList(branch.name_zh, branch.name_en, tuple(services), days)
