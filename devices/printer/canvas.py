"""A paper-wide column of text lines, rules and pictures, drawn as one 1-bit image."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from PIL import Image, ImageDraw

from devices.printer.text import font, wrap

Align = Literal["left", "center"]
WHITE, BLACK = 1, 0

# Text is drawn anti-aliased and then cut at this grey level: rounder and a little
# heavier than the font's own 1-bit rendering, which thermal heads print faintly.
INK_BELOW = 176
_INK_TABLE = [0 if level < INK_BELOW else 255 for level in range(256)]


def _ink(grey: Image.Image) -> Image.Image:
    """A greyscale drawing as black-and-white dots."""
    return grey.point(_INK_TABLE, mode="1")


def _ink_box(text: str, size: int) -> tuple[int, int, int, int]:
    """Where the ink of ``text`` in bold huge type falls, relative to its origin."""
    left, top, right, bottom = font(size).getbbox(text, stroke_width=2)
    return int(left), int(top), int(right), int(bottom)


@dataclass
class Column:
    """Blocks stacked top to bottom on paper ``width`` dots wide.

    Attributes:
        width: The paper's printable width in dots; the image is exactly this wide.
        margin: Blank dots kept at the left and right edges.
    """

    width: int
    margin: int
    _blocks: list[Image.Image] = field(default_factory=list)

    @property
    def inner(self) -> int:
        """The width available to content."""
        return self.width - 2 * self.margin

    def text(
        self,
        text: str,
        size: int,
        *,
        align: Align = "center",
        bold: bool = False,
        indent: int = 0,
        first_indent: int | None = None,
    ) -> None:
        """Add ``text`` wrapped to the column, one block per line.

        Args:
            text: What to write; may mix Chinese and English.
            size: Font size in dots.
            align: Left-aligned or centred lines.
            bold: Thicken the strokes (the font has no bold face).
            indent: Left indent of every line in dots (hanging indent for lists).
            first_indent: Indent of the first line, when it differs from ``indent``.
        """
        face = font(size)
        # Bold is the text drawn again a dot or two to the right: the font has no bold
        # face, and a stroke outline clogs small Chinese characters.
        shift = max(1, size // 24) if bold else 0
        first = indent if first_indent is None else first_indent
        ascent, descent = face.getmetrics()
        lines = wrap(text, face, self.inner - max(first, indent) - shift)
        for number, line in enumerate(lines):
            block = Image.new("L", (self.width, ascent + descent), 255)
            draw = ImageDraw.Draw(block)
            left = self.margin + (first if number == 0 else indent)
            if align == "center":
                left = (self.width - int(face.getlength(line)) - shift) // 2
            for dx in range(shift + 1):
                draw.text((left + dx, 0), line, font=face, fill=0)
            self._blocks.append(_ink(block))

    def big(self, text: str, *, height: int) -> None:
        """Add one line in very large type: as tall as ``height`` allows, never wider.

        The block is cropped to the ink so that huge type wastes no paper.
        """
        size = height
        left, top, right, bottom = _ink_box(text, size)
        while right - left > self.inner and size > 8:
            # shrink in proportion, then a dot at a time for the stroke that does not scale
            size = min(size - 1, size * self.inner // (right - left))
            left, top, right, bottom = _ink_box(text, size)
        block = Image.new("L", (self.width, bottom - top), 255)
        x = (self.width - (right - left)) // 2 - left
        ImageDraw.Draw(block).text(
            (x, -top), text, font=font(size), fill=0, stroke_width=2, stroke_fill=0
        )
        self._blocks.append(_ink(block))

    def rule(self, thickness: int = 2, *, gap: int = 10) -> None:
        """Add a horizontal line across the content width with ``gap`` dots around it."""
        block = Image.new("1", (self.width, thickness + 2 * gap), WHITE)
        ImageDraw.Draw(block).rectangle(
            (self.margin, gap, self.width - self.margin - 1, gap + thickness - 1), fill=BLACK
        )
        self._blocks.append(block)

    def space(self, dots: int) -> None:
        """Add blank paper."""
        self._blocks.append(Image.new("1", (self.width, dots), WHITE))

    def picture(self, picture: Image.Image, *, edge_to_edge: bool = False) -> None:
        """Add a picture centred, scaled down (never up) to fit the column.

        Args:
            picture: The picture; converted to black and white.
            edge_to_edge: Use the full paper width, margins included (rulers).
        """
        room = self.width if edge_to_edge else self.inner
        if picture.width > room:
            picture = picture.resize(
                (room, max(1, round(picture.height * room / picture.width))),
                Image.Resampling.NEAREST,
            )
        block = Image.new("1", (self.width, picture.height), WHITE)
        block.paste(picture.convert("1"), ((self.width - picture.width) // 2, 0))
        self._blocks.append(block)

    def render(self) -> Image.Image:
        """The whole column as one 1-bit image (white paper, black ink)."""
        image = Image.new("1", (self.width, sum(b.height for b in self._blocks)), WHITE)
        top = 0
        for block in self._blocks:
            image.paste(block, (0, top))
            top += block.height
        return image
