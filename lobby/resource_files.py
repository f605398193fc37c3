"""Where Lobby's resources are: fonts, translations, styles, icons, sounds, branches, scenarios.

An installed wheel carries them as package data (``lobby/resources``); an editable
install and the source tree read the repository's top-level ``resources/``; a frozen
bundle has them beside its code the same way as the wheel. One function finds them.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path


@cache
def resources_dir() -> Path:
    """The folder holding the resources (package data, else the source tree's)."""
    packaged = Path(str(files("lobby") / "resources"))
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    """One resource file or folder, e.g. ``resource("fonts", "wqy-microhei.ttc")``."""
    return resources_dir().joinpath(*parts)
