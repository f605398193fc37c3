"""``lobby board``: the open calls and the waiting per service.

A module of its own so that the most frequent read command imports only what it shows.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from lobby.cli.context import CliContext
from lobby.queries.board import board as read_board

Add = Callable[
    [str, Callable[[argparse.Namespace, CliContext], None], str], argparse.ArgumentParser
]


def board(args: argparse.Namespace, ctx: CliContext) -> None:
    """Show the open calls and the waiting per service."""
    db = ctx.database()
    with db.read() as session:
        view = read_board(session, db.clock.now())
    lines = ["Now calling:"] + [
        f"  {t.number} -> counter {t.counter} ({t.state})" for t in view.calls
    ] or ["  -"]
    lines.append("Waiting:")
    lines += [
        f"  {q.prefix} {q.name_zh} {q.name_en}: {q.waiting} waiting, "
        f"longest {q.longest_wait_min} min"
        for q in view.queues
    ]
    ctx.emit(view.to_json(), "\n".join(lines))


def register(add: Add) -> None:
    """Add ``lobby board`` to the parser."""
    add("board", board, "show current calls and waiting per service")
