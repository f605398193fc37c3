"""The complaint rules: categories, statuses and the one table of allowed moves."""

from __future__ import annotations

from collections.abc import Sequence

from lobby.errors import InvalidInput

COMPLAINT_CATEGORIES = ("service", "waiting", "fees", "product", "facilities", "staff", "other")
COMPLAINT_STATUSES = ("new", "in_progress", "resolved", "informed")
FOLLOW_UP_CHANNELS = ("phone", "sms", "in_person", "none")
#: How the customer was told the outcome.
INFORM_CHANNELS = ("phone", "sms", "in_person", "letter", "email")
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "new": ("in_progress", "resolved"),
    "in_progress": ("resolved",),
    "resolved": ("informed", "in_progress"),
    "informed": (),
}
#: Statuses of the first schema, still accepted by :func:`update_complaint`.
LEGACY_STATUSES = {"open": "new", "closed": "informed"}
MAX_TEXT = 2000


def choice(what: str, value: str, allowed: Sequence[str]) -> None:
    """Refuse ``value`` unless it is one of ``allowed``, listing them."""
    if value not in allowed:
        raise InvalidInput(f"unknown {what} {value!r}; choose one of: {', '.join(allowed)}")


def clean_text(what: str, value: str, *, required: bool) -> str:
    """``value`` stripped; refused when too long, or empty where ``required``."""
    cleaned = value.strip()
    if required and not cleaned:
        raise InvalidInput(f"{what} must not be empty")
    if len(cleaned) > MAX_TEXT:
        raise InvalidInput(f"{what} is longer than {MAX_TEXT} characters")
    return cleaned
