"""Reads ESC/POS bytes back: the commands, and the printed pictures as one image.

Knows the commands Lobby's printer adapter and python-escpos's ``image()`` send:
``ESC @``, ``GS v 0`` raster and ``ESC *`` column images, ``ESC 3``/``ESC 2`` line
spacing, ``LF``, ``ESC d`` feed, ``GS V`` cut and ``DLE EOT`` status queries.
Anything else is an error, so an unexpected byte in a job fails the test.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

ESC, GS, DLE, LF = 0x1B, 0x1D, 0x10, 0x0A


@dataclass(frozen=True)
class Command:
    """One decoded command.

    Attributes:
        name: ``init``, ``raster``, ``column``, ``line_spacing``, ``reset_spacing``,
            ``lf``, ``feed``, ``cut`` or ``status``.
        args: The parameter bytes (for pictures: the header parameters only).
        start: Offset of the command in the stream.
        picture: The decoded picture of ``raster`` and ``column`` commands.
    """

    name: str
    args: bytes
    start: int
    picture: Image.Image | None = None


class Incomplete(Exception):
    """The stream ends inside a command; more bytes are needed."""


def next_command(data: bytes | bytearray, pos: int) -> tuple[Command, int]:
    """The command starting at ``pos`` and the offset after it.

    Raises:
        Incomplete: ``data`` ends before the command does.
        ValueError: Bytes that are not a known command.
    """

    def need(count: int) -> bytes:
        if pos + count > len(data):
            raise Incomplete
        return data[pos : pos + count]

    head = need(1)[0]
    if head == LF:
        return Command("lf", b"", pos), pos + 1
    if head == DLE:
        _, eot, n = need(3)
        if eot != 0x04 or n not in (1, 2, 3, 4):
            raise ValueError(f"unknown DLE command at {pos}: {need(3).hex()}")
        return Command("status", bytes([n]), pos), pos + 3
    if head == ESC:
        code = need(2)[1]
        if code == ord("@"):
            return Command("init", b"", pos), pos + 2
        if code == ord("2"):
            return Command("reset_spacing", b"", pos), pos + 2
        if code in (ord("d"), ord("3")):
            name = "feed" if code == ord("d") else "line_spacing"
            return Command(name, need(3)[2:], pos), pos + 3
        if code == ord("*"):
            return _column(data, pos, need(5))
    if head == GS:
        code = need(2)[1]
        if code == ord("v"):
            return _raster(data, pos, need(8))
        if code == ord("V"):
            mode = need(3)[2]
            if mode in (0, 1, 48, 49):
                return Command("cut", bytes([mode]), pos), pos + 3
            if mode in (65, 66):
                return Command("cut", need(4)[2:], pos), pos + 4
    raise ValueError(f"unknown ESC/POS byte {head:#04x} at offset {pos}")


def _raster(data: bytes | bytearray, pos: int, header: bytes) -> tuple[Command, int]:
    """``GS v 0 m xL xH yL yH`` + rows of ``xL + 256 xH`` bytes, MSB leftmost."""
    if header[2] != ord("0"):
        raise ValueError(f"unknown GS v command at {pos}")
    width_bytes = header[4] + 256 * header[5]
    height = header[6] + 256 * header[7]
    end = pos + 8 + width_bytes * height
    if end > len(data):
        raise Incomplete
    picture = Image.frombytes("1", (width_bytes * 8, height), data[pos + 8 : end])
    return Command("raster", header[3:], pos, _ink_black(picture)), end


def _column(data: bytes | bytearray, pos: int, header: bytes) -> tuple[Command, int]:
    """``ESC * m nL nH`` + columns of 1 (8-dot) or 3 (24-dot) bytes, MSB on top."""
    mode, width = header[2], header[3] + 256 * header[4]
    depth = {0: 1, 1: 1, 32: 3, 33: 3}[mode]
    end = pos + 5 + width * depth
    if end > len(data):
        raise Incomplete
    picture = Image.new("1", (width, depth * 8), 1)
    body = data[pos + 5 : end]
    for x in range(width):
        for k in range(depth):
            byte = body[x * depth + k]
            for bit in range(8):
                if byte & (0x80 >> bit):
                    picture.putpixel((x, k * 8 + bit), 0)
    return Command("column", header[2:], pos, picture), end


def _ink_black(raw: Image.Image) -> Image.Image:
    """ESC/POS sets a bit for ink; PIL's mode "1" has 1 for white."""
    return raw.point(lambda value: 255 - value)


def decode(data: bytes) -> list[Command]:
    """Every command in ``data``, which must end on a command boundary."""
    commands: list[Command] = []
    pos = 0
    while pos < len(data):
        try:
            command, pos = next_command(data, pos)
        except Incomplete:
            raise ValueError(f"the job is cut off inside a command at offset {pos}") from None
        commands.append(command)
    return commands


def printed_picture(commands: list[Command]) -> Image.Image:
    """The pictures of ``commands`` stacked top to bottom as they leave the printer."""
    pictures = [c.picture for c in commands if c.picture is not None]
    if not pictures:
        raise ValueError("the job prints no picture")
    width = max(p.width for p in pictures)
    sheet = Image.new("1", (width, sum(p.height for p in pictures)), 1)
    top = 0
    for picture in pictures:
        sheet.paste(picture, (0, top))
        top += picture.height
    return sheet
