"""Commands that start the Qt apps; Qt is imported inside the handlers only."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from lobby.cli.context import CliContext

Add = Callable[
    [str, Callable[[argparse.Namespace, CliContext], None], str], argparse.ArgumentParser
]
APPS = ("teller", "display")


def teller(args: argparse.Namespace, ctx: CliContext) -> None:
    """Start the teller console."""
    from ui.teller.main import run

    run(ctx.database(), args.counter, args.staff)


def display(args: argparse.Namespace, ctx: CliContext) -> None:
    """Start the hall display."""
    from ui.display.main import run

    run(ctx.database(), None, args.layout, args.full_screen)


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
    p = add("display", display, "start the hall display")
    p.add_argument("--layout", choices=["board", "counters"], default="board")
    p.add_argument("--voice", choices=["on", "off"], default="on")
    p.add_argument("--lang", default="zh,en", help="announcement languages, in order")
    p.add_argument("--full-screen", action="store_true")
    p = add("shots", shots, "render an app's screens to PNG")
    p.add_argument("app", choices=APPS)
    p.add_argument("--out", type=Path, required=True, metavar="DIR")
