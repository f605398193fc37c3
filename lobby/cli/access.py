"""Access commands: checking the journal's chain (and, with them, sign-in and devices)."""

from __future__ import annotations

import argparse

from lobby.cli.context import CliContext
from lobby.errors import LobbyError
from lobby.journal import verify_chain


class ChainBroken(LobbyError):
    """``lobby audit verify`` found an event edited, deleted or inserted out of band."""

    exit_code = 1


def audit_verify(args: argparse.Namespace, ctx: CliContext) -> None:
    """Walk the journal's hash chain; exit 1 naming the first event that breaks it."""
    db = ctx.database()
    with db.read() as session:
        report = verify_chain(session)
    if not report.intact:
        if ctx.as_json:
            ctx.emit(report.to_json(), report.message)
        raise ChainBroken(report.message)
    ctx.emit(report.to_json(), report.message)
