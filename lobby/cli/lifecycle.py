"""Operating a branch: ``lobby backup``, ``restore``, ``purge``, ``person``, ``doctor``.

``purge`` and ``person`` are manager work (``--staff/--pin`` or ``LOBBY_STAFF``/
``LOBBY_PIN``); so is ``restore`` while the current database can still be read (a
damaged or missing one cannot vouch for anybody, and whoever can replace its file
already holds the branch's data).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from lobby.cli.context import CliContext
from lobby.db import Database
from lobby.errors import AuthenticationFailed, InvalidInput, LobbyError, PermissionDenied
from lobby.lifecycle.backup import make_backup
from lobby.lifecycle.restore import restore_backup
from lobby.manager_auth import check_manager_pin
from lobby.staff import StaffView

Handler = Callable[[argparse.Namespace, CliContext], None]
Add = Callable[[str, Handler, str], argparse.ArgumentParser]


def manager(args: argparse.Namespace, ctx: CliContext, db: Database | None = None) -> StaffView:
    """The signed-in manager of ``--staff/--pin`` (or ``LOBBY_STAFF``/``LOBBY_PIN``).

    Raises:
        InvalidInput: No id or PIN given.
        AuthenticationFailed: Wrong id or PIN.
        PermissionDenied: Not a manager.
    """
    code = getattr(args, "staff", None) or os.environ.get("LOBBY_STAFF")
    pin = getattr(args, "pin", None) or os.environ.get("LOBBY_PIN")
    if not code or not pin:
        raise InvalidInput(f"{args.command} needs a manager's --staff and --pin")
    return check_manager_pin(db or ctx.database(), code, pin, device="cli")


def backup(args: argparse.Namespace, ctx: CliContext) -> None:
    """Copy the database (consistent while apps work) with a checksum file beside it."""
    directory = args.to or ctx.settings.backup_dir
    info = make_backup(ctx.database(), directory, actor=ctx.actor,
                       pg_bindir=ctx.settings.pg_bindir)  # fmt: skip
    ctx.emit(
        info.to_json(),
        f"backup {info.path} ({info.size:,} bytes, {info.format}, schema {info.revision})",
    )


def restore(args: argparse.Namespace, ctx: CliContext) -> None:
    """Put a backup back; the current database is kept aside."""
    db = ctx.database(must_exist=False)
    actor = ctx.actor
    try:
        actor = manager(args, ctx, db).code
    except (AuthenticationFailed, PermissionDenied, InvalidInput):
        if _readable(ctx, db):
            raise
    aside_dir = args.aside or ctx.settings.backup_dir / "before-restore"
    result = restore_backup(db, args.file, aside_dir, actor=actor, force=args.force,
                            pg_bindir=ctx.settings.pg_bindir)  # fmt: skip
    lines = [f"restored {result.source.name} (schema {result.revision}, now {result.upgraded_to})"]
    lines.append(
        f"previous database kept at {result.aside}" if result.aside else "no previous database"
    )
    if result.forced_apps:
        lines.append(f"forced past: {', '.join(result.forced_apps)}; restart them")
    lines.append("integrity, schema, tickets and journal checked: ok")
    ctx.emit(result.to_json(), "\n".join(lines))


def _readable(ctx: CliContext, db: Database) -> bool:
    """Whether the current database holds a branch that can vouch for a manager."""
    try:
        from lobby.schema import require_current_schema

        require_current_schema(db)
        db.branch_timezone()
    except (LobbyError, DBAPIError):
        return False
    return True


def register(add: Add) -> None:
    """Add the operating commands to the parser."""
    p = add("backup", backup, "copy the database while the apps keep working")
    p.add_argument("--to", type=Path, metavar="DIR", help="default: LOBBY_BACKUP_DIR")
    p = add("restore", restore, "put a backup back (the current database is kept aside)")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--force", action="store_true", help="even with apps connected")
    p.add_argument("--aside", type=Path, metavar="DIR", help="where the current one goes")
    p.add_argument("--staff")
    p.add_argument("--pin")
