"""Manager commands: complaints follow-up, branch configuration, staff and audit.

Each one needs a manager's id and PIN: ``--staff M01 --pin ...`` or the environment
variables ``LOBBY_STAFF`` and ``LOBBY_PIN``. A right PIN writes nothing by itself, so
a refused command (exit code 2, one line on stderr) leaves the database as it was.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from lobby import admin, complaints
from lobby.audit import AuditQuery, search_journal
from lobby.cli.context import CliContext
from lobby.clock import zone
from lobby.complaints import ComplaintQuery, ComplaintView
from lobby.config import WEEKDAYS
from lobby.db import Database, UnitOfWork
from lobby.errors import InvalidInput
from lobby.keyfiles import saved_session
from lobby.manager_auth import check_manager_pin, require_manager
from lobby.staff import StaffView

Handler = Callable[[argparse.Namespace, CliContext], None]
Add = Callable[[str, Handler, str], argparse.ArgumentParser]


# --- sign-in and shared helpers ------------------------------------------------------------------


def _manager(args: argparse.Namespace, ctx: CliContext) -> tuple[Database, StaffView]:
    """The manager this command acts for: ``--staff/--pin`` or a ``lobby sign-in`` session."""
    db = ctx.database()
    if ctx.staff and ctx.pin:
        manager = check_manager_pin(db, ctx.staff, ctx.pin, device="cli")
        assert manager.credential is not None
        ctx.use_credential(manager.credential)  # checked once for the whole command
        return db, manager
    if not ctx.staff and not ctx.pin and saved_session(ctx.db_url) is None:
        raise InvalidInput(
            "manager commands need --staff and --pin (or LOBBY_STAFF, LOBBY_PIN), "
            "or `lobby sign-in` first"
        )
    who = ctx.principal()
    with db.read() as session:
        manager = require_manager(session, who.code)
    return db, replace(manager, credential=ctx.credential())


def _act(args: argparse.Namespace, ctx: CliContext, action: Callable[[UnitOfWork], Any]) -> Any:
    _, manager = _manager(args, ctx)
    with ctx.unit_of_work() as uow:
        return action(uow)


def _when(value: str | None, timezone: str, *, end: bool = False) -> datetime | None:
    """A day (YYYY-MM-DD, branch time; ``end``: the next midnight) or an ISO time with offset."""
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise InvalidInput(f"not a date or time: {value!r}") from None
        if moment.tzinfo is None:
            raise InvalidInput(f"give a time zone offset, e.g. {value}+08:00") from None
        return moment
    start = datetime.combine(day + timedelta(days=1) if end else day, time(), zone(timezone))
    return start


def _change(ctx: CliContext, change: admin.ConfigChange) -> None:
    text = f"{change.what}: " + (
        ", ".join(f"{section} {detail}" for section, detail in change.changes.items())
        if change.changed
        else "nothing changed"
    )
    ctx.emit(change.to_json(), text)


# --- complaints ----------------------------------------------------------------------------------


def _complaint_line(c: ComplaintView) -> str:
    if c.informed_at is not None:
        clock = "informed" + (" late" if c.answered_late else "")
    elif c.overdue:
        clock = f"OVERDUE by {-(c.time_left_s or 0) / 3600:.1f} h"
    else:
        clock = f"{(c.time_left_s or 0) / 3600:.1f} h left"
    who = c.assigned_to or "unassigned"
    return f"{c.reference}  {c.status:<11} {c.category:<10} {who:<10} {clock}  {c.description[:50]}"


def list_complaints(args: argparse.Namespace, ctx: CliContext) -> None:
    """List complaints, newest first."""
    db, manager = _manager(args, ctx)
    timezone = db.branch_timezone()
    query = ComplaintQuery(
        statuses=tuple(args.status or ()),
        category=args.category,
        assignee=args.assignee,
        overdue=args.overdue,
        since=_when(args.since, timezone),
        until=_when(args.until, timezone, end=True),
        text=args.text,
        limit=args.limit,
    )
    with db.read() as session:
        found = complaints.list_complaints(session, manager.code, db.clock.now(), query)
    ctx.emit(
        [c.to_json() for c in found],
        "\n".join(_complaint_line(c) for c in found) or "no complaints match",
    )


def _complaint_text(c: ComplaintView) -> str:
    lines = [
        _complaint_line(c),
        f"  filed {c.created_at:%Y-%m-%d %H:%M} UTC by {c.created_by}; "
        f"answer due {c.answer_due:%Y-%m-%d %H:%M} UTC",
        f"  contact {c.contact or c.contact_masked or '-'} ({c.wished_follow_up}); "
        f"next: {', '.join(c.allowed) or '-'}",
        f"  {c.description}",
    ]
    if c.resolution:
        lines.append(f"  resolution: {c.resolution}")
    lines += [f"  note {n.at:%Y-%m-%d %H:%M} {n.author}: {n.text}" for n in c.notes]
    return "\n".join(lines)


def show_complaint(args: argparse.Namespace, ctx: CliContext) -> None:
    """Show one complaint with its notes."""
    db, manager = _manager(args, ctx)
    with db.read() as session:
        found = complaints.get_complaint(session, manager.code, args.reference, db.clock.now())
    if args.reveal is not None:
        with ctx.unit_of_work() as uow:
            contact = complaints.reveal_contact(uow, args.reference, args.reveal)
        found = replace(found, contact=contact)
    ctx.emit(found.to_json(), _complaint_text(found))


def update_complaint(args: argparse.Namespace, ctx: CliContext) -> None:
    """Assign, move along or annotate a complaint."""
    view: ComplaintView = _act(
        args,
        ctx,
        lambda uow: complaints.follow_up(
            uow,
            args.reference,
            status=args.status,
            resolution=args.resolution,
            channel=args.channel,
            assign_to=args.assign,
            unassign=args.unassign,
            note=args.note,
        ),
    )
    ctx.emit(view.to_json(), _complaint_text(view))


# --- configuration -------------------------------------------------------------------------------


def config_export(args: argparse.Namespace, ctx: CliContext) -> None:
    """Print the branch TOML (no PINs), or write it to --out."""
    db, _manager_view = _manager(args, ctx)
    with db.read() as session:
        text = admin.export_toml(session)
    if args.out is None:
        print(text, end="", flush=True)
        return
    try:
        args.out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot write {args.out}: {exc.strerror or exc}") from exc
    ctx.emit({"out": str(args.out)}, f"configuration written to {args.out}")


def config_import(args: argparse.Namespace, ctx: CliContext) -> None:
    """Make the branch match a TOML file (validated first; nothing saved when refused)."""
    try:
        text = Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read {args.file}: {exc}") from exc
    _change(ctx, _act(args, ctx, lambda uow: admin.import_toml(uow, text, str(args.file))))


def _head_start(value: str) -> tuple[str, float]:
    name, sep, minutes = value.partition("=")
    try:
        return name.strip(), float(minutes)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"write CLASS=MINUTES, e.g. elderly=10: {value!r}"
        ) from None


def config_policy(args: argparse.Namespace, ctx: CliContext) -> None:
    """Change the priority rules."""
    heads = dict(args.head_start) if args.head_start else None
    if (
        heads is None
        and args.interleave is None
        and args.grace is None
        and args.answer_days is None
    ):
        raise InvalidInput(
            "nothing to change: give --head-start, --interleave, --grace or --answer-days"
        )
    _change(
        ctx,
        _act(
            args,
            ctx,
            lambda uow: admin.set_priority_rules(
                uow,
                head_start_min=heads,
                interleave=args.interleave,
                appointment_grace_min=args.grace,
                complaint_answer_days=args.answer_days,
            ),
        ),
    )


def config_notice(args: argparse.Namespace, ctx: CliContext) -> None:
    """Add or replace a notice."""
    db, manager = _manager(args, ctx)
    timezone = db.branch_timezone()
    notice = {
        "key": args.key,
        "zh": args.zh,
        "en": args.en,
        "starts": _when(args.starts, timezone),
        "ends": _when(args.ends, timezone, end=True),
    }
    with ctx.unit_of_work() as uow:
        change = admin.save_notice(uow, notice)
    _change(ctx, change)


def config_notice_remove(args: argparse.Namespace, ctx: CliContext) -> None:
    """Take a notice down."""
    _change(ctx, _act(args, ctx, lambda uow: admin.remove_notice(uow, args.key)))


def config_hours(args: argparse.Namespace, ctx: CliContext) -> None:
    """Set the opening hours (days not given are closed) or --clear them."""
    hours = {day: getattr(args, day) for day in WEEKDAYS if getattr(args, day)}
    if args.clear and hours:
        raise InvalidInput("give opening hours or --clear, not both")
    if not args.clear and not hours:
        raise InvalidInput("give the hours of at least one day, e.g. --mon 09:00-17:00, or --clear")
    _change(ctx, _act(args, ctx, lambda uow: admin.set_hours(uow, None if args.clear else hours)))


def config_counter(args: argparse.Namespace, ctx: CliContext) -> None:
    """Give a counter another work profile (or names), or add a counter."""

    def run(uow: UnitOfWork) -> admin.ConfigChange:
        with_names = admin.export_config(uow.session)
        current = next((c for c in with_names.counters if c.number == args.number), None)
        item = {
            "number": args.number,
            "name_zh": args.name_zh or (current.name_zh if current else f"{args.number}号窗口"),
            "name_en": args.name_en or (current.name_en if current else f"Counter {args.number}"),
            "profile": args.profile or (current.profile if current else ""),
        }
        return admin.save_counter(uow, item)

    _change(ctx, _act(args, ctx, run))


# --- staff ---------------------------------------------------------------------------------------


def staff_list(args: argparse.Namespace, ctx: CliContext) -> None:
    """List the staff accounts."""
    db, manager = _manager(args, ctx)
    with db.read() as session:
        members = admin.list_staff(session, manager.code, db.clock.now())
    lines = [
        f"{m.code:<8} {m.role:<8} {'active' if m.active else 'disabled':<8} "
        f"{'locked ' if m.locked_until else ''}{m.name}"
        for m in members
    ]
    ctx.emit([m.to_json() for m in members], "\n".join(lines))


def staff_add(args: argparse.Namespace, ctx: CliContext) -> None:
    """Add a staff member with a first PIN."""
    _change(
        ctx,
        _act(
            args,
            ctx,
            lambda uow: admin.add_staff(uow, args.code, args.name, args.role, args.new_pin),
        ),
    )


def staff_disable(args: argparse.Namespace, ctx: CliContext) -> None:
    """Refuse a staff member's sign-in from now on."""
    _change(ctx, _act(args, ctx, lambda uow: admin.disable_staff(uow, args.code)))


