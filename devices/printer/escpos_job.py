"""The ESC/POS bytes of one printed picture: initialise, raster image, feed, cut.

The bytes are composed with python-escpos's ``Dummy`` printer, so a job is plain
data: the same bytes go to every connection and into the golden test file.
python-escpos is imported on first use, never when this package is imported.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from PIL import Image
from platformdirs import user_cache_path

#: Rows per ``GS v 0`` block; printers with small receive buffers choke on taller ones.
FRAGMENT_ROWS = 512


def raster_job(picture: Image.Image, width: int) -> bytes:
    """The complete job that prints ``picture`` and cuts the paper.

    Args:
        picture: A 1-bit image exactly ``width`` dots wide.
        width: The printable width in dots (384 or 576).

    Returns:
        ``ESC @``, the picture as ``GS v 0`` raster blocks, ``ESC d 6`` and ``GS V 0``.
    """
    prepare_escpos()
    from escpos.printer import Dummy  # type: ignore[import-untyped]

    if picture.width != width:
        raise ValueError(f"the picture is {picture.width} dots wide, the paper {width}")
    printer: Any = Dummy()
    # A profile of our own paper: python-escpos checks the width against it (and
    # prints a warning to stdout when the default profile does not know it).
    printer.profile.profile_data = {
        **printer.profile.profile_data,
        "media": {"width": {"pixels": width, "mm": 80 if width == 576 else 58}, "dpi": 203},
    }
    printer.hw("INIT")
    printer.image(picture, impl="bitImageRaster", fragment_height=FRAGMENT_ROWS)
    printer.cut(mode="FULL")
    job: bytes = printer.output
    return job


def prepare_escpos() -> None:
    """Point python-escpos's capabilities cache at Lobby's cache directory.

    Call before python-escpos is first imported. Without it, every process that
    imports python-escpos makes a new temporary directory and spends about 0.1 s
    re-reading its printer database. An explicit ``ESCPOS_CAPABILITIES_PICKLE_DIR``
    is left alone.
    """
    if "escpos" in sys.modules or "ESCPOS_CAPABILITIES_PICKLE_DIR" in os.environ:
        return
    cache = user_cache_path("lobby", appauthor=False) / "escpos"
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # python-escpos falls back to a temporary directory
    os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(cache)
