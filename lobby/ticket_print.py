"""Everything a printed ticket shows, as plain data for the printer adapters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from lobby.clock import zone
from lobby.estimate import estimate_wait
from lobby.models import Branch, Service, Ticket
from lobby.ticket_code import ticket_link

NOTICE_ZH = "请留意叫号，过号需重新取号"
NOTICE_EN = "Please listen for your number; a missed call needs a new ticket"
#: What every surface says, instead of a wait, when no staffed counter serves a service.
UNSERVED_ZH = "暂无窗口办理此业务"
UNSERVED_EN = "No counter is serving this now"


@dataclass(frozen=True)
class PrintableTicket:
    """A ticket as paper shows it; times already in the branch's local time."""

    branch_zh: str
    branch_en: str
    number: str
    service_zh: str
    service_en: str
    ahead: int
    wait_low_min: int
    wait_high_min: int
    issued_local: datetime
    documents: tuple[tuple[str, str], ...]
    code: str
    wait_rough: bool = False
    #: No staffed counter serves the service now: the paper says so instead of a wait.
    unserved: bool = False
    notice_zh: str = NOTICE_ZH
    notice_en: str = NOTICE_EN


def printable_ticket(
    session: Session, ticket_id: int, code: str, base_url: str | None = None
) -> PrintableTicket:
    """Collect the printed content of a ticket.

    Args:
        session: A session that can read the ticket.
        ticket_id: The ticket.
        code: Its signed code (``TicketView.code``).
        base_url: Where phones reach ``lobby web``: the QR then holds the link to the
            ticket's page, ``BASE/t/<code>``; without it, the bare code.
    """
    ticket = session.get_one(Ticket, ticket_id)
    branch = session.get_one(Branch, 1)
    service = session.get_one(Service, ticket.service_id)
    wait = estimate_wait(session, ticket_id)
    return PrintableTicket(
        branch_zh=branch.name_zh,
        branch_en=branch.name_en,
        number=ticket.number,
        service_zh=service.name_zh,
        service_en=service.name_en,
        ahead=wait.ahead,
        wait_low_min=wait.low_min,
        wait_high_min=wait.high_min,
        wait_rough=wait.rough,
        unserved=wait.unserved,
        issued_local=ticket.issued_at.astimezone(zone(branch.timezone)),
        documents=tuple((d["zh"], d["en"]) for d in service.documents),
        code=ticket_link(base_url, code),
    )
