"""How a refused value or an error message is shown: escaped, cut short, on one line.

Kept free of SQLAlchemy so that the command line can report a usage mistake
without loading the storage layer.
"""

from __future__ import annotations

#: Characters of a refused value shown back.
SHOWN_MAX = 40
#: Characters of any one-line message.
MESSAGE_MAX = 400


def unicode_escape(char: str) -> str:
    """``char`` as an escape sequence (an undecodable byte as a hex escape)."""
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return char.encode("unicode_escape").decode("ascii")


def printable(char: str) -> bool:
    """Whether ``char`` can be shown as it is (a space can)."""
    return char.isprintable() or char == " "


def escaped(text: str) -> str:
    """``text`` with control characters and undecodable bytes written as escapes."""
    return "".join(c if printable(c) else unicode_escape(c) for c in text)


def shown(value: object, limit: int = SHOWN_MAX) -> str:
    """A value as an error message quotes it: escaped, cut short, in quotes."""
    text = escaped(str(value))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


def one_line(message: str, limit: int = MESSAGE_MAX) -> str:
    """A message fit for one line of stderr: escaped and at most ``limit`` characters."""
    text = escaped(message)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def undecodable(text: str) -> bool:
    """Whether ``text`` holds bytes that were not UTF-8 (decoded with surrogateescape)."""
    return any(0xD800 <= ord(c) <= 0xDFFF for c in text)
