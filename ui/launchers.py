"""The apps as programs of their own: ``lobby-greeter``, ``lobby-teller``, ...

Each is ``lobby APP`` with the same options (``lobby-greeter --kiosk`` is
``lobby greeter --kiosk``), so menus, desktop entries and systemd units start the
apps through the command line's checks, messages and exit codes.
"""

from __future__ import annotations

import sys

from lobby.cli.main import main


def _start(app: str) -> int:
    return main([app, *sys.argv[1:]])


def greeter() -> int:
    """``lobby-greeter``: the greeter's tablet app."""
    return _start("greeter")


def teller() -> int:
    """``lobby-teller``: the teller console."""
    return _start("teller")


def display() -> int:
    """``lobby-display``: the hall display."""
    return _start("display")


def manager() -> int:
    """``lobby-manager``: the branch manager's app."""
    return _start("manager")
