"""Customers sent to a machine in the hall instead of a counter: no ticket, one journal line.

A diversion takes no number and changes no queue, but it is work the greeter did
and demand the branch had; without the journal line the day's figures would not
know about it.
"""

from __future__ import annotations

from lobby.access import Op, authorise
from lobby.db import UnitOfWork
from lobby.engine.common import service_by_code
from lobby.errors import InvalidInput
from lobby.vocabulary import EventKind

#: Why a customer was sent elsewhere.
DIVERSION_REASONS = ("self_service",)


def record_diversion(uow: UnitOfWork, service_code: str, reason: str = "self_service") -> None:
    """Journal that a customer who came for ``service_code`` was sent to a machine.

    Args:
        uow: The unit of work (its actor is the greeter who sent the customer).
        service_code: The service the customer came for.
        reason: Why no ticket was issued; ``self_service``: a machine in the hall
            does this service.

    Raises:
        InvalidInput: Unknown or inactive service, unknown reason, or a service no
            machine offers.
    """
    authorise(uow, Op.DIVERT)
    if reason not in DIVERSION_REASONS:
        raise InvalidInput(
            f"unknown diversion reason {reason!r}; choose one of: {', '.join(DIVERSION_REASONS)}"
        )
    service = service_by_code(uow, service_code)
    if not (service.self_service_zh or service.self_service_en):
        raise InvalidInput(f"service {service.code!r} has no self-service machine to send to")
    uow.record(EventKind.DIVERTED, payload={"service": service.code, "reason": reason})
