"""The shipped CJK font and line wrapping for mixed Chinese and English text."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from PIL import ImageFont

from lobby.resource_files import resource

FONT_PATH = resource("fonts", "wqy-microhei.ttc")

# Chinese punctuation that must not begin a line (it sticks to what precedes it).
_NO_LINE_START = set("，。、；：！？）》」』】〉”’…—·%,.;:!?)")
_WORD = re.compile(r"\s+|[^\s]")


@lru_cache(maxsize=64)
def font(size: int) -> ImageFont.FreeTypeFont:
    """WenQuanYi Micro Hei at ``size`` pixels (loaded once per size)."""
    return ImageFont.truetype(str(FONT_PATH), size)


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _tokens(text: str) -> list[str]:
    """Break points: spaces, each Chinese character, each run of Latin letters."""
    tokens: list[str] = []
    for match in _WORD.finditer(text):
        piece = match.group()
        if tokens and piece in _NO_LINE_START and not tokens[-1].isspace():
            tokens[-1] += piece
        elif (
            tokens
            and not piece.isspace()
            and not _is_wide(piece)
            and tokens[-1]
            and not tokens[-1][-1].isspace()
            and not _is_wide(tokens[-1][-1])
        ):
            tokens[-1] += piece  # continue a Latin word or a number
        else:
            tokens.append(piece)
    return tokens


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Lines of ``text`` that each fit in ``width`` pixels with ``face``.

    Chinese breaks between any two characters, English between words; a word
    wider than the line is broken between letters. Newlines in ``text`` are kept.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, face, width))
    return lines


def _wrap_paragraph(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    if face.getlength(text) <= width:  # the common case: one measurement
        return [text.strip()]
    lines: list[str] = []
    line, used = "", 0.0
    for token in _tokens(text):
        size = face.getlength(token)
        trimmed = used + (face.getlength(token.rstrip()) if token[-1:].isspace() else size)
        if trimmed <= width:
            line, used = line + token, used + size
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = token.lstrip()
        while line and face.getlength(line) > width:  # one word longer than the line
            cut = _longest_prefix(line, face, width)
            lines.append(line[:cut])
            line = line[cut:]
        used = face.getlength(line)
    if line.strip() or not lines:
        lines.append(line.rstrip())
    # Widths were summed token by token; kerning across tokens could add a dot or two.
    return [part for piece in lines for part in _fit(piece, face, width)]


def _fit(line: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    if face.getlength(line) <= width:
        return [line]
    cut = line.rfind(" ", 0, _longest_prefix(line, face, width))
    cut = cut if cut > 0 else _longest_prefix(line, face, width)
    return [line[:cut].rstrip(), *_fit(line[cut:].lstrip(), face, width)]


def _longest_prefix(text: str, face: ImageFont.FreeTypeFont, width: int) -> int:
    """How many leading characters of ``text`` fit (at least one)."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if face.getlength(text[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low
