"""Device commands (speaking); device libraries are imported inside the handlers only."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from lobby.cli.context import CliContext

Add = Callable[
    [str, Callable[[argparse.Namespace, CliContext], None], str], argparse.ArgumentParser
]


def register(add: Add) -> None:
    """Add the speaking commands to the parser."""
