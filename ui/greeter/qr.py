"""A QR code drawn for the screen, from the same content the printed ticket carries."""

from __future__ import annotations

import qrcode  # type: ignore[import-untyped]
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap


def qr_pixmap(content: str, size: int) -> QPixmap:
    """``content`` as a black-on-white QR code about ``size`` pixels square."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(content)
    code.make(fit=True)
    matrix: list[list[bool]] = code.get_matrix()
    modules = len(matrix)
    box = max(1, size // modules)
    pixmap = QPixmap(box * modules, box * modules)
    pixmap.fill(QColor("white"))
    painter = QPainter(pixmap)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("black"))
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                painter.drawRect(QRect(x * box, y * box, box, box))
    painter.end()
    return pixmap
