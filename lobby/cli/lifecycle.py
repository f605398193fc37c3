"""Operating a branch: ``lobby backup``, ``restore``, ``purge``, ``person``, ``doctor``.

``purge`` and ``person`` are manager work (``--staff/--pin`` or ``LOBBY_STAFF``/
``LOBBY_PIN``); so is ``restore`` while the current database can still be read (a
damaged or missing one cannot vouch for anybody, and whoever can replace its file
already holds the branch's data).
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from lobby.cli.context import CliContext
from lobby.clock import business_day
from lobby.db import Database
from lobby.errors import AuthenticationFailed, InvalidInput, LobbyError, PermissionDenied
from lobby.lifecycle import retention
from lobby.lifecycle.backup import make_backup
from lobby.lifecycle.doctor import Doctor, failed
from lobby.lifecycle.erasure import Erased
from lobby.lifecycle.person import erase_person, export_person
from lobby.lifecycle.restore import restore_backup
from lobby.lifecycle.retention import purge_expired
from lobby.manager_auth import check_manager_pin
from lobby.models import Branch
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
    staff = check_manager_pin(db or ctx.database(), code, pin, device="cli")
    assert staff.credential is not None, "a one-off PIN check vouches for the manager"
    return staff


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


def _erased_line(done: Erased) -> str:
    verb = "would erase" if done.dry_run else "erased"
    return (
        f"{verb} personal data of {done.visits} visits, {done.tickets} tickets, "
        f"{done.ratings} ratings, {done.appointments} appointments, {done.complaints} "
        f"complaints, {done.complaint_notes} complaint notes"
    )


def purge(args: argparse.Namespace, ctx: CliContext) -> None:
    """Erase the personal data whose retention time is up (see the branch policy)."""
    db = ctx.database()
    who = manager(args, ctx)
    if args.dry_run:
        with db.read() as session:
            branch = session.get(Branch, 1)
            assert branch is not None  # the schema check found the branch
            through = business_day(db.clock.now(), branch.timezone) - timedelta(days=1)
            done = purge_expired(session, branch, through, dry_run=True)
    else:
        with db.unit_of_work(who.credential) as uow:  # type: ignore[arg-type]
            done = retention.purge(uow)
    ctx.emit(done.to_json(), _erased_line(done))


def person(args: argparse.Namespace, ctx: CliContext) -> None:
    """Export or erase everything held about one phone number."""
    db = ctx.database()
    who = manager(args, ctx)
    if args.action == "erase":
        with db.unit_of_work(who.credential) as uow:  # type: ignore[arg-type]
            done = erase_person(uow, args.phone)
        ctx.emit(done.to_json(), _erased_line(done))
        return
    with db.unit_of_work(who.credential) as uow:  # type: ignore[arg-type]
        data = export_person(uow, args.phone)
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if args.out is None:
        print(text)
        return
    args.out.write_text(text + "\n", encoding="utf-8")
    args.out.chmod(0o600)
    counts = {key: len(data[key]) for key in ("visits", "appointments", "complaints")}
    ctx.emit({"file": str(args.out), **counts},
             f"{args.out}: " + ", ".join(f"{n} {key}" for key, n in counts.items()))  # fmt: skip


class ChecksFailed(LobbyError):
    """``lobby doctor`` found a problem (exit code 1)."""

    exit_code = 1


def doctor(args: argparse.Namespace, ctx: CliContext) -> None:
    """Check this machine's branch: one line per check; exit code 1 when one fails."""
    checks = Doctor(ctx.settings, ctx.database(must_exist=False)).run(cheap=args.cheap)
    ctx.emit(
        [{"check": c.name, "status": c.status, "detail": c.detail} for c in checks],
        "\n".join(c.line() for c in checks),
    )
    if bad := failed(checks):
        raise ChecksFailed(f"{len(bad)} of {len(checks)} checks failed: "
                           + ", ".join(c.name for c in bad))  # fmt: skip


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
    p = add("purge", purge, "erase personal data whose retention time is up")
    p.add_argument("--dry-run", action="store_true", help="only count what would go")
    p.add_argument("--staff")
    p.add_argument("--pin")
    p = add("person", person, "export or erase everything held about one phone number")
    p.add_argument("action", choices=["export", "erase"])
    p.add_argument("--phone", required=True)
    p.add_argument("--out", type=Path, metavar="FILE.json", help="export: write here")
    p.add_argument("--staff")
    p.add_argument("--pin")
    p = add("doctor", doctor, "check this machine's branch, one line per check")
    p.add_argument("--cheap", action="store_true", help="only the checks the apps run at start")
