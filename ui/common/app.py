"""Create the QApplication with Lobby's bundled CJK font and style."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from lobby.resource_files import resource
from ui.common.collector import collect_on_gui_thread

log = logging.getLogger(__name__)
FONT_FILE = resource("fonts", "wqy-microhei.ttc")
STYLE_FILE = resource("styles", "lobby.qss")


def load_font() -> str:
    """Register the bundled CJK font and return its family name.

    The font ships with the app, so Chinese renders even on a machine without CJK fonts.
    """
    font_id = QFontDatabase.addApplicationFont(str(FONT_FILE))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.warning("could not load %s; Chinese may not render", FONT_FILE)
        return QFont().family()
    return families[0]


def make_app(argv: Sequence[str] | None = None) -> QApplication:
    """The running QApplication (created once), with the CJK font as default.

    Python's cyclic garbage collection runs on the GUI thread from then on (see
    :mod:`ui.common.collector`).
    """
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv or sys.argv))
    collect_on_gui_thread(app)
    family = load_font()
    font = QFont(family)
    font.setPointSize(12)
    app.setFont(font)
    if STYLE_FILE.exists():
        app.setStyleSheet(STYLE_FILE.read_text(encoding="utf-8"))
    return app