def staff_enable(args: argparse.Namespace, ctx: CliContext) -> None:
    """Let a disabled staff member sign in again."""
    _change(ctx, _act(args, ctx, lambda uow: admin.enable_staff(uow, args.code)))


def staff_reset_pin(args: argparse.Namespace, ctx: CliContext) -> None:
    """Give a staff member a new PIN and lift any lock-out; they change it at next sign-in."""
    change = _act(args, ctx, lambda uow: admin.reset_pin(uow, args.code, args.new_pin))
    code = args.code.strip().upper()
    ctx.emit(
        change.to_json(),
        f"{change.what}: nothing changed"
        if not change.changed
        else f"{change.what}: new PIN set"
        if code == (ctx.staff or "").strip().upper()
        else f"{change.what}: new PIN set; {code} chooses their own at next sign-in "
        f"(lobby change-pin --staff {code})",
    )


# --- audit ---------------------------------------------------------------------------------------


def audit(args: argparse.Namespace, ctx: CliContext) -> None:
    """The journal filtered by actor, ticket, counter, kind and time, newest first."""
    if args.audit_action == "verify":
        from lobby.cli.access import audit_verify

        audit_verify(args, ctx)
        return
    db, manager = _manager(args, ctx)
    timezone = db.branch_timezone()
    query = AuditQuery(
        actor=args.actor,
        ticket=args.ticket,
        counter=args.counter,
        kinds=tuple(args.kind or ()),
        since=_when(args.since, timezone),
        until=_when(args.until, timezone, end=True),
        before_id=args.before_id,
        page_size=args.limit,
    )
    with db.read() as session:
        page = search_journal(session, ctx.credential(), query, db.clock.now())
    local = zone(timezone)
    lines = [
        f"#{e.id} {e.at.astimezone(local):%Y-%m-%d %H:%M:%S} {e.kind} {e.ticket or ''}"
        f"{f' counter {e.counter}' if e.counter else ''} by {e.actor}"
        for e in page.events
    ]
    if page.next_before_id is not None:
        lines.append(f"(more: --before-id {page.next_before_id})")
    ctx.emit(page.to_json(), "\n".join(lines) or "no events match")


