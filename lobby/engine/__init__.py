"""The queue engine: one function per operation, each run inside one unit of work.

Usage::

    with db.unit_of_work(actor="T01") as uow:
        ticket = engine.call_next(uow, counter_number=3)
"""

from typing import TYPE_CHECKING

from lobby.lazy import lazy_exports

if TYPE_CHECKING:
    from lobby.engine.calling import call_next, call_ticket, recall
    from lobby.engine.customer import on_the_way
    from lobby.engine.day import close_day, set_counter_status
    from lobby.engine.diversions import record_diversion
    from lobby.engine.issuing import (
        book_appointment,
        check_in_appointment,
        issue_ticket,
        record_reprint,
    )
    from lobby.engine.missed import missed_standing, missed_tickets, recall_missed, undo_no_show
    from lobby.engine.occupancy import sign_out
    from lobby.engine.serving import cancel, finish, no_show, park, resume, start, transfer
    from lobby.engine.visits import (
        confirm_details,
        file_complaint,
        rate_visit,
        update_complaint,
        visit_of,
    )
else:  # imported on first use (lobby/lazy.py)
    __getattr__ = lazy_exports(
        __name__,
        {
            "calling": (
                "call_next",
                "call_ticket",
                "recall",
            ),
            "customer": ("on_the_way",),
            "day": (
                "close_day",
                "set_counter_status",
            ),
            "diversions": ("record_diversion",),
            "issuing": (
                "book_appointment",
                "check_in_appointment",
                "issue_ticket",
                "record_reprint",
            ),
            "missed": (
                "missed_standing",
                "missed_tickets",
                "recall_missed",
                "undo_no_show",
            ),
            "occupancy": ("sign_out",),
            "serving": (
                "cancel",
                "finish",
                "no_show",
                "park",
                "resume",
                "start",
                "transfer",
            ),
            "visits": (
                "confirm_details",
                "file_complaint",
                "rate_visit",
                "update_complaint",
                "visit_of",
            ),
        },
    )

__all__ = [
    "book_appointment",
    "call_next",
    "call_ticket",
    "cancel",
    "check_in_appointment",
    "close_day",
    "confirm_details",
    "file_complaint",
    "finish",
    "issue_ticket",
    "missed_standing",
    "missed_tickets",
    "no_show",
    "on_the_way",
    "park",
    "rate_visit",
    "recall",
    "recall_missed",
    "record_diversion",
    "record_reprint",
    "resume",
    "set_counter_status",
    "sign_out",
    "start",
    "transfer",
    "undo_no_show",
    "update_complaint",
    "visit_of",
]
