"""Branch commands: set up, watch, report, close the day, appointments, complaints."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

from lobby import engine
from lobby.access import figures_scope
from lobby.cli.context import CliContext, credentials
from lobby.clock import business_day
from lobby.config import SAMPLE_BRANCH, load_branch_config
from lobby.db import Database, translate_errors
from lobby.errors import InvalidInput
from lobby.feed import Feed, change_detector, follow_reconnecting
from lobby.models import Branch
from lobby.reports import MAX_DAYS, Figures, Report, build_report, report_to_csv
from lobby.seeding import initialise
from lobby.validation import one_line
from lobby.views import EventView

Add = Callable[
    [str, Callable[[argparse.Namespace, CliContext], None], str], argparse.ArgumentParser
]


def init(args: argparse.Namespace, ctx: CliContext) -> None:
    """Create or upgrade the schema; on an empty database, load the branch configuration.

    A database that already has its branch only has its schema upgraded: staff, PINs and
    the branch secret are left alone (``lobby config import`` applies a file to it).
    """
    path = args.config or ctx.settings.branch_config or SAMPLE_BRANCH
    config = load_branch_config(Path(path))
    db = ctx.database(must_exist=False)
    if args.config is not None and current_revision_or_none(db) is not None:
        with db.read() as session:
            if session.get(Branch, 1) is not None:
                raise InvalidInput(
                    "this database already has its branch: apply a branch file with "
                    "`lobby config import FILE` (manager), not `lobby init --config`"
                )
    summary = initialise(db, config, ctx.actor)
    data = {"db": db.engine.url.render_as_string(), "config": str(path), **summary}
    counts = (
        f"{summary['services']} services, {summary['counters']} counters, {summary['staff']} staff"
    )
    if summary["loaded"]:
        text = (
            f"{config.branch.name_zh} {config.branch.name_en}: {counts} ready at "
            f"{db.engine.url}; every staff member changes the PIN from the file at first "
            "sign-in"
        )
    else:
        text = f"schema up to date at {db.engine.url}; branch left as it is ({counts})"
    ctx.emit(data, text)


def current_revision_or_none(db: Database) -> str | None:
    """The stored schema revision, or ``None`` for an empty database."""
    from lobby.schema import current_revision

    with translate_errors():
        return current_revision(db.engine)


def _event_line(event: EventView) -> str:
    where = f" counter {event.counter}" if event.counter else ""
    return (
        f"#{event.id} {event.at:%H:%M:%S} {event.kind} {event.ticket or ''}{where} by {event.actor}"
    )


def events(args: argparse.Namespace, ctx: CliContext) -> None:
    """Print journal entries after --after; with --follow, keep printing new ones."""
    db = ctx.database()
    own = _only_own(ctx)
    interval = ctx.settings.poll_interval_ms / 1000
    if args.follow:  # across server restarts, telling stderr when it is lost and back
        stream: Iterator[EventView] = follow_reconnecting(
            db,
            interval,
            args.after,
            on_lost=lambda exc: _say(f"lobby events: {exc}; reconnecting"),
            on_back=lambda: _say("lobby events: reconnected"),
        )
    else:
        feed = Feed(db, change_detector(db, interval), args.after)
        try:
            stream = iter(feed.poll())
        finally:
            feed.close()
    for event in stream:
        if own is not None and event.actor != own:
            continue
        if ctx.as_json:
            print(json.dumps(event.to_json(), ensure_ascii=False), flush=True)
        else:
            print(_event_line(event), flush=True)


def _say(line: str) -> None:
    print(one_line(line), file=sys.stderr, flush=True)


def _only_own(ctx: CliContext) -> str | None:
    """``None`` for a manager (everything); else the staff id whose own records they see.

    The journal and the per-teller figures tell who did what: a manager sees all of
    it, any other signed-in member only their own.

    Raises:
        InvalidInput: Nobody signed in.
        PermissionDenied: A device asks.
    """
    db = ctx.database()
    with db.read() as session:
        return figures_scope(session, ctx.credential(), db.clock.now())


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def report(args: argparse.Namespace, ctx: CliContext) -> None:
    """Key figures for a period of business days (default: today); optionally export them."""
    if args.day and (args.from_day or args.to_day):
        raise InvalidInput("give --day, or --from/--to, not both")
    db = ctx.database()
    now = db.clock.now()
    today = business_day(now, db.branch_timezone())
    first = args.day or args.from_day or today
    last = args.day or args.to_day or args.from_day or today
    if first > last:
        raise InvalidInput("--from is after --to")
    if (last - first).days >= MAX_DAYS:
        raise InvalidInput(f"a report covers at most {MAX_DAYS} days; shorten --from/--to")
    with db.read() as session:  # a teller gets their own figures, not their colleagues'
        result = build_report(session, first, last, reader=ctx.credential(), now=now)
    data = result.to_json()
    if args.csv:
        _write(args.csv, report_to_csv(result))
    if args.out:
        _write(args.out, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    ctx.emit(data, _report_text(result))


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot write {path}: {exc.strerror or exc}") from None


def _report_text(result: Report) -> str:
    def minutes(seconds: float | None) -> str:
        return "-" if seconds is None else f"{seconds / 60:.1f} min"

    def line(name: str, f: Figures) -> str:
        return (
            f"  {name:<10} issued {f.issued}, served {f.served}, no-show {f.no_show}, "
            f"wait {minutes(f.avg_wait_s)} (p90 {minutes(f.p90_wait_s)}), "
            f"service {minutes(f.avg_service_s)}, service level {f.service_level}"
        )

    t, c = result.totals, result.complaint_figures
    lines = [
        f"{result.first_day} .. {result.last_day}: issued {t.issued}, served {t.served}, "
        f"no-show {t.no_show}, wait {minutes(t.avg_wait_s)} (p90 {minutes(t.p90_wait_s)}), "
        f"service {minutes(t.avg_service_s)}, service level {t.service_level}, "
        f"ratings {t.ratings} (avg {t.avg_rating}), complaints {c.count} "
        f"(open {c.open}, overdue {c.overdue}, resolved {c.resolved}, "
        f"{'-' if c.avg_resolve_h is None else c.avg_resolve_h} h mean to resolve)"
    ]
    lines += ["By service:"] + [line(k, f) for k, f in result.by_service.items()]
    lines += ["By teller:"] + [line(k, f) for k, f in result.by_teller.items()]
    lines += ["By hour:"] + [line(f"{k}:00", f) for k, f in result.by_hour.items()]
    if len(result.by_day) > 1:
        lines += ["By day:"] + [line(k, f) for k, f in result.by_day.items()]
    return "\n".join(lines)


def close_day(args: argparse.Namespace, ctx: CliContext) -> None:
    """Expire the day's leftover tickets, purge expired personal data, back up and rotate."""
    from lobby.lifecycle.backup import BackupFailed
    from lobby.lifecycle.closing import close_business_day

    done = close_business_day(ctx.database(), ctx.settings, ctx.credential(), args.day)
    lines = [
        f"day closed: {done.expired} tickets expired",
        f"personal data erased from {done.erased.total} records (retention)",
    ]
    if done.backup is not None:
        lines.append(
            f"backup {done.backup.path} ({done.backup.size:,} bytes); "
            f"{len(done.removed)} older backups removed"
        )
    ctx.emit({**done.to_json(), "expired": done.expired}, "\n".join(lines))
    if done.backup_error:
        raise BackupFailed(done.backup_error)


