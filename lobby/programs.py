"""How Lobby starts its own programs, from a Python install and from a frozen bundle.

In a Python install a child is ``python -m lobby ...``; in a PyInstaller bundle there
is no Python to run ``-m`` with, and each program is an executable of the bundle's
folder (``lobby``, ``lobby-greeter``, ...), so a child is that executable.
"""

from __future__ import annotations

import sys
from pathlib import Path


def frozen() -> bool:
    """Whether this process runs from a frozen bundle (PyInstaller sets ``sys.frozen``)."""
    return bool(getattr(sys, "frozen", False))


def lobby_command(*args: str) -> list[str]:
    """The command that runs ``lobby ARGS`` from this installation."""
    if frozen():
        program = Path(sys.executable)
        return [str(program.with_name("lobby" + program.suffix)), *args]
    return [sys.executable, "-m", "lobby", *args]
