"""Commands that start the Qt apps; Qt is imported inside the handlers only."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from lobby.cli.context import CliContext

Add = Callable[
    [str, Callable[[argparse.Namespace, CliContext], None], str], argparse.ArgumentParser
]
APPS = ("teller",)


def teller(args: argparse.Namespace, ctx: CliContext) -> None:
    """Start the teller console."""
    from ui.teller.main import run

    run(ctx.database(), args.counter, args.staff)


def shots(args: argparse.Namespace, ctx: CliContext) -> None:
    """Render an app's screens to PNG files with sample data."""
    from ui.shots import render

    for path in render(args.app, args.out):
        ctx.emit({"file": str(path)}, str(path))


def register(add: Add) -> None:
    """Add the app commands to the parser."""
    p = add("teller", teller, "start the teller console")
    p.add_argument("--counter", type=int, metavar="N", help="preselect this counter")
    p.add_argument("--staff", metavar="ID", help="prefill the staff id")
    p = add("shots", shots, "render an app's screens to PNG")
    p.add_argument("app", choices=APPS)
    p.add_argument("--out", type=Path, required=True, metavar="DIR")
