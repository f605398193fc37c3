"""Complaints: filed at the door, followed up by a manager until the customer is informed.

Lifecycle (one table of allowed moves, :data:`TRANSITIONS`)::

    new -> in_progress -> resolved -> informed
    new -> resolved            (settled on the spot)
    resolved -> in_progress    (reopened before the customer was told)

The answer deadline (``answer_due``) is set when the complaint is filed, from the
branch policy's ``complaint_answer_days``; it is met when the customer is informed.
Every follow-up operation is manager-only and checked in its own transaction.
"""

from lobby.complaints.lifecycle import (
    add_complaint_note,
    assign_complaint,
    file_complaint,
    follow_up,
    move_complaint,
    reveal_contact,
    update_complaint,
)
from lobby.complaints.rules import (
    COMPLAINT_CATEGORIES,
    COMPLAINT_STATUSES,
    FOLLOW_UP_CHANNELS,
    INFORM_CHANNELS,
    LEGACY_STATUSES,
    MAX_TEXT,
    TRANSITIONS,
)
from lobby.complaints.views import (
    ComplaintNoteView,
    ComplaintQuery,
    ComplaintView,
    complaint_view,
    get_complaint,
    list_complaints,
)

__all__ = [
    "COMPLAINT_CATEGORIES",
    "COMPLAINT_STATUSES",
    "FOLLOW_UP_CHANNELS",
    "INFORM_CHANNELS",
    "LEGACY_STATUSES",
    "MAX_TEXT",
    "TRANSITIONS",
    "ComplaintNoteView",
    "ComplaintQuery",
    "ComplaintView",
    "add_complaint_note",
    "assign_complaint",
    "complaint_view",
    "file_complaint",
    "follow_up",
    "get_complaint",
    "list_complaints",
    "move_complaint",
    "reveal_contact",
    "update_complaint",
]
