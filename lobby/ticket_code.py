"""The code printed as a ticket's QR: identifies the ticket, carries no personal data.

Format: ``LOBBY:<branch>:<yyyymmdd>:<number>:<signature>``, e.g.
``LOBBY:SH-0101:20261123:A012:K7Q2M3XP``. The signature is an HMAC with the branch's
own secret, so a forged, foreign or mistyped code is refused. Every character is in
the QR alphanumeric set, which keeps the symbol small, and a scanner that types
like a keyboard reproduces it exactly.

With a web base URL set, the QR holds a link to the ticket's phone page instead,
``BASE/t/<code>`` (:func:`ticket_link`); :func:`code_from_scan` takes the code back
out of it, so the teller's scanner reads either.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date, datetime

from lobby.errors import InvalidInput

PREFIX = "LOBBY"
_SIGNATURE_CHARS = 8
_PATTERN = re.compile(
    rf"^{PREFIX}:(?P<branch>[A-Z0-9-]+):(?P<day>\d{{8}}):(?P<number>[A-Z]{{1,2}}\d{{3}}):"
    rf"(?P<sig>[A-Z2-7]{{{_SIGNATURE_CHARS}}})$"
)


@dataclass(frozen=True)
class TicketRef:
    """What a valid code names: a ticket number on a business day."""

    day: date
    number: str


#: The phone page's path before the code, ``/t/``.
LINK_PATH = "/t/"


def ticket_link(base_url: str | None, code: str) -> str:
    """What the printed QR holds: the phone page's link, or the bare code without a base."""
    if not base_url:
        return code
    return f"{base_url.rstrip('/')}{LINK_PATH}{code}"


def code_from_scan(text: str) -> str:
    """The code in a scan: the text itself, or the part after ``/t/`` of a link."""
    cleaned = text.strip()
    marker = cleaned.upper().rfind(LINK_PATH.upper())
    if marker >= 0 and "://" in cleaned[:marker]:
        cleaned = cleaned[marker + len(LINK_PATH) :]
    return cleaned.split("?", 1)[0].split("#", 1)[0].upper()


def looks_like_code(text: str) -> bool:
    """Whether ``text`` is meant as a scanned code (or link) rather than a typed number."""
    return code_from_scan(text).startswith(f"{PREFIX}:")


def _signature(secret: str, body: str) -> str:
    digest = hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:_SIGNATURE_CHARS]


def encode(secret: str, branch: str, day: date, number: str) -> str:
    """The signed code of ticket ``number`` of ``day`` at ``branch``."""
    body = f"{PREFIX}:{branch.upper()}:{day:%Y%m%d}:{number.upper()}"
    return f"{body}:{_signature(secret, body)}"


def decode(secret: str, branch: str, text: str) -> TicketRef:
    """Check a scanned code (or the link holding it) and return the ticket it names.

    Raises:
        InvalidInput: Not a Lobby code, another branch's code, or a signature that
            does not match (forged or mistyped).
    """
    cleaned = code_from_scan(text)
    match = _PATTERN.match(cleaned)
    if match is None:
        raise InvalidInput("not a Lobby ticket code")
    if match["branch"] != branch.upper():
        raise InvalidInput(f"this ticket is from another branch ({match['branch']})")
    body = cleaned.rsplit(":", 1)[0]
    if not hmac.compare_digest(_signature(secret, body), match["sig"]):
        raise InvalidInput("the ticket code does not check out: forged or mistyped")
    try:
        day = datetime.strptime(match["day"], "%Y%m%d").date()
    except ValueError:
        raise InvalidInput("the ticket code has an impossible date") from None
    return TicketRef(day, match["number"])
