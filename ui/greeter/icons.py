"""The tile and action icons: simple SVGs drawn for Lobby (``resources/icons``)."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from lobby.resource_files import resource

ICONS = resource("icons")
#: The icon of a service that has none of its own.
FALLBACK = "service"


def icon(name: str) -> QIcon:
    """The icon called ``name`` (a service code or an action), or the generic one."""
    path = ICONS / f"{name}.svg"
    if not path.exists():
        path = ICONS / f"{FALLBACK}.svg"
    return QIcon(str(path))