def counter(args: argparse.Namespace, ctx: CliContext) -> None:
    """Open a counter, put it on a break or close it."""
    with ctx.unit_of_work() as uow:
        engine.set_counter_status(uow, args.counter, args.status)
    ctx.emit(
        {"counter": args.counter, "status": args.status}, f"counter {args.counter}: {args.status}"
    )


def _moment(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date and time: {value!r}") from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"give a time zone offset, e.g. {value}+08:00")
    return moment


def appointment(args: argparse.Namespace, ctx: CliContext) -> None:
    """Book an appointment; prints its code."""
    with ctx.unit_of_work() as uow:
        code = engine.book_appointment(
            uow, args.service, args.at, customer=args.customer, phone=args.phone
        )
    ctx.emit({"code": code}, code)


def complaint(args: argparse.Namespace, ctx: CliContext) -> None:
    """File a complaint (a manager follows it up with ``lobby complaint-update``)."""
    with ctx.unit_of_work() as uow:
        ref = engine.file_complaint(
            uow,
            category=args.category,
            description=args.description,
            contact=args.contact,
            wished_follow_up=args.follow_up,
            ticket_number=args.ticket,
        )
    ctx.emit({"reference": ref}, ref)


def demo(args: argparse.Namespace, ctx: CliContext) -> None:
    """Run the branch demo on an embedded SQLite database."""
    from lobby.demo import run_demo

    run_demo(args, ctx)


def register(add: Add) -> None:
    """Add the branch commands to the parser."""
    p = add("init", init, "create or upgrade the database and load the branch config")
    p.add_argument("--config", type=Path, metavar="FILE", help="branch TOML (default: sample)")
    credentials(p)
    p = add("events", events, "print journal events")
    p.add_argument("--after", type=int, default=0, metavar="ID")
    p.add_argument("--follow", action="store_true", help="keep printing new events")
    credentials(p)
    p = add("report", report, "key figures for a period")
    p.add_argument("--day", type=_day, metavar="DATE", help="one business day")
    p.add_argument("--from", dest="from_day", type=_day, metavar="DATE")
    p.add_argument("--to", dest="to_day", type=_day, metavar="DATE")
    p.add_argument("--csv", type=Path, metavar="FILE", help="also write the figures as CSV")
    p.add_argument("--out", type=Path, metavar="FILE.json", help="also write the JSON")
    credentials(p)
    p = add("close-day", close_day, "close the business day: expire, purge, back up")
    p.add_argument("--day", type=_day, metavar="DATE")
    credentials(p)
    p = add("counter", counter, "open, pause or close a counter")
    p.add_argument("--counter", type=int, required=True, metavar="N")
    p.add_argument("status", choices=["open", "break", "closed"])
    credentials(p)
    p = add("appointment", appointment, "book an appointment")
    p.add_argument("service")
    p.add_argument("--at", type=_moment, required=True, metavar="ISO-TIME")
    p.add_argument("--customer", default="")
    p.add_argument("--phone")
    credentials(p)
    p = add("complaint", complaint, "file a complaint")
    p.add_argument("--category", default="service")
    p.add_argument("--description", required=True)
    p.add_argument("--contact")
    p.add_argument("--follow-up", default="phone", choices=["phone", "sms", "in_person", "none"])
    p.add_argument("--ticket", metavar="NUMBER")
    credentials(p)
    p = add("demo", demo, "run the branch demo on an embedded SQLite database")
    p.add_argument(
        "--seconds", type=float, default=0, help="stop after this long (0: until Ctrl-C)"
    )
    p.add_argument("--speed", type=float, default=1.0, help="how fast the simulated branch acts")
    p.add_argument("--headless", action="store_true", help="no windows, even with a display")
    p.add_argument("--no-web", action="store_true", help="do not start lobby web")
    p.add_argument("--web-port", type=int, metavar="P", help="lobby web's port (default 8080)")
    p.add_argument(
        "--history-days",
        type=int,
        default=5,
        metavar="N",
        help="play the last N days first, for the manager's reports (0: none)",
    )
