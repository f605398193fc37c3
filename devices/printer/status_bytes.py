"""ESC/POS real-time status (``DLE EOT n``): the queries and how to read their answers.

Every answer is one byte whose bits 1 and 4 are set and bits 0 and 7 clear; a
byte that is not of that form is not a status answer (a print server echoing,
a line with the wrong speed) and is read as "unknown", never as a paper state.
"""

from __future__ import annotations

PRINTER, OFFLINE_CAUSE, PAPER = 1, 2, 4

_FIXED_MASK, _FIXED_BITS = 0x93, 0x12


def query(kind: int) -> bytes:
    """The request for status ``kind`` (1 printer, 2 offline cause, 4 paper sensor)."""
    return bytes((0x10, 0x04, kind))


def is_status_byte(answer: int) -> bool:
    """Whether ``answer`` has the fixed bits every status answer has."""
    return answer & _FIXED_MASK == _FIXED_BITS


def says_offline(answer: int) -> bool:
    """``DLE EOT 1``: bit 3 set when the printer is offline."""
    return bool(answer & 0x08)


def says_cover_open(answer: int) -> bool:
    """``DLE EOT 2``: bit 2 set when the cover is open."""
    return bool(answer & 0x04)


def paper_reading(answer: int) -> str:
    """``DLE EOT 4``: ``out`` (bits 5-6), ``near_end`` (bits 2-3) or ``ok``."""
    if answer & 0x60:
        return "out"
    if answer & 0x0C:
        return "near_end"
    return "ok"