# --- the parser ----------------------------------------------------------------------------------


def _credentials(parser: argparse.ArgumentParser, default: Any = None) -> None:
    parser.add_argument("--staff", default=default, help="manager id (or LOBBY_STAFF)")
    parser.add_argument("--pin", default=default, help="manager PIN (or LOBBY_PIN)")


def _nested(parent: argparse.ArgumentParser, title: str) -> Callable[[str, Handler, str], Any]:
    """Sub-actions (``lobby config export``) that also take the common options after them."""
    _credentials(parent)
    actions = parent.add_subparsers(dest=f"{title}_action", required=True, metavar="ACTION")
    shared = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: an option not given here keeps the value given before the action
    shared.add_argument("--db", metavar="URL", default=argparse.SUPPRESS)
    shared.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
    _credentials(shared, argparse.SUPPRESS)

    def add(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = actions.add_parser(
            name, parents=[shared], help=help_text, description=help_text
        )
        sub.set_defaults(handler=handler)
        return sub

    return add


def _missing_action(args: argparse.Namespace, ctx: CliContext) -> None:
    raise InvalidInput("give an action")  # argparse requires one; kept for type checkers


def register(add: Add) -> None:
    """Add the manager commands to the parser."""
    p = add("complaints", list_complaints, "list complaints (manager)")
    _credentials(p)
    p.add_argument("--status", action="append", choices=complaints.COMPLAINT_STATUSES)
    p.add_argument("--category", choices=complaints.COMPLAINT_CATEGORIES)
    p.add_argument("--assignee", metavar="STAFF", help="staff id, or - for unassigned")
    p.add_argument("--overdue", action="store_true", default=None, help="only overdue ones")
    p.add_argument("--since", metavar="DATE", help="filed on or after (date or ISO time)")
    p.add_argument("--until", metavar="DATE", help="filed up to this day (inclusive)")
    p.add_argument("--text", help="part of the reference, description, resolution or a note")
    p.add_argument("--limit", type=int, default=200)

    p = add("complaint-show", show_complaint, "show one complaint with its notes (manager)")
    _credentials(p)
    p.add_argument("reference")
    p.add_argument(
        "--reveal",
        metavar="WHY",
        help="show the full contact (journalled with who and why), e.g. 'asked for a call'",
    )

    p = add("complaint-update", update_complaint, "assign, move along or annotate a complaint")
    _credentials(p)
    p.add_argument("reference")
    p.add_argument("--status", choices=complaints.COMPLAINT_STATUSES)
    p.add_argument("--resolution", default="", help="how it was resolved (for --status resolved)")
    p.add_argument(
        "--channel", choices=complaints.INFORM_CHANNELS, help="how the customer was informed"
    )
    p.add_argument("--assign", metavar="STAFF")
    p.add_argument("--unassign", action="store_true")
    p.add_argument("--note")

    config = _nested(add("config", _missing_action, "branch configuration (manager)"), "config")
    p = config("export", config_export, "print the branch TOML (no PINs)")
    p.add_argument("--out", type=Path, metavar="FILE")
    p = config("import", config_import, "make the branch match a TOML file")
    p.add_argument("file", type=Path)
    p = config("policy", config_policy, "change the priority rules")
    p.add_argument("--head-start", type=_head_start, action="append", metavar="CLASS=MIN")
    p.add_argument("--interleave", type=int, metavar="N")
    p.add_argument("--grace", type=float, metavar="MIN", help="appointment grace minutes")
    p.add_argument("--answer-days", type=int, metavar="N", help="complaint answer deadline")
    p = config("notice", config_notice, "add or replace a notice")
    p.add_argument("key")
    p.add_argument("--zh", required=True)
    p.add_argument("--en", required=True)
    p.add_argument("--starts", metavar="TIME", help="ISO time with offset, or a day")
    p.add_argument("--ends", metavar="TIME", help="ISO time with offset, or a last day")
    p = config("notice-remove", config_notice_remove, "take a notice down")
    p.add_argument("key")
    p = config("hours", config_hours, "set the opening hours (days not given are closed)")
    for day in WEEKDAYS:
        p.add_argument(f"--{day}", metavar="HH:MM-HH:MM")
    p.add_argument("--clear", action="store_true", help="remove the opening hours")
    p = config("counter", config_counter, "add a counter or change its profile or names")
    p.add_argument("number", type=int)
    p.add_argument("--profile")
    p.add_argument("--name-zh")
    p.add_argument("--name-en")

    staff = _nested(add("staff", _missing_action, "staff accounts (manager)"), "staff")
    staff("list", staff_list, "list the staff accounts")
    p = staff("add", staff_add, "add a staff member")
    p.add_argument("code")
    p.add_argument("--name", required=True)
    p.add_argument("--role", required=True, choices=["greeter", "teller", "manager"])
    p.add_argument("--new-pin", required=True, metavar="PIN")
    p = staff("disable", staff_disable, "refuse a staff member's sign-in")
    p.add_argument("code")
    p = staff("enable", staff_enable, "let a disabled staff member sign in again")
    p.add_argument("code")
    p = staff("reset-pin", staff_reset_pin, "give a staff member a new PIN")
    p.add_argument("code")
    p.add_argument("--new-pin", required=True, metavar="PIN")

    p = add("audit", audit, "the journal filtered by actor, ticket, counter, kind, time (manager)")
    _credentials(p)
    p.add_argument(
        "audit_action",
        nargs="?",
        choices=["verify"],
        metavar="verify",
        help="check the journal's hash chain instead (exit 1 names the first bad event)",
    )
    p.add_argument("--actor", metavar="STAFF", help="who acted (staff id or device)")
    p.add_argument("--ticket", metavar="NUMBER")
    p.add_argument("--counter", type=int, metavar="N")
    p.add_argument("--kind", action="append", metavar="KIND")
    p.add_argument("--since", metavar="DATE", help="from this day (or ISO time)")
    p.add_argument("--until", metavar="DATE", help="up to this day, inclusive (or ISO time)")
    p.add_argument("--before-id", type=int, metavar="ID", help="older than this event (paging)")
    p.add_argument("--limit", type=int, default=100)
